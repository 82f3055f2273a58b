package com.leadforge.campaign.counters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

import com.leadforge.shared.kafka.KafkaClients;

import io.quarkus.kafka.client.runtime.KafkaRuntimeConfigProducer;
import io.quarkus.runtime.ApplicationConfig;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * Security settings given the way the SmallRye connector takes them ({@code KAFKA_*} environment variables) reach
 * every Kafka client the service builds itself: the outbox and dead-letter producers, the dead-letter re-drive and
 * the counters' topic replay consumers, the outbox's admin probe. The map comes from Quarkus's own producer of the
 * connector's {@code default-kafka-broker} configuration, so the environment-variable naming is Quarkus's, not ours.
 */
class KafkaSettingsReachEveryClientTest {

    static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required "
            + "username=\"campaign-service\" password=\"not-a-real-secret\";";
    static final Map<String, String> ENVIRONMENT = Map.of(
            "KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1",
            "KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
            "KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
            "KAFKA_SASL_JAAS_CONFIG", JAAS,
            "KAFKA_SSL_ENDPOINT_IDENTIFICATION_ALGORITHM", "https");
    static final Map<String, String> EXPECTED = Map.of(
            "bootstrap.servers", "127.0.0.1:1",
            "security.protocol", "SASL_PLAINTEXT",
            "sasl.mechanism", "SCRAM-SHA-512",
            "sasl.jaas.config", JAAS,
            "ssl.endpoint.identification.algorithm", "https");

    final KafkaClients clients = new KafkaClients(connectorConfig(ENVIRONMENT));

    @Test
    void theTopicReplayConsumerConnectsLikeTheConnector() {
        Map<String, Object> config = new TopicReplay(clients, "leadforge.lead-events", Duration.ofMinutes(1), 10)
                .consumerConfig();
        assertCarriesConnectionSettings(config);
        assertFalse(config.containsKey(ConsumerConfig.GROUP_ID_CONFIG), "a replay joins no group: " + config);
        assertEquals("false", config.get(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG));
    }

    @Test
    void producersConsumersAndAdminsBuiltFromTheSharedSettingsConnectLikeTheConnector() {
        assertCarriesConnectionSettings(clients.producerConfig("outbox", Map.of(ProducerConfig.ACKS_CONFIG, "all")));
        assertCarriesConnectionSettings(clients.consumerConfig("redrive", Map.of()));
        assertCarriesConnectionSettings(clients.adminConfig("probe", Map.of()));
    }

    @Test
    void theKafkaClientsAcceptTheSettings() {
        // Constructing a client parses the JAAS entry and sets up the SASL channel without connecting anywhere.
        try (KafkaProducer<String, String> producer = clients.producer("outbox", Map.of());
                KafkaConsumer<String, String> consumer = clients.consumer("redrive", Map.of());
                Admin admin = clients.admin("probe", Map.of())) {
            assertTrue(producer.metrics().keySet().stream().anyMatch(name -> "outbox".equals(name.tags()
                    .get("client-id"))));
            assertTrue(consumer.metrics().keySet().stream().anyMatch(name -> "redrive".equals(name.tags()
                    .get("client-id"))));
            assertTrue(admin.metrics().keySet().stream().anyMatch(name -> "probe".equals(name.tags()
                    .get("client-id"))));
        }
    }

    @Test
    void noClientMayOverrideHowItConnects() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> clients.producerConfig("outbox", Map.of("security.protocol", "PLAINTEXT")));
        assertTrue(refused.getMessage().contains("KAFKA_SECURITY_PROTOCOL"), refused.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> clients.consumerConfig("redrive", Map.of("bootstrap.servers", "elsewhere:9092")));
        assertThrows(IllegalArgumentException.class,
                () -> clients.adminConfig("probe", Map.of("sasl.jaas.config", "")));
    }

    static void assertCarriesConnectionSettings(Map<String, Object> config) {
        EXPECTED.forEach((key, value) -> assertEquals(value, config.get(key), key + " in " + config));
    }

    /** What Quarkus hands the connector (and {@link KafkaClients}) for these environment variables. */
    static Map<String, Object> connectorConfig(Map<String, String> environment) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new EnvConfigSource(new LinkedHashMap<>(environment), 300)).build();
        ApplicationConfig application = (ApplicationConfig) Proxy.newProxyInstance(
                ApplicationConfig.class.getClassLoader(), new Class<?>[] { ApplicationConfig.class },
                (proxy, method, args) -> switch (method.getName()) {
                    case "name" -> Optional.of("campaign-service");
                    case "version", "uiHeader" -> Optional.empty();
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return new KafkaRuntimeConfigProducer().createKafkaRuntimeConfig(config, application);
    }
}
