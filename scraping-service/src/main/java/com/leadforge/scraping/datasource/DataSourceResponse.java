package com.leadforge.scraping.datasource;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A data source as the API shows it: never its credentials, only whether it has any and a masked copy (the same keys,
 * values as {@code ****} or {@code ****abcd}) so a user can tell which secrets are set.
 */
public record DataSourceResponse(UUID id, String agencyId, String name, DataSourceType type, DataSourceStatus status,
        String description, Map<String, Object> config, boolean hasCredentials, Map<String, Object> maskedCredentials,
        Instant lastTestAt, String lastTestStatus, String lastTestError, int totalJobs, int successfulJobs,
        int failedJobs, long totalRecordsScraped, String createdBy, Instant createdAt, Instant updatedAt) {

    static DataSourceResponse of(DataSource source, Map<String, Object> maskedCredentials) {
        return new DataSourceResponse(source.id, source.agencyId, source.name, source.type, source.status,
                source.description, source.config, source.hasCredentials(), maskedCredentials, source.lastTestAt,
                source.lastTestStatus, source.lastTestError, source.totalJobs, source.successfulJobs,
                source.failedJobs, source.totalRecordsScraped, source.createdBy, source.createdAt, source.updatedAt);
    }
}
