package com.leadforge.stack.fault;

import static com.leadforge.stack.fault.EventBackbone.seconds;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.leadforge.stack.RunningStack;
import com.leadforge.stack.Stack;
import com.leadforge.stack.StackFaults.RepeatedTermination;
import com.leadforge.testsupport.Await;

/**
 * An API service's database drops all its connections 40 times in a row (what a database restart or failover does
 * to a pool) while four clients keep listing. Afterwards the service must answer 200 again within 10 s of the last
 * drop — a pool that keeps dead connections, or threads stuck on them, fails that — its liveness must never have
 * gone DOWN (a database outage is no reason to restart the service) and its readiness must come back UP.
 */
@ExtendWith(RunningStack.class)
class ApiDatabaseRestartTest {

    static final int ROUNDS = 40;
    static final Duration INTERVAL = Duration.ofMillis(250);
    static final Duration RECOVERY = Duration.ofSeconds(10);
    static EventBackbone backbone;

    @BeforeAll
    static void connect(Stack stack) {
        backbone = new EventBackbone(stack);
    }

    @AfterAll
    static void disconnect() {
        backbone.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "lead-service, /api/v1/leads?pageSize=20",
            "campaign-service, /api/v1/campaigns?pageSize=20",
            "scraping-service, /api/v1/data-sources?pageSize=20",
            "analytics-service, /api/v1/analytics/overview" })
    void answersAgainWithinTenSecondsOfTheLastDroppedConnection(String module, String listPath) {
        LeadForgeApi api = backbone.api;
        Stack stack = backbone.stack;
        String database = Stack.databaseOf(module);
        String list = stack.serviceUrl(module) + listPath;
        assertEquals(200, api.call("GET", list, LeadForgeApi.WRITER, null).status(), module + " lists before the fault");

        AtomicInteger livenessChecks = new AtomicInteger();
        AtomicInteger livenessDown = new AtomicInteger();
        ScheduledExecutorService liveness = Executors.newSingleThreadScheduledExecutor();
        liveness.scheduleWithFixedDelay(() -> {
            livenessChecks.incrementAndGet();
            if (api.call("GET", stack.livenessUrl(module), null, null).status() != 200) {
                livenessDown.incrementAndGet();
            }
        }, 0, 200, TimeUnit.MILLISECONDS);

        long lastTermination;
        long recoveredAt;
        long readyAt;
        int listed;
        int failed;
        RepeatedTermination terminations;
        try (PacedWriter clients = new PacedWriter(() -> api.call("GET", list, LeadForgeApi.WRITER, null).ok()
                ? "ok" : null, 40, 4).start()) {
            try (RepeatedTermination fault = backbone.faults.terminateConnectionsEvery(database, INTERVAL)) {
                terminations = fault;
                Await.until(ROUNDS + " rounds of dropped connections", Duration.ofSeconds(60),
                        () -> fault.rounds() >= ROUNDS);
            }
            lastTermination = terminations.lastRoundNanos();
            recoveredAt = awaitConsecutiveOk(api, list, RECOVERY.multipliedBy(2));
            readyAt = awaitStatus(api, stack.readinessUrl(module), RECOVERY.multipliedBy(2));
            clients.stop();
            listed = clients.acknowledgedCount();
            failed = clients.refused();
        } finally {
            liveness.shutdownNow();
        }
        boolean restarted = false;
        if (recoveredAt < 0 || readyAt < 0) {
            // Leave the shared stack usable for the tests after this one: a wedged service is restarted (kill -9).
            backbone.faults.killService(module).close();
            restarted = true;
        }
        double recovery = recoveredAt < 0 ? Double.NaN : seconds(recoveredAt - lastTermination);
        double ready = readyAt < 0 ? Double.NaN : seconds(readyAt - lastTermination);
        System.out.printf("ApiDatabaseRestartTest[%s]: %d rounds terminated %d connections of db %s under 4 listing "
                + "clients (%d answered 200, %d did not), 200 again %.1f s after the last termination, readiness UP "
                + "after %.1f s, liveness DOWN %d/%d checks%s%n", module, terminations.rounds(),
                terminations.terminated(), database, listed, failed, recovery, ready, livenessDown.get(),
                livenessChecks.get(), restarted ? " (did not recover: restarted it for the next tests)" : "");

        assertTrue(terminations.terminated() > 0, "the fault never hit a connection of " + database);
        assertAll(
                () -> assertTrue(recoveredAt >= 0 && recovery <= RECOVERY.toSeconds(),
                        module + " answers 200 within " + RECOVERY.toSeconds() + " s of the last termination (took "
                                + recovery + " s)"),
                () -> assertTrue(readyAt >= 0 && ready <= RECOVERY.toSeconds(),
                        module + " readiness UP again within " + RECOVERY.toSeconds() + " s (took " + ready + " s)"),
                () -> assertEquals(0, livenessDown.get(), module + " liveness stays UP while its database drops"));
    }

    /**
     * When three list requests in a row have answered 200: the {@link System#nanoTime()} the first of them was sent,
     * or -1 if that did not happen within {@code timeout}. A single lucky answer from a half-broken pool is not
     * recovery.
     */
    private static long awaitConsecutiveOk(LeadForgeApi api, String url, Duration timeout) {
        AtomicLong streakStart = new AtomicLong(-1);
        AtomicInteger streak = new AtomicInteger();
        boolean recovered = EventBackbone.within("3 answers 200 in a row from " + url, timeout, () -> {
            long sent = System.nanoTime();
            if (api.call("GET", url, LeadForgeApi.WRITER, null).status() == 200) {
                if (streak.getAndIncrement() == 0) {
                    streakStart.set(sent);
                }
            } else {
                streak.set(0);
            }
            return streak.get() >= 3;
        });
        return recovered ? streakStart.get() : -1;
    }

    private static long awaitStatus(LeadForgeApi api, String url, Duration timeout) {
        AtomicLong at = new AtomicLong(-1);
        EventBackbone.within(url + " answers 200", timeout, () -> {
            boolean ok = api.call("GET", url, null, null).status() == 200;
            if (ok) {
                at.set(System.nanoTime());
            }
            return ok;
        });
        return at.get();
    }
}
