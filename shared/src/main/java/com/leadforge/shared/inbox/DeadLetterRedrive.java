package com.leadforge.shared.inbox;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.leadforge.shared.inbox.ConsumerStates.Outcome;
import com.leadforge.shared.kafka.KafkaClients;
import com.leadforge.shared.problem.ProblemException;
import com.leadforge.shared.problem.ProblemType;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

/**
 * Re-drives dead letters back through the consumer that refused them, typically after a fix was deployed. It reads
 * each dead-letter topic from its beginning to its end at call time (no committed position, so nothing is ever
 * skipped) and applies the records its own consumers dead-lettered through the normal idempotent path: a record already
 * applied is counted and left alone, so running it again is always safe. Records of other services' consumers on the
 * same shared dead-letter topic are counted and ignored. One re-drive at a time per service, bounded in time.
 */
@ApplicationScoped
public class DeadLetterRedrive {

    private static final Logger LOG = Logger.getLogger(DeadLetterRedrive.class);

    /** snake_case whatever the service's REST naming (operators' tooling reads it from every service alike). */
    @RegisterForReflection
    @com.fasterxml.jackson.databind.annotation.JsonNaming(com.fasterxml.jackson.databind.PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Result(String consumer, String deadLetterTopic, int examined, int applied, int alreadyApplied,
            int stillFailing, int otherConsumers) {
    }

    private final Instance<EventHandler> handlers;
    private final ReliableConsumer reliableConsumer;
    private final KafkaClients clients;
    private final String clientId;
    private final Duration maxDuration;
    private final int maxRecords;
    private final ReentrantLock singleFlight = new ReentrantLock();
    // Attempts must run outside the caller's request context: each opens one of its own for the event's agency.
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> new Thread(r, "dead-letter-redrive"));

    public DeadLetterRedrive(Instance<EventHandler> handlers, ReliableConsumer reliableConsumer, KafkaClients clients,
            @ConfigProperty(name = "quarkus.application.name") String applicationName,
            @ConfigProperty(name = "leadforge.events.redrive.max-duration", defaultValue = "120s") Duration maxDuration,
            @ConfigProperty(name = "leadforge.events.redrive.max-records", defaultValue = "100000") int maxRecords) {
        this.handlers = handlers;
        this.reliableConsumer = reliableConsumer;
        this.clients = clients;
        this.clientId = applicationName + "-redrive";
        this.maxDuration = maxDuration;
        this.maxRecords = maxRecords;
    }

    public List<Result> redriveAll() {
        if (!singleFlight.tryLock()) {
            throw new ProblemException(ProblemType.CONFLICT, "A re-drive is already running in this instance");
        }
        try {
            Future<List<Result>> run = worker.submit(this::run);
            return run.get(maxDuration.toMillis() + 10_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProblemException(ProblemType.SERVICE_UNAVAILABLE, "Re-drive interrupted");
        } catch (ExecutionException | TimeoutException e) {
            LOG.error("Dead-letter re-drive failed", e);
            throw new ProblemException(ProblemType.SERVICE_UNAVAILABLE,
                    "The dead-letter topics could not be read; try again later");
        } finally {
            singleFlight.unlock();
        }
    }

    private List<Result> run() {
        List<Result> results = new ArrayList<>();
        long deadline = System.nanoTime() + maxDuration.toNanos();
        for (EventHandler handler : handlers) {
            for (String topic : handler.topics().stream().sorted().toList()) {
                results.add(redrive(handler, DeadLetters.topicFor(topic), deadline));
            }
        }
        return results;
    }

    private Result redrive(EventHandler handler, String deadLetterTopic, long deadline) {
        int examined = 0;
        int applied = 0;
        int alreadyApplied = 0;
        int stillFailing = 0;
        int others = 0;
        try (KafkaConsumer<String, String> consumer = clients.consumer(clientId, Map.of(
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "500",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"))) {
            List<PartitionInfo> partitions = consumer.partitionsFor(deadLetterTopic, Duration.ofSeconds(10));
            if (partitions == null || partitions.isEmpty()) {
                return new Result(handler.consumerName(), deadLetterTopic, 0, 0, 0, 0, 0);
            }
            List<TopicPartition> assigned = partitions.stream()
                    .map(p -> new TopicPartition(deadLetterTopic, p.partition())).toList();
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            Map<TopicPartition, Long> end = consumer.endOffsets(assigned, Duration.ofSeconds(10));
            while (!reached(consumer, end)) {
                if (System.nanoTime() > deadline || examined >= maxRecords) {
                    throw new IllegalStateException("Re-drive of " + deadLetterTopic + " exceeded its bounds");
                }
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.offset() >= end.getOrDefault(new TopicPartition(record.topic(), record.partition()), 0L)) {
                        continue;
                    }
                    examined++;
                    if (!handler.consumerName().equals(header(record, DeadLetters.CONSUMER))) {
                        others++;
                        continue;
                    }
                    switch (applyWithFewRetries(handler, record)) {
                        case APPLIED -> applied++;
                        case DUPLICATE -> alreadyApplied++;
                        default -> stillFailing++;
                    }
                }
            }
        }
        LOG.infof("Re-drive of %s for %s: examined %d, applied %d, already applied %d, still failing %d", deadLetterTopic,
                handler.consumerName(), examined, applied, alreadyApplied, stillFailing);
        return new Result(handler.consumerName(), deadLetterTopic, examined, applied, alreadyApplied, stillFailing,
                others);
    }

    private Outcome applyWithFewRetries(EventHandler handler, ConsumerRecord<String, String> record) {
        for (int attempt = 1; attempt <= 3; attempt++) {
            try {
                return reliableConsumer.applyOnce(handler, record);
            } catch (RuntimeException e) {
                if (FailureClassifier.isPoison(e) || attempt == 3) {
                    LOG.warnf("Re-drive could not apply %s-%d@%d: %s", record.topic(), record.partition(),
                            record.offset(), FailureClassifier.describe(e));
                    return Outcome.DEAD_LETTERED;
                }
            }
        }
        return Outcome.DEAD_LETTERED;
    }

    private static boolean reached(KafkaConsumer<String, String> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> partition : end.entrySet()) {
            if (consumer.position(partition.getKey()) < partition.getValue()) {
                return false;
            }
        }
        return true;
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), UTF_8);
    }

    @PreDestroy
    void close() {
        worker.shutdownNow();
    }
}
