package com.leadforge.lead.lead;

import static com.leadforge.lead.LeadApi.*;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.leadforge.lead.LeadApi;
import com.leadforge.testsupport.RealInfrastructure;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, initArgs = {
        @ResourceArg(name = "database", value = "leads"),
        @ResourceArg(name = "topics", value = LeadApi.TEST_TOPICS) })
class LeadCrudTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void createNormalisesIdentifiersComputesTheScoreAndLogsTheActivity() {
        String u = unique();
        String id = create("""
                {"first_name":"Ada","email":"ADA.%s@Example.COM","phone":"(650) 253-%s",
                 "linkedin_url":"https://LinkedIn.com/in/Ada-%s/?trk=x","title":"Chief Executive Officer",
                 "company":"Engines"}""".formatted(u, phoneSuffix(), u));
        researcher().when().get("/api/v1/leads/" + id).then().statusCode(200)
                .body("email", equalTo("ada." + u + "@example.com"))
                .body("phone", org.hamcrest.Matchers.startsWith("+1650253"))
                .body("linkedin_url", equalTo("https://www.linkedin.com/in/ada-" + u))
                .body("score", equalTo(5 + 10 + 10 + 5 + 5 + 10 + 20))
                .body("do_not_contact", equalTo(false));
        researcher().when().get("/api/v1/leads/" + id + "/activity").then().statusCode(200)
                .body("data[0].action", equalTo("created"))
                .body("data[0].changes.email.new", equalTo("ada." + u + "@example.com"))
                .body("data[0].request_id", org.hamcrest.Matchers.notNullValue())
                .body("meta.total", equalTo(1));
    }

    @Test
    void aDuplicateIsAConflictNamingTheExistingLeadOrIsMergedOnRequest() {
        String u = unique();
        String suffix = phoneSuffix();
        String id = create("{\"email\":\"dup.%s@example.com\",\"phone\":\"+1 650 253 %s\"}".formatted(u, suffix));
        researcher().contentType(ContentType.JSON)
                .body("{\"email\":\"DUP.%s@example.com\",\"first_name\":\"Twin\"}".formatted(u))
                .when().post("/api/v1/leads")
                .then().statusCode(409).contentType(PROBLEM_JSON)
                .body("type", equalTo("https://leadforge.io/problems/conflict"))
                .body("existing_lead_id", equalTo(id))
                .body("existing_lead", equalTo("/api/v1/leads/" + id))
                .body("errors[0].field", equalTo("email"))
                .header("Link", containsString(id));
        researcher().contentType(ContentType.JSON).body("{\"phone\":\"(650) 253-%s\"}".formatted(suffix))
                .when().post("/api/v1/leads")
                .then().statusCode(409).body("errors[0].field", equalTo("phone"));
        researcher().contentType(ContentType.JSON)
                .body("{\"email\":\"dup.%s@example.com\",\"company\":\"Merged Co\"}".formatted(u))
                .queryParam("onDuplicate", "merge")
                .when().post("/api/v1/leads")
                .then().statusCode(200).body("id", equalTo(id)).body("company", equalTo("Merged Co"));
        researcher().contentType(ContentType.JSON).body("{\"email\":\"x.%s@example.com\"}".formatted(u))
                .queryParam("onDuplicate", "sometimes")
                .when().post("/api/v1/leads")
                .then().statusCode(400).body("errors.field", hasItem("onDuplicate"));
        // Another agency may hold the same person.
        as(BEACON, "researcher").contentType(ContentType.JSON).body("{\"email\":\"dup.%s@example.com\"}".formatted(u))
                .when().post("/api/v1/leads").then().statusCode(201);
    }

    @Test
    void patchChangesOnlyTheFieldsSentAndPutReplacesThemAll() {
        String id = createNamed("Grace", "Hopper", "\"company\":\"Navy\"");
        int before = researcher().get("/api/v1/leads/" + id).then().extract().path("score");
        researcher().contentType(ContentType.JSON).body("{\"title\":\"VP Engineering\",\"status\":\"contacted\"}")
                .when().patch("/api/v1/leads/" + id)
                .then().statusCode(200)
                .body("title", equalTo("VP Engineering"))
                .body("company", equalTo("Navy"))
                .body("status", equalTo("contacted"))
                .body("score", greaterThan(before));
        JsonPath changed = awaitEvent(bootstrap, id, "leadforge.lead.status_changed.v1");
        assertEquals("new", changed.getString("old_status"));
        assertEquals("contacted", changed.getString("new_status"));
        assertEquals("pending", changed.getString("old_qualification_status"));
        // Every lead event carries the lead snapshot with a version that grows with each change.
        JsonPath created = awaitEvent(bootstrap, id, "leadforge.lead.created.v1");
        assertEquals("new", created.getString("lead.status"));
        assertEquals("contacted", changed.getString("lead.status"));
        assertEquals(id, changed.getString("lead.lead_id"));
        assertTrue(changed.getLong("lead.version") > created.getLong("lead.version"));
        JsonPath updated = awaitEvent(bootstrap, id, "leadforge.lead.updated.v1");
        List<String> fields = updated.getList("changed_fields");
        assertTrue(fields.containsAll(List.of("title", "status", "score")), fields.toString());
        assertEquals(ACME, updated.getString("agency_id"));

        researcher().contentType(ContentType.JSON).body("{\"company\":null}")
                .when().patch("/api/v1/leads/" + id)
                .then().statusCode(200).body("company", nullValue()).body("title", equalTo("VP Engineering"));
        researcher().contentType(ContentType.JSON).body("{\"first_name\":\"Amazing\",\"priority\":\"urgent\"}")
                .when().put("/api/v1/leads/" + id)
                .then().statusCode(200)
                .body("first_name", equalTo("Amazing"))
                .body("last_name", nullValue())
                .body("email", nullValue())
                .body("priority", equalTo("urgent"));
        researcher().contentType(ContentType.JSON).body("{\"email\":\"nope\",\"phone\":\"12\"}")
                .when().patch("/api/v1/leads/" + id)
                .then().statusCode(400).contentType(PROBLEM_JSON)
                .body("type", equalTo("https://leadforge.io/problems/validation"))
                .body("errors.field", hasItem("email"))
                .body("errors.field", hasItem("phone"));
        researcher().contentType(ContentType.JSON).body("{\"agency_id\":\"" + BEACON + "\"}")
                .when().patch("/api/v1/leads/" + id)
                .then().statusCode(400).contentType(PROBLEM_JSON).body("errors.field", hasItem("agency_id"));
        researcher().contentType(ContentType.JSON).body("{\"phone\":\"+1 000 000 0000\"}")
                .when().patch("/api/v1/leads/" + id)
                .then().statusCode(400).contentType(PROBLEM_JSON).body("errors[0].field", equalTo("phone"));
        researcher().contentType(ContentType.JSON).body("{\"priority\":\"sky\"}")
                .when().put("/api/v1/leads/" + id)
                .then().statusCode(400).contentType(PROBLEM_JSON).body("errors[0].field", equalTo("priority"));
        researcher().contentType(ContentType.JSON)
                .when().put("/api/v1/leads/" + id)
                .then().statusCode(400).contentType(PROBLEM_JSON);
        researcher().get("/api/v1/leads/" + id + "/activity?pageSize=10").then().statusCode(200)
                .body("data[0].action", equalTo("updated"))
                .body("data[0].changes.first_name.old", equalTo("Grace"))
                .body("data[0].changes.first_name.new", equalTo("Amazing"));
    }

    @Test
    void deleteIsSoftAndForAdminsOnly() {
        String id = createNamed("Del", "Ete", "");
        researcher().when().delete("/api/v1/leads/" + id).then().statusCode(403).contentType(PROBLEM_JSON);
        client().when().delete("/api/v1/leads/" + id).then().statusCode(403);
        as(BEACON, "agency_admin").when().delete("/api/v1/leads/" + id).then().statusCode(404);
        admin().when().delete("/api/v1/leads/" + id).then().statusCode(204);
        admin().when().get("/api/v1/leads/" + id).then().statusCode(404);
        admin().when().delete("/api/v1/leads/" + id).then().statusCode(404);
        admin().when().get("/api/v1/leads?pageSize=100&search=Ete").then().statusCode(200)
                .body("data.id", not(hasItem(id)));
        JsonPath deleted = awaitEvent(bootstrap, id, "leadforge.lead.deleted.v1");
        assertEquals("new", deleted.getString("status"));
        assertEquals("deleted", deleted.getString("reason"));
        assertEquals(true, deleted.getBoolean("lead.deleted"));
    }

    @Test
    void anotherAgencysLeadIsNotFoundEverywhere() {
        String id = createNamed("Only", "Acme", "");
        var beacon = List.of("agency_admin");
        for (String role : beacon) {
            as(BEACON, role).get("/api/v1/leads/" + id).then().statusCode(404).contentType(PROBLEM_JSON);
            as(BEACON, role).get("/api/v1/leads/" + id + "/activity").then().statusCode(404);
            as(BEACON, role).get("/api/v1/leads/" + id + "/contact-points").then().statusCode(404);
            as(BEACON, role).get("/api/v1/leads/" + id + "/gdpr-export").then().statusCode(404);
            as(BEACON, role).post("/api/v1/leads/" + id + "/erase").then().statusCode(404);
            as(BEACON, role).contentType(ContentType.JSON).body("{\"first_name\":\"X\"}")
                    .put("/api/v1/leads/" + id).then().statusCode(404);
            as(BEACON, role).contentType(ContentType.JSON).body("{\"first_name\":\"X\"}")
                    .patch("/api/v1/leads/" + id).then().statusCode(404);
            as(BEACON, role).contentType(ContentType.JSON).body("{\"qualification_status\":\"qualified\"}")
                    .post("/api/v1/leads/" + id + "/qualify").then().statusCode(404);
            as(BEACON, role).contentType(ContentType.JSON).body("{\"user_id\":\"u1\"}")
                    .post("/api/v1/leads/" + id + "/assign").then().statusCode(404);
            as(BEACON, role).contentType(ContentType.JSON).body("{\"channel\":\"email\",\"outcome\":\"sent\"}")
                    .post("/api/v1/leads/" + id + "/contact").then().statusCode(404);
            as(BEACON, role).contentType(ContentType.JSON).body("{\"type\":\"email\",\"value\":\"a@b.example.com\"}")
                    .post("/api/v1/leads/" + id + "/contact-points").then().statusCode(404);
            String other = as(BEACON, role).contentType(ContentType.JSON).body("{\"first_name\":\"Beacon\"}")
                    .post("/api/v1/leads").then().statusCode(201).extract().path("id");
            as(BEACON, role).contentType(ContentType.JSON).body("{\"source_ids\":[\"" + id + "\"]}")
                    .post("/api/v1/leads/" + other + "/merge").then().statusCode(404);
            as(BEACON, role).contentType(ContentType.JSON)
                    .body("{\"lead_ids\":[\"" + id + "\"],\"updates\":{\"priority\":\"low\"}}")
                    .post("/api/v1/leads/bulk-update").then().statusCode(200)
                    .body("not_found", equalTo(1)).body("results[0].result", equalTo("not_found"));
        }
        researcher().get("/api/v1/leads/" + id).then().statusCode(200).body("priority", equalTo("medium"))
                .body("first_name", equalTo("Only"));
    }

    @Test
    void clientsOnlyRead() {
        String id = createNamed("Read", "Only", "");
        client().contentType(ContentType.JSON).body("{\"first_name\":\"X\"}").put("/api/v1/leads/" + id)
                .then().statusCode(403).contentType(PROBLEM_JSON);
        client().contentType(ContentType.JSON).body("{\"first_name\":\"X\"}").patch("/api/v1/leads/" + id)
                .then().statusCode(403);
        client().contentType(ContentType.JSON).body("{\"qualification_status\":\"qualified\"}")
                .post("/api/v1/leads/" + id + "/qualify").then().statusCode(403);
        client().contentType(ContentType.JSON).body("{\"user_id\":\"u\"}")
                .post("/api/v1/leads/" + id + "/assign").then().statusCode(403);
        client().contentType(ContentType.JSON).body("{\"channel\":\"email\",\"outcome\":\"sent\"}")
                .post("/api/v1/leads/" + id + "/contact").then().statusCode(403);
        client().contentType(ContentType.JSON).body("{\"lead_ids\":[\"" + id + "\"],\"updates\":{\"priority\":\"low\"}}")
                .post("/api/v1/leads/bulk-update").then().statusCode(403);
        client().contentType(ContentType.JSON).body("{\"type\":\"email\",\"value\":\"a@b.example.com\"}")
                .post("/api/v1/leads/" + id + "/contact-points").then().statusCode(403);
        client().get("/api/v1/leads/" + id + "/gdpr-export").then().statusCode(403);
        client().post("/api/v1/leads/" + id + "/erase").then().statusCode(403);
        researcher().get("/api/v1/leads/" + id).then().statusCode(200).body("first_name", equalTo("Read"));
    }

    /** A different valid US number per call, so tests never collide on phone duplicates. */
    private static final java.util.concurrent.atomic.AtomicInteger PHONES =
            new java.util.concurrent.atomic.AtomicInteger((int) (System.nanoTime() % 5000));

    static String phoneSuffix() {
        return String.format("%04d", PHONES.incrementAndGet() % 10000);
    }
}
