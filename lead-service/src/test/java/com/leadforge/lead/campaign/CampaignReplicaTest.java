package com.leadforge.lead.campaign;

import static com.leadforge.lead.LeadApi.ACME;
import static com.leadforge.lead.LeadApi.BEACON;
import static com.leadforge.lead.LeadApi.PROBLEM_JSON;
import static com.leadforge.lead.LeadApi.researcher;
import static org.hamcrest.Matchers.equalTo;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * A lead joins only a draft or active campaign of its own agency, judged from lead-service's replica of campaign
 * events; another agency's campaign, an unknown one and a closed one get the same answer.
 */
@QuarkusTest
class CampaignReplicaTest {

    @Test
    void leadsJoinOnlyOpenCampaignsOfTheirAgency() {
        UUID draft = CampaignEvents.created(ACME, "draft");
        UUID active = CampaignEvents.created(ACME, "active");
        String lead = createIn(draft).then().statusCode(201).extract().path("id");
        createIn(active).then().statusCode(201);

        CampaignEvents.statusChanged(ACME, active, "active", "paused");
        refused(createIn(active));
        // A lead may stay in a campaign that closed after it joined; only moves are checked.
        CampaignEvents.statusChanged(ACME, draft, "draft", "archived");
        researcher().contentType(ContentType.JSON).body("{\"title\":\"CTO\"}")
                .patch("/api/v1/leads/" + lead).then().statusCode(200);
        refused(researcher().contentType(ContentType.JSON).body("{\"campaign_id\":\"" + active + "\"}")
                .patch("/api/v1/leads/" + lead));

        UUID beacons = CampaignEvents.created(BEACON, "active");
        refused(createIn(beacons));
        refused(createIn(UUID.randomUUID()));

        UUID removed = CampaignEvents.created(ACME, "draft");
        CampaignEvents.deleted(ACME, removed, "draft");
        refused(createIn(removed));
    }

    private static io.restassured.response.Response createIn(UUID campaignId) {
        return researcher().contentType(ContentType.JSON)
                .body("{\"first_name\":\"Camp\",\"last_name\":\"" + UUID.randomUUID() + "\",\"campaign_id\":\""
                        + campaignId + "\"}")
                .post("/api/v1/leads");
    }

    private static void refused(io.restassured.response.Response response) {
        response.then().statusCode(400).contentType(PROBLEM_JSON)
                .body("errors[0].field", equalTo("campaign_id"))
                .body("errors[0].message", equalTo("is not a draft or active campaign of your agency"));
    }
}
