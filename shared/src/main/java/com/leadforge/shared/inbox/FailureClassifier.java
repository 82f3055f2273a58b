package com.leadforge.shared.inbox;

import java.sql.SQLException;

import com.fasterxml.jackson.core.JsonProcessingException;

/**
 * Decides whether a failed attempt may succeed later. Only records that can never be applied are poison and go to the
 * dead-letter topic; everything else (a lost connection, a pool timeout, a deadlock, a serialization failure, a lock
 * timeout, a database that is down for minutes, a bug fixed by the next deploy) is retried without limit, because a
 * record skipped to keep the consumer moving is an event lost.
 */
public final class FailureClassifier {

    private FailureClassifier() {
    }

    /** True when retrying can never help: the record itself is unusable. */
    public static boolean isPoison(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof PoisonEventException || cause instanceof JsonProcessingException) {
                return true;
            }
            if (cause instanceof SQLException sql && isDataError(sql.getSQLState())) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }

    /**
     * SQLSTATE class 22 (data exception: a value the schema refuses) and 23 (integrity) except unique violations, which
     * are races between two deliveries of the same record and pass on the next attempt.
     */
    private static boolean isDataError(String sqlState) {
        if (sqlState == null || sqlState.length() != 5) {
            return false;
        }
        return sqlState.startsWith("22") || (sqlState.startsWith("23") && !"23505".equals(sqlState));
    }

    /** A short, log-safe description of the failure for state and dead-letter headers (no SQL, no row values). */
    public static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            if (root instanceof PoisonEventException) {
                break;
            }
            root = root.getCause();
        }
        String message = root.getMessage() == null ? "" : root.getMessage();
        if (root instanceof SQLException sql) {
            message = "SQLSTATE " + sql.getSQLState();
        }
        String text = root.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
        return text.length() <= 500 ? text : text.substring(0, 500);
    }
}
