package com.leadforge.scraping.datasource;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.annotations.TenantId;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/** An agency's connection to an external source of records (LinkedIn, Apollo, a CSV upload, ...). */
@Entity
@Table(name = "data_source")
public class DataSource extends PanacheEntityBase {

    @Id
    public UUID id;

    /** Set by Hibernate from the current tenant on insert, and added to every query's predicate. */
    @TenantId
    @Column(name = "agency_id", nullable = false, updatable = false)
    public String agencyId;

    @Column(nullable = false)
    public String name;

    @Column(nullable = false)
    public DataSourceType type;

    @Column(nullable = false)
    public DataSourceStatus status = DataSourceStatus.INACTIVE;

    public String description;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, columnDefinition = "jsonb")
    public Map<String, Object> config = Map.of();

    /**
     * Secrets the connector authenticates with, sealed by {@link com.leadforge.scraping.credentials.CredentialVault}
     * (AES-256-GCM, key id inside); null when it needs none. Only connectors open them: no response, event or log line
     * carries them ({@link DataSourceResponse} shows a masked form).
     */
    @Column(name = "credentials_ciphertext")
    public String sealedCredentials;

    @Column(name = "last_test_at")
    public Instant lastTestAt;

    @Column(name = "last_test_status")
    public String lastTestStatus;

    @Column(name = "last_test_error")
    public String lastTestError;

    @Column(name = "total_jobs", nullable = false)
    public int totalJobs;

    @Column(name = "successful_jobs", nullable = false)
    public int successfulJobs;

    @Column(name = "failed_jobs", nullable = false)
    public int failedJobs;

    @Column(name = "total_records_scraped", nullable = false)
    public long totalRecordsScraped;

    @Column(name = "created_by", nullable = false, updatable = false)
    public String createdBy;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** Set by DELETE: the source is gone from the API, its jobs keep naming it. */
    @Column(name = "deleted_at")
    public Instant deletedAt;

    @Version
    public long version;

    public boolean hasCredentials() {
        return sealedCredentials != null;
    }

    /** What sealed credentials are bound to: a sealed value copied into another row or agency does not open. */
    public String credentialContext() {
        return credentialContext(agencyId, id);
    }

    public static String credentialContext(String agencyId, UUID id) {
        return "data_source:" + agencyId + ":" + id;
    }
}
