package com.leadforge.shared.events;

import java.util.Map;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One record a scraping job read from its source, mapped to lead fields but not yet validated or normalised (that is
 * lead-service's job, by the same rules as {@code POST /leads}).
 *
 * @param seq the record's 1-based position in its job; {@code (job_id, seq)} is the record's stable identity
 * @param metadata source fields that map to no lead field, kept on the lead (at most 50 keys)
 */
@RegisterForReflection
public record ScrapedRecord(long seq, String firstName, String lastName, String email, String phone, String company,
        String title, String linkedinUrl, Map<String, Object> metadata) {
}
