package com.leadforge.scraping.job;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.annotations.TenantId;
import org.hibernate.type.SqlTypes;

import com.leadforge.scraping.datasource.DataSourceType;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/** One import of records from a data source into the agency's leads. */
@Entity
@Table(name = "scraping_job")
public class ScrapingJob extends PanacheEntityBase {

    /** How many recent errors a job keeps in {@link #errors} (all of them are in its log). */
    public static final int RECENT_ERRORS = 20;

    @Id
    public UUID id;

    @TenantId
    @Column(name = "agency_id", nullable = false, updatable = false)
    public String agencyId;

    @Column(name = "data_source_id", nullable = false, updatable = false)
    public UUID dataSourceId;

    @Column(name = "source_type", nullable = false, updatable = false)
    public DataSourceType sourceType;

    @Column(name = "campaign_id", updatable = false)
    public UUID campaignId;

    @Column(nullable = false)
    public JobStatus status = JobStatus.PENDING;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "search_criteria", nullable = false, columnDefinition = "jsonb")
    public Map<String, Object> searchCriteria = Map.of();

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, columnDefinition = "jsonb")
    public Map<String, Object> config = Map.of();

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, columnDefinition = "jsonb")
    public Map<String, Object> checkpoint = Map.of();

    @Column(name = "read_fraction", nullable = false)
    public double readFraction;

    @Column(name = "reader_done", nullable = false)
    public boolean readerDone;

    @Column(name = "batches_sent", nullable = false)
    public int batchesSent;

    @Column(name = "batches_reported", nullable = false)
    public int batchesReported;

    @Column(name = "records_read", nullable = false)
    public long recordsRead;

    @Column(name = "records_processed", nullable = false)
    public long recordsProcessed;

    @Column(name = "records_imported", nullable = false)
    public long recordsImported;

    @Column(name = "records_duplicate", nullable = false)
    public long recordsDuplicate;

    @Column(name = "records_rejected", nullable = false)
    public long recordsRejected;

    @Column(nullable = false)
    public int progress;

    @Column(name = "error_count", nullable = false)
    public int errorCount;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, columnDefinition = "jsonb")
    public List<Map<String, Object>> errors = new ArrayList<>();

    @Column(name = "last_error")
    public String lastError;

    @Column(name = "upload_bytes")
    public Long uploadBytes;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "running_since")
    public Instant runningSince;

    @Column(name = "completed_at")
    public Instant completedAt;

    @Column(name = "duration_seconds")
    public Integer durationSeconds;

    @Column(name = "created_by", nullable = false, updatable = false)
    public String createdBy;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Version
    public long version;

    /** Keeps the error (bounded list of the latest ones) and counts it. */
    public void recordError(String message, Instant at) {
        errorCount++;
        lastError = message.length() > 2000 ? message.substring(0, 2000) : message;
        List<Map<String, Object>> recent = new ArrayList<>(errors == null ? List.of() : errors);
        recent.add(Map.of("message", lastError, "at", at.toString()));
        while (recent.size() > RECENT_ERRORS) {
            recent.remove(0);
        }
        errors = recent;
    }

    /**
     * Progress 0–100: the share of the source read, times the share of the read records lead-service has answered
     * for. 100 only when the job completed.
     */
    public void updateProgress() {
        if (status == JobStatus.COMPLETED) {
            progress = 100;
            return;
        }
        double read = readerDone ? 1.0 : Math.max(0, Math.min(1, readFraction));
        double answered = recordsRead == 0 ? (readerDone ? 1.0 : 0.0) : (double) recordsProcessed / recordsRead;
        progress = (int) Math.min(99, Math.floor(100 * read * Math.min(1, answered)));
    }

    /** Ends a running stretch: its time counts into {@link #durationSeconds}. */
    public void stopClock(Instant now) {
        if (runningSince != null) {
            long seconds = Math.max(0, java.time.Duration.between(runningSince, now).toSeconds());
            durationSeconds = (int) Math.min(Integer.MAX_VALUE, (durationSeconds == null ? 0 : durationSeconds) + seconds);
            runningSince = null;
        }
    }

    /** All batches sent are answered and nothing is left to read. */
    public boolean allAnswered() {
        return readerDone && batchesReported >= batchesSent;
    }
}
