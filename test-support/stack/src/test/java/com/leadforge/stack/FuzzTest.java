package com.leadforge.stack;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadforge.testsupport.ForgedTokens;
import com.leadforge.testsupport.RawHttp;

import io.restassured.http.ContentType;

/**
 * Bad input never breaks a service or leaks its internals: for every operation of every service's OpenAPI document,
 * {@link BadRequests} generates requests with one bad part each (a property of the wrong type, NUL and control
 * characters, 70,000-character strings, numbers no type holds, 10,000-deep JSON, duplicate keys, invalid UUIDs, enum
 * values and dates, wrong content types, empty and truncated bodies ...). Each is sent to the service directly (with a
 * real token of a role that may call the operation, so validation is reached) and through the gateway. No answer may
 * be a server error, every 4xx must be a problem document, no body may show a stack trace or SQL ({@link FuzzTally}).
 * A new endpoint is fuzzed without editing this test; one whose path parameter no case knows fails it.
 */
@ExtendWith(RunningStack.class)
class FuzzTest {

    static final String ACME = "11111111-1111-1111-1111-111111111111";
    static final List<String> SERVICES = List.of("lead-service", "campaign-service", "scraping-service",
            "analytics-service");
    /** Cases per operation: enough for every category to appear, bounded so the class stays well within budget. */
    static final int PER_OPERATION = 44;
    /** Operations without parameters or body can only be sent junk they must ignore, and they act each time. */
    static final int PER_INPUTLESS_OPERATION = 4;
    static final int THREADS = 4;
    /** Operations whose valid calls destroy what later cases need: they run last. */
    private static final Set<String> DESTRUCTIVE_SUFFIXES = Set.of("/erase", "/merge");

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    /** Quarkus's default {@code quarkus.http.limits.max-initial-line-length}, which the gateway keeps too. */
    private static final int MAX_REQUEST_LINE = 4096;
    /** The fuzz suite's own Acme resources, by the collection that follows /api/v1/ or the path parameter's name. */
    private final Map<String, String> ownIds = new LinkedHashMap<>();
    /**
     * Resources the suite cannot create through the API (a notification is made by an event for its addressee, a
     * rebuild record by an operator's replay of every topic): their ids are well-formed but name nothing, so the bad
     * values of the other inputs are still sent, and the id itself still gets its bad values.
     */
    private static final java.util.Set<String> NO_OWN_RESOURCE = java.util.Set.of("/admin/analytics/rebuilds/{id}",
            "/admin/analytics/rebuilds/{id}/cancel", "/api/v1/notifications/{id}/read");
    private static final String ABSENT_ID = UUID.randomUUID().toString();

    record Job(String service, String via, String baseUrl, BadRequests.BadRequest request, String caller) {
    }

