package com.leadforge.lead.lead;

import static com.leadforge.lead.LeadApi.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.leadforge.lead.LeadApi;
import com.leadforge.testsupport.RealInfrastructure;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;

/**
 * What a list costs stays bounded: totals past a cap are estimated and say so, searches are answered from a window of
 * the sort order when it holds the page (with exactly the full search's answer), and a database that cannot answer in
 * a query class's budget gets 503 + Retry-After, never 500. The caps are tiny here so that a few leads exercise them.
 */
@QuarkusTest
@TestProfile(LeadListLimitsTest.SmallLimits.class)
@QuarkusTestResource(value = RealInfrastructure.class, initArgs = {
        @ResourceArg(name = "database", value = "leads"),
        @ResourceArg(name = "topics", value = LeadApi.TEST_TOPICS) })
class LeadListLimitsTest {

    public static class SmallLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("leadforge.leads.total.exact-up-to", "5", "leadforge.leads.search.window", "100",
                    "leadforge.leads.list.timeout-seconds", "1", "leadforge.leads.search.timeout-seconds", "1",
                    "leadforge.leads.count.timeout-seconds", "1");
        }
    }

    @Inject
    MeterRegistry meters;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;
    @ConfigProperty(name = "quarkus.datasource.username")
    String dbUser;
    @ConfigProperty(name = "quarkus.datasource.password")
    String dbPassword;

    @Test
    void aTotalPastTheCapIsAnEstimateThatSaysSoAndTheLastPageIsExact() {
        String source = "cap-" + unique();
        for (int i = 0; i < 12; i++) {
            createNamed("Cap", "Lead" + i, "\"source\":\"%s\"".formatted(source));
        }
        JsonPath first = researcher().get("/api/v1/leads?pageSize=2&source=" + source).then().statusCode(200)
                .extract().jsonPath();
        assertFalse(first.getBoolean("meta.total_is_exact"), "12 matches, counted only up to 6");
        assertTrue(first.getLong("meta.total") >= 6, "an estimate is never below what was counted");
        assertTrue(first.getBoolean("meta.has_more"));
        assertEquals(2, first.getList("data").size());

        JsonPath last = researcher().get("/api/v1/leads?pageSize=2&page=6&source=" + source).then().statusCode(200)
                .extract().jsonPath();
        assertTrue(last.getBoolean("meta.total_is_exact"), "the last page knows the total");
        assertEquals(12, last.getLong("meta.total"));
        assertFalse(last.getBoolean("meta.has_more"));

        createNamed("Cap", "Other", "\"source\":\"%s-few\"".formatted(source));
        JsonPath few = researcher().get("/api/v1/leads?pageSize=2&source=" + source + "-few").then().statusCode(200)
                .extract().jsonPath();
        assertTrue(few.getBoolean("meta.total_is_exact"));
        assertEquals(1, few.getLong("meta.total"));
    }

    @Test
    void aSearchAnsweredFromTheWindowEqualsTheFullSearchPageByPageAndByCursor() {
        String u = unique();
        String source = "window-" + u;
        List<String> matches = new ArrayList<>();
        String rare = null;
        for (int i = 0; i < 150; i++) {
            boolean match = i % 3 == 0;
            String id = create("""
                    {"first_name":"Win","last_name":"Dow%d","email":"win.%s.%d@example.com","source":"%s","company":"%s"}"""
                    .formatted(i, u, i, source, (match ? "Matchco" : "Otherco") + u + (i == 1 ? " Rareword" + u : "")));
            if (match) {
                matches.add(id);
            }
            if (i == 1) {
                rare = id;
            }
        }
        Collections.reverse(matches); // newest first, the default order
        double answeredBefore = window("answered");
        double fullBefore = window("full_search");

        List<String> paged = new ArrayList<>();
        for (int page = 1; page <= 5; page++) {
            JsonPath body = researcher().get("/api/v1/leads?pageSize=10&page=" + page + "&source=" + source
                    + "&search=Matchco" + u).then().statusCode(200).extract().jsonPath();
            paged.addAll(body.getList("data.id"));
            assertEquals(page < 5, body.getBoolean("meta.has_more"), "page " + page);
        }
        assertEquals(matches, paged, "every page equals the full search's");
        // The newest 100 leads hold 33 matches: pages 1-3 come from the window, pages 4-5 from the full search.
        assertEquals(3, window("answered") - answeredBefore);
        assertEquals(2, window("full_search") - fullBefore);

        List<String> walked = new ArrayList<>();
        String cursor = null;
        do {
            Response response = researcher().get("/api/v1/leads?paging=cursor&pageSize=10&source=" + source
                    + "&search=Matchco" + u + (cursor == null ? "" : "&cursor=" + cursor));
            response.then().statusCode(200);
            walked.addAll(response.jsonPath().getList("data.id"));
            cursor = response.jsonPath().getString("meta.next_cursor");
        } while (cursor != null);
        assertEquals(matches, walked, "cursor pages walk the same matches in the same order");

        JsonPath rareResult = researcher().get("/api/v1/leads?source=" + source + "&search=Rareword" + u).then()
                .statusCode(200).extract().jsonPath();
        assertEquals(List.of(rare), rareResult.getList("data.id"), "a rare term falls through to the full search");
    }

    @Test
    void listsAndSearchesTheDatabaseCannotAnswerInTimeAre503WithRetryAfterNever500() throws Exception {
        List<String> paths = List.of("/api/v1/leads", "/api/v1/leads?search=Anything" + unique(),
                "/api/v1/leads?status=qualified&sortBy=score", "/api/v1/leads?paging=cursor&search=Engineer");
        ExecutorService clients = Executors.newFixedThreadPool(8);
        List<Integer> statuses = Collections.synchronizedList(new ArrayList<>());
        List<String> retryAfter = Collections.synchronizedList(new ArrayList<>());
        try (Connection blocker = DriverManager.getConnection(jdbcUrl, dbUser, dbPassword);
                Statement statement = blocker.createStatement()) {
            blocker.setAutoCommit(false);
            // Every read of the lead table now waits for this lock: as a database overwhelmed by one heavy query.
            statement.execute("lock table lead in access exclusive mode");
            List<CompletableFuture<Void>> requests = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                String path = paths.get(i % paths.size());
                requests.add(CompletableFuture.runAsync(() -> {
                    Response response = researcher().get(path);
                    statuses.add(response.statusCode());
                    retryAfter.add(response.getHeader("Retry-After"));
                    if (response.statusCode() == 503) {
                        response.then().contentType(PROBLEM_JSON);
                    }
                }, clients));
            }
            CompletableFuture.allOf(requests.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            blocker.rollback();
        } finally {
            clients.shutdownNow();
        }
        assertEquals(16, statuses.size());
        assertEquals(0, statuses.stream().filter(s -> s >= 500 && s != 503).count(), "statuses: " + statuses);
        assertEquals(16, statuses.stream().filter(s -> s == 503).count(), "statuses: " + statuses);
        assertTrue(retryAfter.stream().allMatch("1"::equals), "every 503 says when to retry: " + retryAfter);
        researcher().get("/api/v1/leads").then().statusCode(200);
    }

    private double window(String outcome) {
        return meters.counter("leadforge.leads.search.window", "outcome", outcome).count();
    }
}
