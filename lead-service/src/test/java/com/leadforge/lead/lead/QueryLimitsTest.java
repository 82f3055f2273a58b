package com.leadforge.lead.lead;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.leadforge.shared.problem.ProblemException;
import com.leadforge.shared.problem.ProblemType;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** The search bulkhead: bounded concurrency, a short wait, then 503 — and a slot is given back whatever happens. */
class QueryLimitsTest {

    @Test
    void searchesPastTheBulkheadAre503AndSlotsComeBack() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        QueryLimits limits = new QueryLimits(meters, 2, 1, Duration.ofMillis(50), 3, 5, 1, 2000, 10000);
        CountDownLatch running = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<?>[] holders = new CompletableFuture<?>[2];
        for (int i = 0; i < 2; i++) {
            holders[i] = CompletableFuture.runAsync(() -> limits.search(() -> {
                running.countDown();
                try {
                    return release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        running.await(30, TimeUnit.SECONDS);
        ProblemException rejected = assertThrows(ProblemException.class, () -> limits.search(() -> "third"));
        assertEquals(ProblemType.SERVICE_UNAVAILABLE, rejected.type());
        assertEquals(1.0, meters.counter("leadforge.leads.bulkhead.rejections", "class", "search").count());

        release.countDown();
        CompletableFuture.allOf(holders).get(30, TimeUnit.SECONDS);
        assertEquals("after", limits.search(() -> "after"));
        // A search that fails gives its slot back too.
        for (int i = 0; i < 3; i++) {
            assertThrows(IllegalStateException.class, () -> limits.search(() -> {
                throw new IllegalStateException("query failed");
            }));
        }
        assertEquals("still", limits.search(() -> "still"));

        limits.exportStarting();
        assertThrows(ProblemException.class, limits::exportStarting);
        limits.exportDone();
        limits.exportStarting();
        limits.exportDone();
    }
}
