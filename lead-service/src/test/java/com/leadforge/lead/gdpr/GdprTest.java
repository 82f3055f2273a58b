package com.leadforge.lead.gdpr;

import static com.leadforge.lead.LeadApi.*;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.UUID;

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
class GdprTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void exportHoldsEverythingAndErasureAnonymisesIrreversibly() {
        String u = unique();
        String id = create("""
                {"first_name":"Erin","last_name":"Erase","email":"erin.%s@example.com","company":"Private Co",
                 "source":"gdpr","metadata":{"hobby":"sailing"},"consent_given":true}""".formatted(u));
        researcher().contentType(ContentType.JSON).body("{\"type\":\"address\",\"value\":\"1 Secret Lane\"}")
                .post("/api/v1/leads/" + id + "/contact-points").then().statusCode(201);
        researcher().contentType(ContentType.JSON).body("{\"qualification_status\":\"qualified\"}")
                .post("/api/v1/leads/" + id + "/qualify").then().statusCode(200);

        researcher().get("/api/v1/leads/" + id + "/gdpr-export").then().statusCode(403).contentType(PROBLEM_JSON);
        admin().get("/api/v1/leads/" + id + "/gdpr-export").then().statusCode(200)
                .header("Content-Disposition", org.hamcrest.Matchers.containsString("gdpr"))
                .body("lead.email", equalTo("erin." + u + "@example.com"))
                .body("lead.consent_given", equalTo(true))
                .body("lead.metadata.hobby", equalTo("sailing"))
                .body("contact_points.value", hasItem("1 Secret Lane"))
                .body("activities.action", hasItem("created"))
                .body("activities.action", hasItem("qualified"))
                .body("exported_at", notNullValue());

        researcher().post("/api/v1/leads/" + id + "/erase").then().statusCode(403);
        admin().post("/api/v1/leads/" + id + "/erase").then().statusCode(200)
                .body("first_name", nullValue())
                .body("email", nullValue())
                .body("company", nullValue())
                .body("metadata.size()", equalTo(0))
                .body("erased_at", notNullValue())
                .body("status", equalTo("qualified"))
                .body("qualification_status", equalTo("qualified"))
                .body("source", equalTo("gdpr"));
        admin().post("/api/v1/leads/" + id + "/erase").then().statusCode(409).contentType(PROBLEM_JSON);

        String after = admin().get("/api/v1/leads/" + id + "/gdpr-export").then().statusCode(200)
                .body("contact_points", empty())
                .body("activities.action", hasItem("erased"))
                .extract().asString();
        assertFalse(after.contains("erin"), after);
        assertFalse(after.contains("Secret"), after);
        assertFalse(after.contains("sailing"), after);
        researcher().get("/api/v1/leads?search=erin." + u).then().body("data", hasSize(0));
        researcher().get("/api/v1/leads?source=gdpr").then().body("data.id", hasItem(id));

        JsonPath erased = awaitEvent(bootstrap, id, "leadforge.lead.erased.v1");
        assertEquals(ACME, erased.getString("agency_id"));
        assertEquals(id, erased.getString("lead_id"));
        admin().post("/api/v1/leads/" + UUID.randomUUID() + "/erase").then().statusCode(404);
        // The person's e-mail is free again: nothing held matches it any more.
        create("{\"email\":\"erin.%s@example.com\"}".formatted(u));
        researcher().get("/api/v1/leads?source=gdpr").then().body("data.email", not(hasItem("erin." + u + "@example.com")));
    }

    /**
     * A soft-deleted lead and a lead merged into another keep their personal data in the table: the agency admin can
     * still export and erase it (a data subject's rights do not end with our delete). Nobody else can, and another
     * agency's id stays a 404.
     */
    @Test
    void deletedAndMergedLeadsCanStillBeExportedAndErasedByAdminsOnly() {
        String u = unique();
        String deleted = create("""
                {"first_name":"Dora","last_name":"Deleted","email":"dora.%s@example.com","company":"Gone Co"}""".formatted(u));
        admin().delete("/api/v1/leads/" + deleted).then().statusCode(204);
        admin().get("/api/v1/leads/" + deleted).then().statusCode(404);

        String survivor = create("{\"first_name\":\"Sam\",\"email\":\"sam.%s@example.com\"}".formatted(u));
        String merged = create("""
                {"first_name":"Mia","last_name":"Merged","email":"mia.%s@example.com","phone":"+46 70 123 45 67"}""".formatted(u));
        admin().contentType(ContentType.JSON).body("{\"source_ids\":[\"" + merged + "\"]}")
                .post("/api/v1/leads/" + survivor + "/merge").then().statusCode(200);
        admin().get("/api/v1/leads/" + merged).then().statusCode(404);

        admin().get("/api/v1/leads/" + deleted + "/gdpr-export").then().statusCode(200)
                .body("lead.email", equalTo("dora." + u + "@example.com"))
                .body("deleted_at", notNullValue())
                .body("activities.action", hasItem("deleted"));
        admin().get("/api/v1/leads/" + merged + "/gdpr-export").then().statusCode(200)
                .body("lead.email", equalTo("mia." + u + "@example.com"))
                .body("merged_into_id", equalTo(survivor));

        for (String id : java.util.List.of(deleted, merged)) {
            researcher().get("/api/v1/leads/" + id + "/gdpr-export").then().statusCode(403).contentType(PROBLEM_JSON);
            researcher().post("/api/v1/leads/" + id + "/erase").then().statusCode(403).contentType(PROBLEM_JSON);
            client().post("/api/v1/leads/" + id + "/erase").then().statusCode(403).contentType(PROBLEM_JSON);
            as(BEACON, "agency_admin").get("/api/v1/leads/" + id + "/gdpr-export").then().statusCode(404)
                    .contentType(PROBLEM_JSON);
            as(BEACON, "agency_admin").post("/api/v1/leads/" + id + "/erase").then().statusCode(404)
                    .contentType(PROBLEM_JSON);
            admin().post("/api/v1/leads/" + id + "/erase").then().statusCode(200)
                    .body("first_name", nullValue())
                    .body("email", nullValue())
                    .body("phone", nullValue())
                    .body("erased_at", notNullValue());
            String after = admin().get("/api/v1/leads/" + id + "/gdpr-export").then().statusCode(200)
                    .body("lead.erased_at", notNullValue())
                    .extract().asString();
            assertFalse(after.contains("Dora") || after.contains("Mia") || after.contains(u), after);
            admin().post("/api/v1/leads/" + id + "/erase").then().statusCode(409).contentType(PROBLEM_JSON);
            awaitEvent(bootstrap, id, "leadforge.lead.erased.v1");
        }
        // The survivor is untouched by the erasure of the lead merged into it, and deleted leads stay deleted.
        admin().get("/api/v1/leads/" + survivor).then().statusCode(200).body("first_name", equalTo("Sam"));
        admin().get("/api/v1/leads/" + deleted).then().statusCode(404);
    }
}
