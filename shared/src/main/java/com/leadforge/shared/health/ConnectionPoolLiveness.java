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
    /** Since when the pool has failed to serve a working connection; null while it serves them. */
    private volatile Instant failingSince;
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
        probe();
        Instant since = failingSince;
        Duration failing = since == null ? Duration.ZERO : Duration.between(since, Instant.now());
        if (failing.compareTo(wedgedAfter) < 0) {
            return HealthCheckResponse.named("connection-pool").up().build();
        }
        boolean databaseReachable = databaseAcceptsDirectConnection();
        return HealthCheckResponse.named("connection-pool")
                .withData("seconds the pool has not served a working connection", failing.toSeconds())
                .withData("database reachable directly", databaseReachable)
                .status(!databaseReachable)
                .build();
    }

    /**
     * Asks the pool for a working connection, waiting at most half a second for the answer; a probe still hanging is
     * left to finish on its own and not repeated meanwhile. Success clears {@link #failingSince}, anything else starts
     * it.
     */
    private synchronized void probe() {
        if (inFlight == null || inFlight.isDone()) {
            inFlight = prober.submit(() -> {
                try (Connection connection = pool.getConnection()) {
                    if (connection.isValid(5)) {
                        failingSince = null;
                        return;
                    }
                } catch (SQLException | RuntimeException e) {
                    // Not working: counted below.
                }
                markFailing();
            });
        }
        try {
            inFlight.get(500, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            markFailing(); // still waiting for the pool: that is not serving either
        }
    }

    private void markFailing() {
        if (failingSince == null) {
            failingSince = Instant.now();
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
