package com.leadforge.gateway.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import io.vertx.core.http.HttpMethod;

class RouteClassTest {

    @Test
    void requestsAreClassifiedByPathFirstThenByMethod() {
        assertEquals(RouteClass.DEFAULT, RouteClass.of(HttpMethod.GET, "/api/v1/leads"));
        assertEquals(RouteClass.DEFAULT, RouteClass.of(HttpMethod.HEAD, "/api/v1/exporters"));
        assertEquals(RouteClass.MUTATIONS, RouteClass.of(HttpMethod.POST, "/api/v1/leads"));
        assertEquals(RouteClass.MUTATIONS, RouteClass.of(HttpMethod.DELETE, "/api/v1/campaigns/7"));
        assertEquals(RouteClass.BULK, RouteClass.of(HttpMethod.POST, "/api/v1/leads/bulk"));
        assertEquals(RouteClass.BULK, RouteClass.of(HttpMethod.POST, "/api/v1/leads/import"));
        assertEquals(RouteClass.EXPORT, RouteClass.of(HttpMethod.GET, "/api/v1/leads/export"));
        assertEquals(RouteClass.EXPORT, RouteClass.of(HttpMethod.POST, "/api/v1/campaigns/7/Export"));
        assertEquals(RouteClass.HEALTH, RouteClass.of(HttpMethod.GET, "/api/health"));
        assertEquals(RouteClass.DEFAULT, RouteClass.of(HttpMethod.GET, "/api/healthy"));
        assertEquals(RouteClass.STREAM, RouteClass.of(HttpMethod.GET, "/api/v1/stream"));
        assertEquals(RouteClass.MUTATIONS, RouteClass.of(HttpMethod.POST, "/api/v1/stream"));
        assertEquals(RouteClass.DEFAULT, RouteClass.of(HttpMethod.GET, "/api/v1/streams"));
    }

    @Test
    void bulkAndExportVariantsAreRecognisedByTheirWords() {
        assertEquals(RouteClass.BULK, RouteClass.of(HttpMethod.POST, "/api/v1/leads/bulk-update"));
        assertEquals(RouteClass.BULK, RouteClass.of(HttpMethod.POST, "/api/v1/leads/bulk_delete"));
        assertEquals(RouteClass.BULK, RouteClass.of(HttpMethod.POST, "/api/v1/leads/bulkUpdate"));
        assertEquals(RouteClass.BULK, RouteClass.of(HttpMethod.POST, "/api/v1/leads/batch-create"));
        assertEquals(RouteClass.BULK, RouteClass.of(HttpMethod.POST, "/api/v1/data-sources/7/csv-import"));
        assertEquals(RouteClass.BULK, RouteClass.of(HttpMethod.POST, "/api/v1/campaigns/reconcile"));
        assertEquals(RouteClass.EXPORT, RouteClass.of(HttpMethod.GET, "/api/v1/leads/42/gdpr-export"));
        assertEquals(RouteClass.EXPORT, RouteClass.of(HttpMethod.GET, "/api/v1/leads/export.csv"));
        assertEquals(RouteClass.EXPORT, RouteClass.of(HttpMethod.POST, "/api/v1/leads/bulk-export"));
        assertEquals(RouteClass.MUTATIONS, RouteClass.of(HttpMethod.POST, "/api/v1/leads/42/qualify"));
        assertEquals(RouteClass.DEFAULT, RouteClass.of(HttpMethod.GET, "/api/v1/leads/42/activity"));
    }
}
