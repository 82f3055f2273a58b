package com.leadforge.shared.problem;

import java.sql.SQLException;

/**
 * Recognises failures that mean "the database cannot serve right now" rather than "this request is wrong" or "a bug":
 * a lost or refused connection (SQLSTATE class 08), an administrator shutdown or crash recovery (57P01–57P03), too
 * many connections or other insufficient resources (class 53), a statement cancelled by its timeout (57014), and the
 * pool's own acquisition timeout. They are answered 503 with Retry-After, never 500.
 */
public final class DatabaseUnavailable {

    private DatabaseUnavailable() {
    }

    public static boolean isCause(Throwable failure) {
        return find(failure) != null;
    }

    static String describe(Throwable failure) {
        SQLException sql = find(failure);
        return sql == null ? String.valueOf(failure) : "SQLSTATE " + sql.getSQLState() + " " + sql.getClass().getSimpleName();
    }

    private static SQLException find(Throwable failure) {
        int depth = 0;
        for (Throwable cause = failure; cause != null && depth < 20; cause = cause.getCause(), depth++) {
            if (cause instanceof SQLException sql && unavailable(sql)) {
                return sql;
            }
        }
        return null;
    }

    private static boolean unavailable(SQLException sql) {
        String state = sql.getSQLState();
        if (state == null) {
            // Agroal: "Sorry, acquisition timeout!" when every connection stayed busy for the acquisition timeout.
            return sql.getMessage() != null && sql.getMessage().contains("acquisition timeout");
        }
        return state.startsWith("08") || state.startsWith("53") || state.equals("57P01") || state.equals("57P02")
                || state.equals("57P03") || state.equals("57014");
    }
}
