package com.leadforge.lead.contact;

import static com.leadforge.lead.LeadApi.*;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.leadforge.lead.LeadApi;
import com.leadforge.testsupport.RealInfrastructure;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, initArgs = {
        @ResourceArg(name = "database", value = "leads"),
        @ResourceArg(name = "topics", value = LeadApi.TEST_TOPICS) })
class ContactPointTest {

    @Test
    void contactPointsAreNormalisedOnePrimaryPerTypeAndVerifiedOnesRaiseTheScore() {
        String id = createNamed("Point", "Lead", "");
        int score = researcher().get("/api/v1/leads/" + id).then().extract().path("score");
        String path = "/api/v1/leads/" + id + "/contact-points";
        String first = researcher().contentType(ContentType.JSON)
                .body("{\"type\":\"email\",\"value\":\"Work@Example.COM\",\"is_primary\":true,\"is_verified\":true}")
                .post(path).then().statusCode(201)
                .body("value", equalTo("work@example.com"))
                .body("is_primary", equalTo(true))
                .extract().path("id");
        researcher().get("/api/v1/leads/" + id).then().body("score", equalTo(score + 5));
        String second = researcher().contentType(ContentType.JSON)
                .body("{\"type\":\"email\",\"value\":\"home@example.com\",\"is_primary\":true}")
                .post(path).then().statusCode(201).extract().path("id");
        researcher().contentType(ContentType.JSON).body("{\"type\":\"phone\",\"value\":\"(650) 253-0000\"}")
                .post(path).then().statusCode(201).body("value", equalTo("+16502530000"));
        researcher().get(path).then().statusCode(200).body("", hasSize(3))
                .body("find { it.id == '%s' }.is_primary".formatted(first), equalTo(false))
                .body("find { it.id == '%s' }.is_primary".formatted(second), equalTo(true));

        researcher().contentType(ContentType.JSON)
                .body("{\"type\":\"email\",\"value\":\"work@example.com\",\"is_verified\":false}")
                .put(path + "/" + first).then().statusCode(200).body("is_verified", equalTo(false));
        researcher().get("/api/v1/leads/" + id).then().body("score", equalTo(score));

        researcher().delete(path + "/" + second).then().statusCode(403);
        admin().delete(path + "/" + second).then().statusCode(204);
        admin().delete(path + "/" + second).then().statusCode(404).contentType(PROBLEM_JSON);
        researcher().get(path).then().body("", hasSize(2));
        researcher().get("/api/v1/leads/" + id + "/activity").then()
                .body("data[0].action", equalTo("contact_point_deleted"))
                .body("data[0].changes.details.contact_point.old.value", equalTo("home@example.com"));
    }

    @Test
    void invalidContactPointsAreValidationProblems() {
        String id = createNamed("Bad", "Point", "");
        String path = "/api/v1/leads/" + id + "/contact-points";
        researcher().contentType(ContentType.JSON).body("{\"type\":\"fax\",\"value\":\"123\"}").post(path)
                .then().statusCode(400).contentType(PROBLEM_JSON).body("errors[0].field", equalTo("type"));
        researcher().contentType(ContentType.JSON).body("{\"type\":\"phone\",\"value\":\"not a phone\"}").post(path)
                .then().statusCode(400).contentType(PROBLEM_JSON).body("errors[0].field", equalTo("value"));
        researcher().contentType(ContentType.JSON).body("{\"type\":\"email\"}").post(path)
                .then().statusCode(400).body("errors[0].field", equalTo("value"));
        researcher().contentType(ContentType.JSON).post(path).then().statusCode(400)
                .body("type", equalTo("https://leadforge.io/problems/malformed-request"));
        researcher().contentType(ContentType.JSON).body("{\"type\":\"address\",\"value\":\"1 Main St\"}")
                .put(path + "/" + UUID.randomUUID()).then().statusCode(404);
        researcher().contentType(ContentType.JSON).body("{\"type\":\"address\",\"value\":\"1 Main St\"}")
                .post("/api/v1/leads/" + UUID.randomUUID() + "/contact-points").then().statusCode(404);
        String point = researcher().contentType(ContentType.JSON).body("{\"type\":\"address\",\"value\":\"1 Main St\"}")
                .post(path).then().statusCode(201).extract().path("id");
        as(BEACON, "agency_admin").contentType(ContentType.JSON).body("{\"type\":\"address\",\"value\":\"x\"}")
                .put(path + "/" + point).then().statusCode(404);
        as(BEACON, "agency_admin").delete(path + "/" + point).then().statusCode(404);
        client().contentType(ContentType.JSON).body("{\"type\":\"address\",\"value\":\"x\"}")
                .put(path + "/" + point).then().statusCode(403);
    }
}
