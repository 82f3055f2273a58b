package com.leadforge.lead.campaign;

import static com.leadforge.lead.LeadApi.ACME;
import static com.leadforge.lead.LeadApi.BEACON;
import static com.leadforge.lead.LeadApi.researcher;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import com.leadforge.testsupport.Await;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * A campaign created a moment ago is usable at once: a lead naming a campaign whose event has not reached
 * lead-service yet waits (bounded) for it instead of being refused. A campaign that never arrives — unknown, or
 * another agency's — is still refused.
 */
@QuarkusTest
class CampaignReadYourWritesTest {

    @Test
    void aLeadNamingACampaignWhoseEventIsStillInFlightIsAccepted() {
        UUID campaign = UUID.randomUUID();
        CompletableFuture<Response> create = CompletableFuture.supplyAsync(() -> createIn(campaign));
        // The request is waiting for the replica when the campaign's event is published.
        Await.pause(Duration.ofMillis(300));
        CampaignEvents.publishCreated(ACME, campaign, "active");
        Response response = create.join();
        assertEquals(201, response.statusCode(), response.asString());
    }

    @Test
    void campaignsThatNeverArriveAreRefusedAfterTheBoundedWait() {
        UUID beacons = UUID.randomUUID();
        CampaignEvents.publishCreated(BEACON, beacons, "active");
        assertEquals(400, createIn(beacons).statusCode(), "another agency's campaign");
        assertEquals(400, createIn(UUID.randomUUID()).statusCode(), "an unknown campaign");
    }

    private static Response createIn(UUID campaignId) {
        return researcher().contentType(ContentType.JSON)
                .body("{\"first_name\":\"Ryw\",\"last_name\":\"" + UUID.randomUUID() + "\",\"campaign_id\":\""
                        + campaignId + "\"}")
                .post("/api/v1/leads");
    }
}
