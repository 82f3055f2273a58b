package com.leadforge.analytics.report;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.leadforge.shared.events.Topics;
import com.leadforge.testsupport.RealInfrastructure;
import com.leadforge.testsupport.TestTokens;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * Who may read which analytics: bad parameters are 400 problems naming them; another agency's campaign is 404 like an
 * unknown one; every role reads its agency (a super_admin the agency it names), a client only its granted campaigns.
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, initArgs = {
        @ResourceArg(name = "database", value = "analytics"),
        @ResourceArg(name = "topics", value = Topics.LEAD_EVENTS + "," + Topics.CAMPAIGN_EVENTS + ","
                + Topics.SCRAPING_EVENTS) })
class AnalyticsAccessTest {

    static final String PROBLEM = "application/problem+json";
    static final List<String> ENDPOINTS = List.of("/api/v1/analytics/leads", "/api/v1/analytics/dashboard",
            "/api/v1/analytics/campaigns/%s");

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    AnswerCache cache;

    @Inject
    jakarta.persistence.EntityManager entityManager;

    String agency;
    UUID shared;
    UUID unshared;
    String client;

    @BeforeEach
    void history() {
        agency = UUID.randomUUID().toString();
        client = TestTokens.user("client-" + agency).agency(agency).roles("client").sign();
        String clientSub = com.leadforge.testsupport.ForgedTokens.claims(client).get("sub").toString();
        EventHistory history = new EventHistory(agency);
        shared = history.campaign("Shared", Instant.now().minusSeconds(3600));
        unshared = history.campaign("Not shared", Instant.now().minusSeconds(3600));
        history.lead(shared, "csv", Instant.now().minusSeconds(600));
        history.lead(unshared, "csv", Instant.now().minusSeconds(600));
        history.lead(unshared, "api", Instant.now().minusSeconds(600));
        history.grant(shared, clientSub, 1);
        // The revoke (version 3) of a grant (version 2) arrives first: the grant must not revive it.
        history.revoke(unshared, clientSub, 3);
        history.grant(unshared, clientSub, 2);
        history.publishInOrder(bootstrapServers, dataSource);
    }

    @Test
    void badParametersAreValidationProblemsNamingThem() {
        String token = TestTokens.token(agency, "researcher");
        for (String endpoint : ENDPOINTS) {
            String path = endpoint.formatted(shared);
            given().auth().oauth2(token).get(path + "?range=2w&tz=Mars/Olympus").then().statusCode(400)
                    .contentType(PROBLEM).body("type", equalTo("https://leadforge.io/problems/validation"))
                    .body("errors.field", hasItems("range", "tz"));
            given().auth().oauth2(token).get(path + "?tz=%2B02:00").then().statusCode(400).contentType(PROBLEM)
                    .body("errors.field", hasItem("tz"));
            given().auth().oauth2(token).get(path + "?tz=Europe/Nowhere").then().statusCode(400)
                    .contentType(PROBLEM).body("errors.field", hasItem("tz"));
        }
        given().auth().oauth2(token).get("/api/v1/analytics/campaigns/" + shared + "?groupBy=hour").then()
                .statusCode(400).contentType(PROBLEM).body("errors.field", hasItem("groupBy"));
        given().auth().oauth2(token).get("/api/v1/analytics/leads?groupBy=day&campaign_id=nope").then()
                .statusCode(400).contentType(PROBLEM).body("errors.field", hasItems("groupBy", "campaign_id"));
    }

    @Test
    void anotherAgencysCampaignIsNotFoundLikeAnUnknownOne() {
        String other = TestTokens.token(TestTokens.AGENCY_BEACON, "agency_admin");
        for (String path : List.of("/api/v1/analytics/campaigns/" + shared,
                "/api/v1/analytics/leads?campaign_id=" + shared,
                "/api/v1/analytics/campaigns/" + UUID.randomUUID(),
                "/api/v1/analytics/campaigns/not-a-campaign")) {
            given().auth().oauth2(other).get(path).then().statusCode(404).contentType(PROBLEM)
                    .body("type", equalTo("https://leadforge.io/problems/not-found"));
        }
        String superAdmin = TestTokens.user("root").roles("super_admin").sign();
        given().auth().oauth2(superAdmin).header("X-Agency-Id", TestTokens.AGENCY_BEACON)
                .get("/api/v1/analytics/campaigns/" + shared).then().statusCode(404);
        given().auth().oauth2(other).get("/api/v1/analytics/dashboard").then().statusCode(200)
                .body("top_campaigns.id", org.hamcrest.Matchers.not(hasItem(shared.toString())));
    }

    @Test
    void everyRoleReadsItsAgencyAndAClientOnlyItsGrantedCampaigns() {
        for (String role : List.of("agency_admin", "researcher")) {
            String token = TestTokens.token(agency, role);
            given().auth().oauth2(token).get("/api/v1/analytics/campaigns/" + unshared).then().statusCode(200);
            given().auth().oauth2(token).get("/api/v1/analytics/leads?range=7d").then().statusCode(200)
                    .body("metrics.total", equalTo(3));
            given().auth().oauth2(token).get("/api/v1/analytics/dashboard").then().statusCode(200)
                    .body("top_campaigns.size()", equalTo(2));
        }
        String superAdmin = TestTokens.user("root").roles("super_admin").sign();
        given().auth().oauth2(superAdmin).header("X-Agency-Id", agency).get("/api/v1/analytics/leads").then()
                .statusCode(200).body("metrics.total", equalTo(3));
        given().auth().oauth2(superAdmin).get("/api/v1/analytics/leads").then().statusCode(400)
                .contentType(PROBLEM).body("type", equalTo("https://leadforge.io/problems/agency-required"));
        given().get("/api/v1/analytics/dashboard").then().statusCode(401).contentType(PROBLEM);
        given().auth().oauth2(TestTokens.user("nobody").agency(agency).roles("viewer").sign())
                .get("/api/v1/analytics/leads").then().statusCode(403).contentType(PROBLEM);

        given().auth().oauth2(client).get("/api/v1/analytics/campaigns/" + shared).then().statusCode(200)
                .body("metrics.total_leads", equalTo(1));
        given().auth().oauth2(client).get("/api/v1/analytics/campaigns/" + unshared).then().statusCode(404)
                .contentType(PROBLEM);
        given().auth().oauth2(client).get("/api/v1/analytics/leads?campaign_id=" + unshared).then().statusCode(404);
        given().auth().oauth2(client).get("/api/v1/analytics/leads?range=7d&groupBy=source").then().statusCode(200)
                .body("metrics.total", equalTo(1)).body("grouped_data.groups.key", equalTo(List.of("csv")));
        given().auth().oauth2(client).get("/api/v1/analytics/dashboard").then().statusCode(200)
                .body("top_campaigns.id", equalTo(List.of(shared.toString())))
                .body("recent_jobs.size()", equalTo(0));
    }

    @Test
    void anAnswerComputedOnACacheMissRunsUnderTheStatementBudgetAndOnlyThatTransaction() {
        java.util.function.Supplier<String> statementTimeout = () -> (String) entityManager
                .createNativeQuery("select current_setting('statement_timeout')").getSingleResult();
        String during = io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> cache.get(agency,
                List.of("budget", UUID.randomUUID()), String.class, statementTimeout));
        String afterwards = io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(statementTimeout::get);
        org.junit.jupiter.api.Assertions.assertEquals("10s", during, "the configured budget (10S) applies on a miss");
        org.junit.jupiter.api.Assertions.assertEquals("0", afterwards,
                "the budget is local to the request's transaction: a pooled connection returns without it");
    }
}
