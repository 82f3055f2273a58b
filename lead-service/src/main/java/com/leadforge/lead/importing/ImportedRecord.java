package com.leadforge.lead.importing;

import java.io.Serializable;
import java.time.Instant;
import java.util.UUID;

import org.hibernate.annotations.TenantId;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/**
 * The outcome of one scraped record, remembered under its stable identity (job id, seq) so that the record yields the
 * same outcome — never a second lead — whichever batch event brings it again (V11). The table's key also starts with
 * {@code agency_id}; within one tenant (the {@code @TenantId} filter, row-level security) the pair below is unique.
 */
@Entity
@Table(name = "imported_record")
public class ImportedRecord extends PanacheEntityBase {

    public static final String IMPORTED = "imported";

    @Embeddable
    public record Key(@Column(name = "job_id") UUID jobId, @Column(name = "seq") long seq) implements Serializable {
    }

    @EmbeddedId
    public Key id;

    @TenantId
    @Column(name = "agency_id", nullable = false, updatable = false)
    public String agencyId;

    /** {@link #IMPORTED}, or BatchImportedEvent's {@code duplicate} / {@code rejected}. */
    @Column(nullable = false)
    public String outcome;

    /** The lead created (imported) or matched (duplicate); null for a rejection. */
    @Column(name = "lead_id")
    public UUID leadId;

    /** The identifier that matched (duplicate) or the offending field (rejected), when there is one. */
    public String field;

    /** Why the record was rejected. */
    public String reason;

    @Column(name = "imported_at", nullable = false)
    public Instant importedAt;
}
