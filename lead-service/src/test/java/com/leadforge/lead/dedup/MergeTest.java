package com.leadforge.lead.dedup;

import static com.leadforge.lead.LeadApi.*;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
class MergeTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void dryRunPreviewsAndMergeFoldsTheDuplicateIntoTheSurvivor() {
        String u = unique();
        String survivor = create("{\"first_name\":\"Sur\",\"email\":\"sur.%s@example.com\"}".formatted(u));
        String source = create("""
                {"first_name":"Src","last_name":"Vivor","company":"Merge Co","linkedin_url":"https://linkedin.com/in/m-%s"}"""
                .formatted(u));
        researcher().contentType(ContentType.JSON).body("{\"type\":\"address\",\"value\":\"2 Merge Road\"}")
                .post("/api/v1/leads/" + source + "/contact-points").then().statusCode(201);
        String body = "{\"source_ids\":[\"%s\"],\"dry_run\":%s}";

        admin().contentType(ContentType.JSON).body(body.formatted(source, true))
                .post("/api/v1/leads/" + survivor + "/merge").then().statusCode(200)
                .body("dry_run", equalTo(true))
                .body("lead.first_name", equalTo("Sur"))
                .body("lead.last_name", equalTo("Vivor"))
                .body("lead.company", equalTo("Merge Co"))
                .body("contact_points_moved", equalTo(1))
                .body("changed_fields", hasItems("last_name", "company", "linkedin_url"));
        researcher().get("/api/v1/leads/" + survivor).then().body("company", nullValue());
        researcher().get("/api/v1/leads/" + source).then().statusCode(200);

        researcher().contentType(ContentType.JSON).body(body.formatted(source, false))
                .post("/api/v1/leads/" + survivor + "/merge").then().statusCode(403);
        admin().contentType(ContentType.JSON).body(body.formatted(source, false))
                .post("/api/v1/leads/" + survivor + "/merge").then().statusCode(200).body("dry_run", equalTo(false));
        researcher().get("/api/v1/leads/" + survivor).then().statusCode(200)
                .body("company", equalTo("Merge Co"))
                .body("linkedin_url", equalTo("https://www.linkedin.com/in/m-" + u));
        researcher().get("/api/v1/leads/" + source).then().statusCode(404);
        researcher().get("/api/v1/leads/" + survivor + "/contact-points").then().body("value", hasItem("2 Merge Road"));
        researcher().get("/api/v1/leads/" + survivor + "/activity?pageSize=100").then()
                .body("data.action", hasItems("merged", "contact_point_added", "created"))
                .body("data.findAll { it.action == 'created' }", hasSize(2));

        JsonPath merged = awaitEvent(bootstrap, survivor, "leadforge.lead.merged.v1");
        assertEquals(source, merged.getList("merged_lead_ids").get(0));
        JsonPath deleted = awaitEvent(bootstrap, source, "leadforge.lead.deleted.v1");
        assertEquals("merged", deleted.getString("reason"));
        assertEquals(survivor, deleted.getString("merged_into_id"));
    }

    @Test
    void invalidMergesAreRejected() {
        String survivor = createNamed("Lone", "Survivor", "");
        admin().contentType(ContentType.JSON).body("{\"source_ids\":[]}")
                .post("/api/v1/leads/" + survivor + "/merge").then().statusCode(400).contentType(PROBLEM_JSON)
                .body("errors[0].field", equalTo("source_ids"));
        admin().contentType(ContentType.JSON).body("{\"source_ids\":[\"" + survivor + "\"]}")
                .post("/api/v1/leads/" + survivor + "/merge").then().statusCode(400)
                .body("errors[0].field", equalTo("source_ids"));
        admin().contentType(ContentType.JSON).body("{\"source_ids\":[\"" + UUID.randomUUID() + "\"]}")
                .post("/api/v1/leads/" + survivor + "/merge").then().statusCode(404).contentType(PROBLEM_JSON);
        client().contentType(ContentType.JSON).body("{\"source_ids\":[\"" + UUID.randomUUID() + "\"]}")
                .post("/api/v1/leads/" + survivor + "/merge").then().statusCode(403);
    }
}
