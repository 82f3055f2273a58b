package com.leadforge.shared.inbox;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * What every consumer of this service is doing, per partition: the last offset it applied and, while a record is being
 * retried, since when, how often and why. Feeds the metrics and the wellness health check (never readiness: a stuck
 * consumer must not take the API out of service).
 */
@ApplicationScoped
public class ConsumerStates {

    public enum Outcome {
        APPLIED, DUPLICATE, DEAD_LETTERED,
        /** A well-formed event of a type this consumer does not handle: acknowledged without touching the inbox. */
        SKIPPED
    }

    /** A record being retried. */
    public record Retrying(long offset, Instant since, int attempts, String lastError) {
    }

    /** One partition of one consumer. */
    public record PartitionState(String consumer, String topic, int partition, long lastAppliedOffset,
            Instant lastAppliedAt, Retrying retrying) {
    }

    private final MeterRegistry registry;
    private final Map<String, PartitionState> partitions = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> retryingGauges = new ConcurrentHashMap<>();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public ConsumerStates(MeterRegistry registry) {
        this.registry = registry;
    }

    void finished(String consumer, String topic, int partition, long offset, Outcome outcome) {
        partitions.compute(key(consumer, topic, partition), (key, old) -> {
            if (old != null && old.retrying() != null) {
                retrying(consumer).decrementAndGet();
            }
            // A poll's records may finish out of offset order (one transaction per agency, see consumeBatch).
            long applied = old == null ? offset : Math.max(old.lastAppliedOffset(), offset);
            return new PartitionState(consumer, topic, partition, applied, Instant.now(), null);
        });
        counter("leadforge.events.consumed", consumer, "outcome", outcome.name().toLowerCase(java.util.Locale.ROOT))
                .increment();
    }

    void failedAttempt(String consumer, String topic, int partition, long offset, String error) {
        partitions.compute(key(consumer, topic, partition), (key, old) -> {
            Retrying previous = old == null ? null : old.retrying();
            if (previous == null) {
                retrying(consumer).incrementAndGet();
            }
            Retrying next = previous != null && previous.offset() == offset
                    ? new Retrying(offset, previous.since(), previous.attempts() + 1, error)
                    : new Retrying(offset, Instant.now(), 1, error);
            return new PartitionState(consumer, topic, partition, old == null ? -1 : old.lastAppliedOffset(),
                    old == null ? null : old.lastAppliedAt(), next);
        });
        counter("leadforge.events.retries", consumer, null, null).increment();
    }

    /** The attempt was abandoned (shutdown or partition moved): the record is not retrying here any more. */
    void abandoned(String consumer, String topic, int partition) {
        partitions.computeIfPresent(key(consumer, topic, partition), (key, old) -> {
            if (old.retrying() != null) {
                retrying(consumer).decrementAndGet();
            }
            return new PartitionState(consumer, topic, partition, old.lastAppliedOffset(), old.lastAppliedAt(), null);
        });
    }

    public Map<String, PartitionState> snapshot() {
        return Map.copyOf(partitions);
    }

    /** The longest any record of this service has been retrying, or zero. */
    public Duration longestRetry() {
        Instant now = Instant.now();
        return partitions.values().stream().filter(p -> p.retrying() != null)
                .map(p -> Duration.between(p.retrying().since(), now))
                .max(Duration::compareTo).orElse(Duration.ZERO);
    }

    private AtomicInteger retrying(String consumer) {
        return retryingGauges.computeIfAbsent(consumer, name -> registry.gauge("leadforge.events.retrying",
                io.micrometer.core.instrument.Tags.of("consumer", name), new AtomicInteger()));
    }

    private Counter counter(String name, String consumer, String tag, String value) {
        String key = name + '|' + consumer + '|' + value;
        return counters.computeIfAbsent(key, k -> {
            Counter.Builder builder = Counter.builder(name).tag("consumer", consumer);
            if (tag != null) {
                builder.tag(tag, value);
            }
            return builder.register(registry);
        });
    }

    private static String key(String consumer, String topic, int partition) {
        return consumer + '|' + topic + '|' + partition;
    }
}
