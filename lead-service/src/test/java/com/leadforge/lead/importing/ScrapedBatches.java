package com.leadforge.lead.importing;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;

import com.leadforge.shared.events.BatchImportedEvent;
import com.leadforge.shared.events.CloudEventHeaders;
import com.leadforge.shared.events.EventJson;
import com.leadforge.shared.events.EventType;
import com.leadforge.shared.events.ScrapedRecord;
import com.leadforge.shared.events.ScrapedRecordsEvent;
import com.leadforge.shared.events.Topics;
import com.leadforge.testsupport.TopicProbe;

/**
 * Publishes record batches to the real broker exactly as scraping-service's outbox would (binary CloudEvent, key = job
 * id), and reads lead-service's import results back from {@code leadforge.lead-events}.
 */
final class ScrapedBatches {

    static final String ACTOR = "job-runner";
    private static final AtomicInteger PHONES = new AtomicInteger(new java.util.Random().nextInt(9000));

    static String bootstrap() {
        return ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
    }

    static ScrapedRecord record(long seq, String firstName, String email) {
        return new ScrapedRecord(seq, firstName, "Import", email, null, null, null, null, null);
    }

    /** A phone number no other test uses, in a form the normaliser accepts. */
    static String phone() {
        return String.format("(646) 253-%04d", PHONES.incrementAndGet() % 10000);
    }

    static ScrapedRecordsEvent batch(String agency, UUID jobId, long batchSeq, String sourceType, UUID campaignId,
            List<ScrapedRecord> records) {
        return new ScrapedRecordsEvent(jobId, agency, UUID.randomUUID(), sourceType, campaignId, batchSeq, ACTOR,
                records);
    }

    /** Publishes the batch as a new event; returns its event id. */
    static String publish(ScrapedRecordsEvent batch) {
        String eventId = UUID.randomUUID().toString();
        publish(EventJson.write(batch), eventId, batch.agencyId(), batch.jobId());
        return eventId;
    }

    /** Publishes any data as a records_scraped event (same id twice = one event delivered twice). */
    static void publish(String data, String eventId, String agency, UUID key) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
            ProducerRecord<String, String> record = new ProducerRecord<>(Topics.SCRAPING_EVENTS,
                    key == null ? null : key.toString(), data);
            record.headers().add(CloudEventHeaders.ID, eventId.getBytes(UTF_8));
            record.headers().add(CloudEventHeaders.TYPE, EventType.SCRAPING_JOB_RECORDS_SCRAPED.type().getBytes(UTF_8));
            record.headers().add(CloudEventHeaders.SOURCE, "/leadforge/scraping-service".getBytes(UTF_8));
            record.headers().add(CloudEventHeaders.AGENCY_ID, agency.getBytes(UTF_8));
            record.headers().add(CloudEventHeaders.ACTOR, ACTOR.getBytes(UTF_8));
            producer.send(record).get();
        } catch (Exception e) {
            throw new IllegalStateException("Could not publish a record batch", e);
        }
    }

    /** Waits for the import result of batch {@code batchSeq} of the job. */
    static BatchImportedEvent awaitResult(UUID jobId, long batchSeq) {
        return awaitResult(null, jobId, batchSeq);
    }

    /** Waits for the import result of batch {@code batchSeq} of the job in {@code agency} (any agency when null). */
    static BatchImportedEvent awaitResult(String agency, UUID jobId, long batchSeq) {
        try (TopicProbe probe = new TopicProbe(bootstrap(), Topics.LEAD_EVENTS)) {
            ConsumerRecord<String, String> record = probe.await(r -> {
                if (!isResult(r, jobId)) {
                    return false;
                }
                BatchImportedEvent result = EventJson.read(r.value(), BatchImportedEvent.class);
                return result.batchSeq() == batchSeq && (agency == null || agency.equals(result.agencyId()));
            }, Duration.ofSeconds(60));
            return EventJson.read(record.value(), BatchImportedEvent.class);
        }
    }

    /** Every import result of the job on the topic right now, in publication order. */
    static List<BatchImportedEvent> results(UUID jobId) {
        try (TopicProbe probe = new TopicProbe(bootstrap(), Topics.LEAD_EVENTS)) {
            return probe.readToEnd(r -> isResult(r, jobId), Duration.ofSeconds(30)).stream()
                    .map(r -> EventJson.read(r.value(), BatchImportedEvent.class)).toList();
        }
    }

    private static boolean isResult(ConsumerRecord<String, String> record, UUID jobId) {
        return jobId.toString().equals(record.key()) && EventType.LEAD_IMPORT_BATCH_IMPORTED.type()
                .equals(TopicProbe.header(record, CloudEventHeaders.TYPE));
    }

    private ScrapedBatches() {
    }
}