    @Test
    void badRequestsNeverCauseServerErrorsAndEveryRefusalIsAProblem(Stack stack) throws Exception {
        long started = System.nanoTime();
        createOwnResources(stack);
        List<Job> safe = new ArrayList<>();
        List<Job> destructive = new ArrayList<>();
        int operations = 0;
        for (String service : SERVICES) {
            JsonNode openApi = json.readTree(given().baseUri(stack.managementUrl(service))
                    .when().get("/q/openapi?format=json").then().statusCode(200).extract().asString());
            BadRequests generator = new BadRequests(new OpenApiExamples(openApi, this::idFor), this::pathValue);
            Iterator<Map.Entry<String, JsonNode>> paths = openApi.path("paths").fields();
            while (paths.hasNext()) {
                Map.Entry<String, JsonNode> path = paths.next();
                Iterator<Map.Entry<String, JsonNode>> methods = path.getValue().fields();
                while (methods.hasNext()) {
                    Map.Entry<String, JsonNode> operation = methods.next();
                    String method = operation.getKey().toUpperCase(Locale.ROOT);
                    if (!List.of("GET", "POST", "PUT", "PATCH", "DELETE").contains(method)) {
                        continue;
                    }
                    if (producesEventStream(operation.getValue())) {
                        // A stream answers 200 and never ends: its refusals are covered by analytics' LiveStreamTest.
                        continue;
                    }
                    operations++;
                    boolean inputless = !operation.getValue().has("requestBody")
                            && operation.getValue().path("parameters").isEmpty() && !path.getKey().contains("{");
                    String caller = callerFor(operation.getValue());
                    boolean destroys = method.equals("DELETE")
                            || DESTRUCTIVE_SUFFIXES.stream().anyMatch(path.getKey()::endsWith);
                    for (BadRequests.BadRequest request : generator.forOperation(method, path.getKey(),
                            operation.getValue(), inputless ? PER_INPUTLESS_OPERATION : PER_OPERATION)) {
                        String user = request.caller() == null ? caller : request.caller();
                        List<Job> queue = destroys ? destructive : safe;
                        queue.add(new Job(service, FuzzTally.DIRECT, stack.serviceUrl(service), request, user));
                        // Only /api is routed by the gateway; operator endpoints (/admin) are reachable directly only.
                        if (path.getKey().startsWith("/api/")) {
                            queue.add(new Job(service, FuzzTally.GATEWAY, stack.gatewayUrl(), request, user));
                        }
                    }
                }
            }
        }

        FuzzTally tally = new FuzzTally();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            for (List<Job> phase : List.of(safe, destructive)) {
                List<Future<?>> pending = new ArrayList<>();
                for (Job job : phase) {
                    pending.add(pool.submit(() -> tally.record(send(stack, job))));
                }
                for (Future<?> done : pending) {
                    done.get();
                }
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.println(tally.summary(operations, PER_OPERATION, (System.nanoTime() - started) / 1e9, THREADS));
        if (!tally.groupedFailures().isEmpty()) {
            // The gateway says why a service "did not answer" only in its log; CI keeps the output, not the files.
            printUpstreamFailures(stack.logs().resolve("gateway.log"));
        }

        assertTrue(operations >= 30, "the OpenAPI documents list only " + operations + " operations");
        assertTrue(tally.total() >= 1500, "only " + tally.total() + " bad requests were generated");
        assertEquals(List.of(), tally.groupedFailures(),
                "bad requests answered with a server error, a 4xx that is not a problem, or internals in the body");
    }

    private static void printUpstreamFailures(java.nio.file.Path gatewayLog) {
        try (var lines = java.nio.file.Files.lines(gatewayLog, StandardCharsets.UTF_8)) {
            lines.filter(line -> line.contains("Upstream ") && line.contains(" failed for request ")).limit(20)
                    .forEach(line -> System.out.println("  gateway.log: " + line));
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            System.out.println("  gateway.log unreadable: " + e);
        }
    }

    private static boolean producesEventStream(JsonNode operation) {
        for (JsonNode response : operation.path("responses")) {
            if (response.path("content").has("text/event-stream")) {
                return true;
            }
        }
        return false;
    }

    private FuzzTally.Exchange send(Stack stack, Job job) {
        BadRequests.BadRequest request = job.request();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Bearer " + KeycloakTokens.of(stack, job.caller()));
        if (job.caller().startsWith("super-") && request.path().startsWith("/api/")
                && !request.headers().containsKey("X-Agency-Id")) {
            headers.put("X-Agency-Id", ACME);
        }
        if (request.contentType() != null) {
            headers.put("Content-Type", request.contentType());
        }
        headers.putAll(request.headers());
        if (request.method().length() + request.target().length() + 10 > MAX_REQUEST_LINE) {
            return sendOverOwnConnection(job, headers);
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(job.baseUrl() + request.target()))
                .timeout(Duration.ofSeconds(60))
                .method(request.method(), request.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(request.body()));
        headers.forEach(builder::header);
        try {
            HttpResponse<byte[]> response;
            boolean retried = false;
            try {
                response = http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (java.io.IOException closedBeforeAnswering) {
                // A pooled keep-alive connection the server closed just as this request went out looks the same as a
                // server that dropped the request. Send it once more on a connection of its own: a request that
                // really kills the connection fails again and is reported.
                retried = true;
                HttpClient fresh = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(10)).build();
                response = fresh.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
            }
            return new FuzzTally.Exchange(job.service(), job.via(), request, response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(null),
                    new String(response.body(), StandardCharsets.UTF_8), null, retried);
        } catch (java.io.IOException e) {
            return new FuzzTally.Exchange(job.service(), job.via(), request, -1, null, "", e.toString(), true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * A request line the HTTP codec refuses (414) goes over a connection of its own, closed after the answer: a
     * service called directly answers it bare ("HTTP/1.0 414", docs/errors.md) and closes the connection without
     * saying so, and Java's client would hand that dead connection to the next, unrelated case.
     */
    private static FuzzTally.Exchange sendOverOwnConnection(Job job, Map<String, String> headers) {
        BadRequests.BadRequest request = job.request();
        byte[] body = request.body() == null ? new byte[0] : request.body();
        StringBuilder raw = new StringBuilder(request.method()).append(' ').append(request.target())
                .append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        headers.forEach((name, value) -> raw.append(name).append(": ").append(value).append("\r\n"));
        raw.append("Content-Length: ").append(body.length).append("\r\nConnection: close\r\n\r\n")
                .append(new String(body, StandardCharsets.ISO_8859_1));
        try {
            RawHttp.Response response = RawHttp.send(URI.create(job.baseUrl()).getPort(), raw.toString());
            return new FuzzTally.Exchange(job.service(), job.via(), request, response.status(),
                    response.header("Content-Type"), response.body(), null, false);
        } catch (RuntimeException e) {
            return new FuzzTally.Exchange(job.service(), job.via(), request, -1, null, "", e.toString(), false);
        }
    }

    /**
     * A user whose role may call the operation (from the roles its OpenAPI security requirement lists), so that
     * the request reaches validation: an agency_admin of Acme where allowed, else a super_admin (acting on Acme).
     */
    private static String callerFor(JsonNode operation) {
        List<String> roles = new ArrayList<>();
        for (JsonNode requirement : operation.path("security")) {
            requirement.fields().forEachRemaining(scheme -> scheme.getValue().forEach(role -> roles.add(role.asText())));
        }
        if (roles.isEmpty() || roles.contains("agency_admin")) {
            return "admin-acme";
        }
        if (roles.contains("super_admin")) {
            return "super-acme";
        }
        return roles.contains("researcher") ? "researcher-acme" : "client-acme";
    }

    /** The fuzz suite's own resource for a path parameter: the first names the collection, the others themselves. */
    private String pathValue(String template, String parameter) {
        if (NO_OWN_RESOURCE.contains(template)) {
            return ABSENT_ID;
        }
        if (template.startsWith("/api/v1/") && template.indexOf('{') == template.indexOf("{" + parameter + "}")) {
            String collection = ownIds.get(template.substring("/api/v1/".length()).split("/")[0]);
            if (collection != null) {
                return collection;
            }
            // A view of another service's resource (analytics/campaigns/{id}): the collection the id is named after.
            String before = template.substring(0, template.indexOf("/{" + parameter + "}"));
            String viewed = ownIds.get(before.substring(before.lastIndexOf('/') + 1));
            if (viewed != null) {
                return viewed;
            }
        }
        return ownIds.get(parameter);
    }

    /** An id-valued body field gets the fuzz suite's own resource of its collection (lead_ids, campaign_id ...). */
    private String idFor(String fieldName) {
        if (fieldName.startsWith("source_id") || fieldName.startsWith("lead_id")) {
            return ownIds.get("other-lead");
        }
        if (fieldName.startsWith("campaign_id")) {
            return ownIds.get("campaigns");
        }
        return UUID.randomUUID().toString();
    }

    /** Resources of Acme that only this suite uses, so that what its cases change or delete concerns no other test. */
    private void createOwnResources(Stack stack) {
        String admin = KeycloakTokens.of(stack, "admin-acme");
        String unique = UUID.randomUUID().toString().substring(0, 8);
        ownIds.put("campaigns", given().baseUri(stack.gatewayUrl()).auth().oauth2(admin).contentType(ContentType.JSON)
                .body("{\"name\":\"Fuzz campaign " + unique + "\"}")
                .when().post("/api/v1/campaigns").then().statusCode(201).extract().path("id"));
        for (String lead : List.of("leads", "other-lead")) {
            ownIds.put(lead, given().baseUri(stack.gatewayUrl()).auth().oauth2(admin).contentType(ContentType.JSON)
                    .body("{\"first_name\":\"Fuzz\",\"email\":\"fuzz-" + lead + "-" + unique + "@acme.test\"}")
                    .when().post("/api/v1/leads").then().statusCode(201).extract().path("id"));
        }
        ownIds.put("data-sources", given().baseUri(stack.gatewayUrl()).auth().oauth2(admin).contentType(ContentType.JSON)
                .body("{\"name\":\"Fuzz source " + unique + "\",\"type\":\"csv\"}")
                .when().post("/api/v1/data-sources").then().statusCode(201).extract().path("id"));
        // A pending CSV job (no file yet): its actions, logs and upload have a real job to fuzz.
        ownIds.put("jobs", given().baseUri(stack.gatewayUrl()).auth().oauth2(admin).contentType(ContentType.JSON)
                .body("{\"data_source_id\":\"" + ownIds.get("data-sources") + "\"}")
                .when().post("/api/v1/jobs").then().statusCode(201).extract().path("id"));
        ownIds.put("pointId", given().baseUri(stack.gatewayUrl()).auth().oauth2(admin).contentType(ContentType.JSON)
                .body("{\"type\":\"email\",\"value\":\"fuzz-point-" + unique + "@acme.test\",\"is_primary\":false}")
                .when().post("/api/v1/leads/" + ownIds.get("leads") + "/contact-points").then().statusCode(201)
                .extract().path("id"));
        String client = String.valueOf(ForgedTokens.claims(KeycloakTokens.of(stack, "client-acme")).get("sub"));
        given().baseUri(stack.gatewayUrl()).auth().oauth2(admin)
                .when().put("/api/v1/campaigns/" + ownIds.get("campaigns") + "/clients/" + client)
                .then().statusCode(201);
        ownIds.put("userId", client);
    }
}
