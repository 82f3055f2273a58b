package com.leadforge.lead.health;

import static com.leadforge.lead.LeadApi.researcher;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.leadforge.lead.LeadApi;
import com.leadforge.testsupport.Await;

import io.quarkus.test.junit.QuarkusTest;

/**
 * What a PostgreSQL restart or failover does to a running service: every connection of its pool dies, again and
 * again, while clients keep calling. The service must answer 503 (never 500) while it cannot reach the database and
 * serve again within seconds after the last kill, without a restart; liveness stays UP throughout.
 */
@QuarkusTest
class DatabaseRestartTest {

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;
    @ConfigProperty(name = "quarkus.datasource.username")
    String user;
    @ConfigProperty(name = "quarkus.datasource.password")
    String password;

    /** Health lives on the management interface, not on the API port. */
    @io.quarkus.test.common.http.TestHTTPResource(value = "/", management = true)
    java.net.URL management;

    private String managementBase() {
        return "http://" + management.getHost() + ":" + management.getPort();
    }

    @Test
    void theServiceServesAgainWithinSecondsAfterItsConnectionsAreKilledUnderLoad() throws Exception {
        LeadApi.createNamed("Restart", LeadApi.unique(), "");
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        AtomicBoolean loading = new AtomicBoolean(true);
        List<Thread> clients = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Thread client = new Thread(() -> {
                while (loading.get()) {
                    int status = researcher().get("/api/v1/leads?pageSize=20").statusCode();
                    statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                }
            }, "client-" + i);
            client.start();
            clients.add(client);
        }
        int terminated = 0;
        try {
            for (int round = 0; round < 40; round++) {
                terminated += terminateServiceConnections();
                Await.pause(Duration.ofMillis(100));
            }
        } finally {
            long lastKill = System.nanoTime();
            Await.until("the service answers 200 again", Duration.ofSeconds(10),
                    () -> researcher().get("/api/v1/leads?pageSize=20").statusCode() == 200);
            double recoverySeconds = (System.nanoTime() - lastKill) / 1e9;
            loading.set(false);
            for (Thread client : clients) {
                client.join(10_000);
            }
            System.out.printf("DatabaseRestartTest: 40 kill rounds terminated %d connections; answers during the "
                    + "faults %s; served 200 again %.2f s after the last kill%n", terminated, statuses,
                    recoverySeconds);
        }
        assertTrue(terminated >= 40, "the pool's connections were really killed: " + terminated);
        assertEquals(null, statuses.get(500), "a database outage is a 503, never a 500: " + statuses);
        for (int i = 0; i < 20; i++) {
            researcher().get("/api/v1/leads?pageSize=20").then().statusCode(200);
        }
        given().baseUri(managementBase()).get("/q/health/live").then().statusCode(200);
        Await.until("readiness UP again", Duration.ofSeconds(10),
                () -> given().baseUri(managementBase()).get("/q/health/ready").statusCode() == 200);
    }

    private int terminateServiceConnections() {
        try (Connection admin = DriverManager.getConnection(jdbcUrl, user, password);
                Statement statement = admin.createStatement();
                ResultSet result = statement.executeQuery("""
                        select count(*) filter (where pg_terminate_backend(pid)) from pg_stat_activity
                        where datname = current_database() and pid <> pg_backend_pid() and usename = current_user""")) {
            result.next();
            return result.getInt(1);
        } catch (Exception e) {
            return 0;
        }
    }
}
