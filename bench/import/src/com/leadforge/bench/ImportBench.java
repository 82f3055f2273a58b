package com.leadforge.bench;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.Locale;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import org.postgresql.copy.CopyManager;
import org.postgresql.core.BaseConnection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadforge.stack.Stack;

/**
 * A CSV import end to end on the real stack, through the gateway: ROWS rows (every 10th row repeats the email of the
 * row before it, every 50th has an invalid email) uploaded to a job that imports into a campaign. Measures the time
 * from {@code start} until the job is completed with exact counts, the campaign's leads are listed and analytics'
 * overview shows them; prints rows/s beside the ceiling (a raw PostgreSQL COPY of the same rows into a scratch table)
 * and the heap in use of scraping-service and lead-service before and after. Not a test: exits 0 either way.
 *
 * <p>Arguments: rows, work directory.
 */
public final class ImportBench {

    static final double TARGET_SECONDS = 20;
    static final String WRITER = "researcher-acme";
    static final String ADMIN = "admin-acme";
    static final String PASSWORD = "leadforge";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Stack stack;
    private String writerToken;
    private String adminToken;

    private ImportBench(Stack stack) {
        this.stack = stack;
    }

    public static void main(String[] args) throws Exception {
        int rows = Integer.parseInt(args[0]);
        Path work = Path.of(args[1]).toAbsolutePath();
        Path root = Path.of(".").toAbsolutePath().normalize();
        Path keycloak = Path.of(System.getProperty("leadforge.keycloak.dist"));
        deleteRecursively(work);
        long starting = System.nanoTime();
        System.out.println("Starting the stack on free ports (logs: " + work.resolve("logs") + ") ...");
        try (Stack stack = Stack.start(new Stack.Layout(root, keycloak, work, false, Stack.StackPorts.free()))) {
            System.out.printf("Stack up in %.1f s.%n", (System.nanoTime() - starting) / 1e9);
            ImportBench bench = new ImportBench(stack);
            bench.writerToken = bench.token(WRITER);
            bench.adminToken = bench.token(ADMIN);
            bench.run(Math.min(1_000, rows), "warm-up");
            bench.writerToken = bench.token(WRITER);
            bench.adminToken = bench.token(ADMIN);
            bench.run(rows, "measured");
        }
    }

    private void run(int rows, String label) throws Exception {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        StringBuilder csv = new StringBuilder("First Name,Last Name,Email,Company,Job Title,Phone\n");
        int duplicates = 0;
        int invalid = 0;
        for (int row = 1; row <= rows; row++) {
            String email;
            if (row % 50 == 0) {
                email = "invalid-" + row;
                invalid++;
            } else if (row % 10 == 0) {
                email = "bench-" + tag + "-" + (row - 1) + "@example.com";
                duplicates++;
            } else {
                email = "bench-" + tag + "-" + row + "@example.com";
            }
            csv.append("Ada").append(row).append(",Bench,").append(email).append(",Bench Co ").append(row % 997)
                    .append(",Buyer,\n");
        }
        int unique = rows - duplicates - invalid;
        byte[] file = csv.toString().getBytes(StandardCharsets.UTF_8);

        String campaign = send("POST", stack.gatewayUrl() + "/api/v1/campaigns", adminToken,
                "{\"name\":\"Import bench " + tag + "\",\"status\":\"active\"}", 201).path("id").asText();
        String source = send("POST", stack.gatewayUrl() + "/api/v1/data-sources", writerToken,
                "{\"name\":\"Bench " + tag + "\",\"type\":\"csv\"}", 201).path("id").asText();
        long analyticsBefore = analyticsTotal();
        String[] job = new String[1];
        awaitTrue("scraping-service knows the campaign", Duration.ofSeconds(30), () -> {
            try {
                job[0] = send("POST", stack.gatewayUrl() + "/api/v1/jobs", writerToken, "{\"data_source_id\":\""
                        + source + "\",\"campaign_id\":\"" + campaign + "\"}", 201).path("id").asText();
                return true;
            } catch (IllegalStateException notYet) {
                return false;
            }
        });
        long uploadStart = System.nanoTime();
        HttpResponse<String> uploaded = HTTP.send(HttpRequest.newBuilder(URI.create(stack.gatewayUrl()
                + "/api/v1/jobs/" + job[0] + "/file")).timeout(Duration.ofSeconds(120))
                .header("Authorization", "Bearer " + writerToken).header("Content-Type", "text/csv")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(file)).build(), HttpResponse.BodyHandlers.ofString());
        if (uploaded.statusCode() != 200) {
            throw new IllegalStateException("upload: " + uploaded.statusCode() + " " + uploaded.body());
        }
        double uploadSeconds = (System.nanoTime() - uploadStart) / 1e9;
        long[] heapBefore = { heapUsed("scraping-service"), heapUsed("lead-service") };
        long[] heapMax = heapBefore.clone();

