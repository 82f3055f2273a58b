package com.leadforge.lead.importing;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import com.leadforge.shared.inbox.ReliableConsumer;

import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Scraping events in, through the shared reliable consumer (own transaction per attempt, retries, dead letters). On a
 * worker pool of its own: a batch waiting for its campaign holds its thread between retries, and must never take the
 * threads the campaign replica needs to receive that campaign.
 */
@ApplicationScoped
public class ScrapingEventConsumer {

    private final ReliableConsumer reliableConsumer;
    private final RecordImporter importer;

    public ScrapingEventConsumer(ReliableConsumer reliableConsumer, RecordImporter importer) {
        this.reliableConsumer = reliableConsumer;
        this.importer = importer;
    }

    @Incoming("scraping-events")
    @Blocking(value = "scraping-import", ordered = false)
    public void onScrapingEvent(ConsumerRecord<String, String> record) {
        reliableConsumer.consume(importer, record);
    }
}
