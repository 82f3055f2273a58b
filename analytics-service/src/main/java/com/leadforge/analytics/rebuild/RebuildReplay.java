package com.leadforge.analytics.rebuild;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

import com.leadforge.shared.events.EventJson;
import com.leadforge.shared.events.EventType;
import com.leadforge.shared.events.Topics;
import com.leadforge.shared.inbox.DeadLetters;
import com.leadforge.shared.inbox.EventHandler;
import com.leadforge.shared.inbox.FailureClassifier;
import com.leadforge.shared.inbox.IncomingEvent;
import com.leadforge.shared.kafka.KafkaClients;
import com.leadforge.shared.tenancy.TenantContext;

import io.quarkus.arc.Arc;
import io.quarkus.arc.ManagedContext;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Reads the projector's topics from their first offset to the ends captured when the rebuild started, with a consumer
 * of its own (partitions assigned, no group, nothing committed), and applies the records to the fresh set: a
 * transaction per batch and agency with that agency as tenant, the projector's own code, the fresh inbox skipping what
 * the live consumer already brought there. Dead letters of this projector are replayed too, so that one re-driven
 * after a fix counts in the rebuilt set as it does in the live one; poison is counted and skipped (the live consumer
 * dead-lettered it long ago). Any other failure ends the replay: the rebuild fails, the live set is untouched.
 */
@ApplicationScoped
public class RebuildReplay {

    /** What a finished replay read and did. */
    record Outcome(boolean reachedEnd, long applied, long skipped) {
    }

    /** A replay's bounds and its link to the outside: the operator, the clock, the lease. */
    record Run(UUID id, int batchSize, Duration throttle, long deadlineNanos, Connection lease,
            BooleanSupplier carryOn) {
    }

    static final class ReplayFailed extends RuntimeException {
        ReplayFailed(String message) {
            super(message, null, false, false);
        }
    }

    private final KafkaClients clients;
    private final FreshSet freshSet;
    private final RebuildStore store;
    private final RebuildMetrics metrics;

    public RebuildReplay(KafkaClients clients, FreshSet freshSet, RebuildStore store, RebuildMetrics metrics) {
        this.clients = clients;
        this.freshSet = freshSet;
        this.store = store;
        this.metrics = metrics;
    }

    /**
     * The event partitions whose first records retention has deleted ({@code topic-partition@offset}). Dead-letter
     * topics may be truncated: what they held was re-driven into the event topics or is poison either way.
     */
    static List<String> truncatedHistory(Map<TopicPartition, Long> beginningOffsets) {
        List<String> truncated = new ArrayList<>();
        beginningOffsets.forEach((partition, offset) -> {
            if (offset != null && offset > 0 && !partition.topic().endsWith(Topics.DEAD_LETTER_SUFFIX)) {
                truncated.add(partition.topic() + "-" + partition.partition() + "@" + offset);
            }
        });
        truncated.sort(null);
        return truncated;
    }

