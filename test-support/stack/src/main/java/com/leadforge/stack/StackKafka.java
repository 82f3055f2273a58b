package com.leadforge.stack;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import com.leadforge.testsupport.Await;

/**
 * What really is on the stack's broker, as a test sees it from outside the services: end offsets, record ranges,
 * consumer-group lag, and a producer for records the services never wrote themselves (redeliveries, poison). Reads
 * use manual assignment, never a group, so they commit nothing and disturb no service.
 */
public final class StackKafka implements AutoCloseable {

    /**
     * Kafka clients log their whole configuration at INFO on every start; a test that reads a topic in a polling loop
     * would drown the build log in it. Held in a field: java.util.logging keeps loggers only weakly.
     */
    private static final java.util.logging.Logger KAFKA_CLIENT_LOG = quieted("org.apache.kafka");

    private final String bootstrapServers;
    private final Admin admin;

    private static java.util.logging.Logger quieted(String category) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(category);
        logger.setLevel(java.util.logging.Level.WARNING);
        return logger;
    }

    public StackKafka(Stack stack) {
        this(stack.kafkaBootstrapServers());
    }

    public StackKafka(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30000));
    }

    public Admin admin() {
        return admin;
    }

    /** End offset (next offset to be written) of each partition of {@code topic}. */
    public Map<TopicPartition, Long> endOffsets(String topic) {
        try {
            int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(topic).partitions().size();
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                request.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            return admin.listOffsets(request).all().get(30, TimeUnit.SECONDS).entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        } catch (Exception e) {
            throw new IllegalStateException("Could not read the end offsets of " + topic, e);
        }
    }

    /** Records written to {@code topic} so far: the sum of its partitions' end offsets. */
    public long totalEndOffset(String topic) {
        return endOffsets(topic).values().stream().mapToLong(Long::longValue).sum();
    }

    /** Every record of {@code topic} from {@code from} (per partition; missing = 0) up to its current end. */
    public List<ConsumerRecord<String, String>> readFrom(String topic, Map<TopicPartition, Long> from) {
        Map<TopicPartition, Long> to = endOffsets(topic);
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = consumer()) {
            consumer.assign(to.keySet());
            to.keySet().forEach(tp -> consumer.seek(tp, from.getOrDefault(tp, 0L)));
            Await.until("records of " + topic + " up to " + to, Duration.ofSeconds(60), () -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() < to.get(new TopicPartition(record.topic(), record.partition()))) {
                        records.add(record);
                    }
                }
                return to.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
            });
        }
        return records;
    }

    /** Every record of {@code topic} from the beginning up to its current end. */
    public List<ConsumerRecord<String, String>> readAll(String topic) {
        return readFrom(topic, Map.of());
    }

    /**
     * How far behind each consumer group that reads {@code topics} is: end offsets minus committed offsets, summed
     * per group. Groups of test probes (and groups that never committed on these topics) are left out.
     */
    public Map<String, Long> lag(Set<String> topics) {
        try {
            Map<TopicPartition, Long> ends = new HashMap<>();
            topics.forEach(topic -> ends.putAll(endOffsets(topic)));
            Map<String, Long> lag = new HashMap<>();
            for (GroupListing group : admin.listGroups(ListGroupsOptions.forConsumerGroups()).all()
                    .get(30, TimeUnit.SECONDS)) {
                String id = group.groupId();
                if (id.startsWith("probe-") || id.startsWith("fault-")) {
                    continue;
                }
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(id)
                        .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
                Set<String> readTopics = committed.keySet().stream().map(TopicPartition::topic)
                        .collect(Collectors.toSet());
                long behind = 0;
                boolean reads = false;
                for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
                    if (!readTopics.contains(end.getKey().topic())) {
                        continue;
                    }
                    reads = true;
                    OffsetAndMetadata offset = committed.get(end.getKey());
                    behind += end.getValue() - (offset == null ? 0 : offset.offset());
                }
                if (reads) {
                    lag.put(id, behind);
                }
            }
            return lag;
        } catch (Exception e) {
            throw new IllegalStateException("Could not read consumer group offsets", e);
        }
    }

    /** Waits until every consumer group of {@code topics} has committed up to the end of each partition. */
    public void awaitNoLag(Set<String> topics, Duration timeout) {
        Map<String, Long> last = new HashMap<>();
        Await.until("consumers of " + topics + " caught up", timeout, () -> {
            last.clear();
            last.putAll(lag(topics));
            return !last.isEmpty() && last.values().stream().allMatch(behind -> behind == 0);
        }, () -> "; lag per group " + last);
    }

    /** A producer with the services' durability settings (acks=all, idempotent). Close it. */
    public KafkaProducer<String, String> producer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()));
    }

    /** A consumer without a group (assign and seek only). Close it. */
    public KafkaConsumer<String, String> consumer() {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG, "fault-reader-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()));
    }

    public static String header(ConsumerRecord<String, String> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null
                : new String(header.value(), java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