        long start = System.nanoTime();
        send("POST", stack.gatewayUrl() + "/api/v1/jobs/" + job[0] + "/start", writerToken, null, 200);
        JsonNode[] view = new JsonNode[1];
        awaitTrue("job completed", Duration.ofSeconds(600), () -> {
            view[0] = send("GET", stack.gatewayUrl() + "/api/v1/jobs/" + job[0], writerToken, null, 200);
            heapMax[0] = Math.max(heapMax[0], heapUsed("scraping-service"));
            heapMax[1] = Math.max(heapMax[1], heapUsed("lead-service"));
            String status = view[0].path("status").asText();
            if (status.equals("failed")) {
                throw new IllegalStateException("job failed: " + view[0]);
            }
            return status.equals("completed");
        });
        double completedSeconds = (System.nanoTime() - start) / 1e9;
        long listed = send("GET", stack.gatewayUrl() + "/api/v1/leads?pageSize=1&campaign_id=" + campaign,
                writerToken, null, 200).path("meta").path("total").asLong();
        System.out.printf(Locale.ROOT, "[%s] job completed %.2f s after start (%.0f rows/s), %d leads listed; waiting "
                + "for analytics ...%n", label, completedSeconds, rows / completedSeconds, listed);
        boolean analyticsCaughtUp = true;
        try {
            awaitTrue("analytics shows the imported leads", Duration.ofSeconds(300),
                    () -> analyticsTotal() - analyticsBefore >= unique);
        } catch (IllegalStateException notYet) {
            analyticsCaughtUp = false;
            System.out.printf("[%s] analytics NOT caught up 300 s after completion: %d of %d%n", label,
                    analyticsTotal() - analyticsBefore, unique);
        }
        double endToEndSeconds = (System.nanoTime() - start) / 1e9;

        double copySeconds = copyCeiling(file);
        boolean exact = view[0].path("records_processed").asLong() == rows
                && view[0].path("records_qualified").asLong() == unique
                && view[0].path("records_duplicate").asLong() == duplicates
                && view[0].path("records_rejected").asLong() == invalid && listed == unique
                && analyticsCaughtUp && analyticsTotal() - analyticsBefore == unique;
        System.out.printf(Locale.ROOT, "[%s] %d rows (%d unique, %d duplicates, %d invalid), %.1f MB: upload %.2f s; "
                + "start -> completed %.2f s, -> listed + analytics %.2f s (%.0f rows/s end to end; target <= %.0f s: "
                + "%s); counts %s (imported %d, duplicates %d, rejected %d, listed %d); raw COPY of the same rows "
                + "%.2f s (%.0f rows/s); heap used scraping %d -> max %d MB, lead %d -> max %d MB%n", label, rows,
                unique, duplicates, invalid, file.length / 1e6, uploadSeconds, completedSeconds, endToEndSeconds,
                rows / endToEndSeconds, TARGET_SECONDS, endToEndSeconds <= TARGET_SECONDS ? "met" : "MISSED",
                exact ? "exact" : "NOT EXACT", view[0].path("records_qualified").asLong(),
                view[0].path("records_duplicate").asLong(), view[0].path("records_rejected").asLong(), listed,
                copySeconds, rows / copySeconds, heapBefore[0] >> 20, heapMax[0] >> 20, heapBefore[1] >> 20,
                heapMax[1] >> 20);
    }

    /** The same rows through COPY into a scratch table of the lead database: how fast PostgreSQL itself takes them. */
    private double copyCeiling(byte[] file) throws Exception {
        try (Connection connection = new com.leadforge.stack.StackFaults(stack).superuser(Stack.databaseOf("lead-service"));
                Statement statement = connection.createStatement()) {
            statement.execute("drop table if exists bench_copy");
            statement.execute("create unlogged table bench_copy (first_name text, last_name text, email text, "
                    + "company text, title text, phone text)");
            long start = System.nanoTime();
            new CopyManager(connection.unwrap(BaseConnection.class)).copyIn(
                    "copy bench_copy from stdin with (format csv, header true)",
                    new StringReader(new String(file, StandardCharsets.UTF_8)));
            double seconds = (System.nanoTime() - start) / 1e9;
            statement.execute("drop table bench_copy");
            return seconds;
        }
    }

    private long heapUsed(String module) {
        try {
            HttpResponse<String> metrics = HTTP.send(HttpRequest.newBuilder(URI.create(stack.managementUrl(module)
                    + "/q/metrics")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return (long) metrics.body().lines().filter(line -> line.startsWith("jvm_memory_used_bytes{")
                    && line.contains("area=\"heap\"")).mapToDouble(line -> Double.parseDouble(
                            line.substring(line.lastIndexOf(' ') + 1))).sum();
        } catch (IOException | RuntimeException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    private long analyticsTotal() {
        return send("GET", stack.serviceUrl("analytics-service") + "/api/v1/analytics/overview", writerToken, null, 200)
                .path("overview").path("leads").path("total").asLong();
    }

    private JsonNode send(String method, String url, String token, String body, int expected) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token);
        request = body == null ? request.method(method, HttpRequest.BodyPublishers.noBody())
                : request.header("Content-Type", "application/json").method(method,
                        HttpRequest.BodyPublishers.ofString(body));
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != expected) {
                throw new IllegalStateException(method + " " + url + " answered " + response.statusCode() + ": "
                        + response.body());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + url + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String token(String user) {
        String form = "grant_type=password&client_id=leadforge-cli&username=" + URLEncoder.encode(user,
                StandardCharsets.UTF_8) + "&password=" + PASSWORD;
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(stack.tokenEndpoint()))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(response.body()).path("access_token").asText();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Polls every 50 ms (a benchmark driver, not a test). */
    private static void awaitTrue(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("Timed out: " + what);
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(path)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
