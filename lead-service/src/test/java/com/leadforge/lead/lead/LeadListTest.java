package com.leadforge.lead.lead;

import static com.leadforge.lead.LeadApi.*;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.leadforge.lead.campaign.CampaignEvents;
import com.leadforge.lead.LeadApi;
import com.leadforge.testsupport.RealInfrastructure;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, initArgs = {
        @ResourceArg(name = "database", value = "leads"),
        @ResourceArg(name = "topics", value = LeadApi.TEST_TOPICS) })
class LeadListTest {

    @Test
    void filtersCombineAndStayInsideTheAgency() {
        String source = "list-" + unique();
        String campaign = CampaignEvents.created(ACME, "active").toString();
        String a = createNamed("Fil", "Ter", "\"source\":\"%s\",\"priority\":\"urgent\",\"campaign_id\":\"%s\""
                .formatted(source, campaign));
        String b = createNamed("Fil", "Tered", "\"source\":\"%s\",\"priority\":\"low\"".formatted(source));
        researcher().contentType(ContentType.JSON).body("{\"status\":\"contacted\"}").patch("/api/v1/leads/" + b)
                .then().statusCode(200);

        researcher().get("/api/v1/leads?source=" + source).then().statusCode(200)
                .body("data.id", containsInAnyOrder(a, b)).body("meta.total", equalTo(2))
                .body("meta.has_more", equalTo(false));
        researcher().get("/api/v1/leads?source=" + source + "&priority=urgent").then()
                .body("data.id", contains(a));
        researcher().get("/api/v1/leads?campaign_id=" + campaign).then().body("data.id", contains(a));
        researcher().get("/api/v1/leads?source=" + source + "&status=contacted").then().body("data.id", contains(b));
        researcher().get("/api/v1/leads?source=" + source + "&qualification_status=pending").then()
                .body("data", hasSize(2));
        researcher().get("/api/v1/leads?source=" + source + "&created_from=2000-01-01T00:00:00Z&created_to=2001-01-01T00:00:00Z")
                .then().statusCode(200).body("data", empty());
        researcher().get("/api/v1/leads?source=" + source + "&created_from=2000-01-01T00:00:00Z").then()
                .body("data", hasSize(2));
        as(BEACON, "client").get("/api/v1/leads?source=" + source).then().statusCode(200).body("data", empty());
        researcher().get("/api/v1/leads?source=" + source + "&sortBy=priority").then().statusCode(400)
                .contentType(PROBLEM_JSON).body("errors[0].field", equalTo("sortBy"));
        researcher().get("/api/v1/leads?status=won").then().statusCode(400).contentType(PROBLEM_JSON)
                .body("errors[0].field", equalTo("status"));
        researcher().get("/api/v1/leads?created_from=yesterday").then().statusCode(400).contentType(PROBLEM_JSON)
                .body("errors[0].field", equalTo("created_from"));
        researcher().get("/api/v1/leads?sortOrder=sideways").then().statusCode(400)
                .body("errors[0].field", equalTo("sortOrder"));
        researcher().get("/api/v1/leads?campaign_id=nope").then().statusCode(400).contentType(PROBLEM_JSON);
    }

    @Test
    void searchFindsWholeWordsPrefixesAndPartialWords() {
        String u = unique();
        String id = create("""
                {"first_name":"Augusta","last_name":"Byronic%s","company":"Analytical Engines %s","title":"Countess"}"""
                .formatted(u, u));
        researcher().get("/api/v1/leads?search=Byronic" + u).then().statusCode(200).body("data.id", contains(id));
        researcher().get("/api/v1/leads?search=byro").then().body("data.id", hasItem(id));
        researcher().get("/api/v1/leads?search=nalytical engines " + u).then().body("data.id", contains(id));
        researcher().get("/api/v1/leads?search=ronic" + u.substring(0, 4)).then().body("data.id", contains(id));
        researcher().get("/api/v1/leads?search=zz" + u + "qq").then().body("data", empty());
        researcher().get("/api/v1/leads?search=" + "x".repeat(201)).then().statusCode(400)
                .body("errors[0].field", equalTo("search"));
        researcher().get("/api/v1/leads?search=%25_").then().statusCode(200);
    }

    @Test
    void sortingAndKeysetPagingAgreeWithOffsetPaging() {
        String source = "page-" + unique();
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(createNamed("Page" + i, "Lead", "\"source\":\"%s\"".formatted(source)));
        }
        researcher().contentType(ContentType.JSON).body("{\"title\":\"CEO\"}").patch("/api/v1/leads/" + created.get(2))
                .then().statusCode(200);

        List<String> offsetOrder = researcher().get("/api/v1/leads?pageSize=100&source=" + source).then()
                .extract().path("data.id");
        assertEquals(List.of(created.get(4), created.get(3), created.get(2), created.get(1), created.get(0)),
                offsetOrder);
        researcher().get("/api/v1/leads?source=" + source + "&sortBy=score&sortOrder=desc").then()
                .body("data[0].id", equalTo(created.get(2)));
        researcher().get("/api/v1/leads?source=" + source + "&sortBy=last_name&sortOrder=asc").then().statusCode(200)
                .body("data", hasSize(5));

        List<String> keysetOrder = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Response page = researcher().queryParam("source", source).queryParam("pageSize", 2)
                    .queryParam(cursor == null ? "paging" : "cursor", cursor == null ? "cursor" : cursor)
                    .get("/api/v1/leads");
            page.then().statusCode(200).body("meta.total", nullValue());
            keysetOrder.addAll(page.path("data.id"));
            cursor = page.path("meta.next_cursor");
            pages++;
        } while (cursor != null && pages < 10);
        assertEquals(offsetOrder, keysetOrder);
        assertEquals(3, pages);

        String first = researcher().queryParam("source", source).queryParam("pageSize", 2)
                .queryParam("paging", "cursor").queryParam("sortBy", "score").get("/api/v1/leads")
                .then().statusCode(200).body("data[0].id", equalTo(created.get(2))).extract().path("meta.next_cursor");
        researcher().queryParam("source", source).queryParam("cursor", first).get("/api/v1/leads").then()
                .statusCode(400).contentType(PROBLEM_JSON).body("errors[0].field", equalTo("cursor"));
        researcher().queryParam("cursor", "not-a-cursor").get("/api/v1/leads").then().statusCode(400)
                .body("errors[0].field", equalTo("cursor"));
        researcher().queryParam("paging", "cursor").queryParam("sortBy", "last_name").get("/api/v1/leads").then()
                .statusCode(400).body("errors[0].field", equalTo("sortBy"));
    }
}
