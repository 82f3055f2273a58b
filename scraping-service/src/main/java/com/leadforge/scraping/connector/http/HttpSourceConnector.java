package com.leadforge.scraping.connector.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.leadforge.scraping.connector.ConnectionTest;
import com.leadforge.scraping.connector.Connector;
import com.leadforge.scraping.connector.ConnectorException;
import com.leadforge.scraping.connector.JobSource;
import com.leadforge.scraping.connector.RecordReader;
import com.leadforge.scraping.datasource.DataSource;
import com.leadforge.scraping.datasource.DataSourceType;
import com.leadforge.shared.events.ScrapedRecord;
import com.leadforge.shared.problem.Problem;
import com.leadforge.shared.problem.ProblemException;
import com.leadforge.shared.problem.ProblemType;

/**
 * What every connector over an HTTP JSON API does the same way, whatever the source's shape: checking a job, opening
 * a {@link HttpRecordReader} at the job's checkpoint, and the connection test (one real request for the first page,
 * within {@code leadforge.connectors.http.test-timeout}). Subclasses say how a data source's config and credentials
 * become a request shape and an auth header.
 */
abstract class HttpSourceConnector implements Connector {

    private static final Logger LOG = Logger.getLogger(HttpSourceConnector.class);

    protected final SourceHttp http;

    protected HttpSourceConnector(SourceHttp http) {
        this.http = http;
    }

    /**
     * The source's shape from its config: empty when the data source has no config yet (it can be created before it
     * is configured, but cannot run or pass a test then); a 400 problem naming the fields when the config is wrong.
     */
    protected abstract Optional<HttpSourceSpec> spec(DataSourceType type, Map<String, Object> config);

    /** The auth header from the opened credentials; a {@link ConnectorException} naming the key when malformed. */
    protected abstract HttpAuth auth(Map<String, Object> credentials);

    /** A preset's last touch on each record (identity by default). */
    protected UnaryOperator<ScrapedRecord> adjust() {
        return UnaryOperator.identity();
    }

    /** Highest {@code max_pages} a job may ask for. */
    protected int maxPagesBound() {
        return HttpSourceSpec.MAX_PAGES;
    }

    @Override
    public void forget(java.util.UUID dataSourceId) {
        http.breakers().reset(dataSourceId);
    }

    @Override
    public void validateSourceConfig(DataSourceType type, Map<String, Object> config) {
        spec(type, config == null ? Map.of() : config);
    }

    @Override
    public void validateJob(DataSource source, Map<String, Object> searchCriteria, Map<String, Object> config) {
        HttpSourceSpec spec = spec(source.type, source.config).orElseThrow(() -> new ProblemException(
                ProblemType.CONFLICT, "Data source " + source.id + " has no config yet: set it with PUT "
                        + "/api/v1/data-sources/" + source.id,
                List.of(new Problem.FieldError("data_source_id", "has no config yet"))));
        List<Problem.FieldError> errors = new ArrayList<>(spec.checkCriteria(searchCriteria));
        ConfigFields jobConfig = new ConfigFields(config, "config", errors);
        jobConfig.onlyKeys(Set.of("max_pages"));
        jobConfig.integer("max_pages", 1, maxPagesBound(), 1);
        ConfigFields.throwIfAny(errors);
    }

    @Override
    public RecordReader open(JobSource job) {
        HttpSourceSpec spec = readySpec(job.type(), job.sourceConfig());
        if (job.jobConfig().get("max_pages") instanceof Number pages) {
            spec = spec.withMaxPages((int) Math.max(1, Math.min(pages.longValue(), maxPagesBound())));
        }
        return new HttpRecordReader(http, spec, job.dataSourceId(), auth(job.credentials()), job.searchCriteria(),
                new ItemMapper(spec.mapping(), spec.metadata(), adjust()), job.checkpoint(),
                http.tuning().retryBudget());
    }

    /**
     * Fetches the first page for real (breaker or not: a person asked), authenticated, and checks that it holds the
     * records array. Never throws: every failure is the test's message.
     */
    @Override
    public ConnectionTest test(DataSource source, Map<String, Object> credentials) {
        try {
            HttpSourceSpec spec = readySpec(source.type, source.config);
            HttpAuth auth = auth(credentials);
            SourceRequest request = spec.request(spec.first(), Map.of(), auth);
            JsonNode answer = http.fetch(source.id, request, "the first page", http.tuning().testTimeout(), true);
            int items = HttpRecordReader.recordsOf(answer, spec, "the first page").size();
            return ConnectionTest.ok("Reached " + request.uri().getHost() + (auth.present() ? ", authenticated" : "")
                    + ": the first page holds " + items + " item" + (items == 1 ? "" : "s"));
        } catch (ConnectorException e) {
            return ConnectionTest.failed(e.getMessage());
        } catch (RuntimeException e) {
            LOG.warnf("Connection test of data source %s failed unexpectedly: %s", source.id,
                    e.getClass().getSimpleName());
            return ConnectionTest.failed("The test could not be run (" + e.getClass().getSimpleName() + ")");
        }
    }

    private HttpSourceSpec readySpec(DataSourceType type, Map<String, Object> config) {
        try {
            return spec(type, config).orElseThrow(() -> new ConnectorException(
                    "The data source has no config yet: set config.url and what it needs"));
        } catch (ProblemException e) {
            // Stored before a stricter rule: the job fails with what to fix.
            throw new ConnectorException("The data source's config is invalid: " + e.getMessage());
        }
    }
}
