package com.leadforge.lead.activity;

import static com.leadforge.lead.LeadApi.ACME;
import static com.leadforge.lead.LeadApi.researcher;
import static com.leadforge.lead.LeadApi.unique;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import com.leadforge.lead.LeadApi;
import com.leadforge.testsupport.RawHttp;
import com.leadforge.testsupport.RealInfrastructure;
import com.leadforge.testsupport.TestTokens;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.core.json.JsonObject;

/**
 * The activity log records the real client: the first X-Forwarded-For entry when the request comes from the gateway
 * (a trusted proxy: loopback 127.0.0.1 by default), the socket peer otherwise. Requests from 127.0.0.2 play a caller
 * that reached the service past the gateway.
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, initArgs = {
        @ResourceArg(name = "database", value = "leads"),
        @ResourceArg(name = "topics", value = LeadApi.TEST_TOPICS) })
class ActivityClientAddressTest {

    private static String createLeadFrom(String from, String forwardedFor) {
        RawHttp.Response created = RawHttp.send(from, RestAssured.port, RawHttp.request("POST", "/api/v1/leads",
                "{\"first_name\":\"Ip\",\"email\":\"ip-" + unique() + "@example.com\"}",
                "Authorization: Bearer " + TestTokens.token(ACME, "researcher"),
                "X-Forwarded-For: " + forwardedFor));
        assertEquals(201, created.status(), created.body());
        return new JsonObject(created.body()).getString("id");
    }

    @Test
    void theGatewaysForwardedClientIsRecorded() {
        String id = createLeadFrom("127.0.0.1", "203.0.113.7, 10.0.0.9");
        researcher().when().get("/api/v1/leads/" + id + "/activity")
                .then().statusCode(200)
                .body("data[0].action", equalTo("created"))
                .body("data[0].ip", equalTo("203.0.113.7"));
    }

    @Test
    void aForwardedForFromAnyoneElseIsIgnored() {
        String id = createLeadFrom("127.0.0.2", "6.6.6.6");
        researcher().when().get("/api/v1/leads/" + id + "/activity")
                .then().statusCode(200)
                .body("data[0].ip", equalTo("127.0.0.2"));
    }
}
