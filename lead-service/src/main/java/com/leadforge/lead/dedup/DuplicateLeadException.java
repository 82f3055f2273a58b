package com.leadforge.lead.dedup;

import java.util.UUID;

/** A lead with the same normalised email, phone or LinkedIn URL already exists in the agency. */
public class DuplicateLeadException extends RuntimeException {

    private final UUID existingLeadId;
    private final String field;

    public DuplicateLeadException(UUID existingLeadId, String field) {
        super("A lead with this " + field + " already exists", null, false, false);
        this.existingLeadId = existingLeadId;
        this.field = field;
    }

    public UUID existingLeadId() {
        return existingLeadId;
    }

    public String field() {
        return field;
    }
}
