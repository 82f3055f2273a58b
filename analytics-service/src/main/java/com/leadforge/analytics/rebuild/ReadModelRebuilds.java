package com.leadforge.analytics.rebuild;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.leadforge.shared.inbox.EventHandler;
import com.leadforge.shared.problem.ProblemException;
import com.leadforge.shared.problem.ProblemType;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;

/**
 * Rebuilds every read model by replay while the live ones keep answering, then switches over atomically
 * (docs/operations.md "Rebuilding analytics"). One rebuild at a time across all replicas: the one that starts it holds
 * a session advisory lock (the lease) for as long as it runs, and at most one control row is {@code building}. A
 * replica that dies mid-rebuild leaves the live set as it was; its rebuild is marked {@code abandoned} by whichever
 * replica next finds the lease free (at start-up and every {@code reap-interval}) and can be started again.
 */
@ApplicationScoped
public class ReadModelRebuilds {

    private static final Logger LOG = Logger.getLogger(ReadModelRebuilds.class);
    static final int MAX_BATCH_SIZE = 5000;
    static final Duration MAX_THROTTLE = Duration.ofSeconds(10);

    /** Fired on the replica that switched, after the switch committed: caches built on the old set must go. */
    public record ReadModelsSwitched(UUID rebuildId) {
    }

