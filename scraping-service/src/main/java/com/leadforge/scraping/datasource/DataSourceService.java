package com.leadforge.scraping.datasource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import org.jboss.logging.Logger;

import com.leadforge.scraping.connector.ConnectionTest;
import com.leadforge.scraping.connector.Connectors;
import com.leadforge.scraping.credentials.CredentialCipher;
import com.leadforge.scraping.credentials.CredentialVault;
import com.leadforge.scraping.job.JobStatus;
import com.leadforge.scraping.job.ScrapingJob;
import com.leadforge.shared.api.Page;
import com.leadforge.shared.api.PageRequest;
import com.leadforge.shared.events.DataSourceChangedEvent;
import com.leadforge.shared.events.DataSourceCreatedEvent;
import com.leadforge.shared.events.EventType;
import com.leadforge.shared.outbox.OutboxWriter;
import com.leadforge.shared.problem.Problem;
import com.leadforge.shared.problem.ProblemException;
import com.leadforge.shared.problem.ProblemType;
import com.leadforge.shared.tenancy.TenantContext;

import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

/**
 * Data source use cases. Every query runs inside the caller's agency (Hibernate adds the tenant predicate). Every
 * change writes its event through the outbox in the same transaction; a change of config or credentials is also
 * logged at INFO with the actor and the names of the changed fields (the event is the audit record; neither ever
 * carries a credential).
 */
@ApplicationScoped
public class DataSourceService {

    private static final Logger LOG = Logger.getLogger(DataSourceService.class);
    static final List<JobStatus> ACTIVE_JOB_STATES = List.of(JobStatus.PENDING, JobStatus.RUNNING, JobStatus.PAUSED);

    private final TenantContext tenant;
    private final OutboxWriter outbox;
    private final CredentialVault vault;
    private final Connectors connectors;

    public DataSourceService(TenantContext tenant, OutboxWriter outbox, CredentialVault vault, Connectors connectors) {
        this.tenant = tenant;
        this.outbox = outbox;
        this.vault = vault;
        this.connectors = connectors;
    }

    /** Stores the data source and its {@code data_source.created} event (which never carries credentials) together. */
    @Transactional
    public DataSource create(CreateDataSourceRequest request) {
        String agencyId = tenant.requireAgencyId();
        Map<String, Object> config = request.config() == null ? Map.of() : request.config();
        validateConfig(request.type(), config);
        Instant now = Instant.now();
        DataSource source = new DataSource();
        source.id = UUID.randomUUID();
        source.name = request.name().trim();
        source.type = request.type();
        source.status = DataSourceStatus.INACTIVE;
        source.description = trimmed(request.description());
        source.config = config;
        source.agencyId = agencyId; // the sealed credentials are bound to the row's agency and id
        source.sealedCredentials = vault.seal(request.credentials(), source.credentialContext());
        source.createdBy = tenant.actor();
        source.createdAt = now;
        source.updatedAt = now;
        source.persist();
        outbox.append(EventType.DATA_SOURCE_CREATED, agencyId, source.id, tenant.actor(),
                new DataSourceCreatedEvent(source.id, agencyId, source.name, source.type.code(), source.status.code(),
                        tenant.actor(), now));
        LOG.infof("Data source %s (%s) created by %s; config keys %s, credentials %s", source.id, source.type.code(),
                tenant.actor(), config.keySet(), source.hasCredentials() ? "set" : "none");
        return source;
    }

    /**
     * Applies a partial update under the data source's row lock. Nothing changed: no write, no event (a repeated PUT
     * is harmless). Otherwise one {@code data_source.updated} event naming the changed fields.
     */
    @Transactional
    public DataSource update(UUID id, UpdateDataSourceRequest request) {
        DataSource source = lockForChange(id);
        List<String> changed = new ArrayList<>();
        if (request.name() != null && !request.name().trim().equals(source.name)) {
            source.name = request.name().trim();
            changed.add("name");
        }
        if (request.description() != null && !Objects.equals(trimmed(request.description()), source.description)) {
            source.description = trimmed(request.description());
            changed.add("description");
        }
        if (request.status() != null && request.status() != source.status) {
            if (request.status() != DataSourceStatus.ACTIVE && request.status() != DataSourceStatus.INACTIVE) {
                throw new ProblemException(ProblemType.VALIDATION, "status may be set to active or inactive only",
                        List.of(new Problem.FieldError("status", "must be active or inactive (error and testing "
                                + "are set by connection tests)")));
            }
            source.status = request.status();
            changed.add("status");
        }
        if (request.config() != null && !request.config().equals(source.config)) {
            validateConfig(source.type, request.config());
            source.config = request.config();
            changed.add("config");
        }
        if (request.credentials() != null && credentialsDiffer(source, request.credentials())) {
            source.sealedCredentials = vault.seal(request.credentials(), source.credentialContext());
            changed.add("credentials");
        }
        if (!changed.isEmpty()) {
            updated(source, changed);
        }
        return source;
    }

    /**
     * Replaces the credentials ({@code {}} removes them), sealed under the active key: a write is also how values
     * sealed under an older key move to the current one.
     */
    @Transactional
    public DataSource replaceCredentials(UUID id, Map<String, Object> credentials) {
        DataSource source = lockForChange(id);
        source.sealedCredentials = vault.seal(credentials, source.credentialContext());
        updated(source, List.of("credentials"));
        return source;
    }

