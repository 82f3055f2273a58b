package com.leadforge.lead.lead;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.leadforge.lead.activity.ActivityLog;
import com.leadforge.lead.campaign.CampaignGuard;
import com.leadforge.lead.contact.ContactPoint;
import com.leadforge.lead.dedup.DuplicateFinder;
import com.leadforge.lead.dedup.DuplicateLeadException;
import com.leadforge.lead.dedup.IdentityConstraints;
import com.leadforge.lead.normalise.ContactNormaliser;
import com.leadforge.lead.score.LeadScorer;
import com.leadforge.shared.events.EventType;
import com.leadforge.shared.events.LeadAssignedEvent;
import com.leadforge.shared.events.LeadContactedEvent;
import com.leadforge.shared.events.LeadCreatedEvent;
import com.leadforge.shared.events.LeadDeletedEvent;
import com.leadforge.shared.events.LeadSnapshot;
import com.leadforge.shared.events.LeadStatusChangedEvent;
import com.leadforge.shared.events.LeadUpdatedEvent;
import com.leadforge.shared.outbox.OutboxWriter;
import com.leadforge.shared.problem.ProblemException;
import com.leadforge.shared.tenancy.TenantContext;

import io.quarkus.panache.common.Parameters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * Lead use cases. Every query runs inside the caller's agency (Hibernate adds the tenant predicate). Every mutation
 * goes through {@link #recordChange}: score recomputed, activity row with old and new values, events in the outbox —
 * all in the mutation's transaction.
 */
@ApplicationScoped
public class LeadService {

    public enum OnDuplicate {
        REJECT, MERGE
    }

    public record CreateResult(Lead lead, boolean created) {
    }

    /** Fields whose change moves a lead between counters (status, qualification, campaign). */
    private static final Set<String> COUNTER_FIELDS = Set.of("status", "qualification_status", "campaign_id");

    private final TenantContext tenant;
    private final OutboxWriter outbox;
    private final ActivityLog activity;
    private final LeadScorer scorer;
    private final ContactNormaliser normaliser;
    private final DuplicateFinder duplicates;
    private final CampaignGuard campaigns;
    private final LeadScope scope;

    public LeadService(TenantContext tenant, OutboxWriter outbox, ActivityLog activity, LeadScorer scorer,
            ContactNormaliser normaliser, DuplicateFinder duplicates, CampaignGuard campaigns, LeadScope scope) {
        this.tenant = tenant;
        this.outbox = outbox;
        this.activity = activity;
        this.scorer = scorer;
        this.normaliser = normaliser;
        this.duplicates = duplicates;
        this.campaigns = campaigns;
        this.scope = scope;
    }

    /** Stores the lead and its {@code lead.created} event in one transaction, unless it duplicates a live lead. */
    @Transactional
    public CreateResult create(CreateLeadRequest request, OnDuplicate onDuplicate) {
        tenant.requireAgencyId();
        Instant now = Instant.now();
        Lead lead = newLead(request, now);
        campaigns.requireOpen(request.campaignId());

        var duplicate = duplicates.find(lead.email, lead.phone, lead.linkedinUrl, null);
        if (duplicate.isPresent()) {
            if (onDuplicate == OnDuplicate.REJECT) {
                throw new DuplicateLeadException(duplicate.get().leadId(), duplicate.get().field());
            }
            return new CreateResult(mergeInto(get(duplicate.get().leadId()), lead), false);
        }
        insertNew(List.of(new NewLead(lead, Map.of())), tenant.actor(), now);
        return new CreateResult(lead, true);
    }

    /** A lead about to be created, with what its {@code created} activity row records besides the values. */
    public record NewLead(Lead lead, Map<String, Object> details) {
    }

    /**
     * The lead a create request describes, exactly as {@code POST /leads} stores it: text trimmed, identifiers in
     * their canonical form (a malformed one is a validation problem naming its field), defaults applied. Not yet
     * checked against the campaign or for duplicates, and not stored. The request must have passed bean validation.
     * Shared by the API and the import of scraped records, so both make the same lead from the same fields.
     */
    public Lead newLead(CreateLeadRequest request, Instant now) {
        Lead lead = new Lead();
        lead.id = UUID.randomUUID();
        lead.firstName = ContactNormaliser.trimmed(request.firstName());
        lead.lastName = ContactNormaliser.trimmed(request.lastName());
        lead.email = normaliser.email(request.email(), "email");
        lead.phone = normaliser.phone(request.phone(), "phone");
        lead.company = ContactNormaliser.trimmed(request.company());
        lead.title = ContactNormaliser.trimmed(request.title());
        lead.linkedinUrl = normaliser.linkedin(request.linkedinUrl(), "linkedin_url");
        lead.source = ContactNormaliser.trimmed(request.source());
        lead.campaignId = request.campaignId();
        lead.priority = request.priority() == null ? LeadPriority.MEDIUM : request.priority();
        lead.metadata = request.metadata() == null ? Map.of() : request.metadata();
        lead.consentGiven = Boolean.TRUE.equals(request.consentGiven());
        lead.consentAt = lead.consentGiven ? now : null;
        lead.doNotContact = Boolean.TRUE.equals(request.doNotContact());
        return lead;
    }

    /**
     * Stores new leads (from {@link #newLead}, already checked for campaign and duplicates) by {@code actor}: each
     * with its {@code created} activity row and its {@code lead.created} event, in the caller's transaction. All leads
     * are inserted before all activity rows, and the events are written after one flush, so that a batch of leads
     * becomes a few batched statements rather than one round trip per row; a unique identity index violated by a
     * concurrent writer surfaces here as {@link DuplicateLeadException}.
     */
    public void insertNew(List<NewLead> leads, String actor, Instant now) {
        String agencyId = tenant.requireAgencyId();
        for (NewLead created : leads) {
            Lead lead = created.lead();
            lead.createdBy = actor;
            lead.createdAt = now;
            lead.updatedAt = now;
            lead.score = scorer.score(lead, 0);
            lead.persist();
        }
        for (NewLead created : leads) {
            Map<String, Object> changes = LeadState.diff(Map.of(), LeadState.of(created.lead()));
            if (!created.details().isEmpty()) {
                changes.put("details", created.details());
            }
            activity.record(created.lead().id, "created", changes, now, actor);
        }
        // Flushing before the events: the snapshots carry the version being committed, and an identity race is a 409.
        IdentityConstraints.flush();
        for (NewLead created : leads) {
            Lead lead = created.lead();
            outbox.append(EventType.LEAD_CREATED, agencyId, lead.id, actor,
                    new LeadCreatedEvent(lead.id, agencyId, lead.campaignId, lead.status.code(),
                            lead.qualificationStatus.code(), lead.source, actor, now, snapshot(lead)));
        }
    }

    /** {@code ?onDuplicate=merge}: the existing lead keeps its values and gains the ones it lacked. */
    private Lead mergeInto(Lead existing, Lead incoming) {
        Map<String, Object> before = LeadState.of(existing);
        fillMissing(existing, incoming);
        recordChange(existing, "merged_on_create", before, Map.of(), true);
        return existing;
    }

    /** Copies every field {@code target} lacks from {@code source}: the merge rule for duplicates. */
    public static void fillMissing(Lead target, Lead source) {
        target.firstName = firstNonNull(target.firstName, source.firstName);
        target.lastName = firstNonNull(target.lastName, source.lastName);
        target.email = firstNonNull(target.email, source.email);
        target.phone = firstNonNull(target.phone, source.phone);
        target.company = firstNonNull(target.company, source.company);
        target.title = firstNonNull(target.title, source.title);
        target.linkedinUrl = firstNonNull(target.linkedinUrl, source.linkedinUrl);
        target.source = firstNonNull(target.source, source.source);
        target.campaignId = firstNonNull(target.campaignId, source.campaignId);
        target.assignedTo = firstNonNull(target.assignedTo, source.assignedTo);
        target.lastContactedAt = latest(target.lastContactedAt, source.lastContactedAt);
        target.lastRespondedAt = latest(target.lastRespondedAt, source.lastRespondedAt);
        if (!target.consentGiven && source.consentGiven) {
            target.consentGiven = true;
            target.consentAt = source.consentAt;
        }
        // Any "do not contact" wins: the person asked not to be contacted, whichever record heard it.
        target.doNotContact = target.doNotContact || source.doNotContact;
        if (source.metadata != null && !source.metadata.isEmpty()) {
            Map<String, Object> metadata = new LinkedHashMap<>(source.metadata);
            metadata.putAll(target.metadata == null ? Map.of() : target.metadata);
            target.metadata = metadata;
        }
    }

    private static <T> T firstNonNull(T preferred, T fallback) {
        return preferred != null ? preferred : fallback;
    }

    private static Instant latest(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
    }

    /**
     * A live lead the caller may read; a missing, deleted or other agency's lead, and for a client one outside its
     * granted campaigns, is the same 404. Every single-lead read and change starts here.
     */
    @Transactional
    public Lead get(UUID id) {
        var query = scope.grantedSubjectOnly()
                .map(subject -> Lead.<Lead>find("id = :id and deletedAt is null and " + LeadScope.GRANTED_CAMPAIGNS,
                        Parameters.with("id", id).and("subject", subject)))
                .orElseGet(() -> Lead.<Lead>find("id = ?1 and deletedAt is null", id));
        return query.firstResultOptional().orElseThrow(() -> ProblemException.notFound("Lead", id));
    }

    /**
     * PUT ({@code present} = every field) and PATCH ({@code present} = the JSON members sent). Identifiers are
     * normalised and checked for duplicates like on create.
     */
    @Transactional
    public Lead update(UUID id, UpdateLeadRequest r, Set<String> present) {
        Lead lead = get(id);
        Map<String, Object> before = LeadState.of(lead);
        apply(lead, r, present);
        var duplicate = duplicates.find(present.contains("email") ? lead.email : null,
                present.contains("phone") ? lead.phone : null,
                present.contains("linkedin_url") ? lead.linkedinUrl : null, lead.id);
        if (duplicate.isPresent()) {
            throw new DuplicateLeadException(duplicate.get().leadId(), duplicate.get().field());
        }
        recordChange(lead, "updated", before, Map.of(), true);
        return lead;
    }

    private void apply(Lead lead, UpdateLeadRequest r, Set<String> present) {
        Instant now = Instant.now();
        if (present.contains("first_name")) {
            lead.firstName = ContactNormaliser.trimmed(r.firstName());
        }
        if (present.contains("last_name")) {
            lead.lastName = ContactNormaliser.trimmed(r.lastName());
        }
        if (present.contains("email")) {
            lead.email = normaliser.email(r.email(), "email");
        }
        if (present.contains("phone")) {
            lead.phone = normaliser.phone(r.phone(), "phone");
        }
        if (present.contains("company")) {
            lead.company = ContactNormaliser.trimmed(r.company());
        }
        if (present.contains("title")) {
            lead.title = ContactNormaliser.trimmed(r.title());
        }
        if (present.contains("linkedin_url")) {
            lead.linkedinUrl = normaliser.linkedin(r.linkedinUrl(), "linkedin_url");
        }
        if (present.contains("source")) {
            lead.source = ContactNormaliser.trimmed(r.source());
        }
        if (present.contains("campaign_id")) {
            // Only a move is checked: a lead may stay in a campaign that has since been paused or completed.
            if (!java.util.Objects.equals(r.campaignId(), lead.campaignId)) {
                campaigns.requireOpen(r.campaignId());
            }
            lead.campaignId = r.campaignId();
        }
        if (present.contains("priority")) {
            lead.priority = r.priority() == null ? LeadPriority.MEDIUM : r.priority();
        }
        if (present.contains("status") && r.status() != null) {
            lead.status = r.status();
        }
        if (present.contains("metadata")) {
            lead.metadata = r.metadata() == null ? Map.of() : r.metadata();
        }
        if (present.contains("consent_given")) {
            boolean consent = Boolean.TRUE.equals(r.consentGiven());
            if (consent != lead.consentGiven) {
                lead.consentGiven = consent;
                lead.consentAt = consent ? now : null;
            }
        }
        if (present.contains("do_not_contact")) {
            lead.doNotContact = Boolean.TRUE.equals(r.doNotContact());
        }
    }

    /** Soft delete: the row stays (activity, aggregates), the lead disappears from every read. */
    @Transactional
    public void delete(UUID id) {
        Lead lead = get(id);
        Instant now = Instant.now();
        lead.deletedAt = now;
        lead.updatedAt = now;
        activity.record(lead.id, "deleted", Map.of(), now);
        Lead.getEntityManager().flush();
        outbox.append(EventType.LEAD_DELETED, lead.agencyId, lead.id, tenant.actor(),
                new LeadDeletedEvent(lead.id, lead.agencyId, lead.campaignId, lead.status.code(),
                        lead.qualificationStatus.code(), "deleted", null, tenant.actor(), now, snapshot(lead)));
    }

    @Transactional
    public Lead qualify(UUID id, ActionRequests.Qualify request) {
        Lead lead = get(id);
        Map<String, Object> before = LeadState.of(lead);
        Instant now = Instant.now();
        QualificationStatus target = request.qualificationStatus();
        lead.qualificationStatus = target;
        lead.qualificationReason = ContactNormaliser.trimmed(request.qualificationReason());
        lead.qualifiedAt = target == QualificationStatus.PENDING ? null : now;
        // The pipeline status follows the verdict unless the lead is already further along (nurturing, converted).
        if (target == QualificationStatus.QUALIFIED && Set.of(LeadStatus.NEW, LeadStatus.CONTACTED,
                LeadStatus.RESPONDED, LeadStatus.DISQUALIFIED).contains(lead.status)) {
            lead.status = LeadStatus.QUALIFIED;
        } else if (target == QualificationStatus.DISQUALIFIED && lead.status != LeadStatus.CONVERTED) {
            lead.status = LeadStatus.DISQUALIFIED;
        }
        Map<String, Object> diff = recordChange(lead, "qualified", before, Map.of(), false);
        if (!diff.isEmpty() && target != QualificationStatus.PENDING) {
            outbox.append(target == QualificationStatus.QUALIFIED ? EventType.LEAD_QUALIFIED
                    : EventType.LEAD_DISQUALIFIED, lead.agencyId, lead.id, tenant.actor(),
                    statusEvent(lead, before, lead.qualificationReason, now));
        }
        return lead;
    }

    @Transactional
    public Lead assign(UUID id, ActionRequests.Assign request) {
        Lead lead = get(id);
        Map<String, Object> before = LeadState.of(lead);
        lead.assignedTo = ContactNormaliser.trimmed(request.userId());
        Map<String, Object> diff = recordChange(lead, "assigned", before, Map.of(), false);
        if (!diff.isEmpty()) {
            assignedEvent(lead, before);
        }
        return lead;
    }

    private void assignedEvent(Lead lead, Map<String, Object> before) {
        outbox.append(EventType.LEAD_ASSIGNED, lead.agencyId, lead.id, tenant.actor(),
                new LeadAssignedEvent(lead.id, lead.agencyId, lead.campaignId, (String) before.get("assigned_to"),
                        lead.assignedTo, tenant.actor(), lead.updatedAt, snapshot(lead)));
    }

    @Transactional
    public Lead contact(UUID id, ActionRequests.Contact request) {
        Lead lead = get(id);
        if (lead.doNotContact) {
            throw ProblemException.conflict("The lead asked not to be contacted (do_not_contact)");
        }
        Map<String, Object> before = LeadState.of(lead);
        Instant now = Instant.now();
        lead.lastContactedAt = now;
        if ("responded".equals(request.outcome())) {
            lead.lastRespondedAt = now;
            if (lead.status == LeadStatus.NEW || lead.status == LeadStatus.CONTACTED) {
                lead.status = LeadStatus.RESPONDED;
            }
        } else if (lead.status == LeadStatus.NEW) {
            lead.status = LeadStatus.CONTACTED;
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("channel", request.channel());
        details.put("outcome", request.outcome());
        if (request.notes() != null) {
            details.put("notes", request.notes());
        }
        recordChange(lead, "contacted", before, details, false);
        outbox.append(EventType.LEAD_CONTACTED, lead.agencyId, lead.id, tenant.actor(),
                new LeadContactedEvent(lead.id, lead.agencyId, lead.campaignId, request.channel(),
                        request.outcome(), (String) before.get("status"), lead.status.code(), now, tenant.actor(),
                        now, snapshot(lead)));
        return lead;
    }

    /** All ids in one transaction; ids not found in the agency are reported, not fatal. */
    @Transactional
    public ActionRequests.BulkResult bulkUpdate(List<UUID> ids, ActionRequests.BulkFields fields,
            Set<String> present) {
        UpdateLeadRequest asUpdate = new UpdateLeadRequest(null, null, null, null, null, null, null, fields.source(),
                fields.campaignId(), fields.priority(), fields.status(), null, null, fields.doNotContact());
        Map<UUID, Lead> found = new HashMap<>();
        for (Lead lead : Lead.<Lead>list("id in ?1 and deletedAt is null", new java.util.HashSet<>(ids))) {
            found.put(lead.id, lead);
        }
        List<ActionRequests.BulkItem> results = new ArrayList<>();
        List<Change> changes = new ArrayList<>();
        int updated = 0;
        int unchanged = 0;
        int notFound = 0;
        for (UUID id : new java.util.LinkedHashSet<>(ids)) {
            Lead lead = found.get(id);
            if (lead == null) {
                notFound++;
                results.add(new ActionRequests.BulkItem(id, "not_found"));
                continue;
            }
            Map<String, Object> before = LeadState.of(lead);
            apply(lead, asUpdate, present);
            if (present.contains("assigned_to")) {
                lead.assignedTo = fields.assignedTo();
            }
            Change change = prepareChange(lead, "bulk_updated", before, Map.of(), true);
            if (change == null) {
                unchanged++;
                results.add(new ActionRequests.BulkItem(id, "unchanged"));
            } else {
                changes.add(change);
                updated++;
                results.add(new ActionRequests.BulkItem(id, "updated"));
            }
        }
        // One flush for the whole batch (versions bumped), then each lead's events with its committed snapshot.
        Lead.getEntityManager().flush();
        for (Change change : changes) {
            publish(change);
            if (change.diff().containsKey("assigned_to")) {
                assignedEvent(change.lead(), change.before());
            }
        }
        return new ActionRequests.BulkResult(updated, unchanged, notFound, results);
    }

    /**
     * Finishes a mutation: recomputes the score, and when anything changed writes the activity row (old and new
     * values) and the events — {@code lead.updated} (when {@code emitUpdated}) and {@code lead.status_changed}
     * whenever status, qualification status or campaign moved. Returns the difference (empty = nothing changed,
     * nothing recorded).
     */
    public Map<String, Object> recordChange(Lead lead, String action, Map<String, Object> before,
            Map<String, Object> details, boolean emitUpdated) {
        Change change = prepareChange(lead, action, before, details, emitUpdated);
        if (change == null) {
            return Map.of();
        }
        // Flushing bumps the lead's @Version now, so the snapshot in the events carries the version being committed.
        IdentityConstraints.flush();
        publish(change);
        return change.diff();
    }

    /** One recorded mutation, between writing its activity and publishing its events. */
    record Change(Lead lead, Map<String, Object> before, Map<String, Object> diff, boolean emitUpdated, Instant at) {
    }

    private Change prepareChange(Lead lead, String action, Map<String, Object> before, Map<String, Object> details,
            boolean emitUpdated) {
        lead.score = scorer.score(lead, ContactPoint.verifiedCount(lead.id));
        Map<String, Object> diff = LeadState.diff(before, LeadState.of(lead));
        if (diff.isEmpty() && details.isEmpty()) {
            return null;
        }
        Instant now = Instant.now();
        lead.updatedAt = now;
        Map<String, Object> changes = new LinkedHashMap<>(diff);
        if (!details.isEmpty()) {
            changes.put("details", details);
        }
        activity.record(lead.id, action, changes, now);
        return new Change(lead, before, diff, emitUpdated, now);
    }

    private void publish(Change change) {
        Lead lead = change.lead();
        if (change.emitUpdated() && !change.diff().isEmpty()) {
            outbox.append(EventType.LEAD_UPDATED, lead.agencyId, lead.id, tenant.actor(),
                    new LeadUpdatedEvent(lead.id, lead.agencyId, lead.campaignId, List.copyOf(change.diff().keySet()),
                            tenant.actor(), change.at(), snapshot(lead)));
        }
        if (change.diff().keySet().stream().anyMatch(COUNTER_FIELDS::contains)) {
            outbox.append(EventType.LEAD_STATUS_CHANGED, lead.agencyId, lead.id, tenant.actor(),
                    statusEvent(lead, change.before(), lead.qualificationReason, change.at()));
        }
    }

    /**
     * The lead's state after the change, carried by every lead event ({@link LeadSnapshot}); consumers keep exact
     * counters by applying only snapshots newer than the one they hold. Call after a flush, so the version is final.
     */
    public static LeadSnapshot snapshot(Lead lead) {
        return new LeadSnapshot(lead.id, lead.agencyId, lead.campaignId, lead.status.code(),
                lead.qualificationStatus.code(), lead.lastContactedAt != null, lead.lastRespondedAt != null,
                lead.deletedAt != null || lead.erasedAt != null, lead.version, lead.updatedAt);
    }

    private LeadStatusChangedEvent statusEvent(Lead lead, Map<String, Object> before, String reason, Instant now) {
        String oldCampaign = (String) before.get("campaign_id");
        return new LeadStatusChangedEvent(lead.id, lead.agencyId, lead.campaignId,
                oldCampaign == null ? null : UUID.fromString(oldCampaign), (String) before.get("status"),
                lead.status.code(), (String) before.get("qualification_status"), lead.qualificationStatus.code(),
                reason, tenant.actor(), now, snapshot(lead));
    }
}
