package com.leadforge.shared.problem;

import org.hibernate.StaleStateException;

import jakarta.persistence.OptimisticLockException;

/**
 * Recognises a lost race on an entity's {@code @Version}: another request changed or deleted the row between this
 * request's read and its write. Not a bug and not the client's error to fix by changing the request: it is answered
 * 409 {@code conflict}, and the client reads the resource again and retries, never 500.
 */
public final class ConcurrentUpdate {

    private ConcurrentUpdate() {
    }

    public static boolean isCause(Throwable failure) {
        int depth = 0;
        for (Throwable cause = failure; cause != null && depth < 20; cause = cause.getCause(), depth++) {
            if (cause instanceof OptimisticLockException || cause instanceof StaleStateException) {
                return true;
            }
        }
        return false;
    }
}
