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
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import org.postgresql.copy.CopyManager;
import org.postgresql.core.BaseConnection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.leadforge.stack.Stack;

/**
 * A CSV import end to end on the real stack, through the gateway: ROWS rows (every 10th row repeats the email of the
 * row before it, every 50th has an invalid email) uploaded to a job that imports into a campaign. Measures the time
 * from {@code start} until the job is completed with exact counts, the campaign's leads are listed and analytics'
 * overview shows them; prints rows/s beside the ceiling (a raw PostgreSQL COPY of the same rows into a scratch table)
 * and the heap in use of scraping-service and lead-service before and after.
 * <p>
 * The {@code apollo} scenario imports an Apollo people search of {@value #APOLLO_PEOPLE} people,
 * {@value #APOLLO_PER_PAGE} a page, from {@link ApolloStub} in this JVM through scraping-service's Apollo connector
 * into a campaign, with the same measurements and exact counts, plus what the stub saw (each page once, one 429).
 * Both scenarios run after a 1,000-row CSV warm-up: the services' JIT is cold at first, and a cold first run would
 * measure the compiler.
 * <p>
 * Not a test: exits 0 whatever the figures. Arguments: rows, work directory, scenario ({@code csv}, {@code apollo}
 * or {@code all}; default {@code all}).
 */
public final class ImportBench {

