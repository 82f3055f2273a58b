package com.leadforge.stack;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import com.leadforge.testsupport.Await;
import com.leadforge.testsupport.ForgedTokens;
import com.leadforge.testsupport.SseClient;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Tenant isolation for every endpoint the services publish, for every role: the endpoints are read from the services'
 * OpenAPI documents, so a new endpoint is covered without editing this test, and the test fails when it cannot build
 * a case for one. Agency Acme owns resources; Beacon's users (and a super_admin acting on Beacon) then call every
 * endpoint on Acme's ids with valid-looking bodies. Each call must answer 403 or 404 (or, with no Acme id in it,
 * anything but a server error), no answer may contain Acme's data, and afterwards Acme's resources are unchanged.
 */
@ExtendWith(RunningStack.class)
class IsolationMatrixTest {

    static final String BEACON = "22222222-2222-2222-2222-222222222222";
    static final List<String> SERVICES = List.of("lead-service", "campaign-service", "scraping-service",
            "analytics-service");
    /** Beacon-side callers: each role, and a super_admin acting on Beacon. */
    static final Map<String, String> CALLERS = new LinkedHashMap<>();
    static {
        CALLERS.put("super_admin", "super-acme");
        CALLERS.put("agency_admin", "admin-beacon");
        CALLERS.put("researcher", "researcher-beacon");
        CALLERS.put("client", "client-beacon");
    }
    private static final Pattern PATH_PARAMETER = Pattern.compile("\\{([^}]+)}");
    private final ObjectMapper json = new ObjectMapper();

    /** Acme's resources, by the collection segment that follows /api/v1/. */
    private final Map<String, String> acmeIds = new LinkedHashMap<>();
    /** Strings only Acme's resources contain: no Beacon-side answer may include one. */
    private final List<String> acmeMarkers = new ArrayList<>();

    @Test
    void everyEndpointRefusesAnotherAgencysResourcesForEveryRole(Stack stack) throws Exception {
        createAcmeResources(stack);
        Map<String, String> before = snapshotAcme(stack);

        List<String> failures = new ArrayList<>();
        List<String> streams = new ArrayList<>();
        int endpoints = 0;
        int calls = 0;
        for (String service : SERVICES) {
            JsonNode openApi = json.readTree(given().baseUri(stack.managementUrl(service))
                    .when().get("/q/openapi?format=json").then().statusCode(200).extract().asString());
            Iterator<Map.Entry<String, JsonNode>> paths = openApi.path("paths").fields();
            while (paths.hasNext()) {
                Map.Entry<String, JsonNode> path = paths.next();
                if (!path.getKey().startsWith("/api/v1/")) {
                    continue;
                }
                Iterator<Map.Entry<String, JsonNode>> operations = path.getValue().fields();
                while (operations.hasNext()) {
                    Map.Entry<String, JsonNode> operation = operations.next();
                    String method = operation.getKey().toUpperCase(Locale.ROOT);
                    if (!List.of("GET", "POST", "PUT", "PATCH", "DELETE").contains(method)) {
                        continue;
                    }
                    if (isEventStream(operation.getValue())) {
                        // Never ends, so no answer to judge: liveStreamShowsAnotherAgencyNothing covers it.
                        streams.add(method + " " + path.getKey());
                        continue;
                    }
                    endpoints++;
                    String concretePath;
                    try {
                        concretePath = withAcmeIds(path.getKey());
                    } catch (IllegalStateException noCase) {
                        failures.add(method + " " + path.getKey() + ": " + noCase.getMessage());
                        continue;
                    }
                    boolean targetsAcme = !concretePath.equals(path.getKey()) && PATH_PARAMETER.matcher(path.getKey()).find();
                    // A body that passes validation, so that the agency check (not validation) decides the answer.
                    JsonNode body = new OpenApiExamples(openApi, this::acmeIdFor).requestBody(operation.getValue());
                    // A file upload: a small, valid file of the type the operation takes.
                    String file = operation.getValue().path("requestBody").path("content").has("text/csv")
                            ? "email\nbeacon@example.com\n" : null;
                    for (Map.Entry<String, String> caller : CALLERS.entrySet()) {
                        calls++;
                        Response response = call(stack, caller, method, concretePath, body, file);
                        String verdict = judge(response, targetsAcme, concretePath + (body == null ? "" : body));
                        if (verdict != null) {
                            failures.add(method + " " + path.getKey() + " as " + caller.getKey() + ": " + verdict);
                        }
                    }
                }
            }
        }
        System.out.printf("Isolation matrix: %d endpoints x %d roles = %d cross-agency calls%n", endpoints,
                CALLERS.size(), calls);
        assertTrue(endpoints > 0, "no endpoint found in the OpenAPI documents");
        assertEquals(List.of("GET /api/v1/stream"), streams, "a new event stream needs a case like the live stream's");
        assertEquals(List.of(), failures, "cross-agency calls that were not refused cleanly");
        assertEquals(before, snapshotAcme(stack), "Acme's resources changed through another agency's calls");
    }

