package com.leadforge.lead.contact;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.leadforge.lead.lead.Lead;
import com.leadforge.lead.lead.LeadService;
import com.leadforge.lead.lead.LeadState;
import com.leadforge.lead.normalise.ContactNormaliser;
import com.leadforge.shared.problem.ProblemException;

import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * Contact points of a lead. Each change is a change of the lead: it may move the score (verified points count), so
 * it goes through {@link LeadService#recordChange} with the contact point as details (activity + lead.updated).
 */
@ApplicationScoped
public class ContactPointService {

    private final LeadService leads;
    private final ContactNormaliser normaliser;

    public ContactPointService(LeadService leads, ContactNormaliser normaliser) {
        this.leads = leads;
        this.normaliser = normaliser;
    }

    @Transactional
    public List<ContactPoint> list(UUID leadId) {
        leads.get(leadId);
        return ContactPoint.list("leadId", Sort.ascending("createdAt", "id"), leadId);
    }

    @Transactional
    public ContactPoint add(UUID leadId, ContactPointRequest request) {
        Lead lead = leads.get(leadId);
        Map<String, Object> before = LeadState.of(lead);
        Instant now = Instant.now();
        ContactPoint point = new ContactPoint();
        point.id = UUID.randomUUID();
        point.leadId = leadId;
        point.createdAt = now;
        set(point, request, now);
        point.persist();
        ContactPoint.getEntityManager().flush(); // the score counts verified points with a query
        leads.recordChange(lead, "contact_point_added", before, details(point, null), true);
        return point;
    }

    @Transactional
    public ContactPoint update(UUID leadId, UUID id, ContactPointRequest request) {
        Lead lead = leads.get(leadId);
        ContactPoint point = find(leadId, id);
        Map<String, Object> before = LeadState.of(lead);
        Map<String, Object> old = describe(point);
        set(point, request, Instant.now());
        ContactPoint.getEntityManager().flush();
        leads.recordChange(lead, "contact_point_updated", before, details(point, old), true);
        return point;
    }

    @Transactional
    public void delete(UUID leadId, UUID id) {
        Lead lead = leads.get(leadId);
        ContactPoint point = find(leadId, id);
        Map<String, Object> before = LeadState.of(lead);
        Map<String, Object> old = describe(point);
        point.delete();
        ContactPoint.getEntityManager().flush();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("contact_point", Map.of("old", old));
        leads.recordChange(lead, "contact_point_deleted", before, details, true);
    }

    private ContactPoint find(UUID leadId, UUID id) {
        return ContactPoint.<ContactPoint>find("id = ?1 and leadId = ?2", id, leadId).firstResultOptional()
                .orElseThrow(() -> ProblemException.notFound("Contact point", id));
    }

    private void set(ContactPoint point, ContactPointRequest request, Instant now) {
        point.type = request.type();
        point.value = switch (request.type()) {
            case "email" -> normaliser.email(request.value(), "value");
            case "phone" -> normaliser.phone(request.value(), "value");
            case "social" -> normaliser.linkedinOrEmpty(request.value()).orElse(request.value().trim());
            default -> request.value().trim();
        };
        boolean primary = Boolean.TRUE.equals(request.isPrimary());
        if (primary && !point.primary) {
            // One primary per type: the new primary demotes the previous one.
            ContactPoint.update("primary = false where leadId = ?1 and type = ?2 and primary = true", point.leadId,
                    point.type);
        }
        point.primary = primary;
        point.verified = Boolean.TRUE.equals(request.isVerified());
        point.updatedAt = now;
    }

    private static Map<String, Object> describe(ContactPoint point) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("id", point.id.toString());
        d.put("type", point.type);
        d.put("value", point.value);
        d.put("is_primary", point.primary);
        d.put("is_verified", point.verified);
        return d;
    }

    private static Map<String, Object> details(ContactPoint point, Map<String, Object> old) {
        Map<String, Object> change = new LinkedHashMap<>();
        change.put("old", old);
        change.put("new", describe(point));
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("contact_point", change);
        return details;
    }
}