    static final double TARGET_SECONDS = 20;
    static final String WRITER = "researcher-acme";
    static final String ADMIN = "admin-acme";
    static final String PASSWORD = "leadforge";
    static final int APOLLO_PEOPLE = 10_000;
    static final int APOLLO_PER_PAGE = 100;

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
        String scenario = args.length > 2 ? args[2] : "all";
        if (!List.of("csv", "apollo", "all").contains(scenario)) {
            throw new IllegalArgumentException("scenario must be csv, apollo or all, not " + scenario);
        }
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
            if (!scenario.equals("apollo")) {
                bench.freshTokens();
                bench.run(rows, "measured");
            }
            if (!scenario.equals("csv")) {
                bench.freshTokens();
                bench.runApollo();
            }
        }
    }

    /** Tokens that outlive the next scenario: the one before may have taken longer than a token lives. */
    private void freshTokens() {
        writerToken = token(WRITER);
        adminToken = token(ADMIN);
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

        String campaign = createCampaign("Import bench " + tag);
        String source = send("POST", stack.gatewayUrl() + "/api/v1/data-sources", writerToken,
                "{\"name\":\"Bench " + tag + "\",\"type\":\"csv\"}", 201).path("id").asText();
        long analyticsBefore = analyticsTotal();
        String job = createJob(source, campaign, null);
        long uploadStart = System.nanoTime();
        HttpResponse<String> uploaded = HTTP.send(HttpRequest.newBuilder(URI.create(stack.gatewayUrl()
                + "/api/v1/jobs/" + job + "/file")).timeout(Duration.ofSeconds(120))
                .header("Authorization", "Bearer " + writerToken).header("Content-Type", "text/csv")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(file)).build(), HttpResponse.BodyHandlers.ofString());
        if (uploaded.statusCode() != 200) {
            throw new IllegalStateException("upload: " + uploaded.statusCode() + " " + uploaded.body());
        }
        double uploadSeconds = (System.nanoTime() - uploadStart) / 1e9;
        long[] heapBefore = { heapUsed("scraping-service"), heapUsed("lead-service") };
        long[] heapMax = heapBefore.clone();

        long start = System.nanoTime();
        JsonNode view = startAndAwaitCompletion(job, heapMax);
        double completedSeconds = (System.nanoTime() - start) / 1e9;
        long listed = listed(campaign, unique);
        System.out.printf(Locale.ROOT, "[%s] job completed %.2f s after start (%.0f rows/s), %d leads listed; waiting "
                + "for analytics ...%n", label, completedSeconds, rows / completedSeconds, listed);
        boolean analyticsCaughtUp = awaitAnalytics(label, analyticsBefore, unique);
        double endToEndSeconds = (System.nanoTime() - start) / 1e9;

        double[] ceilings = copyCeiling(file);
        boolean exact = view.path("records_processed").asLong() == rows
                && view.path("records_qualified").asLong() == unique
                && view.path("records_duplicate").asLong() == duplicates
                && view.path("records_rejected").asLong() == invalid && listed == unique
                && analyticsCaughtUp && analyticsTotal() - analyticsBefore == unique;
        System.out.printf(Locale.ROOT, "[%s] %d rows (%d unique, %d duplicates, %d invalid), %.1f MB: upload %.2f s; "
                + "start -> completed %.2f s, -> listed + analytics %.2f s (%.0f rows/s end to end; target <= %.0f s: "
                + "%s); counts %s (imported %d, duplicates %d, rejected %d, listed %d); raw COPY of the same rows "
                + "%.2f s (%.0f rows/s), stored into a copy of the indexed lead table %.2f s (%.0f rows/s); "
                + "heap used scraping %d -> max %d MB, lead %d -> max %d MB%n", label, rows,
                unique, duplicates, invalid, file.length / 1e6, uploadSeconds, completedSeconds, endToEndSeconds,
                rows / endToEndSeconds, TARGET_SECONDS, endToEndSeconds <= TARGET_SECONDS ? "met" : "MISSED",
                exact ? "exact" : "NOT EXACT", view.path("records_qualified").asLong(),
                view.path("records_duplicate").asLong(), view.path("records_rejected").asLong(), listed,
                ceilings[0], rows / ceilings[0], ceilings[1], rows / ceilings[1], heapBefore[0] >> 20,
                heapMax[0] >> 20, heapBefore[1] >> 20,
                heapMax[1] >> 20);
    }

    /**
     * An Apollo people search imported through the real Apollo connector from {@link ApolloStub}. Before the clock
     * starts, the data source's connection test must reach the stub's first page, and a second data source with a
     * wrong key must be refused with 401: the stub and the connector agree on the contract, auth included, before
     * anything is measured.
     */
    private void runApollo() throws Exception {
        String label = "apollo";
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String apiKey = "bench-apollo-" + UUID.randomUUID();
        ObjectNode criteria = JSON.createObjectNode();
        criteria.putArray("person_titles").add("head of purchasing").add("buyer");
        criteria.putArray("person_locations").add("United States");
        criteria.putArray("organization_num_employees_ranges").add("11,50").add("51,200");
        try (ApolloStub stub = new ApolloStub(APOLLO_PEOPLE, tag, apiKey, criteria)) {
            int pages = stub.totalPages(APOLLO_PER_PAGE);
            int imported = stub.expectedImported();
            int duplicates = stub.expectedDuplicates();
            int rejected = stub.expectedRejected();

            String campaign = createCampaign("Apollo bench " + tag);
            String source = createApolloSource("Apollo bench " + tag, stub, apiKey);
            JsonNode reached = send("POST", stack.gatewayUrl() + "/api/v1/data-sources/" + source + "/test",
                    writerToken, null, 200);
            if (!reached.path("success").asBoolean()
                    || !reached.path("message").asText().endsWith("holds " + APOLLO_PER_PAGE + " items")) {
                throw new IllegalStateException("the connection test did not read the stub's first page: " + reached
                        + " (stub: " + stub.lastRefusal() + ")");
            }
            String wrongKey = createApolloSource("Apollo bench wrong key " + tag, stub, apiKey + "-revoked");
            JsonNode refused = send("POST", stack.gatewayUrl() + "/api/v1/data-sources/" + wrongKey + "/test",
                    writerToken, null, 200);
            if (refused.path("success").asBoolean() || !refused.path("message").asText().contains("HTTP 401")
                    || stub.unauthorized() != 1) {
                throw new IllegalStateException("a wrong API key was not refused with 401: " + refused);
            }
            System.out.printf("[%s] stub at %s: connection test \"%s\"; wrong key \"%s\"%n", label, stub.baseUrl(),
                    reached.path("message").asText(), refused.path("message").asText());
            stub.resetCounts();

            long analyticsBefore = analyticsTotal();
            String job = createJob(source, campaign, JSON.writeValueAsString(criteria));
            long[] heapBefore = { heapUsed("scraping-service"), heapUsed("lead-service") };
            long[] heapMax = heapBefore.clone();

            long start = System.nanoTime();
            JsonNode view;
            try {
                view = startAndAwaitCompletion(job, heapMax);
            } catch (IllegalStateException failed) {
                // The job's error names the page and the status only; the stub knows what it refused and why.
                throw new IllegalStateException(failed.getMessage() + "; stub's last refusal: " + stub.lastRefusal(),
                        failed);
            }
            double completedSeconds = (System.nanoTime() - start) / 1e9;
            long listed = listed(campaign, imported);
            System.out.printf(Locale.ROOT, "[%s] job completed %.2f s after start (%.0f records/s), %d leads listed; "
                    + "waiting for analytics ...%n", label, completedSeconds, APOLLO_PEOPLE / completedSeconds, listed);
            boolean analyticsCaughtUp = awaitAnalytics(label, analyticsBefore, imported);
            double endToEndSeconds = (System.nanoTime() - start) / 1e9;
            long analyticsDelta = analyticsTotal() - analyticsBefore;

            // One request per page plus the one answered 429; no page twice, none past the last, nothing refused.
            boolean stubExact = stub.eachPageServedOnce(pages) && stub.rateLimited() == 1
                    && stub.requests() == pages + 1 && stub.unauthorized() == 0 && stub.refused() == 0
                    && stub.pastTheEnd() == 0;
            boolean exact = stubExact && view.path("records_read").asLong() == APOLLO_PEOPLE
                    && view.path("records_processed").asLong() == APOLLO_PEOPLE
                    && view.path("records_qualified").asLong() == imported
                    && view.path("records_duplicate").asLong() == duplicates
                    && view.path("records_rejected").asLong() == rejected && listed == imported
                    && analyticsCaughtUp && analyticsDelta == imported;
            System.out.printf(Locale.ROOT, "[%s] %d people in %d pages (%d new, %d duplicates, %d invalid): start -> "
                    + "completed %.2f s (%.0f records/s), -> listed + analytics %.2f s (%.0f records/s end to end); "
                    + "counts %s (imported %d, duplicates %d, rejected %d, listed %d, analytics +%d; stub: %d "
                    + "requests, %d pages served, %d past the end, %d refused, %d unauthorized); 429 answered %dx; "
                    + "heap used scraping %d -> max %d MB, lead %d -> max %d MB%n", label, APOLLO_PEOPLE, pages,
                    imported,
                    duplicates, rejected, completedSeconds, APOLLO_PEOPLE / completedSeconds, endToEndSeconds,
                    APOLLO_PEOPLE / endToEndSeconds, exact ? "exact" : "NOT EXACT",
                    view.path("records_qualified").asLong(), view.path("records_duplicate").asLong(),
                    view.path("records_rejected").asLong(), listed, analyticsDelta, stub.requests(),
                    stub.pagesServed(), stub.pastTheEnd(), stub.refused(), stub.unauthorized(), stub.rateLimited(),
                    heapBefore[0] >> 20, heapMax[0] >> 20, heapBefore[1] >> 20, heapMax[1] >> 20);
            if (stub.lastRefusal() != null) {
                System.out.printf("[%s] stub's last refusal: %s%n", label, stub.lastRefusal());
            }
        }
    }

    /** An {@code apollo} data source aimed at the stub; per_page and max_pages are said, not left to defaults. */
    private String createApolloSource(String name, ApolloStub stub, String apiKey) throws IOException {
        ObjectNode body = JSON.createObjectNode().put("name", name).put("type", "apollo");
        // max_pages above the search's 100 pages: the stub's pagination must end the job, not the page cap.
        body.putObject("config").put("base_url", stub.baseUrl()).put("per_page", APOLLO_PER_PAGE)
                .put("max_pages", ApolloStub.MAX_PAGE);
        body.putObject("credentials").put("api_key", apiKey);
        return send("POST", stack.gatewayUrl() + "/api/v1/data-sources", writerToken, JSON.writeValueAsString(body),
                201).path("id").asText();
    }

    private String createCampaign(String name) {
        return send("POST", stack.gatewayUrl() + "/api/v1/campaigns", adminToken,
                "{\"name\":\"" + name + "\",\"status\":\"active\"}", 201).path("id").asText();
    }

    /**
     * A pending job into the campaign, retried until scraping-service's replica of campaigns has the new one.
     *
     * @param criteria the job's search_criteria as JSON, or null for none
     */
    private String createJob(String source, String campaign, String criteria) {
        String body = "{\"data_source_id\":\"" + source + "\",\"campaign_id\":\"" + campaign + "\""
                + (criteria == null ? "" : ",\"search_criteria\":" + criteria) + "}";
        String[] job = new String[1];
        awaitTrue("scraping-service knows the campaign", Duration.ofSeconds(30), () -> {
            try {
                job[0] = send("POST", stack.gatewayUrl() + "/api/v1/jobs", writerToken, body, 201).path("id").asText();
                return true;
            } catch (IllegalStateException notYet) {
                return false;
            }
        });
        return job[0];
    }

    /** Starts the job and polls it until completed (its view then), sampling both services' heap meanwhile. */
    private JsonNode startAndAwaitCompletion(String job, long[] heapMax) {
        send("POST", stack.gatewayUrl() + "/api/v1/jobs/" + job + "/start", writerToken, null, 200);
        JsonNode[] view = new JsonNode[1];
        awaitTrue("job completed", Duration.ofSeconds(600), () -> {
            view[0] = send("GET", stack.gatewayUrl() + "/api/v1/jobs/" + job, writerToken, null, 200);
            heapMax[0] = Math.max(heapMax[0], heapUsed("scraping-service"));
            heapMax[1] = Math.max(heapMax[1], heapUsed("lead-service"));
            String status = view[0].path("status").asText();
            if (status.equals("failed")) {
                throw new IllegalStateException("job failed: " + view[0]);
            }
            return status.equals("completed");
        });
        return view[0];
    }

    /** The campaign's leads as lead-service lists them (its total, not a page). */
    /**
     * How many leads the campaign lists, exactly. A large list's {@code meta.total} is an estimate
     * ({@code total_is_exact: false}), so this asks for the page where {@code expected} leads would end: a last page
     * knows its total exactly. Any other answer (more leads, fewer, an estimate) is reported as -1: not exact.
     */
    private long listed(String campaign, long expected) {
        int pageSize = 100;
        long lastPage = Math.max(1, (expected + pageSize - 1) / pageSize);
        JsonNode meta = send("GET", stack.gatewayUrl() + "/api/v1/leads?pageSize=" + pageSize + "&page=" + lastPage
                + "&campaign_id=" + campaign, writerToken, null, 200).path("meta");
        return meta.path("total_is_exact").asBoolean(false) ? meta.path("total").asLong() : -1;
    }

    /** Whether analytics' overview counts {@code expected} more leads within 300 s; reports it when not. */
    private boolean awaitAnalytics(String label, long before, long expected) {
        try {
            awaitTrue("analytics shows the imported leads", Duration.ofSeconds(300),
                    () -> analyticsTotal() - before >= expected);
            return true;
        } catch (IllegalStateException notYet) {
            System.out.printf("[%s] analytics NOT caught up 300 s after completion: %d of %d%n", label,
                    analyticsTotal() - before, expected);
            return false;
        }
    }

    /** The same rows through COPY into a scratch table of the lead database: how fast PostgreSQL itself takes them. */
    /**
     * Two ceilings from PostgreSQL itself, on lead-service's database: the same rows through COPY into a scratch table
     * (how fast the server takes the bytes), and then stored set-based, in one statement, into a copy of the lead table
     * with all its indexes and generated columns, the repeated e-mails left out by its unique index (how fast it can
     * keep leads as LeadForge indexes them for its lists and search, before any activity row, event, inbox or
     * projection). Returns both, in seconds.
     */
    private double[] copyCeiling(byte[] file) throws Exception {
        try (Connection connection = new com.leadforge.stack.StackFaults(stack)
                .superuser(Stack.databaseOf("lead-service"));
                Statement statement = connection.createStatement()) {
            statement.execute("drop table if exists bench_copy");
            statement.execute("drop table if exists bench_lead");
            statement.execute("create unlogged table bench_copy (first_name text, last_name text, email text, "
                    + "company text, title text, phone text)");
            statement.execute("create table bench_lead (like lead including all)");
            long start = System.nanoTime();
            new CopyManager(connection.unwrap(BaseConnection.class)).copyIn(
                    "copy bench_copy from stdin with (format csv, header true)",
                    new StringReader(new String(file, StandardCharsets.UTF_8)));
            double copySeconds = (System.nanoTime() - start) / 1e9;
            start = System.nanoTime();
            statement.execute("insert into bench_lead (id, agency_id, first_name, last_name, email, company, title, "
                    + "phone, source, created_by, created_at, updated_at) select gen_random_uuid(), 'bench', "
                    + "first_name, last_name, email, company, title, phone, 'csv', 'bench', now(), now() "
                    + "from bench_copy on conflict do nothing");
            double indexedSeconds = (System.nanoTime() - start) / 1e9;
            statement.execute("drop table bench_copy");
            statement.execute("drop table bench_lead");
            return new double[] { copySeconds, indexedSeconds };
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
