package com.leadforge.stack.fault;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

import com.leadforge.stack.Stack;
import com.leadforge.stack.StackFaults;
import com.leadforge.stack.StackKafka;
import com.leadforge.testsupport.Await;

/**
 * What every fault test needs around its fault: the stack's API, faults and broker, a quiet starting point, the
 * dead-letter topics' growth, and the events really published. Tests share one stack, so they measure deltas and
 * use fresh campaigns; {@link #awaitQuiet()} makes sure the previous test's events are consumed before a baseline.
 */
final class EventBackbone implements AutoCloseable {

    static final String LEAD_EVENTS = "leadforge.lead-events";
    static final String CAMPAIGN_EVENTS = "leadforge.campaign-events";
    static final Set<String> EVENT_TOPICS = Set.copyOf(Stack.TOPICS);
    static final List<String> DEAD_LETTER_TOPICS = Stack.TOPICS.stream().map(topic -> topic + ".dlq").toList();
    /** How long effects may take to appear after the fault is over before a test calls them lost. */
    static final Duration EFFECTS_TIMEOUT = Duration.ofSeconds(45);

    final Stack stack;
    final LeadForgeApi api;
    final StackFaults faults;
    final StackKafka kafka;

    EventBackbone(Stack stack) {
        this.stack = stack;
        this.api = new LeadForgeApi(stack);
        this.faults = new StackFaults(stack);
        this.kafka = new StackKafka(stack);
    }

    /** Waits until every consumer group has committed to the end of every event topic (bounded). */
    void awaitQuiet() {
        kafka.awaitNoLag(EVENT_TOPICS, Duration.ofSeconds(60));
    }

    /** Like {@link #awaitQuiet()} but reports instead of failing: false if some consumer still lags. */
    boolean settled(Duration timeout) {
        try {
            kafka.awaitNoLag(EVENT_TOPICS, timeout);
            return true;
        } catch (IllegalStateException stillLagging) {
            return false;
        }
    }

    /** Records on each dead-letter topic so far. */
    Map<String, Long> deadLetterEnds() {
        Map<String, Long> ends = new LinkedHashMap<>();
        DEAD_LETTER_TOPICS.forEach(topic -> ends.put(topic, kafka.totalEndOffset(topic)));
        return ends;
    }

    /** Records added to all dead-letter topics since {@code before}. */
    long deadLettersSince(Map<String, Long> before) {
        return deadLetterEnds().entrySet().stream()
                .mapToLong(e -> e.getValue() - before.getOrDefault(e.getKey(), 0L)).sum();
    }

    /** Polls {@code condition} up to {@code timeout}; true if it held, false on timeout (the caller reports counts). */
    static boolean within(String what, Duration timeout, BooleanSupplier condition) {
        try {
            Await.until(what, timeout, condition);
            return true;
        } catch (IllegalStateException timedOut) {
            return false;
        }
    }

    /** The {@code leadforge.lead.created.v1} records published for {@code leadIds} since {@code from}. */
    CreatedEvents createdEvents(Map<TopicPartition, Long> from, Collection<String> leadIds) {
        Set<String> wanted = new HashSet<>(leadIds);
        Set<String> ids = new HashSet<>();
        Set<String> leads = new HashSet<>();
        int records = 0;
        for (ConsumerRecord<String, String> record : kafka.readFrom(LEAD_EVENTS, from)) {
            if (wanted.contains(record.key())
                    && "leadforge.lead.created.v1".equals(StackKafka.header(record, "ce_type"))) {
                records++;
                ids.add(StackKafka.header(record, "ce_id"));
                leads.add(record.key());
            }
        }
        return new CreatedEvents(records, ids.size(), leads.size());
    }

    /** Created events on the topic: records (duplicates of at-least-once included), distinct ce_id, distinct leads. */
    record CreatedEvents(int records, int distinctIds, int distinctLeads) {
    }

    /** Publishes {@code records} again as they are (partition, key, value, headers), in the given order: a redelivery. */
    void republish(List<ConsumerRecord<String, String>> records) {
        try (org.apache.kafka.clients.producer.KafkaProducer<String, String> producer = kafka.producer()) {
            for (ConsumerRecord<String, String> record : records) {
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(record.topic(), record.partition(),
                        record.key(), record.value(), record.headers()));
            }
            producer.flush();
        }
    }

    static double seconds(long nanos) {
        return nanos / 1e9;
    }

    @Override
    public void close() {
        kafka.close();
    }
}
