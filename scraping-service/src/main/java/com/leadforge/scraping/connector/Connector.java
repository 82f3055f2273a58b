package com.leadforge.scraping.connector;

import java.util.Map;
import java.util.Set;

import com.leadforge.scraping.datasource.DataSource;
import com.leadforge.scraping.datasource.DataSourceType;
import com.leadforge.scraping.job.ScrapingJob;

/**
 * How records get out of one kind of data source. A connector is stateless; {@link #open} returns a reader positioned
 * at a job's checkpoint, so a job resumed on any replica continues exactly after the last batch it committed.
 */
public interface Connector {

    Set<DataSourceType> types();

    /** Checks a data source's {@code config} at creation and update (400 problem naming the field when wrong). */
    default void validateSourceConfig(DataSourceType type, Map<String, Object> config) {
    }

    /** Checks a new job's search criteria and config against its data source (400 problem when wrong). */
    default void validateJob(DataSource source, Map<String, Object> searchCriteria, Map<String, Object> config) {
    }

    /** Whether the job has what it needs to start (e.g. its uploaded file): 409 problem when not. */
    default void checkReadyToStart(ScrapingJob job) {
    }

    /** Opens a reader for the job, at its checkpoint. Runs inside the job's agency, outside any transaction. */
    RecordReader open(JobSource job);

    /** Really tries the source: reach it, authenticate, fetch one page. Bounded in time; never throws. */
    ConnectionTest test(DataSource source, Map<String, Object> credentials);

    /**
     * The data source's config or credentials changed, or it was deleted: what the connector remembers of it (a
     * circuit breaker's count of failures) no longer applies.
     */
    default void forget(java.util.UUID dataSourceId) {
    }
}
