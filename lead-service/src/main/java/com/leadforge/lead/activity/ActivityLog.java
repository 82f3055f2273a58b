package com.leadforge.lead.activity;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import com.leadforge.shared.tenancy.TenantContext;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

/** Writes the activity row of a mutation in the mutation's own transaction: no change without its record. */
@ApplicationScoped
public class ActivityLog {

    private final TenantContext tenant;
    private final RequestInfo request;

    public ActivityLog(TenantContext tenant, RequestInfo request) {
        this.tenant = tenant;
        this.request = request;
    }

    @Transactional(TxType.MANDATORY)
    public LeadActivity record(UUID leadId, String action, Map<String, Object> changes, Instant at) {
        return record(leadId, action, changes, at, tenant.actor());
    }

    /**
     * With an explicit actor: a change made on behalf of someone other than the unit of work's caller (an import
     * consumed from an event is made by the user who runs the job, not by the event's producer).
     */
    @Transactional(TxType.MANDATORY)
    public LeadActivity record(UUID leadId, String action, Map<String, Object> changes, Instant at, String actor) {
        LeadActivity activity = new LeadActivity();
        activity.id = UUID.randomUUID();
        activity.leadId = leadId;
        activity.action = action;
        activity.changes = changes;
        activity.actor = actor;
        activity.ip = request.ip();
        activity.userAgent = request.userAgent();
        activity.requestId = request.requestId();
        activity.createdAt = at;
        activity.persist();
        return activity;
    }
}