    /**
     * Soft delete: the source leaves the API (404 from now on) while its jobs keep naming it. Refused (409) while it
     * has a pending, running or paused job. The row lock orders this against a job being created for the source at
     * the same moment (job creation counts on the same row, and only on a live one).
     */
    @Transactional
    public void delete(UUID id) {
        DataSource source = lockForChange(id);
        long active = ScrapingJob.count("dataSourceId = ?1 and status in ?2", id, ACTIVE_JOB_STATES);
        if (active > 0) {
            throw new ProblemException(ProblemType.CONFLICT, "The data source has " + active + " pending, running or "
                    + "paused job(s); cancel them (or let them finish) first",
                    List.of(new Problem.FieldError("jobs", active + " pending, running or paused")));
        }
        Instant now = Instant.now();
        source.deletedAt = now;
        source.updatedAt = now;
        outbox.append(EventType.DATA_SOURCE_DELETED, source.agencyId, source.id, tenant.actor(),
                event(source, null, null, now));
        connectors.find(source.type).ifPresent(connector -> connector.forget(source.id));
        LOG.infof("Data source %s deleted by %s", source.id, tenant.actor());
    }

    /** Records a connection test's outcome: active on success, error on failure, and the tested event. */
    @Transactional
    public DataSource recordTest(UUID id, ConnectionTest result, Instant at) {
        DataSource source = lockForChange(id);
        source.lastTestAt = at;
        source.lastTestStatus = result.success() ? "success" : "failed";
        source.lastTestError = result.success() ? null : cut(result.message(), 2000);
        source.status = result.success() ? DataSourceStatus.ACTIVE : DataSourceStatus.ERROR;
        source.updatedAt = at;
        outbox.append(EventType.DATA_SOURCE_TESTED, source.agencyId, source.id, tenant.actor(),
                event(source, null, result.success(), at));
        LOG.infof("Data source %s tested by %s: %s", source.id, tenant.actor(), source.lastTestStatus);
        return source;
    }

    /** The credentials opened, for a connection test; an empty map when there are none. */
    public Map<String, Object> openCredentials(DataSource source) {
        return source.sealedCredentials == null ? Map.of()
                : vault.open(source.sealedCredentials, source.credentialContext());
    }

    /** The API form: credentials masked. */
    public DataSourceResponse view(DataSource source) {
        return DataSourceResponse.of(source, vault.masked(source.sealedCredentials, source.credentialContext()));
    }

    @Transactional
    public DataSource get(UUID id) {
        return DataSource.<DataSource>find("id = ?1 and deletedAt is null", id).firstResultOptional()
                .orElseThrow(() -> ProblemException.notFound("Data source", id));
    }

    @Transactional
    public Page<DataSourceResponse> list(DataSourceFilter filter, PageRequest page) {
        List<String> conditions = new ArrayList<>();
        Parameters parameters = new Parameters();
        filter.type().ifPresent(type -> {
            conditions.add("type = :type");
            parameters.and("type", type);
        });
        filter.status().ifPresent(status -> {
            conditions.add("status = :status");
            parameters.and("status", status);
        });
        filter.search().ifPresent(text -> {
            conditions.add("lower(name) like :search escape '\\'");
            parameters.and("search", "%" + likeEscaped(text.toLowerCase(Locale.ROOT)) + "%");
        });
        conditions.add("deletedAt is null");
        Sort.Direction direction = filter.ascending() ? Sort.Direction.Ascending : Sort.Direction.Descending;
        // The id breaks ties, so pages never repeat or skip a data source when many share a sort value.
        Sort sort = Sort.by(filter.sortAttribute(), direction).and("id", direction);
        var query = DataSource.<DataSource>find(String.join(" and ", conditions), sort, parameters)
                .page(io.quarkus.panache.common.Page.of(page.page() - 1, page.pageSize()));
        List<DataSourceResponse> data = query.list().stream().map(this::view).toList();
        return Page.of(data, query.count(), page);
    }

    /** The live data source, locked for the rest of the transaction; 404 when the agency has no such one. */
    private DataSource lockForChange(UUID id) {
        return DataSource.<DataSource>find("id = ?1 and deletedAt is null", id)
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional()
                .orElseThrow(() -> ProblemException.notFound("Data source", id));
    }

    private void updated(DataSource source, List<String> changed) {
        Instant now = Instant.now();
        source.updatedAt = now;
        outbox.append(EventType.DATA_SOURCE_UPDATED, source.agencyId, source.id, tenant.actor(),
                event(source, List.copyOf(changed), null, now));
        if (changed.contains("config") || changed.contains("credentials")) {
            connectors.find(source.type).ifPresent(connector -> connector.forget(source.id));
        }
        LOG.infof("Data source %s updated by %s; changed %s", source.id, tenant.actor(), changed);
    }

    private DataSourceChangedEvent event(DataSource source, List<String> changed, Boolean testSucceeded,
            Instant at) {
        return new DataSourceChangedEvent(source.id, source.agencyId, source.name, source.type.code(),
                source.status.code(), changed, testSucceeded, tenant.actor(), at);
    }

    private void validateConfig(DataSourceType type, Map<String, Object> config) {
        connectors.find(type).ifPresent(connector -> connector.validateSourceConfig(type, config));
    }

    /** Compared opened, so a repeated PUT changes nothing; a value under an older key is re-sealed all the same. */
    private boolean credentialsDiffer(DataSource source, Map<String, Object> credentials) {
        if (source.sealedCredentials == null) {
            return !credentials.isEmpty();
        }
        if (vault.needsResealing(source.sealedCredentials)) {
            return true;
        }
        try {
            return !credentials.equals(vault.open(source.sealedCredentials, source.credentialContext()));
        } catch (CredentialCipher.UnreadableException e) {
            return true;
        }
    }

    private static String trimmed(String value) {
        if (value == null) {
            return null;
        }
        String trimmed = value.trim();
        return trimmed.isEmpty() ? null : trimmed;
    }

    private static String cut(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }

    /** LIKE treats % and _ as wildcards; a search for "50%" must find the text "50%". */
    static String likeEscaped(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
