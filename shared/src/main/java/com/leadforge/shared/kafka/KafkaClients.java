package com.leadforge.shared.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.CommonClientConfigs;
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
 * {@code kafka.*} configuration the SmallRye connector uses ({@code KAFKA_*} environment variables included), so one
 * set of settings (bootstrap servers, security protocol, SASL, TLS) configures every client of a service. A caller's
 * overrides tune the client (timeouts, acks) but can never replace how it connects: a client that slipped past the
 * cluster's security settings would fail only in production, where they are set.
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

    /** Whether {@code key} says how a client reaches and authenticates to the cluster. */
    static boolean isConnectionSetting(String key) {
        return key.equals(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)
                || key.equals(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG)
                || key.startsWith("sasl.") || key.startsWith("ssl.") || key.equals("tls-configuration-name");
    }

    /** The shared settings plus {@code overrides}; overrides win, except over connection settings. */
    public Map<String, Object> config(Map<String, Object> overrides) {
        Map<String, Object> config = new HashMap<>(common);
        putOverrides(config, overrides);
        return config;
    }

    public Map<String, Object> producerConfig(String clientId, Map<String, Object> overrides) {
        Map<String, Object> config = config(overrides);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return config;
    }

    public Map<String, Object> consumerConfig(String clientId, Map<String, Object> overrides) {
        Map<String, Object> config = config(overrides);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return config;
    }

    public Map<String, Object> adminConfig(String clientId, Map<String, Object> overrides) {
        Map<String, Object> config = new HashMap<>();
        // An admin client warns about every producer/consumer key; give it only what it understands.
        common.forEach((key, value) -> {
            if (AdminClientConfig.configNames().contains(key) || isConnectionSetting(key)) {
                config.put(key, value);
            }
        });
        putOverrides(config, overrides);
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
        return config;
    }

    public KafkaProducer<String, String> producer(String clientId, Map<String, Object> overrides) {
        return new KafkaProducer<>(producerConfig(clientId, overrides));
    }

    public KafkaConsumer<String, String> consumer(String clientId, Map<String, Object> overrides) {
        return new KafkaConsumer<>(consumerConfig(clientId, overrides));
    }

    public Admin admin(String clientId, Map<String, Object> overrides) {
        return Admin.create(adminConfig(clientId, overrides));
    }

    private static void putOverrides(Map<String, Object> config, Map<String, Object> overrides) {
        overrides.forEach((key, value) -> {
            if (isConnectionSetting(key)) {
                throw new IllegalArgumentException("A client may not override the connector's connection setting "
                        + key + "; set kafka." + key + " (KAFKA_" + key.toUpperCase().replace('.', '_') + ") instead");
            }
            config.put(key, value);
        });
    }
}
