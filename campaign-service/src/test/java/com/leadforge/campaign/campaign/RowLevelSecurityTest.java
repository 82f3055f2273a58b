package com.leadforge.campaign.campaign;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.leadforge.shared.tenancy.TenantContext;
import com.leadforge.testsupport.TestTokens;

import io.quarkus.arc.Arc;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

/**
 * PostgreSQL row-level security is the second line of isolation: native SQL, which Hibernate's tenant filter never
 * sees, still only reaches the current agency's rows, and cannot write rows for another agency.
 */
@QuarkusTest
class RowLevelSecurityTest {

    @Inject
    EntityManager entityManager;

    @Test
    void nativeQueryWithoutAgencyPredicateSeesOnlyTheCurrentAgency() {
        String agencyA = UUID.randomUUID().toString();
        String agencyB = UUID.randomUUID().toString();
        createCampaign(agencyA, "rls-a1");
        createCampaign(agencyA, "rls-a2");
        createCampaign(agencyB, "rls-b1");

        assertEquals(2, countAllCampaignsAs(agencyA));
        assertEquals(1, countAllCampaignsAs(agencyB));
        assertEquals(0, countAllCampaignsAs(null), "no agency must mean no rows, never all rows");
    }

    @Test
    void nativeInsertForAnotherAgencyIsRejectedByThePolicy() {
        String agencyA = UUID.randomUUID().toString();
        String agencyB = UUID.randomUUID().toString();
        RuntimeException refused = assertThrows(RuntimeException.class, () -> insertCampaignFor(agencyB, agencyA));
        assertTrue(messages(refused).contains("row-level security"), messages(refused));
        assertEquals(0, countAllCampaignsAs(agencyB));

        insertCampaignFor(agencyB, agencyB); // the same statement is fine for the agency's own rows
        assertEquals(1, countAllCampaignsAs(agencyB));
    }

    @Test
    void grantsAreVisibleOnlyToTheirAgency() {
        String agencyA = UUID.randomUUID().toString();
        String id = createCampaign(agencyA, "rls-granted");
        given().auth().oauth2(TestTokens.user("admin").agency(agencyA).roles("agency_admin").sign())
                .when().put("/api/v1/campaigns/" + id + "/clients/some-client")
                .then().statusCode(201);
        assertEquals(1, countAs(agencyA, "select count(*) from campaign_client_grant"));
        assertEquals(0, countAs(UUID.randomUUID().toString(), "select count(*) from campaign_client_grant"));
        assertEquals(0, countAs(null, "select count(*) from campaign_client_grant"));
    }

    private long countAs(String agencyId, String sql) {
        return asAgency(agencyId, () -> ((Number) entityManager.createNativeQuery(sql).getSingleResult()).longValue());
    }

    private void insertCampaignFor(String rowAgency, String actingAgency) {
        asAgency(actingAgency, () -> entityManager.createNativeQuery("""
                insert into campaign (id, agency_id, name, status, target_audience, created_by, created_at, updated_at)
                values (gen_random_uuid(), :agency, 'inserted natively', 'draft', '{}'::jsonb, 'x', now(), now())""")
                .setParameter("agency", rowAgency).executeUpdate());
    }

    private static String messages(Throwable failure) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            text.append(t.getMessage()).append(" | ");
        }
        return text.toString();
    }

    private long countAllCampaignsAs(String agencyId) {
        return asAgency(agencyId, () -> ((Number) entityManager.createNativeQuery("select count(*) from campaign")
                .getSingleResult()).longValue());
    }

    /** One unit of work as the given agency (or none), like a request or a consumed event. */
    private <T> T asAgency(String agencyId, java.util.concurrent.Callable<T> work) {
        var requestContext = Arc.container().requestContext();
        requestContext.activate();
        try {
            if (agencyId != null) {
                Arc.container().instance(TenantContext.class).get().enter(agencyId, "rls-test");
            }
            return QuarkusTransaction.requiringNew().call(work);
        } finally {
            requestContext.terminate();
        }
    }

    private static String createCampaign(String agencyId, String name) {
        return given().auth().oauth2(TestTokens.user("admin").agency(agencyId).roles("agency_admin").sign())
                .contentType(ContentType.JSON)
                .body("{\"name\":\"" + name + "\"}")
                .when().post("/api/v1/campaigns")
                .then().statusCode(201)
                .extract().path("id");
    }
}
