package com.leadforge.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * A real single-node KRaft Apache Kafka broker (Maven Central's {@code kafka_2.13}) running as its own JVM on
 * loopback ports. Its log directory decides whether data survives a restart: a temporary one for tests, a
 * fixed one for the local stack.
 */
public final class KafkaBroker implements AutoCloseable {

    private static final String CLASSPATH_RESOURCE = "/leadforge/kafka-broker.classpath";

    private final Process process;
    private final int port;
    private final Path workDirectory;
    private final boolean deleteOnClose;

    private KafkaBroker(Process process, int port, Path workDirectory, boolean deleteOnClose) {
        this.process = process;
        this.port = port;
        this.workDirectory = workDirectory;
        this.deleteOnClose = deleteOnClose;
    }

    /** A throw-away broker in a temporary directory, removed on close. */
    public static KafkaBroker startEphemeral() {
        try {
            return start(Files.createTempDirectory("leadforge-kafka-"), Ports.free(), Ports.free(), true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static KafkaBroker start(Path workDirectory, int port, int controllerPort, boolean deleteOnClose) {
        try {
            Files.createDirectories(workDirectory);
            Path logs = workDirectory.resolve("data");
            Path config = workDirectory.resolve("server.properties");
            Files.writeString(config, serverProperties(logs, port, controllerPort));
            Path log4j = workDirectory.resolve("log4j2.properties");
            Files.writeString(log4j, """
                    status = error
                    appender.file.type = File
                    appender.file.name = file
                    appender.file.fileName = %s
                    appender.file.layout.type = PatternLayout
                    appender.file.layout.pattern = %%d %%p %%c{1} - %%m%%n
                    rootLogger.level = warn
                    rootLogger.appenderRef.file.ref = file
                    logger.kafka.name = kafka.server.KafkaRaftServer
                    logger.kafka.level = info
                    """.formatted(workDirectory.resolve("broker.log")));
            String classpath = brokerClasspath();
            if (!Files.exists(logs.resolve("meta.properties"))) {
                String clusterId = UUID.randomUUID().toString().replace("-", "").substring(0, 22);
                run(workDirectory, classpath, log4j, "kafka.tools.StorageTool", "format", "--standalone",
                        "-t", clusterId, "-c", config.toString());
            }
            Process process = java(workDirectory, classpath, log4j, "kafka.Kafka", config.toString())
                    .redirectOutput(workDirectory.resolve("broker.out").toFile())
                    .redirectErrorStream(true)
                    .start();
            KafkaBroker broker = new KafkaBroker(process, port, workDirectory, deleteOnClose);
            Runtime.getRuntime().addShutdownHook(new Thread(broker::destroyQuietly, "kafka-broker-stop"));
            broker.awaitReady(Duration.ofSeconds(90));
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException("Kafka broker did not start", e);
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public Path workDirectory() {
        return workDirectory;
    }

    /** The broker JVM's process id, for fault tests that pause it (SIGSTOP/SIGCONT) or kill it. */
    public long pid() {
        return process.pid();
    }

    /** Creates the topics that do not exist yet (idempotent). */
    public void ensureTopics(Collection<String> names, int partitions) {
        try (Admin admin = admin()) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (String name : names) {
                if (!existing.contains(name)) {
                    missing.add(new NewTopic(name, partitions, (short) 1));
                }
            }
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            }
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Could not create topics " + names, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000));
    }

    private void awaitReady(Duration timeout) {
        Await.until("Kafka broker on port " + port, timeout, () -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("Kafka broker exited with " + process.exitValue() + ": " + tail());
            }
            if (!Ports.isOpen(port)) {
                return false;
            }
            try (Admin admin = admin()) {
                return !admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty();
            } catch (Exception e) {
                return false;
            }
        }, this::tail);
    }

    private String tail() {
        try {
            List<String> lines = new ArrayList<>();
            for (String file : List.of("broker.out", "broker.log")) {
                Path path = workDirectory.resolve(file);
                if (Files.exists(path)) {
                    List<String> all = Files.readAllLines(path);
                    lines.addAll(all.subList(Math.max(0, all.size() - 20), all.size()));
                }
            }
            return String.join("\n", lines);
        } catch (IOException e) {
            return "(no broker log: " + e.getMessage() + ")";
        }
    }

    private static String serverProperties(Path logs, int port, int controllerPort) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
        p.put("log.dirs", logs.toString());
        p.put("num.partitions", "3");
        p.put("auto.create.topics.enable", "false");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "3");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "2");
        p.put("background.threads", "2");
        p.put("log.cleaner.threads", "1");
        StringBuilder text = new StringBuilder();
        p.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
        return text.toString();
    }

    private static String brokerClasspath() throws IOException {
        try (InputStream in = KafkaBroker.class.getResourceAsStream(CLASSPATH_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(CLASSPATH_RESOURCE + " is missing: build test-support/kafka-broker");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
    }

    private static ProcessBuilder java(Path workDirectory, String classpath, Path log4j, String mainClass,
            String... args) {
        List<String> command = new ArrayList<>(List.of(JavaRuntime.current()));
        command.addAll(JavaRuntime.serverOptions("128m", "512m"));
        command.addAll(List.of("-Djava.awt.headless=true", "-Dlog4j2.configurationFile=" + log4j, "-cp", classpath,
                mainClass));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).directory(workDirectory.toFile());
    }

    private static void run(Path workDirectory, String classpath, Path log4j, String mainClass, String... args)
            throws IOException {
        Process process = java(workDirectory, classpath, log4j, mainClass, args)
                .redirectOutput(workDirectory.resolve("format.out").toFile())
                .redirectErrorStream(true)
                .start();
        try {
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException(mainClass + " failed: "
                        + Files.readString(workDirectory.resolve("format.out")));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException(e);
        }
    }

    private void destroyQuietly() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    @Override
    public void close() {
        destroyQuietly();
        if (deleteOnClose) {
            Files2.deleteRecursively(workDirectory);
        }
    }
}
