package com.leadforge.testsupport;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Quarkus test resource that starts a real PostgreSQL server and a real Kafka broker for one service's tests, and
 * points the service at them (and at the test token key). Arguments: {@code database} (name of the service's
 * database) and {@code topics} (comma-separated topics to create, each with its dead-letter companion).
 */
public class RealInfrastructure implements QuarkusTestResourceLifecycleManager {

    private PostgresServer postgres;
    private KafkaBroker kafka;
    private String database = "app";
    private List<String> topics = List.of();

    @Override
    public void init(Map<String, String> args) {
        database = args.getOrDefault("database", database);
        String topicList = args.getOrDefault("topics", "");
        topics = topicList.isBlank() ? List.of() : List.of(topicList.split(","));
    }

    @Override
    public Map<String, String> start() {
        postgres = PostgresServer.startEphemeral();
        postgres.ensureServiceDatabase(database);
        kafka = KafkaBroker.startEphemeral();
        List<String> withDeadLetters = new java.util.ArrayList<>();
        for (String topic : topics) {
            withDeadLetters.add(topic.trim());
            withDeadLetters.add(topic.trim() + ".dlq");
        }
        kafka.ensureTopics(withDeadLetters, 3);

        Map<String, String> config = new HashMap<>();
        config.put("quarkus.datasource.jdbc.url", postgres.jdbcUrl(database));
        config.put("quarkus.datasource.username", PostgresServer.APP_USER);
        config.put("quarkus.datasource.password", PostgresServer.APP_PASSWORD);
        config.put("kafka.bootstrap.servers", kafka.bootstrapServers());
        config.putAll(TestTokens.verifierConfig());
        return config;
    }

    @Override
    public void stop() {
        try {
            if (kafka != null) {
                kafka.close();
            }
        } finally {
            if (postgres != null) {
                postgres.close();
            }
        }
    }
}
