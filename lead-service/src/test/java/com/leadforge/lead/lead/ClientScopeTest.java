package com.leadforge.lead.lead;

import static com.leadforge.lead.LeadApi.*;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

import com.leadforge.lead.LeadApi;
import com.leadforge.lead.campaign.CampaignEvents;
import com.leadforge.testsupport.RealInfrastructure;
import com.leadforge.testsupport.TestTokens;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * A caller whose only role is client reads the leads of the campaigns granted to its token subject, and nothing else:
 * not another campaign's leads, not leads without a campaign, not the audit trail. Grants reach lead-service only as
 * campaign events (published here to the real broker, as campaign-service's outbox does), newest version winning.
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, initArgs = {
        @ResourceArg(name = "database", value = "leads"),
        @ResourceArg(name = "topics", value = LeadApi.TEST_TOPICS) })
class ClientScopeTest {

    /** One agency's leads: two in the campaign shared with the client, one in another campaign, one in none. */
    record Fixture(String source, UUID shared, UUID other, String sharedA, String sharedB, String otherLead,
            String noCampaign, String word) {
    }

    @Test
    void aClientReadsListsSearchesAndExportsOnlyTheLeadsOfItsGrantedCampaigns() throws Exception {
        Fixture f = fixture();
        String user = "client-" + unique();
        // Nothing is shared yet: an empty agency, and every lead is as missing as another agency's.
        clientOf(user).get("/api/v1/leads").then().statusCode(200).body("data", empty()).body("meta.total", equalTo(0));
        clientOf(user).get("/api/v1/leads/" + f.sharedA()).then().statusCode(404).contentType(PROBLEM_JSON);

        CampaignEvents.granted(ACME, f.shared(), subjectOf(user), 1);

        // List (offset pages, with total), filters, search.
        clientOf(user).get("/api/v1/leads?pageSize=100").then().statusCode(200)
                .body("data.id", containsInAnyOrder(f.sharedA(), f.sharedB()))
                .body("meta.total", equalTo(2));
        clientOf(user).get("/api/v1/leads?pageSize=1&page=2").then().statusCode(200)
                .body("data", hasSize(1)).body("meta.total", equalTo(2)).body("meta.has_more", equalTo(false));
        clientOf(user).get("/api/v1/leads?source=" + f.source()).then()
                .body("data.id", containsInAnyOrder(f.sharedA(), f.sharedB())).body("meta.total", equalTo(2));
        clientOf(user).get("/api/v1/leads?campaign_id=" + f.other()).then().statusCode(200)
                .body("data", empty()).body("meta.total", equalTo(0));
        clientOf(user).get("/api/v1/leads?search=" + f.word()).then().statusCode(200)
                .body("data.id", containsInAnyOrder(f.sharedA(), f.sharedB())).body("meta.total", equalTo(2));
        clientOf(user).get("/api/v1/leads?search=Othercamp" + f.word()).then().statusCode(200).body("data", empty());
        clientOf(user).get("/api/v1/leads?search=Nocamp" + f.word()).then().statusCode(200).body("data", empty());
        // Cursor pages walk the same two leads and no more.
        assertEquals(Set.of(f.sharedA(), f.sharedB()), Set.copyOf(cursorWalk(user, "")));
        assertEquals(2, cursorWalk(user, "").size());

        // Single reads and contact points: the others answer 404, exactly like a missing lead.
        clientOf(user).get("/api/v1/leads/" + f.sharedA()).then().statusCode(200)
                .body("email", containsString("@example.com"));
        for (String hidden : List.of(f.otherLead(), f.noCampaign())) {
            clientOf(user).get("/api/v1/leads/" + hidden).then().statusCode(404).contentType(PROBLEM_JSON);
            clientOf(user).get("/api/v1/leads/" + hidden + "/contact-points").then().statusCode(404)
                    .contentType(PROBLEM_JSON);
        }
        clientOf(user).get("/api/v1/leads/" + f.sharedA() + "/contact-points").then().statusCode(200)
                .body("value", hasItems("+16502530000"));

        // Export, every format.
        assertEquals(Set.of(f.sharedA(), f.sharedB()), Set.copyOf(exported(() -> clientOf(user), "")));
        assertEquals(List.of(), exported(() -> clientOf(user), "&campaign_id=" + f.other()));

        // Staff roles still read the whole agency.
        for (RequestSpecification staff : List.of(researcher(), admin(), as(ACME, "super_admin").header("X-Agency-Id",
                ACME))) {
            staff.get("/api/v1/leads?source=" + f.source()).then().statusCode(200)
                    .body("data.id", containsInAnyOrder(f.sharedA(), f.sharedB(), f.otherLead(), f.noCampaign()));
        }
        // Roles add up: a client that is also a researcher reads the whole agency.
        given().auth().oauth2(TestTokens.user(user).agency(ACME).roles("client", "researcher").sign())
                .get("/api/v1/leads/" + f.noCampaign()).then().statusCode(200);
        assertEquals(4, exported(LeadApi::researcher, "&source=" + f.source()).size());
    }