    /**
     * The live stream is the one endpoint that never answers completely: Beacon's callers (every role) hold it open
     * while Acme's campaign changes status, which reaches Acme's admins as a campaign event and a notification. Acme's
     * own admin stream must show both (the window was long enough); no Beacon stream may show anything of Acme's.
     */
    @Test
    void liveStreamShowsAnotherAgencyNothing(Stack stack) throws Exception {
        createAcmeResources(stack);
        String campaignId = acmeIds.get("campaigns");
        java.net.URI stream = java.net.URI.create(stack.gatewayUrl() + "/api/v1/stream");
        List<SseClient> beacon = new ArrayList<>();
        try (SseClient acme = SseClient.open(stream, "Authorization",
                "Bearer " + KeycloakTokens.of(stack, "admin-acme"))) {
            assertEquals(200, acme.status());
            for (Map.Entry<String, String> caller : CALLERS.entrySet()) {
                List<String> headers = new ArrayList<>(List.of("Authorization",
                        "Bearer " + KeycloakTokens.of(stack, caller.getValue())));
                if (caller.getKey().equals("super_admin")) {
                    headers.addAll(List.of("X-Agency-Id", BEACON));
                }
                SseClient client = SseClient.open(stream, headers.toArray(String[]::new));
                beacon.add(client);
                assertEquals(200, client.status(), caller.getKey() + " may open its own agency's stream");
            }
            given().baseUri(stack.gatewayUrl()).auth().oauth2(KeycloakTokens.of(stack, "admin-acme"))
                    .contentType(ContentType.JSON).body("{\"status\":\"paused\"}")
                    .when().put("/api/v1/campaigns/" + campaignId).then().statusCode(200);
            acme.await("Acme's campaign event", java.time.Duration.ofSeconds(30),
                    e -> "campaign".equals(e.name()) && e.data().contains(campaignId));
            acme.await("Acme's admin notification", java.time.Duration.ofSeconds(30),
                    e -> "notification".equals(e.name()) && e.data().contains(campaignId));
            for (SseClient client : beacon) {
                for (SseClient.Event event : client.drain(java.time.Duration.ofSeconds(1))) {
                    for (String marker : acmeMarkers) {
                        assertTrue(event.data() == null || !event.data().contains(marker),
                                "a Beacon stream showed Acme's " + marker + ": " + event);
                    }
                }
            }
        } finally {
            beacon.forEach(SseClient::close);
        }
    }

    private static boolean isEventStream(JsonNode operation) {
        for (JsonNode response : operation.path("responses")) {
            if (response.path("content").has("text/event-stream")) {
                return true;
            }
        }
        return false;
    }

    /**
     * 403/404 for Acme's ids; never a 5xx; never Acme's data in the body (an id the caller sent itself, echoed in a
     * 404's detail, is no leak).
     */
    private String judge(Response response, boolean targetsAcme, String request) {
        int status = response.statusCode();
        String body = response.asString();
        for (String marker : acmeMarkers) {
            if (body.contains(marker) && !request.contains(marker)) {
                return "answer " + status + " contains Acme's data (" + marker + ")";
            }
        }
        if (status >= 500) {
            return "server error " + status;
        }
        if (targetsAcme && status != 403 && status != 404) {
            String errors = response.contentType().startsWith("application/problem+json")
                    ? String.valueOf(response.jsonPath().getList("errors")) : abbreviate(body);
            return "expected 403 or 404, got " + status + " " + errors + " for body " + request;
        }
        return null;
    }

