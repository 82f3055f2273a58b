package com.leadforge.scraping.importing;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import com.leadforge.shared.inbox.ReliableConsumer;

import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Lead events in: only the import results matter here ({@link ImportResultsProjector#handles}); every other lead
 * event is acknowledged without touching the database.
 */
@ApplicationScoped
public class LeadEventConsumer {

    private final ReliableConsumer reliableConsumer;
    private final ImportResultsProjector projector;

    public LeadEventConsumer(ReliableConsumer reliableConsumer, ImportResultsProjector projector) {
        this.reliableConsumer = reliableConsumer;
        this.projector = projector;
    }

    /** A poll at a time: an import's thousands of lead events are skipped per poll, not each on a worker hop. */
    @Incoming("lead-events")
    @Blocking("event-consumers")
    public void onLeadEvents(ConsumerRecords<String, String> records) {
        List<ConsumerRecord<String, String>> polled = new ArrayList<>(records.count());
        records.forEach(polled::add);
        reliableConsumer.consumeBatch(projector, polled);
    }
}
