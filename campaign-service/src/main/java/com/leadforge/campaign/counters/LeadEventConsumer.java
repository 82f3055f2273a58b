package com.leadforge.campaign.counters;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import com.leadforge.shared.events.LeadSnapshot;
import com.leadforge.shared.inbox.InboxGuard;
import com.leadforge.shared.inbox.IncomingEvent;
import com.leadforge.shared.inbox.PoisonEventException;
import com.leadforge.shared.tenancy.TenantContext;

import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.transaction.Transactional;

/**
 * Keeps the campaign counters from {@code leadforge.lead-events}. Each record is its own unit of work whose tenant is
 * the event's {@code ce_agencyid} (so Hibernate's filter and row-level security both apply), and its inbox row, the
 * projection change and the recount commit together. A failure after retries nacks the record, which the connector
 * sends to {@code leadforge.lead-events.dlq}.
 */
@ApplicationScoped
public class LeadEventConsumer {

    static final String CONSUMER = "campaign.counters";
    private static final Logger LOG = Logger.getLogger(LeadEventConsumer.class);

    private final TenantContext tenant;
    private final Applier applier;

    public LeadEventConsumer(TenantContext tenant, Applier applier) {
        this.tenant = tenant;
        this.applier = applier;
    }

    @Incoming("lead-events")
    @Blocking
    @ActivateRequestContext
    public void onLeadEvent(ConsumerRecord<String, String> record) {
        IncomingEvent event = IncomingEvent.from(record);
        tenant.enter(event.agencyId(), "event:" + event.source());
        applier.apply(event);
    }

    /** The transactional part, a bean of its own so that the retry and transaction interceptors apply. */
    @ApplicationScoped
    public static class Applier {

        private final InboxGuard inbox;
        private final CampaignCounters counters;

        public Applier(InboxGuard inbox, CampaignCounters counters) {
            this.inbox = inbox;
            this.counters = counters;
        }

        /** Transient failures (database down, lock timeouts, deadlocks) are retried; poison is not. */
        @Retry(maxRetries = 5, delay = 200, jitter = 100, abortOn = PoisonEventException.class)
        @Transactional
        public void apply(IncomingEvent event) {
            if (!inbox.firstDelivery(CONSUMER, event.id())) {
                LOG.debugf("Event %s already applied", event.id());
                return;
            }
            LeadSnapshot lead = LeadEventData.snapshotOf(event);
            if (lead == null) {
                return; // not a lead event, or one without a snapshot: nothing to count
            }
            if (!counters.apply(event.agencyId(), lead)) {
                LOG.debugf("Event %s carries lead %s version %d, not newer than the stored one", event.id(),
                        lead.leadId(), lead.version());
            }
        }
    }
}
