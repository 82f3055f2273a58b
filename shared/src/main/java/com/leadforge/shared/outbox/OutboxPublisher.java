package com.leadforge.shared.outbox;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Headers;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.leadforge.shared.events.CloudEventHeaders;
import com.leadforge.shared.kafka.KafkaClients;
import com.leadforge.shared.tracing.TraceContext;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Sends outbox rows to Kafka as binary-mode CloudEvents and reports, row by row, which the broker acknowledged. The
 * producer is idempotent with acks=all, so a retried send inside the producer never duplicates a record. A failure is
 * told apart as the row's own fault (too large, its topic missing while the broker answers) or the broker's (nothing
 * can be published now), so that only the former counts towards parking the row. Each send is a PRODUCER span whose
 * parent is the trace context stored with the row, ended when the broker answers; the record carries that span's
 * context ({@code traceparent}/{@code tracestate}) beside the CloudEvents headers.
 */
@ApplicationScoped
public class OutboxPublisher {

    /** Per row: acknowledged, refused (with why) or skipped (an earlier row of its aggregate was refused). */
    public record Result(List<Throwable> failures, List<Boolean> skipped, boolean brokerUnavailable) {

        public boolean published(int index) {
            return failures.get(index) == null && !skipped.get(index);
        }

        public boolean skipped(int index) {
            return skipped.get(index);
        }
    }

    private final KafkaClients clients;
    private final String source;
    private final String clientId;
    private final long sendTimeoutMillis;
    private final int maxRequestSize;
    private final Tracer tracer;
    private volatile KafkaProducer<String, String> producer;

    public OutboxPublisher(KafkaClients clients, OpenTelemetry openTelemetry,
            @ConfigProperty(name = "quarkus.application.name") String applicationName,
            @ConfigProperty(name = "leadforge.outbox.send-timeout", defaultValue = "10000") long sendTimeoutMillis,
            @ConfigProperty(name = "kafka.max.request.size", defaultValue = "1048576") int maxRequestSize) {
        this.clients = clients;
        this.source = "/leadforge/" + applicationName;
        this.clientId = applicationName + "-outbox";
        this.sendTimeoutMillis = sendTimeoutMillis;
        this.maxRequestSize = maxRequestSize;
        this.tracer = openTelemetry.getTracer("com.leadforge.shared.outbox");
    }

    /**
     * Sends {@code events} (in outbox order) and waits for the acknowledgements. A row whose topic is unknown to the
     * broker or which is too large is refused before anything is sent for it, and the later rows of its aggregate in
     * this batch are skipped, so an aggregate's events never overtake one another.
     */
    public Result publish(List<OutboxEvent> events) {
        KafkaProducer<String, String> kafka = producer();
        List<Future<RecordMetadata>> acks = new ArrayList<>(events.size());
        List<Boolean> skipped = new ArrayList<>(events.size());
        Map<String, RuntimeException> topicFailures = new HashMap<>();
        Set<String> refusedAggregates = new HashSet<>();
        for (OutboxEvent event : events) {
            String aggregate = event.aggregateType + '/' + event.aggregateId;
            if (refusedAggregates.contains(aggregate)) {
                acks.add(null);
                skipped.add(true);
                continue;
            }
            skipped.add(false);
            RuntimeException refusal = topicFailures.computeIfAbsent(event.topic, topic -> topicProblem(kafka, topic));
            ProducerRecord<String, String> record = toRecord(event);
            Span span = sendSpan(event);
            TraceContext.inject(Context.root().with(span), record.headers());
            if (refusal == null && estimatedSize(record) > maxRequestSize) {
                refusal = new RecordTooLargeException("Event of about " + estimatedSize(record)
                        + " bytes exceeds max.request.size " + maxRequestSize);
            }
            if (refusal != null) {
                refusedAggregates.add(aggregate);
                acks.add(CompletableFuture.failedFuture(refusal));
                endSpan(span, refusal);
                continue;
            }
            try {
                acks.add(kafka.send(record, (metadata, failure) -> endSpan(span, failure)));
            } catch (RuntimeException e) {
                refusedAggregates.add(aggregate);
                acks.add(CompletableFuture.failedFuture(e));
                endSpan(span, e);
            }
        }
        kafka.flush();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(sendTimeoutMillis);
        List<Throwable> failures = new ArrayList<>(events.size());
        boolean anyPublished = false;
        boolean anyTooLarge = false;
        for (Future<RecordMetadata> ack : acks) {
            if (ack == null) {
                failures.add(null);
                continue;
            }
            try {
                ack.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                failures.add(null);
                anyPublished = true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failures.add(e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                anyTooLarge |= cause instanceof RecordTooLargeException;
                failures.add(cause);
            } catch (TimeoutException e) {
                failures.add(e);
            }
        }
        boolean brokerUnavailable = !anyPublished && !anyTooLarge && !brokerAnswers();
        return new Result(failures, skipped, brokerUnavailable);
    }

    /**
     * The send of one row, as a child of the work that wrote it (a new trace when nothing was stored). Explicit parent:
     * the relay thread itself runs untraced.
     */
    private Span sendSpan(OutboxEvent event) {
        return tracer.spanBuilder("send " + event.topic)
                .setSpanKind(SpanKind.PRODUCER)
                .setParent(TraceContext.fromStored(event.traceparent, event.tracestate))
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.operation.type", "send")
                .setAttribute("messaging.operation.name", "send")
                .setAttribute("messaging.destination.name", event.topic)
                .setAttribute("messaging.message.id", event.id.toString())
                .setAttribute("messaging.kafka.message.key", event.aggregateId)
                .setAttribute("leadforge.event.type", event.eventType)
                .setAttribute("leadforge.agency_id", event.agencyId)
                .startSpan();
    }

    private static void endSpan(Span span, Exception failure) {
        if (failure != null) {
            span.setStatus(StatusCode.ERROR, failure.getClass().getSimpleName());
            span.recordException(failure);
        }
        span.end();
    }

    /** Null when the broker knows {@code topic}; otherwise why not (waits at most max.block.ms, once per batch). */
    private static RuntimeException topicProblem(KafkaProducer<String, String> kafka, String topic) {
        try {
            kafka.partitionsFor(topic);
            return null;
        } catch (RuntimeException e) {
            return new IllegalStateException("Topic " + topic + " is not available: " + e.getMessage(), e);
        }
    }

    private static int estimatedSize(ProducerRecord<String, String> record) {
        int size = record.value() == null ? 0 : record.value().getBytes(UTF_8).length;
        size += record.key() == null ? 0 : record.key().getBytes(UTF_8).length;
        for (var header : record.headers()) {
            size += header.key().length() + header.value().length;
        }
        return size;
    }

    /** Whether the broker answers at all (then a failed row is its own fault); bounded by a few seconds. */
    private boolean brokerAnswers() {
        try (Admin admin = clients.admin(clientId + "-probe", Map.of(
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000))) {
            admin.describeCluster().clusterId().get(3, TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
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
                    producer = clients.producer(clientId, Map.of(
                            ProducerConfig.ACKS_CONFIG, "all",
                            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
                            ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5",
                            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(Math.max(sendTimeoutMillis, 5000)),
                            ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(Math.min(sendTimeoutMillis, 5000)),
                            ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(Math.min(sendTimeoutMillis, 5000)),
                            // The relay flushes each batch itself: no reason to hold records back.
                            ProducerConfig.LINGER_MS_CONFIG, "0"));
                }
                current = producer;
            }
        }
        return current;
    }

    @PreDestroy
    void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }
}
