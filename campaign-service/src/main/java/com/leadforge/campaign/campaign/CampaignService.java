package com.leadforge.campaign.campaign;

import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import com.leadforge.campaign.access.GrantEvents;
import com.leadforge.shared.api.Page;
import com.leadforge.shared.api.PageRequest;
import com.leadforge.shared.events.CampaignCreatedEvent;
import com.leadforge.shared.events.CampaignDeletedEvent;
import com.leadforge.shared.events.CampaignStatusChangedEvent;
import com.leadforge.shared.events.CampaignUpdatedEvent;
import com.leadforge.shared.events.EventType;
import com.leadforge.shared.outbox.OutboxWriter;
import com.leadforge.shared.problem.Problem;
import com.leadforge.shared.problem.ProblemException;
import com.leadforge.shared.problem.ProblemType;
import com.leadforge.shared.tenancy.CallerScope;
import com.leadforge.shared.tenancy.TenantContext;

import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;

/**
 * Campaign use cases. Every query runs inside the caller's agency (Hibernate adds the tenant predicate, row-level
 * security repeats it), and a client-only caller sees only the campaigns granted to it. Every change commits with its
 * event in the outbox.
 */
@ApplicationScoped
public class CampaignService {

    /** PostgreSQL's SQLSTATE for a unique violation. */
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String GRANTED = "id in (select g.id.campaignId from CampaignClientGrant g where g.id.userId = :subject)";

    private final TenantContext tenant;
    private final OutboxWriter outbox;
    private final CallerScope scope;
    private final GrantEvents grantEvents;

