package com.leadforge.shared.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Builds the Kafka clients our own code creates (outbox producer, dead-letter producer, replays, admin) from the same
 * {@code kafka.*} configuration the SmallRye connector uses, so one set of settings (bootstrap servers, security
 * protocol, SASL, TLS) configures every client of a service.
 */
@ApplicationScoped
public class KafkaClients {

    /** Connector-level keys in the shared map that are not Kafka client properties. */
    private static final Set<String> NOT_CLIENT_PROPERTIES = Set.of("health.enabled", "health-enabled",
            "snappy.enabled", "devservices.enabled");

    private final Map<String, Object> common;

    public KafkaClients(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        Map<String, Object> copy = new HashMap<>();
        kafkaConfig.forEach((key, value) -> {
            if (!NOT_CLIENT_PROPERTIES.contains(key) && !key.startsWith("health")) {
                copy.put(key, value);
            }
        });
        this.common = Map.copyOf(copy);
    }

    /** The shared settings plus {@code overrides}; overrides win. */
    public Map<String, Object> config(Map<String, Object> overrides) {
        Map<String, Object> config = new HashMap<>(common);
        config.putAll(overrides);
        return config;
    }

    public KafkaProducer<String, String> producer(String clientId, Map<String, Object> overrides) {
        Map<String, Object> config = config(overrides);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return new KafkaProducer<>(config);
    }

    public KafkaConsumer<String, String> consumer(String clientId, Map<String, Object> overrides) {
        Map<String, Object> config = config(overrides);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return new KafkaConsumer<>(config);
    }

    public Admin admin(String clientId, Map<String, Object> overrides) {
        Map<String, Object> config = new HashMap<>();
        // An admin client warns about every producer/consumer key; give it only what it understands.
        common.forEach((key, value) -> {
            if (AdminClientConfig.configNames().contains(key) || key.startsWith("sasl.") || key.startsWith("ssl.")) {
                config.put(key, value);
            }
        });
        config.putAll(overrides);
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
        return Admin.create(config);
    }
}
