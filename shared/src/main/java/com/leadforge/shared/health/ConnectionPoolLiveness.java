package com.leadforge.shared.health;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Fails liveness only when this instance is wedged beyond repair: its connection pool has not handed out a working
 * connection for {@code leadforge.health.pool-wedged-after} although the database accepts a direct connection. A
 * database that is down is not this instance's fault (readiness reports it, and a restart would not help), so liveness
 * stays UP then. Probes run one at a time on a thread of their own, so a probe never waits for a pool that hangs.
 */
@Liveness
@ApplicationScoped
public class ConnectionPoolLiveness implements HealthCheck {

    private final DataSource pool;
    private final String url;
    private final String user;
    private final String password;
    private final Duration wedgedAfter;
    private final ExecutorService prober = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "pool-liveness-probe");
        thread.setDaemon(true);
        return thread;
    });
    private volatile Instant lastPoolSuccess = Instant.now();
    private Future<?> inFlight;

    public ConnectionPoolLiveness(DataSource pool,
            @ConfigProperty(name = "quarkus.datasource.jdbc.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") String user,
            @ConfigProperty(name = "quarkus.datasource.password") String password,
            @ConfigProperty(name = "leadforge.health.pool-wedged-after", defaultValue = "60s") Duration wedgedAfter) {
        this.pool = pool;
        this.url = url;
        this.user = user;
        this.password = password;
        this.wedgedAfter = wedgedAfter;
    }

    @Override
    public HealthCheckResponse call() {
        startProbe();
        Duration sinceSuccess = Duration.between(lastPoolSuccess, Instant.now());
        if (sinceSuccess.compareTo(wedgedAfter) < 0) {
            return HealthCheckResponse.named("connection-pool").up().build();
        }
        boolean databaseReachable = databaseAcceptsDirectConnection();
        return HealthCheckResponse.named("connection-pool")
                .withData("seconds since the pool last served a working connection", sinceSuccess.toSeconds())
                .withData("database reachable directly", databaseReachable)
                .status(!databaseReachable)
                .build();
    }

    /** A probe that finds a working connection moves {@link #lastPoolSuccess}; a hanging one is simply not repeated. */
    private synchronized void startProbe() {
        if (inFlight != null && !inFlight.isDone()) {
            return;
        }
        inFlight = prober.submit(() -> {
            try (Connection connection = pool.getConnection()) {
                if (connection.isValid(5)) {
                    lastPoolSuccess = Instant.now();
                }
            } catch (SQLException | RuntimeException e) {
                // Not working: lastPoolSuccess stays where it was.
            }
        });
        try {
            inFlight.get(500, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            // Still running or failed: judged by lastPoolSuccess, never by how long this probe takes.
        }
    }

    private boolean databaseAcceptsDirectConnection() {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        properties.setProperty("connectTimeout", "2");
        properties.setProperty("socketTimeout", "3");
        try (Connection connection = DriverManager.getConnection(url, properties)) {
            return connection.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    @PreDestroy
    void close() {
        prober.shutdownNow();
    }
}
