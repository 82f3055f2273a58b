package com.leadforge.campaign.counters;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import com.leadforge.shared.events.LeadSnapshot;
import com.leadforge.shared.events.Topics;
import com.leadforge.shared.inbox.EventHandler;
import com.leadforge.shared.inbox.IncomingEvent;
import com.leadforge.shared.inbox.ReliableConsumer;

import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Keeps the campaign counters from {@code leadforge.lead-events}, through the shared {@link ReliableConsumer}: each
 * record is its own unit of work whose tenant is the event's {@code ce_agencyid}, its inbox row, the projection change
 * and the recount commit together, transient failures are retried without limit and only poison is dead-lettered.
 */
@ApplicationScoped
public class LeadEventConsumer implements EventHandler {

    static final String CONSUMER = "campaign.counters";
    private static final Logger LOG = Logger.getLogger(LeadEventConsumer.class);

    private final ReliableConsumer reliableConsumer;
    private final CampaignCounters counters;

    public LeadEventConsumer(ReliableConsumer reliableConsumer, CampaignCounters counters) {
        this.reliableConsumer = reliableConsumer;
        this.counters = counters;
    }

    /**
     * A poll at a time (the channel is in batch mode): an import creates leads by the thousand, and one transaction
     * and one recount per poll keep the counters up with it, where one per event fell minutes behind.
     */
    @Incoming("lead-events")
    @Blocking("event-consumers")
    public void onLeadEvents(ConsumerRecords<String, String> records) {
        List<ConsumerRecord<String, String>> polled = new ArrayList<>(records.count());
        records.forEach(polled::add);
        reliableConsumer.consumeBatch(this, polled);
    }

    @Override
    public String consumerName() {
        return CONSUMER;
    }

    @Override
    public Set<String> topics() {
        return Set.of(Topics.LEAD_EVENTS);
    }

    /** Lead events only: the import results that share the topic carry no lead snapshot. */
    @Override
    public boolean handles(String type) {
        return type.startsWith(LeadEventData.LEAD_EVENT_PREFIX);
    }

    /** The same effect as {@link #apply} on each event in order, with one lock round and one recount for all. */
    @Override
    public void applyAll(List<IncomingEvent> events, Runnable settle) {
        List<LeadSnapshot> leads = new ArrayList<>(events.size());
        for (IncomingEvent event : events) {
            LeadSnapshot lead = LeadEventData.snapshotOf(event);
            if (lead != null) {
                leads.add(lead);
            }
        }
        counters.applyAll(events.get(0).agencyId(), leads);
    }

    @Override
    public void apply(IncomingEvent event) {
        LeadSnapshot lead = LeadEventData.snapshotOf(event);
        if (lead == null) {
            return; // a lead event without a snapshot: nothing to count
        }
        if (!counters.apply(event.agencyId(), lead)) {
            LOG.debugf("Event %s carries lead %s version %d, not newer than the stored one", event.id(),
                    lead.leadId(), lead.version());
        }
    }
}
