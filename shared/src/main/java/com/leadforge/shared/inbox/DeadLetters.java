package com.leadforge.shared.inbox;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.leadforge.shared.kafka.KafkaClients;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Parks a poison record on {@code <topic>.dlq}: key, value and every original header unchanged, plus headers saying
 * which consumer refused it, why, where it came from and when. The record is acknowledged on its topic only after the
 * broker acknowledged its dead-letter copy, so a crash in between delivers it again rather than losing it.
 */
@ApplicationScoped
public class DeadLetters {

    public static final String SUFFIX = ".dlq";
    public static final String REASON = "leadforge-dlq-reason";
    public static final String CONSUMER = "leadforge-dlq-consumer";
    public static final String ORIGINAL_TOPIC = "leadforge-dlq-original-topic";
    public static final String ORIGINAL_PARTITION = "leadforge-dlq-original-partition";
    public static final String ORIGINAL_OFFSET = "leadforge-dlq-original-offset";
    public static final String FAILED_AT = "leadforge-dlq-failed-at";

    private final KafkaClients clients;
    private final String clientId;
    private final long sendTimeoutMillis;
    private volatile KafkaProducer<String, String> producer;

    public DeadLetters(KafkaClients clients,
            @ConfigProperty(name = "quarkus.application.name") String applicationName,
            @ConfigProperty(name = "leadforge.events.dead-letter-send-timeout", defaultValue = "10000")
            long sendTimeoutMillis) {
        this.clients = clients;
        this.clientId = applicationName + "-dead-letters";
        this.sendTimeoutMillis = sendTimeoutMillis;
    }

    public static String topicFor(String topic) {
        return topic + SUFFIX;
    }

    /** Sends and waits for the broker's acknowledgement; throws if it did not come (the caller retries). */
    public void send(String consumer, ConsumerRecord<String, String> record, String reason) {
        ProducerRecord<String, String> copy = new ProducerRecord<>(topicFor(record.topic()), null, record.key(),
                record.value());
        for (Header header : record.headers()) {
            if (!header.key().startsWith("leadforge-dlq-")) {
                copy.headers().add(header.key(), header.value());
            }
        }
        copy.headers().add(REASON, reason.getBytes(UTF_8));
        copy.headers().add(CONSUMER, consumer.getBytes(UTF_8));
        copy.headers().add(ORIGINAL_TOPIC, record.topic().getBytes(UTF_8));
        copy.headers().add(ORIGINAL_PARTITION, String.valueOf(record.partition()).getBytes(UTF_8));
        copy.headers().add(ORIGINAL_OFFSET, String.valueOf(record.offset()).getBytes(UTF_8));
        copy.headers().add(FAILED_AT, Instant.now().toString().getBytes(UTF_8));
        try {
            producer().send(copy).get(sendTimeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while dead-lettering", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Dead-letter topic " + copy.topic() + " did not acknowledge", e);
        }
    }

    private KafkaProducer<String, String> producer() {
        KafkaProducer<String, String> current = producer;
        if (current == null) {
            synchronized (this) {
                if (producer == null) {
                    producer = clients.producer(clientId, Map.of(
                            ProducerConfig.ACKS_CONFIG, "all",
                            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
                            ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(sendTimeoutMillis),
                            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(Math.max(sendTimeoutMillis, 5000)),
                            ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(Math.min(sendTimeoutMillis, 5000))));
                }
                current = producer;
            }
        }
        return current;
    }

    @PreDestroy
    void close() {
        if (producer != null) {
            producer.close(java.time.Duration.ofSeconds(5));
        }
    }
}
