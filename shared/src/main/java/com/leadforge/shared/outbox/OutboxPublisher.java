package com.leadforge.shared.outbox;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Timeout;

import com.leadforge.shared.events.CloudEventHeaders;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Sends outbox rows to Kafka as binary-mode CloudEvents and reports how many, in order, the broker acknowledged.
 * The producer is idempotent with acks=all, so a retried send inside the producer never duplicates a record.
 */
@ApplicationScoped
public class OutboxPublisher {

    public record Result(int publishedCount, Throwable failure) {
    }

    private final String bootstrapServers;
    private final String source;
    private final long sendTimeoutMillis;
    private volatile KafkaProducer<String, String> producer;

    public OutboxPublisher(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            @ConfigProperty(name = "quarkus.application.name") String applicationName,
            @ConfigProperty(name = "leadforge.outbox.send-timeout", defaultValue = "10000") long sendTimeoutMillis) {
        this.bootstrapServers = bootstrapServers;
        this.source = "/leadforge/" + applicationName;
        this.sendTimeoutMillis = sendTimeoutMillis;
    }

    @Timeout(value = 30, unit = java.time.temporal.ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.75, delay = 5,
            delayUnit = java.time.temporal.ChronoUnit.SECONDS)
    public Result publish(List<OutboxEvent> events) {
        KafkaProducer<String, String> kafka = producer();
        List<Future<RecordMetadata>> acks = new ArrayList<>(events.size());
        for (OutboxEvent event : events) {
            acks.add(kafka.send(toRecord(event)));
        }
        kafka.flush();
        for (int i = 0; i < acks.size(); i++) {
            try {
                acks.get(i).get(sendTimeoutMillis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Result(i, e);
            } catch (ExecutionException | TimeoutException e) {
                return new Result(i, e.getCause() != null ? e.getCause() : e);
            }
        }
        return new Result(acks.size(), null);
    }

    ProducerRecord<String, String> toRecord(OutboxEvent event) {
        ProducerRecord<String, String> record = new ProducerRecord<>(event.topic, event.aggregateId, event.payload);
        Headers headers = record.headers();
        headers.add(CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.SPEC_VERSION_VALUE.getBytes(UTF_8));
        headers.add(CloudEventHeaders.ID, event.id.toString().getBytes(UTF_8));
        headers.add(CloudEventHeaders.SOURCE, source.getBytes(UTF_8));
        headers.add(CloudEventHeaders.TYPE, event.eventType.getBytes(UTF_8));
        headers.add(CloudEventHeaders.TIME, DateTimeFormatter.ISO_INSTANT.format(event.createdAt).getBytes(UTF_8));
        headers.add(CloudEventHeaders.SUBJECT, event.aggregateId.getBytes(UTF_8));
        headers.add(CloudEventHeaders.AGENCY_ID, event.agencyId.getBytes(UTF_8));
        headers.add(CloudEventHeaders.ACTOR, event.actor.getBytes(UTF_8));
        headers.add(CloudEventHeaders.CONTENT_TYPE, "application/json".getBytes(UTF_8));
        return record;
    }

    private KafkaProducer<String, String> producer() {
        KafkaProducer<String, String> current = producer;
        if (current == null) {
            synchronized (this) {
                if (producer == null) {
                    producer = createProducer();
                }
                current = producer;
            }
        }
        return current;
    }

    private KafkaProducer<String, String> createProducer() {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, source.substring(source.lastIndexOf('/') + 1) + "-outbox");
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(Math.max(sendTimeoutMillis, 5000)));
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(Math.min(sendTimeoutMillis, 5000)));
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(sendTimeoutMillis));
        config.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return new KafkaProducer<>(config);
    }

    @PreDestroy
    void close() {
        if (producer != null) {
            producer.close(java.time.Duration.ofSeconds(5));
        }
    }
}
