package com.leadforge.analytics.overview;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import com.leadforge.shared.inbox.IncomingEvent;
import com.leadforge.shared.tenancy.TenantContext;

import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;

/**
 * Kafka entry points. Each record is its own unit of work whose tenant is the event's agency, never a default. A
 * failure after retries nacks the record, which the connector sends to the topic's dead-letter topic.
 */
@ApplicationScoped
public class EventConsumers {

    private final OverviewProjector projector;
    private final TenantContext tenant;

    public EventConsumers(OverviewProjector projector, TenantContext tenant) {
        this.projector = projector;
        this.tenant = tenant;
    }

    @Incoming("lead-events")
    @Blocking
    @ActivateRequestContext
    public void onLeadEvent(ConsumerRecord<String, String> record) {
        apply(record);
    }

    @Incoming("campaign-events")
    @Blocking
    @ActivateRequestContext
    public void onCampaignEvent(ConsumerRecord<String, String> record) {
        apply(record);
    }

    @Incoming("scraping-events")
    @Blocking
    @ActivateRequestContext
    public void onScrapingEvent(ConsumerRecord<String, String> record) {
        apply(record);
    }

    private void apply(ConsumerRecord<String, String> record) {
        IncomingEvent event = IncomingEvent.from(record);
        tenant.enter(event.agencyId(), "event:" + event.source());
        projector.apply(event);
    }
}
