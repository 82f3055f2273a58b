package com.leadforge.shared.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Data of {@link EventType#LEAD_IMPORT_BATCH_IMPORTED}: what lead-service did with each record of one
 * {@link ScrapedRecordsEvent}, keyed by job id. {@code imported + duplicates + rejected} is the batch's size;
 * {@code outcomes} lists every record that was not imported.
 */
@RegisterForReflection
public record BatchImportedEvent(UUID jobId, String agencyId, long batchSeq, int imported, int duplicates,
        int rejected, List<RecordOutcome> outcomes, Instant importedAt) {

    /** Outcome of a record that did not become a new lead. */
    public static final String DUPLICATE = "duplicate";
    public static final String REJECTED = "rejected";

    /**
     * @param outcome {@link #DUPLICATE} (leadId = the existing lead it matched, field = the identifier that matched) or
     *        {@link #REJECTED} (reason says why, field names the offending field when there is one)
     */
    @RegisterForReflection
    public record RecordOutcome(long seq, String outcome, UUID leadId, String field, String reason) {
    }
}
