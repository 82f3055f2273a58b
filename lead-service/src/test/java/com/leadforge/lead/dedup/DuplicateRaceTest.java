package com.leadforge.lead.dedup;

import static com.leadforge.lead.LeadApi.researcher;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Two requests for the same person at once: the unique identity indexes let exactly one lead be created. */
@QuarkusTest
class DuplicateRaceTest {

    @Test
    void concurrentCreatesOfTheSamePersonYieldOneLead() throws Exception {
        String email = "race-" + UUID.randomUUID() + "@example.com";
        int attempts = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(attempts);
        try {
            List<Future<Integer>> statuses = new ArrayList<>();
            for (int i = 0; i < attempts; i++) {
                int n = i;
                statuses.add(pool.submit(() -> {
                    start.await();
                    return researcher().contentType(ContentType.JSON)
                            .body("{\"first_name\":\"Racer" + n + "\",\"email\":\"" + email + "\"}")
                            .post("/api/v1/leads").statusCode();
                }));
            }
            start.countDown();
            int created = 0;
            int conflicts = 0;
            for (Future<Integer> status : statuses) {
                switch (status.get()) {
                    case 201 -> created++;
                    case 409 -> conflicts++;
                    default -> throw new AssertionError("unexpected status " + status.get());
                }
            }
            assertEquals(1, created, "exactly one lead for one person");
            assertEquals(attempts - 1, conflicts);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, researcher().get("/api/v1/leads?search=" + email.substring(0, 13)).then().statusCode(200)
                .extract().<List<?>>path("data").size());
    }
}
