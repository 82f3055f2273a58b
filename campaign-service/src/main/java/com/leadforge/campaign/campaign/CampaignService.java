package com.leadforge.campaign.campaign;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.leadforge.shared.api.Page;
import com.leadforge.shared.api.PageRequest;
import com.leadforge.shared.events.CampaignCreatedEvent;
import com.leadforge.shared.events.EventType;
import com.leadforge.shared.outbox.OutboxWriter;
import com.leadforge.shared.problem.ProblemException;
import com.leadforge.shared.tenancy.TenantContext;

import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;

/** Campaign use cases. Every query runs inside the caller's agency (Hibernate adds the tenant predicate). */
@ApplicationScoped
public class CampaignService {

    /** PostgreSQL's SQLSTATE for a unique violation. */
    private static final String UNIQUE_VIOLATION = "23505";

    private final TenantContext tenant;
    private final OutboxWriter outbox;

    public CampaignService(TenantContext tenant, OutboxWriter outbox) {
        this.tenant = tenant;
        this.outbox = outbox;
    }

    /**
     * Stores the campaign and its {@code campaign.created} event in one transaction. A name already used in the agency
     * is a 409, whether this request sees the other campaign or loses a race with a concurrent insert of it.
     */
    @Transactional
    public Campaign create(CreateCampaignRequest request) {
        String agencyId = tenant.requireAgencyId();
        String name = request.name().trim();
        if (Campaign.count("lower(name) = lower(?1)", name) > 0) {
            throw duplicateName();
        }
        Instant now = Instant.now();
        Campaign campaign = new Campaign();
        campaign.id = UUID.randomUUID();
        campaign.name = name;
        campaign.description = trimmed(request.description());
        campaign.status = request.status() == null ? CampaignStatus.DRAFT : request.status();
        campaign.startDate = request.startDate();
        campaign.endDate = request.endDate();
        campaign.targetAudience = request.targetAudience() == null ? Map.of() : request.targetAudience();
        campaign.createdBy = tenant.actor();
        campaign.createdAt = now;
        campaign.updatedAt = now;
        try {
            // Flushed here, not at commit, so that a concurrent insert of the same name surfaces as a catchable
            // unique violation before anything else joins the transaction.
            campaign.persistAndFlush();
        } catch (PersistenceException e) {
            if (violates(e, Campaign.UNIQUE_NAME_CONSTRAINT)) {
                throw duplicateName();
            }
            throw e;
        }
        outbox.append(EventType.CAMPAIGN_CREATED, agencyId, campaign.id, tenant.actor(),
                new CampaignCreatedEvent(campaign.id, agencyId, campaign.name, campaign.status.code(), tenant.actor(),
                        now));
        return campaign;
    }

    @Transactional
    public Campaign get(UUID id) {
        return Campaign.<Campaign>find("id", id).firstResultOptional()
                .orElseThrow(() -> ProblemException.notFound("Campaign", id));
    }

    @Transactional
    public Page<CampaignResponse> list(CampaignFilter filter, PageRequest page) {
        Sort newestFirst = Sort.descending("createdAt", "id");
        PanacheQuery<Campaign> query = filter.status()
                .map(status -> Campaign.<Campaign>find("status", newestFirst, status))
                .orElseGet(() -> Campaign.findAll(newestFirst))
                .page(io.quarkus.panache.common.Page.of(page.page() - 1, page.pageSize()));
        List<CampaignResponse> data = query.list().stream().map(CampaignResponse::of).toList();
        return Page.of(data, query.count(), page);
    }

    private static ProblemException duplicateName() {
        return ProblemException.conflict("A campaign with this name already exists in the agency");
    }

    /** True when {@code failure} was caused by a violation of the named unique constraint or index. */
    static boolean violates(Throwable failure, String constraint) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof org.hibernate.exception.ConstraintViolationException violation
                    && constraint.equalsIgnoreCase(violation.getConstraintName())) {
                return true;
            }
            if (cause instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())
                    && sql.getMessage() != null && sql.getMessage().contains(constraint)) {
                return true;
            }
        }
        return false;
    }

    private static String trimmed(String value) {
        if (value == null) {
            return null;
        }
        String trimmed = value.trim();
        return trimmed.isEmpty() ? null : trimmed;
    }
}