    private Response call(Stack stack, Map.Entry<String, String> caller, String method, String path, JsonNode body,
            String file) {
        RequestSpecification request = given().baseUri(stack.gatewayUrl())
                .auth().oauth2(KeycloakTokens.of(stack, caller.getValue()));
        if (caller.getKey().equals("super_admin")) {
            request = request.header("X-Agency-Id", BEACON);
        }
        if (file != null) {
            request = request.contentType("text/csv").body(file);
        } else if (body != null) {
            request = request.contentType(ContentType.JSON).body(body.toString());
        }
        return request.request(method, path);
    }

    /** Substitutes Acme's id for the path's first parameter; fails for a parameter no case knows. */
    private String withAcmeIds(String template) {
        Matcher parameters = PATH_PARAMETER.matcher(template);
        StringBuilder path = new StringBuilder();
        boolean first = true;
        while (parameters.find()) {
            String value;
            if (first) {
                String collection = template.substring("/api/v1/".length()).split("/")[0];
                value = acmeIds.get(collection);
                if (value == null) {
                    throw new IllegalStateException("no isolation case: no Acme resource for collection '" + collection
                            + "' (add one to createAcmeResources)");
                }
                first = false;
            } else {
                value = acmeIds.get(parameters.group(1));
                if (value == null) {
                    throw new IllegalStateException("no isolation case for path parameter {" + parameters.group(1)
                            + "} (add one to createAcmeResources)");
                }
            }
            parameters.appendReplacement(path, Matcher.quoteReplacement(value));
        }
        parameters.appendTail(path);
        return path.toString();
    }

    /** An id-valued field gets Acme's id of the matching collection (lead_ids, campaign_id ...), else a random one. */
    private String acmeIdFor(String fieldName) {
        for (Map.Entry<String, String> owned : acmeIds.entrySet()) {
            String singular = owned.getKey().replace("-", "_").replaceAll("s$", "");
            if (fieldName.startsWith(singular) || fieldName.startsWith("source_id") && owned.getKey().equals("leads")) {
                return owned.getValue();
            }
        }
        return UUID.randomUUID().toString();
    }

