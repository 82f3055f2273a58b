package com.leadforge.scraping.datasource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.leadforge.scraping.credentials.CredentialVault;
import com.leadforge.shared.api.Page;
import com.leadforge.shared.api.PageRequest;
import com.leadforge.shared.events.DataSourceCreatedEvent;
import com.leadforge.shared.events.EventType;
import com.leadforge.shared.outbox.OutboxWriter;
import com.leadforge.shared.problem.ProblemException;
import com.leadforge.shared.tenancy.TenantContext;

import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/** Data source use cases. Every query runs inside the caller's agency (Hibernate adds the tenant predicate). */
@ApplicationScoped
public class DataSourceService {

    private final TenantContext tenant;
    private final OutboxWriter outbox;
    private final CredentialVault vault;

    public DataSourceService(TenantContext tenant, OutboxWriter outbox, CredentialVault vault) {
        this.tenant = tenant;
        this.outbox = outbox;
        this.vault = vault;
    }

    /** Stores the data source and its {@code data_source.created} event (which never carries credentials) together. */
    @Transactional
    public DataSource create(CreateDataSourceRequest request) {
        String agencyId = tenant.requireAgencyId();
        Instant now = Instant.now();
        DataSource source = new DataSource();
        source.id = UUID.randomUUID();
        source.name = request.name().trim();
        source.type = request.type();
        source.status = DataSourceStatus.INACTIVE;
        source.description = trimmed(request.description());
        source.config = request.config() == null ? Map.of() : request.config();
        source.agencyId = agencyId; // the sealed credentials are bound to the row's agency and id
        source.sealedCredentials = vault.seal(request.credentials(), source.credentialContext());
        source.createdBy = tenant.actor();
        source.createdAt = now;
        source.updatedAt = now;
        source.persist();
        outbox.append(EventType.DATA_SOURCE_CREATED, agencyId, source.id, tenant.actor(),
                new DataSourceCreatedEvent(source.id, agencyId, source.name, source.type.code(), source.status.code(),
                        tenant.actor(), now));
        return source;
    }

    /**
     * Replaces the credentials ({@code {}} removes them), sealed under the active key: a write is also how values
     * sealed under an older key move to the current one.
     */
    @Transactional
    public DataSource replaceCredentials(UUID id, Map<String, Object> credentials) {
        DataSource source = get(id);
        source.sealedCredentials = vault.seal(credentials, source.credentialContext());
        source.updatedAt = Instant.now();
        return source;
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
        conditions.add("deletedAt is null");
        Sort newestFirst = Sort.descending("createdAt", "id");
        var query = DataSource.<DataSource>find(String.join(" and ", conditions), newestFirst, parameters)
                .page(io.quarkus.panache.common.Page.of(page.page() - 1, page.pageSize()));
        List<DataSourceResponse> data = query.list().stream().map(this::view).toList();
        return Page.of(data, query.count(), page);
    }

    private static String trimmed(String value) {
        if (value == null) {
            return null;
        }
        String trimmed = value.trim();
        return trimmed.isEmpty() ? null : trimmed;
    }
}