    Outcome replay(Run run, List<EventHandler> projectors) {
        long applied = 0;
        long skipped = 0;
        try (KafkaConsumer<String, String> consumer = clients.consumer("analytics-service-rebuild", Map.of(
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, String.valueOf(run.batchSize())))) {
            List<TopicPartition> partitions = new ArrayList<>();
            java.util.SortedSet<String> topics = new java.util.TreeSet<>();
            projectors.forEach(projector -> topics.addAll(projector.topics()));
            for (String topic : topics) {
                partitions.addAll(partitionsOf(consumer, topic));
                partitions.addAll(partitionsOf(consumer, Topics.deadLetterOf(topic)));
            }
            consumer.assign(partitions);
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, Duration.ofSeconds(30));
            List<String> truncated = truncatedHistory(begin);
            if (!truncated.isEmpty()) {
                // Switching to read models built from part of the history would silently replace right figures
                // with wrong ones: refuse, and say what retention took (docs/operations.md "Rebuilding analytics").
                throw new ReplayFailed("the topics no longer hold their whole history (retention deleted the start of "
                        + String.join(", ", truncated) + "): a rebuild would replace the read models with partial ones");
            }
            // The ends as of now: every record before them is replayed; every record after them is produced after the
            // rebuild was marked building, so the live consumers apply it to the fresh set as well.
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            Map<String, Long> totals = new TreeMap<>();
            for (TopicPartition partition : partitions) {
                totals.merge(partition.topic(), end.get(partition) - begin.get(partition), Long::sum);
            }
            store.recordTotals(run.id(), totals);
            consumer.seekToBeginning(partitions);
            List<TopicPartition> remaining = new ArrayList<>();
            for (TopicPartition partition : partitions) {
                if (begin.get(partition) < end.get(partition)) {
                    remaining.add(partition);
                } else {
                    consumer.pause(List.of(partition));
                }
            }
            while (!remaining.isEmpty()) {
                if (System.nanoTime() > run.deadlineNanos()) {
                    throw new ReplayFailed("the replay exceeded its maximum duration");
                }
                requireLease(run.lease());
                Map<EventHandler, Map<String, List<IncomingEvent>>> byProjector = new LinkedHashMap<>();
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                    if (record.offset() >= end.get(partition)) {
                        continue;
                    }
                    for (EventHandler projector : projectors) {
                        if (!reads(projector, record)) {
                            continue;
                        }
                        IncomingEvent event;
                        try {
                            event = wellFormed(record, projector);
                        } catch (RuntimeException poison) {
                            skipped++;
                            continue;
                        }
                        if (event != null) {
                            byProjector.computeIfAbsent(projector, p -> new LinkedHashMap<>())
                                    .computeIfAbsent(event.agencyId(), agency -> new ArrayList<>()).add(event);
                        }
                    }
                }
                for (Map.Entry<EventHandler, Map<String, List<IncomingEvent>>> projector : byProjector.entrySet()) {
                    for (List<IncomingEvent> events : projector.getValue().values()) {
                        for (int from = 0; from < events.size(); from += run.batchSize()) {
                            long[] counts = applyTogether(run.id(), projector.getKey(),
                                    events.subList(from, Math.min(events.size(), from + run.batchSize())));
                            applied += counts[0];
                            skipped += counts[1];
                        }
                    }
                }
                Map<String, Long> replayed = new HashMap<>();
                for (TopicPartition partition : partitions) {
                    long position = Math.min(consumer.position(partition), end.get(partition));
                    replayed.merge(partition.topic(), Math.max(0, position - begin.get(partition)), Long::sum);
                    if (position >= end.get(partition) && remaining.remove(partition)) {
                        consumer.pause(List.of(partition));
                    }
                }
                metrics.progress(replayed, totals);
                if (!store.progress(run.id(), replayed, applied, skipped) || !run.carryOn().getAsBoolean()) {
                    return new Outcome(false, applied, skipped);
                }
                if (!run.throttle().isZero()) {
                    pause(run.throttle());
                }
            }
        }
        return new Outcome(true, applied, skipped);
    }

    private static List<TopicPartition> partitionsOf(KafkaConsumer<String, String> consumer, String topic) {
        List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30));
        if (partitions == null) {
            return List.of();
        }
        return partitions.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
    }

    /** Whether the record is one of {@code projector}'s: from its topics, or dead-lettered by it. */
    private static boolean reads(EventHandler projector, ConsumerRecord<String, String> record) {
        if (record.topic().endsWith(Topics.DEAD_LETTER_SUFFIX)) {
            String origin = record.topic().substring(0, record.topic().length() - Topics.DEAD_LETTER_SUFFIX.length());
            return projector.topics().contains(origin)
                    && projector.consumerName().equals(header(record, DeadLetters.CONSUMER));
        }
        return projector.topics().contains(record.topic());
    }

    /** The event to apply; null for a type the projector does not use. Throws for poison. */
    private static IncomingEvent wellFormed(ConsumerRecord<String, String> record, EventHandler projector) {
        IncomingEvent event = IncomingEvent.from(record);
        if (EventType.fromType(event.type()).isEmpty()) {
            throw new ReplayFailed("unknown event type");
        }
        if (!projector.handles(event.type())) {
            return null;
        }
        EventJson.requireObject(event.data());
        return event;
    }

    /**
     * Applies one agency's events in one transaction; poison fails the set, which is then halved until the poisoned
     * record is alone and skipped. Returns {applied, skipped}.
     */
    private long[] applyTogether(UUID id, EventHandler projector, List<IncomingEvent> events) {
        try {
            return new long[] { attempt(id, projector, events), 0 };
        } catch (RuntimeException failure) {
            if (!FailureClassifier.isPoison(failure)) {
                throw failure;
            }
            if (events.size() == 1) {
                return new long[] { 0, 1 };
            }
            int half = events.size() / 2;
            long[] first = applyTogether(id, projector, events.subList(0, half));
            long[] second = applyTogether(id, projector, events.subList(half, events.size()));
            return new long[] { first[0] + second[0], first[1] + second[1] };
        }
    }

    private int attempt(UUID id, EventHandler projector, List<IncomingEvent> events) {
        ManagedContext requestContext = Arc.container().requestContext();
        requestContext.activate();
        try {
            Arc.container().instance(TenantContext.class).get().enter(events.get(0).agencyId(), "rebuild:" + id);
            return QuarkusTransaction.requiringNew().call(() -> freshSet.apply(projector, events));
        } finally {
            requestContext.terminate();
        }
    }

    private static void requireLease(Connection lease) {
        try {
            if (!lease.isValid(5)) {
                throw new ReplayFailed("the rebuild lost its database lease");
            }
        } catch (SQLException e) {
            throw new ReplayFailed("the rebuild lost its database lease");
        }
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), UTF_8);
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReplayFailed("interrupted");
        }
    }
}
