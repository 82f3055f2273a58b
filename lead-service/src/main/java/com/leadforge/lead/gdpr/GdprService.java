package com.leadforge.lead.gdpr;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.leadforge.lead.activity.ActivityResponse;
import com.leadforge.lead.activity.LeadActivity;
import com.leadforge.lead.contact.ContactPoint;
import com.leadforge.lead.contact.ContactPointResponse;
import com.leadforge.lead.lead.Lead;
import com.leadforge.lead.lead.LeadResponse;
import com.leadforge.lead.lead.LeadService;
import com.leadforge.lead.activity.ActivityLog;
import com.leadforge.shared.events.EventType;
import com.leadforge.shared.events.LeadErasedEvent;
import com.leadforge.shared.outbox.OutboxWriter;
import com.leadforge.shared.problem.ProblemException;
import com.leadforge.shared.tenancy.TenantContext;

import io.quarkus.panache.common.Sort;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * Data subject requests: access (everything held about the person) and erasure (irreversible anonymisation). Both
 * reach every lead row the agency holds, including soft-deleted leads and leads merged into another one: their
 * personal data is still stored, so the person's rights still apply to it. (Only agency admins and super admins get
 * here; another agency's id is a 404 like a missing one.)
 */
@ApplicationScoped
public class GdprService {

    private final ActivityLog activity;
    private final OutboxWriter outbox;
    private final TenantContext tenant;

    public GdprService(ActivityLog activity, OutboxWriter outbox, TenantContext tenant) {
        this.activity = activity;
        this.outbox = outbox;
        this.tenant = tenant;
    }

    /**
     * {@code deletedAt} is set for a deleted lead; {@code mergedIntoId} for one merged into another lead — its contact
     * points and history moved to that lead, which holds (and exports, and erases) them since. The endpoint returns
     * it inside a {@code Response} (for its download headers), out of REST's sight: registered for native images.
     */
    @RegisterForReflection
    public record GdprExport(Instant exportedAt, LeadResponse lead, Instant deletedAt, UUID mergedIntoId,
            List<ContactPointResponse> contactPoints, List<ActivityResponse> activities) {
    }

    /** Any lead row of the agency, live, deleted or merged away (the tenant filter keeps other agencies' out). */
    private static Lead held(UUID id) {
        return Lead.<Lead>find("id", id).firstResultOptional()
                .orElseThrow(() -> ProblemException.notFound("Lead", id));
    }

    @Transactional
    public GdprExport export(UUID id) {
        Lead lead = held(id);
        List<ContactPointResponse> points = ContactPoint.<ContactPoint>list("leadId", Sort.ascending("createdAt"), id)
                .stream().map(ContactPointResponse::of).toList();
        List<ActivityResponse> activities = LeadActivity.<LeadActivity>list("leadId", Sort.ascending("createdAt", "id"),
                id).stream().map(ActivityResponse::of).toList();
        return new GdprExport(Instant.now(), LeadResponse.of(lead), lead.deletedAt, lead.mergedIntoId, points,
                activities);
    }

    /**
     * Erases the person: identifying fields, free text and metadata are nulled, contact points deleted, and the
     * activity log's old/new values, IPs and user agents scrubbed. Status, qualification, priority, score, campaign,
     * source and dates stay, so pipeline counts and conversion rates remain right. There is no undo by design.
     */
    @Transactional
    public Lead erase(UUID id) {
        Lead lead = held(id);
        if (lead.erasedAt != null) {
            throw ProblemException.conflict("Lead " + id + " is already erased");
        }
        Instant now = Instant.now();
        lead.firstName = null;
        lead.lastName = null;
        lead.email = null;
        lead.phone = null;
        lead.company = null;
        lead.title = null;
        lead.linkedinUrl = null;
        lead.qualificationReason = null;
        lead.metadata = Map.of();
        lead.erasedAt = now;
        lead.updatedAt = now;
        ContactPoint.delete("leadId", id);
        // Native: HQL cannot assign a JSON literal. The agency is bound explicitly, as for every native statement.
        LeadActivity.getEntityManager().createNativeQuery("""
                update lead_activity set changes = '{"scrubbed": true}'::jsonb, ip = null, user_agent = null
                where agency_id = ?1 and lead_id = ?2""")
                .setParameter(1, tenant.requireAgencyId()).setParameter(2, id).executeUpdate();
        Map<String, Object> changes = new LinkedHashMap<>();
        changes.put("erased", true);
        activity.record(lead.id, "erased", changes, now);
        Lead.getEntityManager().flush(); // the snapshot must carry the version being committed
        outbox.append(EventType.LEAD_ERASED, lead.agencyId, lead.id, tenant.actor(),
                new LeadErasedEvent(lead.id, lead.agencyId, lead.campaignId, tenant.actor(), now,
                        LeadService.snapshot(lead)));
        return lead;
    }
}
