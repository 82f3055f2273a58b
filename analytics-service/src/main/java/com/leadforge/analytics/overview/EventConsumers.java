package com.leadforge.analytics.overview;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import com.leadforge.shared.inbox.ReliableConsumer;

import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Kafka entry points, all through the shared reliable consumer: each record is its own unit of work whose tenant is
 * the event's agency, transient failures are retried without limit, only poison reaches the dead-letter topic.
 */
@ApplicationScoped
public class EventConsumers {

    private final ReliableConsumer reliableConsumer;
    private final OverviewProjector projector;

    public EventConsumers(ReliableConsumer reliableConsumer, OverviewProjector projector) {
        this.reliableConsumer = reliableConsumer;
        this.projector = projector;
    }

    @Incoming("lead-events")
    @Blocking(value = "event-consumers", ordered = false)
    public void onLeadEvent(ConsumerRecord<String, String> record) {
        reliableConsumer.consume(projector, record);
    }

    @Incoming("campaign-events")
    @Blocking(value = "event-consumers", ordered = false)
    public void onCampaignEvent(ConsumerRecord<String, String> record) {
        reliableConsumer.consume(projector, record);
    }

    @Incoming("scraping-events")
    @Blocking(value = "event-consumers", ordered = false)
    public void onScrapingEvent(ConsumerRecord<String, String> record) {
        reliableConsumer.consume(projector, record);
    }
}
