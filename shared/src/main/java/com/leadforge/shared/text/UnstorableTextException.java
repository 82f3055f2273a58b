package com.leadforge.shared.text;

import com.fasterxml.jackson.databind.exc.MismatchedInputException;

/**
 * A JSON body holds a string PostgreSQL cannot store ({@link StorableText}); its path names the offending member, so
 * the problem mapper reports it like any other invalid field. A {@link MismatchedInputException} because that is the
 * kind the REST layer hands to the problem mappers unwrapped, like the other binding errors.
 */
public class UnstorableTextException extends MismatchedInputException {

    private final String reason;

    public UnstorableTextException(String reason) {
        super(null, reason);
        this.reason = reason;
    }

    /** The client-facing message ({@link StorableText#NUL_MESSAGE} or {@link StorableText#SURROGATE_MESSAGE}). */
    public String reason() {
        return reason;
    }
}
