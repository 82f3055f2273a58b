package com.leadforge.campaign.counters;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;

import com.leadforge.shared.events.LeadSnapshot;
import com.leadforge.shared.inbox.IncomingEvent;
import com.leadforge.shared.inbox.PoisonEventException;
import com.leadforge.shared.kafka.KafkaClients;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Reads the whole lead topic once, from the beginning up to the end offsets captured when it starts (records
 * published meanwhile are left to the live consumer), with a consumer of its own that joins no group and commits
 * nothing, so the live consumer's position is untouched. Bounded in time ({@code leadforge.reconcile.max-duration},
 * and a fault-tolerance timeout above it) and in memory: only the one agency's leads are kept, at most
 * {@code leadforge.reconcile.max-leads} of them, one compact snapshot each. The consumer is built by
 * {@link KafkaClients}, so it reaches the cluster exactly as the service's connector does (TLS, SASL).
 */
@ApplicationScoped
public class TopicReplay {

    /** What the replay found for one agency: the newest snapshot of each of its leads. */
    public record Result(Map<UUID, LeadSnapshot> leads, long recordsRead, long skippedRecords) {
    }

    /** Told how far the replay is: records read and to read (all agencies), distinct leads of the agency kept. */
    @FunctionalInterface
    public interface ProgressListener {
        void progress(long recordsRead, long recordsTotal, long leadsKept);
    }

    /** The replay could not complete within its bounds; retrying at once would not help. */
    public static class IncompleteReplayException extends RuntimeException {
        public IncompleteReplayException(String message) {
            super(message, null, false, false);
        }
    }

    private final KafkaClients clients;
    private final String topic;
    private final Duration maxDuration;
    private final int maxLeads;

    public TopicReplay(KafkaClients clients,
            @ConfigProperty(name = "leadforge.reconcile.topic") String topic,
            @ConfigProperty(name = "leadforge.reconcile.max-duration") Duration maxDuration,
            @ConfigProperty(name = "leadforge.reconcile.max-leads") int maxLeads) {
        this.clients = clients;
        this.topic = topic;
        this.maxDuration = maxDuration;
        this.maxLeads = maxLeads;
    }

    /** Transient broker failures are retried; an over-long or over-large replay is not. */
    @Timeout(value = 90, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 1, delayUnit = ChronoUnit.SECONDS, abortOn = IncompleteReplayException.class)
    public Result read(String agencyId, ProgressListener progress) {
        long deadline = System.nanoTime() + maxDuration.toNanos();
        Map<UUID, LeadSnapshot> leads = new HashMap<>();
        long read = 0;
        long skipped = 0;
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig())) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
            if (infos == null || infos.isEmpty()) {
                return new Result(leads, 0, 0); // nothing was ever published
            }
            List<TopicPartition> partitions = infos.stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(10));
            long total = 0;
            for (Map.Entry<TopicPartition, Long> start : consumer.beginningOffsets(partitions, Duration.ofSeconds(10))
                    .entrySet()) {
                total += Math.max(0, end.getOrDefault(start.getKey(), 0L) - start.getValue());
            }
            progress.progress(0, total, 0);
            while (!reachedEnd(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new IncompleteReplayException("The lead topic could not be read to its end within "
                            + maxDuration.toSeconds() + " s");
                }
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                    if (record.offset() >= end.getOrDefault(partition, 0L)) {
                        continue; // published after the replay started: the live consumer's business
                    }
                    read++;
                    LeadSnapshot lead;
                    try {
                        IncomingEvent event = IncomingEvent.from(record);
                        if (!agencyId.equals(event.agencyId())) {
                            continue;
                        }
                        lead = LeadEventData.snapshotOf(event);
                    } catch (PoisonEventException e) {
                        skipped++; // the live consumer dead-lettered it too
                        continue;
                    }
                    if (lead == null) {
                        continue;
                    }
                    LeadSnapshot known = leads.get(lead.leadId());
                    if (known == null || lead.version() > known.version()) {
                        leads.put(lead.leadId(), lead);
                    }
                    if (leads.size() > maxLeads) {
                        throw new IncompleteReplayException("The agency has more than " + maxLeads
                                + " leads on the topic; raise leadforge.reconcile.max-leads to reconcile it");
                    }
                }
                progress.progress(read, total, leads.size());
            }
        }
        return new Result(leads, read, skipped);
    }

    private static boolean reachedEnd(KafkaConsumer<String, String> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> partition : end.entrySet()) {
            if (consumer.position(partition.getKey(), Duration.ofSeconds(10)) < partition.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** A fresh client id per replay: two replays (or a replay and its retry) never share client metrics. */
    Map<String, Object> consumerConfig() {
        Map<String, Object> config = clients.consumerConfig("campaign-reconcile-" + UUID.randomUUID(), Map.of(
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1000",
                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000",
                ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000"));
        // The connector's map carries the service's group id; a replay reads by assignment and belongs to no group.
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        return config;
    }
}