    private final RebuildStore store;
    private final RebuildReplay replay;
    private final FreshSet freshSet;
    private final RebuildMetrics metrics;
    private final Event<ReadModelsSwitched> switched;
    private final int defaultBatchSize;
    private final Duration maxDuration;
    private final Duration defaultThrottle;
    private final Duration switchLockTimeout;
    /** The projectors whose tables are rebuilt, by inbox name: those the live consumer runs through the rebuild. */
    private final Map<String, EventHandler> projectors = new ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> new Thread(r, "analytics-rebuild"));

    public ReadModelRebuilds(RebuildStore store, RebuildReplay replay, FreshSet freshSet, RebuildMetrics metrics,
            Event<ReadModelsSwitched> switched,
            @ConfigProperty(name = "leadforge.analytics.rebuild.batch-size", defaultValue = "500") int batchSize,
            @ConfigProperty(name = "leadforge.analytics.rebuild.max-duration", defaultValue = "2h") Duration maxDuration,
            @ConfigProperty(name = "leadforge.analytics.rebuild.throttle", defaultValue = "0s") Duration throttle,
            @ConfigProperty(name = "leadforge.analytics.rebuild.switch-lock-timeout", defaultValue = "5s")
            Duration switchLockTimeout) {
        this.store = store;
        this.replay = replay;
        this.freshSet = freshSet;
        this.metrics = metrics;
        this.switched = switched;
        this.defaultBatchSize = Math.max(1, Math.min(MAX_BATCH_SIZE, batchSize));
        this.maxDuration = maxDuration;
        this.defaultThrottle = throttle;
        this.switchLockTimeout = switchLockTimeout;
    }

    /**
     * The handler the live consumer runs instead of {@code projector}: the same, plus the fresh set while a rebuild is
     * building. Registers {@code projector} as one whose events a rebuild replays.
     */
    public EventHandler liveAndFresh(EventHandler projector) {
        projectors.put(projector.consumerName(), projector);
        return new LiveAndFreshHandler(projector, freshSet);
    }

    /** Starts a rebuild on this replica; 409 while one runs anywhere. Returns at once: the replay runs behind. */
    public RebuildStatus start(String requestedBy, Integer batchSize, Integer throttleMillis) {
        if (projectors.isEmpty()) {
            throw new ProblemException(ProblemType.SERVICE_UNAVAILABLE, "The event consumers have not started yet");
        }
        if (!running.compareAndSet(false, true)) {
            throw ProblemException.conflict("A rebuild of the read models is already running");
        }
        Connection lease = null;
        try {
            lease = store.dedicatedConnection();
            takeLease(lease);
            UUID id = UUID.randomUUID();
            List<String> tables = store.inTransaction(connection -> {
                if (RebuildStore.building(connection)) {
                    throw ProblemException.conflict("A rebuild of the read models is already running");
                }
                // A replica killed mid-rebuild leaves its fresh set behind until it is reaped; nobody builds it now.
                ReadModelSet.dropFresh(connection);
                List<String> readModels = ReadModelSet.discover(connection);
                ReadModelSet.createFresh(connection, ReadModelSet.withInbox(readModels));
                RebuildStore.insertBuilding(connection, id, requestedBy, readModels);
                return readModels;
            });
            LOG.infof("Read-model rebuild %s started by %s: tables %s", id, requestedBy, tables);
            metrics.started();
            RebuildReplay.Run run = new RebuildReplay.Run(id,
                    batchSize == null ? defaultBatchSize : batchSize,
                    throttleMillis == null ? defaultThrottle : Duration.ofMillis(throttleMillis),
                    System.nanoTime() + maxDuration.toNanos(), lease, () -> !stopping.get());
            Connection heldLease = lease;
            worker.submit(() -> run(run, tables, heldLease));
            lease = null;
            return store.find(id).orElseThrow();
        } catch (SQLException e) {
            throw new ProblemException(ProblemType.SERVICE_UNAVAILABLE, "The database refused the rebuild: "
                    + RebuildStore.describe(e));
        } finally {
            if (lease != null) {
                releaseLease(lease);
                running.set(false);
            }
        }
    }

    public Optional<RebuildStatus> find(UUID id) {
        return store.find(id);
    }

    public Optional<RebuildStatus> latest() {
        return store.latest();
    }

    /** Asks the replica running it to stop at its next batch; 409 when it is not building. */
    public RebuildStatus cancel(UUID id) {
        RebuildStatus status = store.find(id).orElseThrow(() -> ProblemException.notFound("Rebuild", id));
        if (!store.requestCancel(id)) {
            throw ProblemException.conflict("Rebuild " + id + " is " + status.state() + ", not building");
        }
        return store.find(id).orElseThrow();
    }

    private void run(RebuildReplay.Run run, List<String> tables, Connection lease) {
        String state = RebuildStatus.FAILED;
        try {
            RebuildReplay.Outcome outcome = replay.replay(run, List.copyOf(projectors.values()));
            if (!outcome.reachedEnd()) {
                state = store.end(run.id(), RebuildStatus.CANCELLED, stopping.get() ? "the service stopped" : null)
                        ? RebuildStatus.CANCELLED : RebuildStatus.ABANDONED;
                return;
            }
            state = switchOver(run.id(), tables);
        } catch (RuntimeException e) {
            LOG.errorf(e, "Read-model rebuild %s failed; the live read models are unchanged", run.id());
            store.end(run.id(), RebuildStatus.FAILED, RebuildStore.describe(e));
        } finally {
            releaseLease(lease);
            metrics.finished(state);
            running.set(false);
            LOG.infof("Read-model rebuild %s ended: %s", run.id(), state);
        }
    }

    /**
     * Exchanges the sets in one transaction once the replay reached the captured ends. Taking the locks waits for the
     * transactions using either set and is bounded by {@code switch-lock-timeout}; a timeout or a deadlock with a
     * live consumer is retried a few times before the rebuild fails.
     */
    private String switchOver(UUID id, List<String> readModels) {
        List<String> tables = ReadModelSet.withInbox(readModels);
        List<String> consumers = List.copyOf(projectors.keySet());
        for (int attempt = 1;; attempt++) {
            try {
                String state = store.inTransaction(connection -> {
                    try (Statement statement = connection.createStatement()) {
                        statement.execute("set local lock_timeout = " + switchLockTimeout.toMillis());
                    }
                    try (PreparedStatement statement = connection.prepareStatement(
                            "select cancel_requested from read_model_rebuild where id = ? and state = 'building'"
                                    + " for update")) {
                        statement.setObject(1, id);
                        try (ResultSet row = statement.executeQuery()) {
                            if (!row.next()) {
                                return RebuildStatus.ABANDONED;
                            }
                            if (row.getBoolean(1)) {
                                RebuildStore.endRow(connection, id, RebuildStatus.CANCELLED, null);
                                ReadModelSet.dropFresh(connection);
                                return RebuildStatus.CANCELLED;
                            }
                        }
                    }
                    ReadModelSet.lockBoth(connection, tables);
                    ReadModelSet.exchange(connection, tables, consumers);
                    RebuildStore.endRow(connection, id, RebuildStatus.COMPLETED, null);
                    return RebuildStatus.COMPLETED;
                });
                if (RebuildStatus.COMPLETED.equals(state)) {
                    LOG.infof("Read-model rebuild %s switched over: %s", id, readModels);
                    switched.fire(new ReadModelsSwitched(id));
                    dropRetired();
                }
                return state;
            } catch (IllegalStateException e) {
                if (attempt >= 5 || !(e.getCause() instanceof SQLException sql) || !retryable(sql.getSQLState())) {
                    throw e;
                }
                LOG.infof("Switch-over of rebuild %s waited too long for its locks (attempt %d): retrying", id,
                        attempt);
            }
        }
    }

    private static boolean retryable(String sqlState) {
        return "55P03".equals(sqlState) || "40P01".equals(sqlState);
    }

    private void dropRetired() {
        try {
            store.inTransaction(connection -> {
                ReadModelSet.dropRetired(connection);
                return null;
            });
        } catch (RuntimeException e) {
            // Harmless: the next switch-over drops it first.
            LOG.warnf("Could not drop the retired read models yet: %s", e.getMessage());
        }
    }

    private static void takeLease(Connection lease) throws SQLException {
        try (Statement statement = lease.createStatement()) {
            // Names the session in pg_stat_activity, for operators (and for the fault test, which ends it).
            statement.execute("set application_name = 'analytics-rebuild'");
        }
        try (PreparedStatement statement = lease.prepareStatement("select pg_try_advisory_lock(?)")) {
            statement.setLong(1, RebuildStore.LEASE_KEY);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                if (!row.getBoolean(1)) {
                    throw ProblemException.conflict("A rebuild of the read models is already running on another "
                            + "replica");
                }
            }
        }
    }

    private static void releaseLease(Connection lease) {
        try (lease; Statement statement = lease.createStatement()) {
            statement.execute("select pg_advisory_unlock_all()");
            statement.execute("reset application_name");
        } catch (SQLException e) {
            // A lost session released its locks with it; the pool discards the dead connection.
            LOG.debugf("Releasing the rebuild lease: %s", e.getMessage());
        }
    }

    void onStart(@Observes StartupEvent event) {
        reap();
    }

    @Scheduled(every = "${leadforge.analytics.rebuild.reap-interval:30s}", delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void reap() {
        if (stopping.get()) {
            return;
        }
        try {
            int abandoned = store.reapAbandoned();
            if (abandoned > 0) {
                LOG.warnf("Marked %d read-model rebuild(s) abandoned: their replica stopped mid-rebuild", abandoned);
                metrics.finished(RebuildStatus.ABANDONED);
            }
        } catch (RuntimeException e) {
            LOG.warnf("Could not look for abandoned rebuilds, trying again later: %s", e.getMessage());
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping.set(true);
        worker.shutdown();
    }
}
