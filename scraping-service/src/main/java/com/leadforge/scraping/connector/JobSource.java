package com.leadforge.scraping.connector;

import java.util.Map;
import java.util.UUID;

import com.leadforge.scraping.datasource.DataSourceType;

/**
 * What a reader needs of a job and its data source: a snapshot taken when the worker picks the job up, with the
 * credentials opened (they live only in memory, for the time of the run).
 */
public record JobSource(UUID jobId, String agencyId, UUID dataSourceId, DataSourceType type,
        Map<String, Object> sourceConfig, Map<String, Object> credentials, Map<String, Object> searchCriteria,
        Map<String, Object> jobConfig, Map<String, Object> checkpoint, Long uploadBytes) {
}