    @Test
    void anotherClientOfTheSameAgencySeesNothingOfAGrantThatIsNotItsOwn() throws Exception {
        Fixture f = fixture();
        String granted = "client-" + unique();
        String other = "client-" + unique();
        CampaignEvents.granted(ACME, f.shared(), subjectOf(granted), 1);

        clientOf(other).get("/api/v1/leads").then().statusCode(200).body("data", empty())
                .body("meta.total", equalTo(0));
        clientOf(other).get("/api/v1/leads/" + f.sharedA()).then().statusCode(404).contentType(PROBLEM_JSON);
        clientOf(other).get("/api/v1/leads/" + f.sharedA() + "/contact-points").then().statusCode(404);
        assertEquals(List.of(), exported(() -> clientOf(other), ""));
        assertEquals(List.of(), cursorWalk(other, ""));
        // The same subject in another agency holds no grant of Acme's either.
        given().auth().oauth2(TestTokens.user(granted).agency(BEACON).roles("client").sign())
                .get("/api/v1/leads/" + f.sharedA()).then().statusCode(404);
        given().auth().oauth2(TestTokens.user(granted).agency(BEACON).roles("client").sign())
                .get("/api/v1/leads").then().body("data", empty());
    }

    @Test
    void aRevokedGrantHidesTheLeadsAgainAndTheNewestVersionWinsWhateverTheArrivalOrder() throws Exception {
        Fixture f = fixture();
        String user = "client-" + unique();
        String sub = subjectOf(user);
        CampaignEvents.granted(ACME, f.shared(), sub, 1);
        clientOf(user).get("/api/v1/leads").then().body("meta.total", equalTo(2));

        CampaignEvents.revoked(ACME, f.shared(), sub, 2);
        clientOf(user).get("/api/v1/leads").then().statusCode(200).body("data", empty())
                .body("meta.total", equalTo(0));
        clientOf(user).get("/api/v1/leads/" + f.sharedA()).then().statusCode(404);
        clientOf(user).get("/api/v1/leads/" + f.sharedA() + "/contact-points").then().statusCode(404);
        assertEquals(List.of(), exported(() -> clientOf(user), ""));

        // The grant arriving again late (a re-driven dead letter, a replay) must not revive it. Events of one campaign
        // share a partition, so once a later marker event is applied, the late one has been too.
        CampaignEvents.publishGranted(ACME, f.shared(), sub, 1);
        CampaignEvents.granted(ACME, f.shared(), "marker-" + unique(), 3);
        assertFalse(CampaignEvents.grant(ACME, f.shared(), sub).orElseThrow().granted);
        clientOf(user).get("/api/v1/leads").then().body("data", empty());

        // A revoke arriving before the grant it follows: the grant (older version) loses.
        UUID campaign = CampaignEvents.created(ACME, "active");
        String lead = create("{\"first_name\":\"Early\",\"campaign_id\":\"%s\"}".formatted(campaign));
        CampaignEvents.revoked(ACME, campaign, sub, 11);
        CampaignEvents.publishGranted(ACME, campaign, sub, 10);
        CampaignEvents.granted(ACME, campaign, "marker-" + unique(), 12);
        clientOf(user).get("/api/v1/leads/" + lead).then().statusCode(404);
        // And a newer grant does show it.
        CampaignEvents.granted(ACME, campaign, sub, 13);
        clientOf(user).get("/api/v1/leads/" + lead).then().statusCode(200);
        clientOf(user).get("/api/v1/leads").then().body("data.id", containsInAnyOrder(lead));
    }

