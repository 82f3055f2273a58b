package com.leadforge.gateway.routing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.net.URI;
import java.net.URL;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.leadforge.testsupport.TestTokens;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * In this test the lead and campaign services (the stub) are ready, the analytics-service is down and the
 * scraping-service is down unless a test starts it.
 */
@QuarkusTest
class HealthAndOpenApiTest {

    static {
        io.restassured.RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    @Inject
    GatewayConfig config;

    @Test
    void adminsSeeEveryServicesReadinessAndLatency() {
        given().auth().oauth2(TestTokens.token(TestTokens.AGENCY_ACME, "agency_admin"))
                .when().get("/api/health?detailed=true")
                .then().statusCode(503).contentType("application/json")
                .header("RateLimit-Limit", notNullValue())
                .body("status", equalTo("DOWN"))
                .body("services", hasSize(4))
                .body("services.find { it.name == 'lead-service' }.status", equalTo("UP"))
                .body("services.find { it.name == 'lead-service' }.latency_ms", notNullValue())
                .body("services.find { it.name == 'campaign-service' }.status", equalTo("UP"))
                .body("services.find { it.name == 'analytics-service' }.status", equalTo("DOWN"))
                .body("services.find { it.name == 'scraping-service' }.status", equalTo("DOWN"))
                .body(not(containsString("127.0.0.1")));
        String superAdmin = TestTokens.user("root-health").agency(TestTokens.AGENCY_ACME).roles("super_admin").sign();
        given().auth().oauth2(superAdmin)
                .when().get("/api/health?detailed=true")
                .then().statusCode(503).body("services", hasSize(4));
    }

    @Test
    void everyoneElseSeesTheOverallStatusOnly() {
        given().auth().oauth2(TestTokens.token(TestTokens.AGENCY_ACME, "researcher"))
                .when().get("/api/health?detailed=true")
                .then().statusCode(503)
                .body("status", equalTo("DOWN"))
                .body("services", nullValue());
        given().when().get("/api/health?detailed=true")
                .then().statusCode(503)
                .body("status", equalTo("DOWN"))
                .body("services", nullValue());
        given().auth().oauth2("not-a-jwt").when().get("/api/health?detailed=true")
                .then().statusCode(401).contentType("application/problem+json")
                .body("services", nullValue());
    }

    @Test
    void theServicesOpenApiDocumentsAreMergedIntoOne() {
        int scrapingPort = URI.create(config.services().scraping()).getPort();
        try (SwitchableService scraping = new SwitchableService(scrapingPort).start()) {
            given().when().get("/api/openapi")
                    .then().statusCode(200).contentType("application/json")
                    .body("info.title", equalTo("LeadForge API"))
                    .body("paths", hasKey("/api/v1/leads"))
                    .body("paths", hasKey("/api/v1/jobs"))
                    .body("paths", not(hasKey("/q/health")))
                    .body("components.schemas", hasKey("Lead"))
                    .body("components.schemas", hasKey("Job"))
                    .body("components.schemas", hasKey("Problem"))
                    .body("tags.name", equalTo(List.of("Leads", "Jobs")))
                    .body("x-leadforge-unavailable-services", equalTo(List.of("analytics-service")));
        }
    }

    @TestHTTPResource(value = "/", management = true)
    URL management;

    @Test
    void thePublicPortServesNoOperationalEndpoints() {
        for (String path : new String[] { "/q/metrics", "/q/health", "/q/health/ready", "/q/health/live",
                "/q/openapi", "/q/swagger-ui/", "/q/dev-ui" }) {
            given().when().get(path)
                    .then().statusCode(404).contentType("application/problem+json")
                    .body("type", equalTo("https://leadforge.io/problems/not-found"));
        }
    }

    @Test
    void theManagementPortServesHealthAndMetrics() {
        String base = "http://" + management.getHost() + ":" + management.getPort();
        given().baseUri(base).when().get("/q/health/ready")
                .then().statusCode(200).body("status", equalTo("UP"));
        given().baseUri(base).when().get("/q/health/live")
                .then().statusCode(200).body("status", equalTo("UP"));
        given().baseUri(base).when().get("/q/metrics")
                .then().statusCode(200).body(containsString("jvm_memory"));
        given().baseUri(base).when().get("/api/health")
                .then().statusCode(404);
    }
}
