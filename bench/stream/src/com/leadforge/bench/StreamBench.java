package com.leadforge.bench;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadforge.stack.Stack;

/**
 * Many live streams through the gateway on the real stack: opens the streams, changes a campaign's status at a steady
 * rate, and measures for every (stream, event) the time from the change ({@code occurred_at} in the event, set by
 * campaign-service) to the client reading the SSE event: outbox, Kafka, the live-updates consumer, the stream log,
 * the delivery thread, analytics' and the gateway's relays. Also the resident memory and heap of the gateway and
 * analytics-service before and after opening the streams. Not a test: prints the figures and exits 0.
 *
 * <p>Arguments: streams, events, events per second, work directory, results file.
 */
public final class StreamBench {

    static final double TARGET_P95_MS = 250;
    /**
     * Threads reading the streams, each multiplexing its share on one selector ({@code READER_THREADS}, default 2); 0
     * reads each stream on a blocking thread of its own, like a browser tab (the client then runs 500 threads on the
     * two cores the server uses).
     */
    static final int READER_THREADS = Integer.parseInt(System.getenv().getOrDefault("READER_THREADS", "2"));
    /** Changes made before measuring ({@code WARMUP}, default 120, at {@code WARMUP_RATE} a second, default 4). */
    static final int WARMUP = Integer.parseInt(System.getenv().getOrDefault("WARMUP", "120"));
    static final int WARMUP_RATE = Integer.parseInt(System.getenv().getOrDefault("WARMUP_RATE", "4"));
    static final String ADMIN = "admin-acme";
    static final String CAMPAIGN_TOPIC = "leadforge.campaign-events";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    public static void main(String[] args) throws Exception {
        int streams = Integer.parseInt(args[0]);
        int events = Integer.parseInt(args[1]);
        int rate = Integer.parseInt(args[2]);
        Path work = Path.of(args[3]).toAbsolutePath();
        Path results = Path.of(args[4]).toAbsolutePath();
        Path root = Path.of(".").toAbsolutePath().normalize();
        Path keycloak = Path.of(System.getProperty("leadforge.keycloak.dist"));
        deleteRecursively(work);
        System.out.println("Starting PostgreSQL, Kafka, Keycloak and the five services on free ports (logs: "
                + work.resolve("logs") + ") ...");
        try (Stack stack = Stack.start(new Stack.Layout(root, keycloak, work, false, Stack.StackPorts.free()))) {
            run(stack, streams, events, rate, results);
        }
    }