    @Test
    void aClientGetsNoActivityLogAndNothingItReadsCarriesStaffAddresses() throws Exception {
        Fixture f = fixture();
        String user = "client-" + unique();
        CampaignEvents.granted(ACME, f.shared(), subjectOf(user), 1);

        // Even for a lead it may read, and for one that does not exist: the audit trail is staff-only.
        clientOf(user).get("/api/v1/leads/" + f.sharedA() + "/activity").then().statusCode(403)
                .contentType(PROBLEM_JSON).body("type", equalTo("https://leadforge.io/problems/forbidden"))
                .body(not(containsString("203.0.113.7")));
        clientOf(user).get("/api/v1/leads/" + UUID.randomUUID() + "/activity").then().statusCode(403)
                .contentType(PROBLEM_JSON);
        researcher().get("/api/v1/leads/" + f.sharedA() + "/activity").then().statusCode(200)
                .body("data.ip", hasItems("203.0.113.7"));

        // Every read a client has: no staff address or user agent anywhere in it.
        List<String> bodies = new ArrayList<>();
        bodies.add(clientOf(user).get("/api/v1/leads?pageSize=100").then().statusCode(200).extract().asString());
        bodies.add(clientOf(user).get("/api/v1/leads?paging=cursor").then().statusCode(200).extract().asString());
        bodies.add(clientOf(user).get("/api/v1/leads/" + f.sharedA()).then().statusCode(200).extract().asString());
        bodies.add(clientOf(user).get("/api/v1/leads/" + f.sharedA() + "/contact-points").then().statusCode(200)
                .extract().asString());
        for (String format : List.of("csv", "json", "ndjson")) {
            bodies.add(clientOf(user).get("/api/v1/leads/export?format=" + format).then().statusCode(200)
                    .extract().asString());
        }
        for (String body : bodies) {
            assertFalse(body.contains("203.0.113.7") || body.contains("StaffBrowser/1.0"), body);
        }
    }

    /** Fresh campaigns and leads, created by a researcher from a recognisable address and user agent. */
    private static Fixture fixture() {
        String source = "scope-" + unique();
        String word = "Scope" + unique();
        UUID shared = CampaignEvents.created(ACME, "active");
        UUID other = CampaignEvents.created(ACME, "active");
        String a = staffCreate("Shared" + word, shared, source);
        String b = staffCreate("Second" + word, shared, source);
        String o = staffCreate("Othercamp" + word, other, source);
        String n = staffCreate("Nocamp" + word, null, source);
        for (String lead : List.of(a, o, n)) {
            staff().contentType(ContentType.JSON).body("{\"type\":\"phone\",\"value\":\"(650) 253-0000\"}")
                    .post("/api/v1/leads/" + lead + "/contact-points").then().statusCode(201);
        }
        return new Fixture(source, shared, other, a, b, o, n, word);
    }

    private static String staffCreate(String lastName, UUID campaign, String source) {
        String body = "{\"first_name\":\"Ada\",\"last_name\":\"%s\",\"email\":\"%s@example.com\",\"source\":\"%s\"%s}"
                .formatted(lastName, lastName.toLowerCase(), source,
                        campaign == null ? "" : ",\"campaign_id\":\"" + campaign + "\"");
        return staff().contentType(ContentType.JSON).body(body).post("/api/v1/leads").then().statusCode(201)
                .extract().path("id");
    }

    /** A researcher calling through the gateway from a known office address and browser. */
    private static RequestSpecification staff() {
        return researcher().header("X-Forwarded-For", "203.0.113.7").header("User-Agent", "StaffBrowser/1.0");
    }

    private static RequestSpecification clientOf(String user) {
        return given().auth().oauth2(TestTokens.user(user).agency(ACME).roles("client").sign());
    }

    /** The token {@code sub} TestTokens gives {@code user}: what campaign-service names in a grant. */
    private static String subjectOf(String user) {
        return UUID.nameUUIDFromBytes(user.getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static List<String> cursorWalk(String user, String query) {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Response page = clientOf(user).queryParam("pageSize", 1)
                    .queryParam(cursor == null ? "paging" : "cursor", cursor == null ? "cursor" : cursor)
                    .get("/api/v1/leads" + (query.isEmpty() ? "" : "?" + query));
            page.then().statusCode(200);
            ids.addAll(page.path("data.id"));
            cursor = page.path("meta.next_cursor");
            pages++;
        } while (cursor != null && pages < 10);
        return ids;
    }

    /** The ids an export returns, checked to agree across CSV, JSON and NDJSON (a fresh request each). */
    private static List<String> exported(Supplier<RequestSpecification> caller, String query) throws Exception {
        String csv = caller.get().get("/api/v1/leads/export?format=csv" + query).then().statusCode(200).extract().asString();
        List<String> fromCsv = new ArrayList<>();
        for (CSVRecord row : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(csv)).getRecords()) {
            fromCsv.add(row.get("id"));
        }
        String json = caller.get().get("/api/v1/leads/export?format=json" + query).then().statusCode(200)
                .extract().asString();
        List<String> fromJson = new JsonPath(json).getList("id");
        String ndjson = caller.get().get("/api/v1/leads/export?format=ndjson" + query).then().statusCode(200)
                .extract().asString();
        List<String> fromNdjson = ndjson.isBlank() ? List.of()
                : ndjson.strip().lines().map(line -> new JsonPath(line).getString("id")).toList();
        assertEquals(fromCsv, fromJson);
        assertEquals(fromCsv, fromNdjson);
        return fromCsv;
    }
}
