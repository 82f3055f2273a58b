package com.leadforge.lead.tenancy;

import static com.leadforge.lead.LeadApi.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.leadforge.shared.tenancy.TenantContext;

import io.quarkus.arc.Arc;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

/**
 * Native SQL without an agency predicate, as a careless query would be written: it cannot change or remove another
 * agency's leads (row-level security on writes), and another agency's contact points stay invisible.
 */
@QuarkusTest
class LeadRowLevelSecurityTest {

    @Inject
    EntityManager entityManager;

    @Test
    void nativeWritesWithoutAnAgencyPredicateReachOnlyTheCurrentAgency() {
        String agencyA = UUID.randomUUID().toString();
        String agencyB = UUID.randomUUID().toString();
        String leadOfB = as(agencyB, "agency_admin").contentType(ContentType.JSON)
                .body("{\"first_name\":\"Bea\",\"email\":\"bea-" + UUID.randomUUID() + "@example.com\"}")
                .post("/api/v1/leads").then().statusCode(201).extract().path("id");
        as(agencyB, "agency_admin").contentType(ContentType.JSON)
                .body("{\"type\":\"email\",\"value\":\"point-" + UUID.randomUUID() + "@example.com\"}")
                .post("/api/v1/leads/" + leadOfB + "/contact-points").then().statusCode(201);

        int updated = asAgency(agencyA, () -> entityManager
                .createNativeQuery("update lead set title = 'Hijacked' where id = cast(:id as uuid)")
                .setParameter("id", leadOfB).executeUpdate());
        int deleted = asAgency(agencyA, () -> entityManager
                .createNativeQuery("delete from lead where id = cast(:id as uuid)")
                .setParameter("id", leadOfB).executeUpdate());
        assertEquals(0, updated, "another agency's lead must not be updatable");
        assertEquals(0, deleted, "another agency's lead must not be deletable");
        RuntimeException smuggled = assertThrows(RuntimeException.class, () -> asAgency(agencyA, () -> entityManager
                .createNativeQuery("""
                        insert into lead (id, agency_id, created_by, created_at, updated_at)
                        values (gen_random_uuid(), :other, 'x', now(), now())""")
                .setParameter("other", agencyB).executeUpdate()));
        assertTrue(String.valueOf(rootMessage(smuggled)).contains("row-level security"), rootMessage(smuggled));
        long pointsSeen = asAgency(agencyA, () -> ((Number) entityManager
                .createNativeQuery("select count(*) from contact_point").getSingleResult()).longValue());
        assertEquals(0, pointsSeen, "another agency's contact points must be invisible");

        // The same statements work for the owning agency.
        assertEquals(1, (int) asAgency(agencyB, () -> entityManager
                .createNativeQuery("update lead set title = 'Owner edit' where id = cast(:id as uuid)")
                .setParameter("id", leadOfB).executeUpdate()));
    }

    private <T> T asAgency(String agencyId, java.util.concurrent.Callable<T> work) {
        var requestContext = Arc.container().requestContext();
        requestContext.activate();
        try {
            Arc.container().instance(TenantContext.class).get().enter(agencyId, "rls-test");
            return QuarkusTransaction.requiringNew().call(work);
        } finally {
            requestContext.terminate();
        }
    }

    private static String rootMessage(Throwable failure) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            text.append(t.getMessage()).append(" | ");
        }
        return text.toString();
    }
}
