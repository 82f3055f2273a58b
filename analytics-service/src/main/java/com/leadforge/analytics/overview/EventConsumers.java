package com.leadforge.analytics.overview;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import com.leadforge.analytics.live.LiveUpdatesHandler;
import com.leadforge.analytics.rebuild.ReadModelRebuilds;
import com.leadforge.shared.inbox.EventHandler;
import com.leadforge.shared.inbox.ReliableConsumer;

import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Kafka entry points, all through the shared reliable consumer, a poll at a time: the records of each agency are one
 * unit of work whose tenant is that agency (one by one if that fails), transient failures are retried without limit,
 * only poison reaches the dead-letter topic. The read models apply a poll before the live updates do: a live
 * {@code campaign_metrics} hint must never reach a dashboard before the figures it announces, and the live handler
 * reads the client grants the projection keeps.
 */
@ApplicationScoped
public class EventConsumers {

    private final ReliableConsumer reliableConsumer;
    private final EventHandler projector;
    private final LiveUpdatesHandler liveUpdates;

    public EventConsumers(ReliableConsumer reliableConsumer, OverviewProjector projector, ReadModelRebuilds rebuilds,
            LiveUpdatesHandler liveUpdates) {
        this.reliableConsumer = reliableConsumer;
        // While a rebuild is building, each poll also reaches its fresh read models (docs/operations.md).
        this.projector = rebuilds.liveAndFresh(projector);
        this.liveUpdates = liveUpdates;
    }

    @Incoming("lead-events")
    @Blocking("event-consumers")
    public void onLeadEvents(ConsumerRecords<String, String> records) {
        reliableConsumer.consumeBatch(projector, list(records));
        reliableConsumer.consumeBatch(liveUpdates, list(records));
    }

    @Incoming("campaign-events")
    @Blocking("event-consumers")
    public void onCampaignEvents(ConsumerRecords<String, String> records) {
        reliableConsumer.consumeBatch(projector, list(records));
        reliableConsumer.consumeBatch(liveUpdates, list(records));
    }

    @Incoming("scraping-events")
    @Blocking("event-consumers")
    public void onScrapingEvents(ConsumerRecords<String, String> records) {
        reliableConsumer.consumeBatch(projector, list(records));
        reliableConsumer.consumeBatch(liveUpdates, list(records));
    }

    private static List<ConsumerRecord<String, String>> list(ConsumerRecords<String, String> records) {
        List<ConsumerRecord<String, String>> polled = new ArrayList<>(records.count());
        records.forEach(polled::add);
        return polled;
    }
}