    private static void run(Stack stack, int streams, int events, int rate, Path results) throws Exception {
        String token = token(stack, ADMIN);
        String campaign = send(stack, "POST", "/api/v1/campaigns", token,
                "{\"name\":\"Stream bench " + System.nanoTime() + "\"}", 201).path("id").asText();
        Memory gatewayBefore = Memory.of(stack, "gateway");
        Memory analyticsBefore = Memory.of(stack, "analytics-service");

        System.out.printf("Opening %d streams through the gateway ...%n", streams);
        ConcurrentLinkedQueue<double[]> latencies = new ConcurrentLinkedQueue<>();
        AtomicInteger opened = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        // Every SSE event read, by its event name: says what did arrive when the deliveries fall short.
        ConcurrentHashMap<String, AtomicInteger> kinds = new ConcurrentHashMap<>();
        // Per change, every stream's latency: the first stream's is the pipeline, the spread to the last the fan-out.
        ConcurrentHashMap<String, ConcurrentLinkedQueue<Double>> perEvent = new ConcurrentHashMap<>();
        CountDownLatch allOpen = new CountDownLatch(streams);
        List<SseReader> readers = new ArrayList<>();
        SseStreams multiplexed = READER_THREADS > 0 ? new SseStreams(READER_THREADS) : null;
        URI gateway = URI.create(stack.gatewayUrl());
        for (int i = 0; i < streams; i++) {
            java.util.function.BiConsumer<String, String> onEvent = (name, data) -> {
                kinds.computeIfAbsent(name, kind -> new AtomicInteger()).incrementAndGet();
                if ("campaign".equals(name)) {
                    long arrived = System.currentTimeMillis();
                    JsonNode json = readJson(data);
                    if (campaign.equals(json.path("campaign_id").asText()) && json.hasNonNull("occurred_at")) {
                        String change = json.path("occurred_at").asText();
                        double millis = arrived - Instant.parse(change).toEpochMilli();
                        latencies.add(new double[] { millis });
                        perEvent.computeIfAbsent(change, key -> new ConcurrentLinkedQueue<>()).add(millis);
                    }
                }
            };
            java.util.function.IntConsumer onStatus = status -> {
                (status == 200 ? opened : failed).incrementAndGet();
                allOpen.countDown();
            };
            if (multiplexed != null) {
                multiplexed.open(gateway, "/api/v1/stream", token, onEvent, onStatus);
            } else {
                SseReader reader = new SseReader(gateway, "/api/v1/stream", token, onEvent, onStatus);
                readers.add(reader);
                reader.start();
            }
        }
        if (!allOpen.await(120, TimeUnit.SECONDS)) {
            System.out.println("Not every stream answered within 120 s");
        }
        System.out.printf("%d streams open, %d refused or failed; settling 5 s ...%n", opened.get(), failed.get());
        Thread.sleep(5_000); // let the services settle before the memory reading (a measurement pause, not a wait)
        Memory gatewayAfter = Memory.of(stack, "gateway");
        Memory analyticsAfter = Memory.of(stack, "analytics-service");

        if (WARMUP > 0) {
            // A fresh JVM runs the path of a change in its interpreter and first compiler for the first hundred or so
            // changes; a service that has been up for a while does not. These changes go the whole way, unmeasured.
            System.out.printf("Warming up: %d changes at %d/s, not measured ...%n", WARMUP, WARMUP_RATE);
            changeStatus(stack, campaign, token, WARMUP, WARMUP_RATE, 0);
            long warmDeliveries = (long) opened.get() * WARMUP;
            long warmDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (latencies.size() < warmDeliveries && System.nanoTime() < warmDeadline) {
                Thread.sleep(50); // polling the delivered count until the warm-up's deliveries arrived
            }
            if (latencies.size() < warmDeliveries) {
                System.out.printf("(warm-up: %d of %d deliveries arrived within 60 s)%n", latencies.size(),
                        warmDeliveries);
            }
            latencies.clear();
            perEvent.clear();
            kinds.clear();
        }
        Instant measuredFrom = Instant.now();
        com.leadforge.stack.StackKafka kafka = new com.leadforge.stack.StackKafka(stack);
        java.util.Map<org.apache.kafka.common.TopicPartition, Long> topicFrom = kafka.endOffsets(CAMPAIGN_TOPIC);
        System.out.printf("Changing the campaign's status %d times at %d/s ...%n", events, rate);
        changeStatus(stack, campaign, token, events, rate, WARMUP);
        long expected = (long) opened.get() * events;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (latencies.size() < expected && System.nanoTime() < deadline) {
            Thread.sleep(50); // polling the delivered count until every delivery arrived or the deadline passed
        }
        List<Double> sorted = new ArrayList<>(latencies.stream().map(l -> l[0]).toList());
        sorted.sort(Comparator.naturalOrder());
        StringBuilder table = new StringBuilder();
        table.append("| streams open | events | deliveries (expected) | p50 ms | p95 ms | p99 ms | max ms | target p95 |\n");
        table.append("|---|---|---|---|---|---|---|---|\n");
        table.append(String.format(Locale.ROOT, "| %d (%d failed) | %d | %d (%d) | %.0f | %.0f | %.0f | %.0f | %s |%n",
                opened.get(), failed.get(), events, sorted.size(), expected, percentile(sorted, 50),
                percentile(sorted, 95), percentile(sorted, 99), sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1),
                sorted.size() < expected ? "NOT MEASURED (" + (expected - sorted.size()) + " deliveries missing)"
                        : percentile(sorted, 95) < TARGET_P95_MS ? "met (< 250)" : "MISSED (< 250)"));
        table.append("\n| process | RSS before MB | RSS after MB | RSS per stream KB | heap before MB | heap after MB |"
                + " heap per stream KB |\n|---|---|---|---|---|---|---|\n");
        table.append(Memory.row("gateway", gatewayBefore, gatewayAfter, opened.get()));
        table.append(Memory.row("analytics-service", analyticsBefore, analyticsAfter, opened.get()));
        List<Double> firsts = new ArrayList<>();
        List<Double> lasts = new ArrayList<>();
        for (ConcurrentLinkedQueue<Double> each : perEvent.values()) {
            firsts.add(each.stream().min(Comparator.naturalOrder()).orElse(0.0));
            lasts.add(each.stream().max(Comparator.naturalOrder()).orElse(0.0));
        }
        firsts.sort(Comparator.naturalOrder());
        lasts.sort(Comparator.naturalOrder());
        table.append(String.format(Locale.ROOT, "%nPer change (%d): first stream p50 %.0f / p95 %.0f ms (the pipeline: "
                + "outbox, Kafka, consumer, log, relays), last stream p50 %.0f / p95 %.0f ms (plus the fan-out)%n",
                perEvent.size(), percentile(firsts, 50), percentile(firsts, 95), percentile(lasts, 50),
                percentile(lasts, 95)));
        List<Double> toTopic = new ArrayList<>();
        Map<String, Long> occurredAt = new java.util.HashMap<>();
        for (var record : kafka.readFrom(CAMPAIGN_TOPIC, topicFrom)) {
            JsonNode value = readJson(record.value());
            // Events go as binary CloudEvents: the record's value is the event's data.
            if (campaign.equals(record.key()) && value.hasNonNull("new_status") && value.path("occurred_at").isTextual()) {
                long occurred = Instant.parse(value.path("occurred_at").asText()).toEpochMilli();
                toTopic.add((double) (record.timestamp() - occurred));
                var id = record.headers().lastHeader("ce_id");
                if (id != null) {
                    occurredAt.put(new String(id.value(), java.nio.charset.StandardCharsets.UTF_8), occurred);
                }
            }
        }
        kafka.close();
        toTopic.sort(Comparator.naturalOrder());
        table.append(String.format(Locale.ROOT, "Change -> record sent to Kafka by the outbox relay (%d records): p50 %.0f"
                + " / p95 %.0f ms%n", toTopic.size(), percentile(toTopic, 50), percentile(toTopic, 95)));
        table.append(consumerStages(stack, occurredAt));
        table.append(pipelineStages(stack, campaign, measuredFrom));
        table.append("\nSSE events read, by name: ").append(new java.util.TreeMap<>(kinds)).append('\n');
        table.append(READER_THREADS > 0
                ? "Client: " + READER_THREADS + " reader thread(s), each multiplexing its streams on a selector\n"
                : "Client: one blocking reader thread per stream\n");
        table.append(WARMUP > 0 ? "Measured after " + WARMUP + " unmeasured warm-up changes at " + WARMUP_RATE + "/s\n"
                : "No warm-up: the first changes ran on cold JVMs\n");
        System.out.println(table);
        Files.createDirectories(results.getParent());
        Files.writeString(results, table.toString());
        readers.forEach(SseReader::close);
        if (multiplexed != null) {
            multiplexed.close();
        }
    }

    /** Resident memory (from /proc) and heap in use (from the service's metrics) of one stack process. */
    record Memory(long rssBytes, long heapBytes) {

        static Memory of(Stack stack, String module) {
            return new Memory(rss(module), heap(stack, module));
        }

        static String row(String module, Memory before, Memory after, int streams) {
            int n = Math.max(1, streams);
            return String.format(Locale.ROOT, "| %s | %.0f | %.0f | %.1f | %.0f | %.0f | %.1f |%n", module,
                    before.rssBytes / 1e6, after.rssBytes / 1e6, (after.rssBytes - before.rssBytes) / 1024.0 / n,
                    before.heapBytes / 1e6, after.heapBytes / 1e6, (after.heapBytes - before.heapBytes) / 1024.0 / n);
        }

        private static long rss(String module) {
            Optional<ProcessHandle> process = ProcessHandle.allProcesses()
                    .filter(p -> p.info().commandLine().map(c -> c.contains(module + "/target/quarkus-app"))
                            .orElse(false))
                    .findFirst();
            if (process.isEmpty()) {
                return 0;
            }
            try (Stream<String> lines = Files.lines(Path.of("/proc/" + process.get().pid() + "/status"))) {
                return lines.filter(l -> l.startsWith("VmRSS:")).findFirst()
                        .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024).orElse(0L);
            } catch (IOException e) {
                return 0;
            }
        }

        private static long heap(Stack stack, String module) {
            try {
                HttpResponse<String> metrics = HTTP.send(HttpRequest.newBuilder(
                        URI.create(stack.managementUrl(module) + "/q/metrics")).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                long heap = 0;
                for (String line : metrics.body().split("\n")) {
                    if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                        heap += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                    }
                }
                return heap;
            } catch (IOException e) {
                return 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 0;
            }
        }
    }

    /**
     * Where the pipeline's time goes, from what the stack recorded: the change's {@code occurred_at} (campaign-service,
     * before its commit) to the start of the live-updates transaction that wrote the stream row (analytics'
     * {@code created_at} is that transaction's start).
     */
    private static String pipelineStages(Stack stack, String campaign, Instant measuredFrom) {
        List<Double> toLog = new ArrayList<>();
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection(stack.jdbcUrl("analytics"),
                com.leadforge.testsupport.PostgresServer.USER, com.leadforge.testsupport.PostgresServer.PASSWORD);
                java.sql.PreparedStatement statement = connection.prepareStatement(
                        "select extract(epoch from created_at - (payload->>'occurred_at')::timestamptz) * 1000"
                                + " from stream_event where kind = 'campaign' and campaign_id = ?::uuid"
                                + " and (payload->>'occurred_at')::timestamptz >= ?::timestamptz")) {
            statement.setString(1, campaign);
            statement.setString(2, measuredFrom.toString());
            try (java.sql.ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    toLog.add(rs.getDouble(1));
                }
            }
        } catch (java.sql.SQLException e) {
            return "\n(stream log not readable: " + e.getMessage() + ")\n";
        }
        toLog.sort(Comparator.naturalOrder());
        return String.format(Locale.ROOT, "Change -> live-updates transaction began (%d rows): p50 %.0f / p95 %.0f ms;"
                + " the rest of the first stream's latency is that transaction, the delivery thread and the relays%n",
                toLog.size(), percentile(toLog, 50), percentile(toLog, 95));
    }

    /**
     * Change -> the start of each analytics consumer's transaction for it (the inbox row's {@code processed_at} is
     * {@code now()}, its transaction's start): the projection runs first in a poll, then the live updates.
     */
    private static String consumerStages(Stack stack, Map<String, Long> occurredAt) {
        Map<String, List<Double>> byConsumer = new java.util.TreeMap<>();
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection(stack.jdbcUrl("analytics"),
                com.leadforge.testsupport.PostgresServer.USER, com.leadforge.testsupport.PostgresServer.PASSWORD);
                java.sql.PreparedStatement statement = connection.prepareStatement(
                        "select consumer, event_id, extract(epoch from processed_at) * 1000 from processed_event"
                                + " where event_id = any (?)")) {
            statement.setArray(1, connection.createArrayOf("varchar", occurredAt.keySet().toArray()));
            try (java.sql.ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    byConsumer.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                            .add(rs.getDouble(3) - occurredAt.get(rs.getString(2)));
                }
            }
        } catch (java.sql.SQLException e) {
            return "(inbox not readable: " + e.getMessage() + ")\n";
        }
        StringBuilder out = new StringBuilder();
        byConsumer.forEach((consumer, delays) -> {
            delays.sort(Comparator.naturalOrder());
            out.append(String.format(Locale.ROOT, "Change -> %s transaction began (%d events): p50 %.0f / p95 %.0f ms%n",
                    consumer, delays.size(), percentile(delays, 50), percentile(delays, 95)));
        });
        return out.toString();
    }

    /** {@code count} status changes at {@code rate} a second, alternating, the first being change number {@code first}. */
    private static void changeStatus(Stack stack, String campaign, String token, int count, int rate, int first)
            throws Exception {
        String[] statuses = { "active", "paused" };
        long every = 1000L / rate;
        for (int i = first; i < first + count; i++) {
            long started = System.nanoTime();
            send(stack, "PUT", "/api/v1/campaigns/" + campaign, token, "{\"status\":\"" + statuses[i % 2] + "\"}",
                    200);
            long left = every - Duration.ofNanos(System.nanoTime() - started).toMillis();
            if (left > 0) {
                Thread.sleep(left); // pacing the writes, not waiting for an outcome
            }
        }
    }

    private static double percentile(List<Double> sorted, int p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    private static JsonNode readJson(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    private static JsonNode send(Stack stack, String method, String path, String token, String body, int expected)
            throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(method + " " + path + ": " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body());
    }

    private static String token(Stack stack, String user) throws IOException, InterruptedException {
        String form = "grant_type=password&client_id=leadforge-cli&username=" + URLEncoder.encode(user,
                StandardCharsets.UTF_8) + "&password=leadforge";
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(stack.tokenEndpoint()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("token for " + user + ": " + response.statusCode());
        }
        return JSON.readTree(response.body()).path("access_token").asText();
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path each : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(each);
            }
        }
    }
}
