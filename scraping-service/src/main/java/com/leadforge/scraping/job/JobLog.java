package com.leadforge.scraping.job;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.annotations.TenantId;
import org.hibernate.type.SqlTypes;

import com.leadforge.shared.events.EventType;
import com.leadforge.shared.events.ScrapingJobLoggedEvent;
import com.leadforge.shared.outbox.OutboxWriter;
import com.leadforge.shared.tenancy.TenantContext;

import io.quarkus.arc.Arc;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One line of a job's log, written by its worker and by the import results as they arrive. */
@Entity
@Table(name = "scraping_job_log")
public class JobLog extends PanacheEntityBase {

    public enum Level {
        DEBUG, INFO, WARNING, ERROR;

        public static final String CODE_PATTERN = "debug|info|warning|error";

        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @TenantId
    @Column(name = "agency_id", nullable = false, updatable = false)
    public String agencyId;

    @Column(name = "job_id", nullable = false, updatable = false)
    public UUID jobId;

    @Column(nullable = false)
    public String level;

    @Column(nullable = false)
    public String message;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(columnDefinition = "jsonb")
    public Map<String, Object> details;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    /** Writes a line and publishes it (event {@code scraping_job.logged}) in the same transaction, for live viewers. */
    public static void write(UUID jobId, Level level, String message, Map<String, Object> details) {
        JobLog line = persist(jobId, level, message, details);
        TenantContext tenant = Arc.container().instance(TenantContext.class).get();
        String agencyId = line.agencyId != null ? line.agencyId : tenant.requireAgencyId();
        Arc.container().instance(OutboxWriter.class).get().append(EventType.SCRAPING_JOB_LOGGED, agencyId, jobId,
                tenant.actor(), new ScrapingJobLoggedEvent(jobId, agencyId, line.id, line.level, line.message,
                        line.createdAt));
    }

    /**
     * Writes a per-record detail line (a rejected record) without publishing it: an import's thousands of rejections
     * must not become thousands of events; the batch summary line that counts them is published.
     */
    public static void writeDetail(UUID jobId, Level level, String message, Map<String, Object> details) {
        persist(jobId, level, message, details);
    }

    private static JobLog persist(UUID jobId, Level level, String message, Map<String, Object> details) {
        JobLog line = new JobLog();
        line.jobId = jobId;
        line.level = level.code();
        line.message = message.length() > 2000 ? message.substring(0, 2000) : message;
        line.details = details;
        line.createdAt = Instant.now();
        line.persist();
        return line;
    }
}
