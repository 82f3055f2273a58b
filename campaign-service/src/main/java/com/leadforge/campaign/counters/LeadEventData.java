package com.leadforge.campaign.counters;

import com.leadforge.shared.events.LeadSnapshot;
import com.leadforge.shared.inbox.IncomingEvent;
import com.leadforge.shared.inbox.PoisonEventException;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The only part of a lead event the counters read: the {@code lead} snapshot of the lead after the change. Every
 * lead event type carries it (created, updated, status/qualification changes, campaign moves, contacted, assigned,
 * merged, deleted, erased), so no event type needs a case of its own; other fields are ignored. Read by the events'
 * own ObjectMapper, not by REST, so no extension registers it for a native image: hence the annotation.
 */
@RegisterForReflection
record LeadEventData(LeadSnapshot lead) {

    static final String LEAD_EVENT_PREFIX = "leadforge.lead.";
    /** Width of the status columns of lead_projection; a longer value is not a lead status. */
    private static final int MAX_CODE = 30;

    /**
     * The snapshot of a lead event, or null when the event is not a lead event or carries no snapshot (events from
     * before snapshots existed; nothing can be counted exactly from them). A snapshot that is incomplete or belongs
     * to another agency than the event's is poison.
     */
    static LeadSnapshot snapshotOf(IncomingEvent event) {
        if (!event.type().startsWith(LEAD_EVENT_PREFIX)) {
            return null;
        }
        LeadSnapshot lead = event.data(LeadEventData.class).lead();
        if (lead == null) {
            return null;
        }
        if (lead.leadId() == null || !valid(lead.status()) || !valid(lead.qualificationStatus()) || lead.version() < 0
                || lead.agencyId() == null || !event.agencyId().equalsIgnoreCase(lead.agencyId())) {
            throw new PoisonEventException("Event " + event.id() + " carries an incomplete or foreign lead snapshot");
        }
        return lead;
    }

    private static boolean valid(String code) {
        return code != null && !code.isBlank() && code.length() <= MAX_CODE;
    }
}
