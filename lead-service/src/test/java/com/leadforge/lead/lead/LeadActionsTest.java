package com.leadforge.lead.lead;

import static com.leadforge.lead.LeadApi.*;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
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
class LeadActionsTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void qualifyingMovesStatusAndPublishesTheVerdictWithOldAndNewValues() {
        String id = createNamed("Qual", "Ified", "");
        researcher().contentType(ContentType.JSON)
                .body("{\"qualification_status\":\"qualified\",\"qualification_reason\":\"Budget confirmed\"}")
                .when().post("/api/v1/leads/" + id + "/qualify")
                .then().statusCode(200)
                .body("qualification_status", equalTo("qualified"))
                .body("qualification_reason", equalTo("Budget confirmed"))
                .body("qualified_at", notNullValue())
                .body("status", equalTo("qualified"));
        JsonPath qualified = awaitEvent(bootstrap, id, "leadforge.lead.qualified.v1");
        assertEquals("pending", qualified.getString("old_qualification_status"));
        assertEquals("qualified", qualified.getString("new_qualification_status"));
        assertEquals("Budget confirmed", qualified.getString("reason"));
        JsonPath changed = awaitEvent(bootstrap, id, "leadforge.lead.status_changed.v1");
        assertEquals("new", changed.getString("old_status"));
        assertEquals("qualified", changed.getString("new_status"));

        admin().contentType(ContentType.JSON).body("{\"qualification_status\":\"disqualified\"}")
                .when().post("/api/v1/leads/" + id + "/qualify")
                .then().statusCode(200).body("status", equalTo("disqualified"));
        awaitEvent(bootstrap, id, "leadforge.lead.disqualified.v1");

