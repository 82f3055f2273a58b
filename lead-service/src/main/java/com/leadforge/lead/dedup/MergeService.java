package com.leadforge.lead.dedup;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.leadforge.lead.activity.ActivityLog;
import com.leadforge.lead.activity.LeadActivity;
import com.leadforge.lead.contact.ContactPoint;
import com.leadforge.lead.lead.Lead;
import com.leadforge.lead.lead.LeadResponse;
import com.leadforge.lead.lead.LeadService;
import com.leadforge.lead.lead.LeadState;
import com.leadforge.lead.normalise.ContactNormaliser;
import com.leadforge.shared.events.EventType;
import com.leadforge.shared.events.LeadDeletedEvent;
import com.leadforge.shared.events.LeadMergedEvent;
import com.leadforge.shared.outbox.OutboxWriter;
import com.leadforge.shared.tenancy.TenantContext;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.SystemException;
import jakarta.transaction.TransactionManager;
import jakarta.transaction.Transactional;

/**
 * {@code POST /leads/{id}/merge}: folds duplicates into the surviving lead. Field rule: the survivor's values win,
 * its empty fields are filled from the sources in the order given; consent and latest contact dates are combined,
 * and any do-not-contact wins. Contact points and activities move to the survivor; sources are soft-deleted with
 * {@code merged_into_id}. A dry run executes the very same steps and rolls back, so its preview cannot drift from
 * the real merge.
 */
@ApplicationScoped
public class MergeService {

    public record MergeResult(boolean dryRun, LeadResponse lead, List<UUID> mergedLeadIds, List<String> changedFields,
            int contactPointsMoved, int activitiesMoved) {
    }

    private final LeadService leads;
    private final ActivityLog activity;
    private final OutboxWriter outbox;
    private final TenantContext tenant;
    private final TransactionManager transactions;

    public MergeService(LeadService leads, ActivityLog activity, OutboxWriter outbox, TenantContext tenant,
            TransactionManager transactions) {
        this.leads = leads;
        this.activity = activity;
        this.outbox = outbox;
        this.tenant = tenant;
        this.transactions = transactions;
    }

    @Transactional
    public MergeResult merge(UUID survivorId, List<UUID> sourceIds, boolean dryRun) {
        Lead survivor = leads.get(survivorId);
        List<UUID> ids = new ArrayList<>(new LinkedHashSet<>(sourceIds));
        if (ids.contains(survivorId)) {
            throw ContactNormaliser.invalid("source_ids", "must not contain the surviving lead");
        }
        List<Lead> sources = ids.stream().map(leads::get).toList();
        Map<String, Object> before = LeadState.of(survivor);
        Instant now = Instant.now();
        int pointsMoved = 0;
        int activitiesMoved = 0;
        for (Lead source : sources) {
            source.deletedAt = now;
            source.mergedIntoId = survivor.id;
            source.updatedAt = now;
        }
        // The sources leave the live set before the survivor takes over their identifiers: a live lead's e-mail,
        // phone and LinkedIn URL are unique (V5), so the survivor may not hold one while a source still does.
        IdentityConstraints.flush();
        for (Lead source : sources) {
            LeadService.fillMissing(survivor, source);
            pointsMoved += moveContactPoints(source.id, survivor.id, now);
            activitiesMoved += LeadActivity.update("leadId = ?1 where leadId = ?2", survivor.id, source.id);
            activity.record(source.id, "merged_into", Map.of("merged_into_id", survivor.id.toString()), now);
        }
        IdentityConstraints.flush(); // sources' versions bumped: their snapshots carry the committed version
        for (Lead source : sources) {
            outbox.append(EventType.LEAD_DELETED, source.agencyId, source.id, tenant.actor(),
                    new LeadDeletedEvent(source.id, source.agencyId, source.campaignId, source.status.code(),
                            source.qualificationStatus.code(), "merged", survivor.id, tenant.actor(), now,
                            LeadService.snapshot(source)));
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("source_ids", ids.stream().map(UUID::toString).toList());
        Map<String, Object> diff = leads.recordChange(survivor, "merged", before, details, false);
        outbox.append(EventType.LEAD_MERGED, survivor.agencyId, survivor.id, tenant.actor(),
                new LeadMergedEvent(survivor.id, survivor.agencyId, survivor.campaignId, ids,
                        List.copyOf(diff.keySet()), tenant.actor(), now, LeadService.snapshot(survivor)));
        MergeResult result = new MergeResult(dryRun, LeadResponse.of(survivor), ids, List.copyOf(diff.keySet()),
                pointsMoved, activitiesMoved);
        if (dryRun) {
            rollbackOnly();
        }
        return result;
    }

    private int moveContactPoints(UUID from, UUID to, Instant now) {
        int moved = 0;
        List<ContactPoint> existing = ContactPoint.list("leadId", to);
        for (ContactPoint point : ContactPoint.<ContactPoint>list("leadId", from)) {
            boolean duplicate = existing.stream()
                    .anyMatch(e -> e.type.equals(point.type) && e.value.equals(point.value));
            if (duplicate) {
                point.delete();
                continue;
            }
            point.leadId = to;
            point.primary = false; // the survivor's primary stays primary
            point.updatedAt = now;
            moved++;
        }
        return moved;
    }

    private void rollbackOnly() {
        try {
            if (transactions.getStatus() == Status.STATUS_ACTIVE) {
                transactions.setRollbackOnly();
            }
        } catch (SystemException e) {
            throw new IllegalStateException("Could not mark the dry run for rollback", e);
        }
    }
}
