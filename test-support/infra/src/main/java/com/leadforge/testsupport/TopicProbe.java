package com.leadforge.testsupport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a topic from the beginning, for tests that assert what was really published. */
public final class TopicProbe implements AutoCloseable {

    private final KafkaConsumer<String, String> consumer;
    private final List<ConsumerRecord<String, String>> seen = new ArrayList<>();

    public TopicProbe(String bootstrapServers, String topic) {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "probe-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()));
        consumer.subscribe(List.of(topic));
    }

    /** Polls until a record matching {@code match} arrives, and returns it. */
    public ConsumerRecord<String, String> await(Predicate<ConsumerRecord<String, String>> match, Duration timeout) {
        List<ConsumerRecord<String, String>> found = new ArrayList<>();
        Await.until("a matching record", timeout, () -> {
            for (ConsumerRecord<String, String> record : seen) {
                if (match.test(record)) {
                    found.add(record);
                    return true;
                }
            }
            consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
            return false;
        }, () -> "; saw " + seen.size() + " record(s)");
        return found.get(0);
    }

    /** Every record read so far that matches. */
    public List<ConsumerRecord<String, String>> seen(Predicate<ConsumerRecord<String, String>> match) {
        consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
        return seen.stream().filter(match).toList();
    }

    /** Every record of the topic up to its end offsets as of now, matching {@code match}. */
    public List<ConsumerRecord<String, String>> readToEnd(Predicate<ConsumerRecord<String, String>> match,
            Duration timeout) {
        Await.until("the topic read to its end", timeout, () -> {
            consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
            var assignment = consumer.assignment();
            if (assignment.isEmpty()) {
                return false;
            }
            var end = consumer.endOffsets(assignment);
            return assignment.stream().allMatch(p -> consumer.position(p) >= end.get(p));
        });
        return seen.stream().filter(match).toList();
    }

    public static String header(ConsumerRecord<String, String> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