        researcher().contentType(ContentType.JSON).body("{\"qualification_reason\":\"x\"}")
                .when().post("/api/v1/leads/" + id + "/qualify")
                .then().statusCode(400).contentType(PROBLEM_JSON)
                .body("errors[0].field", equalTo("qualification_status"));
        researcher().contentType(ContentType.JSON).body("{\"qualification_status\":\"maybe\"}")
                .when().post("/api/v1/leads/" + id + "/qualify")
                .then().statusCode(400).contentType(PROBLEM_JSON);
        researcher().contentType(ContentType.JSON).when().post("/api/v1/leads/" + id + "/qualify")
                .then().statusCode(400).body("type", equalTo("https://leadforge.io/problems/malformed-request"));
        researcher().contentType(ContentType.JSON).body("{\"qualification_status\":\"qualified\"}")
                .when().post("/api/v1/leads/" + UUID.randomUUID() + "/qualify")
                .then().statusCode(404).contentType(PROBLEM_JSON);
    }

    @Test
    void assigningRecordsTheOldAndNewAssignee() {
        String id = createNamed("Assi", "Gned", "");
        researcher().contentType(ContentType.JSON).body("{\"user_id\":\"user-42\"}")
                .when().post("/api/v1/leads/" + id + "/assign")
                .then().statusCode(200).body("assigned_to", equalTo("user-42"));
        JsonPath assigned = awaitEvent(bootstrap, id, "leadforge.lead.assigned.v1");
        assertEquals("user-42", assigned.getString("new_assignee"));
        assertEquals(null, assigned.getString("old_assignee"));
        researcher().get("/api/v1/leads?assigned_to=user-42&pageSize=100").then().statusCode(200)
                .body("data.id", hasItem(id));
        researcher().contentType(ContentType.JSON).body("{\"user_id\":\"\"}")
                .when().post("/api/v1/leads/" + id + "/assign")
                .then().statusCode(400).contentType(PROBLEM_JSON).body("errors[0].field", equalTo("user_id"));
        researcher().contentType(ContentType.JSON).body("{}")
                .when().post("/api/v1/leads/" + id + "/assign")
                .then().statusCode(200).body("assigned_to", nullValue());
    }

    @Test
    void contactingUpdatesLastContactAndStatusAndRespectsDoNotContact() {
        String id = createNamed("Con", "Tacted", "");
        researcher().contentType(ContentType.JSON)
                .body("{\"channel\":\"email\",\"outcome\":\"sent\",\"notes\":\"intro mail\"}")
                .when().post("/api/v1/leads/" + id + "/contact")
                .then().statusCode(200)
                .body("status", equalTo("contacted"))
                .body("last_contacted_at", notNullValue());
        researcher().contentType(ContentType.JSON).body("{\"channel\":\"phone\",\"outcome\":\"responded\"}")
                .when().post("/api/v1/leads/" + id + "/contact")
                .then().statusCode(200)
                .body("status", equalTo("responded"))
                .body("last_responded_at", notNullValue());
        List<JsonPath> contacted = awaitEvents(bootstrap, id, "leadforge.lead.contacted.v1", 2);
        assertEquals(List.of("sent", "responded"), contacted.stream().map(e -> e.getString("outcome")).toList());
        assertEquals("contacted", contacted.get(1).getString("old_status"));
        assertEquals("responded", contacted.get(1).getString("new_status"));
        researcher().get("/api/v1/leads/" + id + "/activity").then().statusCode(200)
                .body("data[1].action", equalTo("contacted"))
                .body("data[1].changes.details.channel", equalTo("email"))
                .body("data[1].changes.details.notes", equalTo("intro mail"))
                .body("data[1].changes.status.old", equalTo("new"))
                .body("data[1].changes.status.new", equalTo("contacted"));

        researcher().contentType(ContentType.JSON).body("{\"channel\":\"pigeon\",\"outcome\":\"sent\"}")
                .when().post("/api/v1/leads/" + id + "/contact")
                .then().statusCode(400).contentType(PROBLEM_JSON).body("errors[0].field", equalTo("channel"));
        String quiet = createNamed("Do", "Not", "\"do_not_contact\":true");
        researcher().contentType(ContentType.JSON).body("{\"channel\":\"email\",\"outcome\":\"sent\"}")
                .when().post("/api/v1/leads/" + quiet + "/contact")
                .then().statusCode(409).contentType(PROBLEM_JSON);
    }

    @Test
    void bulkUpdateAppliesAllInOneGoWithAResultAndAnEventPerLead() {
        String a = createNamed("Bulk", "One", "");
        String b = createNamed("Bulk", "Two", "");
        String missing = UUID.randomUUID().toString();
        researcher().contentType(ContentType.JSON)
                .body("{\"lead_ids\":[\"%s\",\"%s\",\"%s\"],\"updates\":{\"status\":\"nurturing\",\"priority\":\"urgent\",\"assigned_to\":\"sdr-1\"}}"
                        .formatted(a, b, missing))
                .when().post("/api/v1/leads/bulk-update")
                .then().statusCode(200)
                .body("updated", equalTo(2))
                .body("not_found", equalTo(1))
                .body("results.find { it.id == '%s' }.result".formatted(missing), equalTo("not_found"))
                .body("results.find { it.id == '%s' }.result".formatted(a), equalTo("updated"));
        researcher().get("/api/v1/leads/" + b).then().body("status", equalTo("nurturing"))
                .body("priority", equalTo("urgent")).body("assigned_to", equalTo("sdr-1"));
        for (String id : List.of(a, b)) {
            JsonPath changed = awaitEvent(bootstrap, id, "leadforge.lead.status_changed.v1");
            assertEquals("nurturing", changed.getString("new_status"));
            awaitEvent(bootstrap, id, "leadforge.lead.updated.v1");
        }
        researcher().contentType(ContentType.JSON)
                .body("{\"lead_ids\":[\"%s\"],\"updates\":{\"status\":\"nurturing\",\"priority\":\"urgent\",\"assigned_to\":\"sdr-1\"}}".formatted(a))
                .when().post("/api/v1/leads/bulk-update")
                .then().statusCode(200).body("unchanged", equalTo(1));

        List<String> tooMany = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            tooMany.add("\"" + UUID.randomUUID() + "\"");
        }
        researcher().contentType(ContentType.JSON)
                .body("{\"lead_ids\":[" + String.join(",", tooMany) + "],\"updates\":{\"priority\":\"low\"}}")
                .when().post("/api/v1/leads/bulk-update")
                .then().statusCode(400).contentType(PROBLEM_JSON).body("errors[0].field", equalTo("lead_ids"));
        researcher().contentType(ContentType.JSON)
                .body("{\"lead_ids\":[\"%s\"],\"updates\":{\"email\":\"x@example.com\"}}".formatted(a))
                .when().post("/api/v1/leads/bulk-update")
                .then().statusCode(400).contentType(PROBLEM_JSON).body("errors[0].field", equalTo("updates.email"));
        researcher().contentType(ContentType.JSON)
                .body("{\"lead_ids\":[\"%s\"],\"updates\":{\"status\":\"won\"}}".formatted(a))
                .when().post("/api/v1/leads/bulk-update")
                .then().statusCode(400).contentType(PROBLEM_JSON).body("errors[0].field", equalTo("updates.status"));
        researcher().contentType(ContentType.JSON)
                .body("{\"lead_ids\":[\"%s\"],\"updates\":{}}".formatted(a))
                .when().post("/api/v1/leads/bulk-update")
                .then().statusCode(400).contentType(PROBLEM_JSON).body("errors[0].field", equalTo("updates"));
        researcher().contentType(ContentType.JSON).body("{\"lead_ids\":[],\"updates\":{\"priority\":\"low\"}}")
                .when().post("/api/v1/leads/bulk-update")
                .then().statusCode(400).body("errors[0].field", equalTo("lead_ids"));
    }

    @Test
    void activityIsPagedAndBounded() {
        String id = createNamed("Act", "Ivity", "");
        for (String priority : List.of("low", "high", "urgent")) {
            researcher().contentType(ContentType.JSON).body("{\"priority\":\"" + priority + "\"}")
                    .header("User-Agent", "activity-test")
                    .when().patch("/api/v1/leads/" + id).then().statusCode(200);
        }
        researcher().get("/api/v1/leads/" + id + "/activity?pageSize=2&page=1").then().statusCode(200)
                .body("meta.total", equalTo(4))
                .body("meta.has_more", equalTo(true))
                .body("data[0].changes.priority.new", equalTo("urgent"))
                .body("data[0].changes.priority.old", equalTo("high"))
                .body("data[0].user_agent", equalTo("activity-test"))
                .body("data[0].actor", notNullValue())
                .body("data[0].ip", notNullValue());
        researcher().get("/api/v1/leads/" + id + "/activity?pageSize=1000").then().statusCode(400)
                .contentType(PROBLEM_JSON).body("errors[0].field", equalTo("pageSize"));
        researcher().get("/api/v1/leads/" + UUID.randomUUID() + "/activity").then().statusCode(404);
    }
}
