package com.leadforge.scraping.importing;

import org.apache.kafka.clients.consumer.ConsumerRecord;
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

    @Incoming("lead-events")
    @Blocking(value = "event-consumers", ordered = false)
    public void onLeadEvent(ConsumerRecord<String, String> record) {
        reliableConsumer.consume(projector, record);
    }
}
