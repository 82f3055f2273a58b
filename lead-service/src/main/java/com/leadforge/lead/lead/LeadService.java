package com.leadforge.lead.lead;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import com.leadforge.shared.api.Page;
import com.leadforge.shared.api.PageRequest;
import com.leadforge.shared.events.EventType;
import com.leadforge.shared.events.LeadCreatedEvent;
import com.leadforge.shared.outbox.OutboxWriter;
import com.leadforge.shared.problem.ProblemException;
import com.leadforge.shared.tenancy.TenantContext;

import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/** Lead use cases. Every query runs inside the caller's agency (Hibernate adds the tenant predicate). */
@ApplicationScoped
public class LeadService {

    private final TenantContext tenant;
    private final OutboxWriter outbox;

    public LeadService(TenantContext tenant, OutboxWriter outbox) {
        this.tenant = tenant;
        this.outbox = outbox;
    }

    /** Stores the lead and its {@code lead.created} event in one transaction. */
    @Transactional
    public Lead create(CreateLeadRequest request) {
        String agencyId = tenant.requireAgencyId();
        Instant now = Instant.now();
        Lead lead = new Lead();
        lead.id = UUID.randomUUID();
        lead.firstName = trimmed(request.firstName());
        lead.lastName = trimmed(request.lastName());
        lead.email = request.email() == null ? null : request.email().trim().toLowerCase(Locale.ROOT);
        lead.phone = trimmed(request.phone());
        lead.company = trimmed(request.company());
        lead.title = trimmed(request.title());
        lead.linkedinUrl = trimmed(request.linkedinUrl());
        lead.source = trimmed(request.source());
        lead.campaignId = request.campaignId();
        lead.priority = request.priority() == null ? LeadPriority.MEDIUM : request.priority();
        lead.metadata = request.metadata() == null ? java.util.Map.of() : request.metadata();
        lead.createdBy = tenant.actor();
        lead.createdAt = now;
        lead.updatedAt = now;
        lead.persist();
        outbox.append(EventType.LEAD_CREATED, agencyId, lead.id, tenant.actor(),
                new LeadCreatedEvent(lead.id, agencyId, lead.campaignId, lead.status.code(),
                        lead.qualificationStatus.code(), lead.source, tenant.actor(), now));
        return lead;
    }

    @Transactional
    public Lead get(UUID id) {
        return Lead.<Lead>find("id = ?1 and deletedAt is null", id).firstResultOptional()
                .orElseThrow(() -> ProblemException.notFound("Lead", id));
    }

    @Transactional
    public Page<LeadResponse> list(PageRequest page) {
        var query = Lead.<Lead>find("deletedAt is null", Sort.descending("createdAt", "id"))
                .page(io.quarkus.panache.common.Page.of(page.page() - 1, page.pageSize()));
        List<LeadResponse> data = query.list().stream().map(LeadResponse::of).toList();
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