    public CampaignService(TenantContext tenant, OutboxWriter outbox, CallerScope scope, GrantEvents grantEvents) {
        this.tenant = tenant;
        this.outbox = outbox;
        this.scope = scope;
        this.grantEvents = grantEvents;
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

    /** A campaign the caller may read; another agency's, or one not granted to a client, is missing (404). */
    @Transactional
    public Campaign get(UUID id) {
        Optional<String> subject = scope.grantedSubjectOnly();
        PanacheQuery<Campaign> query = subject
                .map(s -> Campaign.<Campaign>find("id = :id and " + GRANTED,
                        Parameters.with("id", id).and("subject", s)))
                .orElseGet(() -> Campaign.find("id", id));
        return query.firstResultOptional().orElseThrow(() -> notFound(id));
    }

    @Transactional
    public Page<CampaignResponse> list(CampaignFilter filter, PageRequest page) {
        List<String> where = new ArrayList<>();
        Map<String, Object> parameters = new HashMap<>();
        filter.status().ifPresent(status -> {
            where.add("status = :status");
            parameters.put("status", status);
        });
        filter.search().ifPresent(text -> {
            where.add("(lower(name) like :search escape '\\' or lower(coalesce(description, '')) like :search escape '\\')");
            parameters.put("search", "%" + likeEscaped(text.toLowerCase(Locale.ROOT)) + "%");
        });
        scope.grantedSubjectOnly().ifPresent(subject -> {
            where.add(GRANTED);
            parameters.put("subject", subject);
        });
        Sort.Direction direction = filter.ascending() ? Sort.Direction.Ascending : Sort.Direction.Descending;
        // The id breaks ties, so that pages never repeat or skip a campaign when many share a sort value.
        Sort sort = Sort.by(filter.sortAttribute(), direction).and("id", direction);
        PanacheQuery<Campaign> query = (where.isEmpty() ? Campaign.<Campaign>findAll(sort)
                : Campaign.<Campaign>find(String.join(" and ", where), sort, parameters))
                .page(io.quarkus.panache.common.Page.of(page.page() - 1, page.pageSize()));
        List<CampaignResponse> data = query.list().stream().map(CampaignResponse::of).toList();
        return Page.of(data, query.count(), page);
    }

    /**
     * Applies a partial update under the campaign's row lock, so that two concurrent status changes are checked one
     * after the other against the status each really starts from. Emits {@code campaign.updated} for field changes
     * and {@code campaign.status_changed} for a transition.
     */
    @Transactional
    public Campaign update(UUID id, UpdateCampaignRequest request) {
        String agencyId = tenant.requireAgencyId();
        Campaign campaign = lockForChange(id);
        Instant now = Instant.now();
        List<String> changed = new ArrayList<>();

        if (request.name() != null && !request.name().trim().equals(campaign.name)) {
            String name = request.name().trim();
            if (Campaign.count("lower(name) = lower(?1) and id <> ?2", name, id) > 0) {
                throw duplicateName();
            }
            campaign.name = name;
            changed.add("name");
        }
        if (request.description() != null && !Objects.equals(trimmed(request.description()), campaign.description)) {
            campaign.description = trimmed(request.description());
            changed.add("description");
        }
        LocalDate start = request.startDate() != null ? request.startDate() : campaign.startDate;
        LocalDate end = request.endDate() != null ? request.endDate() : campaign.endDate;
        if (start != null && end != null && end.isBefore(start)) {
            // Only one of the dates was sent, so the rule is broken against the stored other one.
            String field = request.endDate() != null ? "end_date" : "start_date";
            String message = request.endDate() != null ? "must not be before start_date" : "must not be after end_date";
            throw new ProblemException(ProblemType.VALIDATION, "1 field(s) are invalid",
                    List.of(new Problem.FieldError(field, message)));
        }
        if (!Objects.equals(start, campaign.startDate)) {
            campaign.startDate = start;
            changed.add("start_date");
        }
        if (!Objects.equals(end, campaign.endDate)) {
            campaign.endDate = end;
            changed.add("end_date");
        }
        if (request.targetAudience() != null && !request.targetAudience().equals(campaign.targetAudience)) {
            campaign.targetAudience = request.targetAudience();
            changed.add("target_audience");
        }
        CampaignStatus oldStatus = campaign.status;
        if (request.status() != null && request.status() != oldStatus) {
            if (!oldStatus.canMoveTo(request.status())) {
                throw forbiddenTransition(oldStatus, request.status());
            }
            campaign.status = request.status();
        }
        if (changed.isEmpty() && campaign.status == oldStatus) {
            return campaign; // nothing changed: no write, no event (a repeated PUT is harmless)
        }
        campaign.updatedAt = now;
        flushMappingDuplicateName();
        if (!changed.isEmpty()) {
            outbox.append(EventType.CAMPAIGN_UPDATED, agencyId, campaign.id, tenant.actor(),
                    new CampaignUpdatedEvent(campaign.id, agencyId, campaign.name, List.copyOf(changed), tenant.actor(),
                            now));
        }
        if (campaign.status != oldStatus) {
            statusChanged(campaign, oldStatus, "update", now);
        }
        return campaign;
    }

    /**
     * Deletes a campaign without leads. One with leads is refused (409), unless {@code force}: then it is archived,
     * whatever its status, because its leads keep pointing at it and its history must stay readable.
     *
     * @return the archived campaign, or empty when it was deleted
     */
    @Transactional
    public Optional<Campaign> delete(UUID id, boolean force) {
        String agencyId = tenant.requireAgencyId();
        // The lock orders this check after any lead event being applied to the campaign (the consumer takes the
        // same lock before recounting), so leads_count is exact here.
        Campaign campaign = lockForChange(id);
        Instant now = Instant.now();
        if (campaign.leadsCount > 0) {
            if (!force) {
                throw ProblemException.conflict("The campaign has " + campaign.leadsCount
                        + " lead(s); move or delete them first, or delete with ?force=true to archive it instead");
            }
            if (campaign.status != CampaignStatus.ARCHIVED) {
                CampaignStatus oldStatus = campaign.status;
                campaign.status = CampaignStatus.ARCHIVED;
                campaign.updatedAt = now;
                campaign.flush();
                statusChanged(campaign, oldStatus, "force_delete", now);
            }
            return Optional.of(campaign);
        }
        // The delete cascades to the campaign's grants: their end is announced too, ahead of campaign.deleted. A
        // forced delete (above) archives instead, and the grants keep applying to the archived campaign and its leads.
        grantEvents.campaignDeleted(campaign.id, now);
        outbox.append(EventType.CAMPAIGN_DELETED, agencyId, campaign.id, tenant.actor(),
                new CampaignDeletedEvent(campaign.id, agencyId, campaign.name, campaign.status.code(), tenant.actor(),
                        now));
        campaign.delete();
        return Optional.empty();
    }

    /** The campaign, locked for the rest of the transaction; 404 when the agency has no such campaign. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Campaign lockForChange(UUID id) {
        return Campaign.<Campaign>find("id", id).withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional()
                .orElseThrow(() -> notFound(id));
    }

    private void statusChanged(Campaign campaign, CampaignStatus oldStatus, String reason, Instant now) {
        outbox.append(EventType.CAMPAIGN_STATUS_CHANGED, campaign.agencyId, campaign.id, tenant.actor(),
                new CampaignStatusChangedEvent(campaign.id, campaign.agencyId, oldStatus.code(), campaign.status.code(),
                        reason, tenant.actor(), now));
    }

    private void flushMappingDuplicateName() {
        try {
            Campaign.flush();
        } catch (PersistenceException e) {
            if (violates(e, Campaign.UNIQUE_NAME_CONSTRAINT)) {
                throw duplicateName();
            }
            throw e;
        }
    }

    /** 409 that names the transitions the current status allows, so that a client can correct itself. */
    static ProblemException forbiddenTransition(CampaignStatus from, CampaignStatus to) {
        return new ProblemException(ProblemType.CONFLICT,
                "A " + from.code() + " campaign cannot become " + to.code() + "; allowed: " + from.nextCodes(),
                List.of(new Problem.FieldError("status", "allowed from " + from.code() + ": " + from.nextCodes())));
    }

    static ProblemException notFound(UUID id) {
        return ProblemException.notFound("Campaign", id);
    }

    private static ProblemException duplicateName() {
        return ProblemException.conflict("A campaign with this name already exists in the agency");
    }

    /** LIKE treats % and _ as wildcards; a search for "50%" must find the text "50%". */
    static String likeEscaped(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
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
