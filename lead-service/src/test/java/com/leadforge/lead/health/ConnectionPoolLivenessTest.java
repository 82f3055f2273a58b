package com.leadforge.lead.health;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.leadforge.testsupport.Await;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * Liveness fails when the instance is wedged beyond repair — its pool hands out no connection although the database
 * is reachable (here: every pooled connection leaked) — so Kubernetes restarts it; it recovers when the pool does.
 */
@QuarkusTest
class ConnectionPoolLivenessTest {

    @Inject
    AgroalDataSource pool;

    @ConfigProperty(name = "quarkus.datasource.jdbc.max-size")
    int maxSize;

    /** Health lives on the management interface, not on the API port. */
    @io.quarkus.test.common.http.TestHTTPResource(value = "/", management = true)
    java.net.URL management;

    private String managementBase() {
        return "http://" + management.getHost() + ":" + management.getPort();
    }

    @Test
    void livenessFailsWhileThePoolIsWedgedAndTheDatabaseIsReachable() throws Exception {
        given().baseUri(managementBase()).get("/q/health/live").then().statusCode(200);
        List<Connection> leaked = new ArrayList<>();
        try {
            for (int i = 0; i < maxSize; i++) {
                leaked.add(pool.getConnection());
            }
            Await.until("liveness DOWN", Duration.ofSeconds(30),
                    () -> given().baseUri(managementBase()).get("/q/health/live").statusCode() == 503);
            given().baseUri(managementBase()).get("/q/health/live").then().statusCode(503)
                    .body("checks.find { it.name == 'connection-pool' }.data.'database reachable directly'",
                            equalTo(true));
        } finally {
            for (Connection connection : leaked) {
                connection.close();
            }
        }
        Await.until("liveness UP again", Duration.ofSeconds(30),
                () -> given().baseUri(managementBase()).get("/q/health/live").statusCode() == 200);
    }
}
