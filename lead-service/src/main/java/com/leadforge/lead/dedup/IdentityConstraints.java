package com.leadforge.lead.dedup;

import java.util.Map;

import com.leadforge.lead.lead.Lead;

import jakarta.persistence.PersistenceException;

/**
 * Flushes pending lead changes and turns a violation of the unique identity indexes (V5) into the same 409 the
 * up-front duplicate check gives: the race where two requests pass the check at once.
 */
public final class IdentityConstraints {

    private static final Map<String, String> FIELD_BY_INDEX = Map.of(
            "lead_agency_email_key", "email",
            "lead_agency_phone_key", "phone",
            "lead_agency_linkedin_key", "linkedin_url");

    public static void flush() {
        try {
            Lead.getEntityManager().flush();
        } catch (PersistenceException e) {
            String field = violatedField(e);
            if (field == null) {
                throw e;
            }
            throw new DuplicateLeadException(null, field);
        }
    }

    private static String violatedField(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof org.hibernate.exception.ConstraintViolationException violation
                    && violation.getConstraintName() != null) {
                String field = FIELD_BY_INDEX.get(violation.getConstraintName());
                if (field != null) {
                    return field;
                }
            }
            String message = String.valueOf(cause.getMessage());
            for (Map.Entry<String, String> index : FIELD_BY_INDEX.entrySet()) {
                if (message.contains(index.getKey())) {
                    return index.getValue();
                }
            }
        }
        return null;
    }

    private IdentityConstraints() {
    }
}