    private void createAcmeResources(Stack stack) {
        String admin = KeycloakTokens.of(stack, "admin-acme");
        String unique = UUID.randomUUID().toString().substring(0, 8);
        String campaignName = "Acme isolation campaign " + unique;
        String campaignId = given().baseUri(stack.gatewayUrl()).auth().oauth2(admin).contentType(ContentType.JSON)
                .body("{\"name\":\"" + campaignName + "\"}")
                .when().post("/api/v1/campaigns").then().statusCode(201).extract().path("id");
        String email = "acme-isolation-" + unique + "@acme.test";
        String leadId = given().baseUri(stack.gatewayUrl()).auth().oauth2(admin).contentType(ContentType.JSON)
                .body("{\"first_name\":\"Acme\",\"last_name\":\"Secret" + unique + "\",\"email\":\"" + email + "\"}")
                .when().post("/api/v1/leads").then().statusCode(201).extract().path("id");
        String dataSourceName = "Acme isolation source " + unique;
        String dataSourceId = given().baseUri(stack.gatewayUrl()).auth().oauth2(admin).contentType(ContentType.JSON)
                .body("{\"name\":\"" + dataSourceName + "\",\"type\":\"csv\"}")
                .when().post("/api/v1/data-sources").then().statusCode(201).extract().path("id");
        // Acme shares its campaign with its client: the grant endpoints then have a real grant to aim at.
        String acmeClient = String.valueOf(ForgedTokens.claims(KeycloakTokens.of(stack, "client-acme")).get("sub"));
        given().baseUri(stack.gatewayUrl()).auth().oauth2(admin)
                .when().put("/api/v1/campaigns/" + campaignId + "/clients/" + acmeClient)
                .then().statusCode(201);
        acmeIds.put("leads", leadId);
        acmeIds.put("campaigns", campaignId);
        // Activating the campaign notifies Acme's admins: the notification endpoints have a real one to aim at.
        given().baseUri(stack.gatewayUrl()).auth().oauth2(admin).contentType(ContentType.JSON)
                .body("{\"status\":\"active\"}")
                .when().put("/api/v1/campaigns/" + campaignId).then().statusCode(200);
        String[] notificationId = new String[1];
        Await.until("Acme's admin notified of its campaign", java.time.Duration.ofSeconds(60), () -> {
            List<Map<String, Object>> mine = given().baseUri(stack.gatewayUrl()).auth().oauth2(admin)
                    .when().get("/api/v1/notifications?pageSize=100").then().statusCode(200).extract()
                    .jsonPath().getList("data");
            for (Map<String, Object> notification : mine) {
                if (campaignId.equals(notification.get("related_entity_id"))) {
                    notificationId[0] = String.valueOf(notification.get("id"));
                    return true;
                }
            }
            return false;
        });
        acmeIds.put("notifications", notificationId[0]);
        acmeMarkers.add(notificationId[0]);
        acmeIds.put("data-sources", dataSourceId);
        // Analytics of one campaign (/api/v1/analytics/campaigns/{id}): Acme's campaign, seen through its events.
        acmeIds.put("analytics", campaignId);
        acmeIds.put("userId", acmeClient);
        // A pending CSV job with its file: start, pause, resume, cancel, upload and logs all have a real job to aim at.
        String jobId = given().baseUri(stack.gatewayUrl()).auth().oauth2(admin).contentType(ContentType.JSON)
                .body("{\"data_source_id\":\"" + dataSourceId + "\"}")
                .when().post("/api/v1/jobs").then().statusCode(201).extract().path("id");
        given().baseUri(stack.gatewayUrl()).auth().oauth2(admin).contentType("text/csv")
                .body("email\nacme-job-" + unique + "@acme.test\n")
                .when().put("/api/v1/jobs/" + jobId + "/file").then().statusCode(200);
        acmeIds.put("jobs", jobId);
        acmeMarkers.add(jobId);
        String pointEmail = "acme-point-" + unique + "@acme.test";
        String pointId = given().baseUri(stack.gatewayUrl()).auth().oauth2(admin).contentType(ContentType.JSON)
                .body("{\"type\":\"email\",\"value\":\"" + pointEmail + "\",\"is_primary\":false}")
                .when().post("/api/v1/leads/" + leadId + "/contact-points").then().statusCode(201).extract().path("id");
        acmeIds.put("pointId", pointId);
        acmeMarkers.addAll(List.of(pointId, pointEmail));
        acmeMarkers.addAll(List.of(leadId, campaignId, dataSourceId, email, "Secret" + unique, campaignName,
                dataSourceName));
    }

    /** Acme's resources as Acme sees them, to prove nothing was changed through Beacon's calls. */
    private Map<String, String> snapshotAcme(Stack stack) {
        String admin = KeycloakTokens.of(stack, "admin-acme");
        Map<String, String> state = new LinkedHashMap<>();
        state.put("lead", given().baseUri(stack.gatewayUrl()).auth().oauth2(admin)
                .when().get("/api/v1/leads/" + acmeIds.get("leads")).then().statusCode(200).extract().asString());
        state.put("contact points", given().baseUri(stack.gatewayUrl()).auth().oauth2(admin)
                .when().get("/api/v1/leads/" + acmeIds.get("leads") + "/contact-points").then().statusCode(200)
                .extract().asString());
        state.put("lead activity", given().baseUri(stack.gatewayUrl()).auth().oauth2(admin)
                .when().get("/api/v1/leads/" + acmeIds.get("leads") + "/activity").then().statusCode(200)
                .extract().asString());
        state.put("campaign", given().baseUri(stack.gatewayUrl()).auth().oauth2(admin)
                .when().get("/api/v1/campaigns/" + acmeIds.get("campaigns")).then().statusCode(200).extract().asString());
        state.put("job", given().baseUri(stack.gatewayUrl()).auth().oauth2(admin)
                .when().get("/api/v1/jobs/" + acmeIds.get("jobs")).then().statusCode(200).extract().asString());
        state.put("data source", given().baseUri(stack.gatewayUrl()).auth().oauth2(admin)
                .when().get("/api/v1/data-sources/" + acmeIds.get("data-sources")).then().statusCode(200).extract().asString());
        return state;
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
