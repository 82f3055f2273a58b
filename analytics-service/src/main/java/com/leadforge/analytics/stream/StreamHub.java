package com.leadforge.analytics.stream;

import java.io.ByteArrayOutputStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import com.leadforge.shared.problem.ProblemException;
import com.leadforge.shared.problem.ProblemType;
import com.leadforge.shared.tenancy.TenantContext;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ManagedContext;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

/**
 * This replica's side of the live stream: holds its open streams and delivers to them from the shared log
 * ({@code stream_event}), which every replica reads, so each replica sees every event its streams must get whichever
 * replica consumed it. One delivery thread reads, per agency with open streams here, the rows past the slowest stream's
 * cursor that are final (their transaction and every older one finished), in (xid, id) order, and hands each stream the
 * rows it may see. It wakes on {@code NOTIFY leadforge_stream} (a dedicated connection), polls briefly after one, and
 * polls slowly otherwise. Bounded: streams per replica and per user, rows per read, unaccepted writes per stream.
 */
@ApplicationScoped
public class StreamHub {

    private static final Logger LOG = Logger.getLogger(StreamHub.class);
    private static final String READ = """
            select id, xid::text, kind, staff_only, campaign_id, job_id, user_id, audience_role, payload::text
            from stream_event
            where agency_id = ? and (xid, id) > (?::xid8, ?) and xid < pg_snapshot_xmin(pg_current_snapshot())
            order by xid, id limit ?""";

    private final StreamConfig config;
    private final AgroalDataSource dataSource;
    private final String jdbcUrl;
    private final String username;
    private final String password;
    private final Map<String, Set<Subscriber>> byAgency = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> perUser = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "stream-timers");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean running;
    private volatile Thread delivery;
    private volatile long busyUntil;

    public StreamHub(StreamConfig config, AgroalDataSource dataSource, MeterRegistry meters,
            @ConfigProperty(name = "quarkus.datasource.jdbc.url") String jdbcUrl,
            @ConfigProperty(name = "quarkus.datasource.username") String username,
            @ConfigProperty(name = "quarkus.datasource.password") String password) {
        this.config = config;
        this.dataSource = dataSource;
        this.jdbcUrl = jdbcUrl;
        this.username = username;
        this.password = password;
        Gauge.builder("leadforge.stream.open", open, AtomicInteger::get)
                .description("Live streams open on this replica").register(meters);
    }

    void start(@Observes StartupEvent startup) {
        running = true;
        Thread thread = new Thread(this::deliverLoop, "stream-delivery");
        thread.setDaemon(true);
        delivery = thread;
        thread.start();
        long beat = config.heartbeatInterval().toMillis();
        timers.scheduleAtFixedRate(this::heartbeat, beat, beat, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent shutdown) {
        running = false;
        Thread thread = delivery;
        if (thread != null) {
            thread.interrupt();
        }
        timers.shutdownNow();
        byAgency.values().forEach(subscribers -> subscribers.forEach(subscriber -> subscriber.end("shutdown")));
    }

    /** Streams open on this replica (metrics and tests). */
    public int openStreams() {
        return open.get();
    }

    /**
     * Opens a stream for the caller of the current request (its tenant is set): from {@code resumeAfter} when the
     * client resumes, else from now. Answers 503/429 problems beyond the bounds, before anything is written.
     */
    Subscriber open(String agencyId, String userId, List<String> roles, boolean grantedOnly, UUID watchedJob,
            Instant expiresAt, StreamCursor resumeAfter, SseEventSink sink, Sse sse, HttpServerResponse connection) {
        String userKey = agencyId + "|" + userId;
        if (open.incrementAndGet() > config.maxStreams()) {
            open.decrementAndGet();
            throw new ProblemException(ProblemType.SERVICE_UNAVAILABLE,
                    "This replica holds its maximum of " + config.maxStreams() + " live streams; retry shortly");
        }
        AtomicInteger mine = perUser.computeIfAbsent(userKey, key -> new AtomicInteger());
        if (mine.incrementAndGet() > config.maxStreamsPerUser()) {
            mine.decrementAndGet();
            open.decrementAndGet();
            throw new ProblemException(ProblemType.RATE_LIMITED,
                    "At most " + config.maxStreamsPerUser() + " live streams per user; close one first");
        }
        boolean registered = false;
        try {
            StreamCursor start = resumeAfter != null ? resumeAfter : head();
            Subscriber subscriber = new Subscriber(agencyId, userId, roles, grantedOnly, watchedJob, expiresAt, start,
                    sink, sse, connection, config.maxPendingEvents(), this::closed);
            subscriber.comment("connected");
            if (resumeAfter != null && purgedPast(agencyId, resumeAfter)) {
                // Rows between the client's position and the retained ones are gone: it must reload, then follow.
                subscriber.event(resumeAfter, "reset", "{\"reason\":\"retention\"}");
            }
            long untilExpiry = Duration.between(Instant.now(), expiresAt).toMillis();
            subscriber.expiry = timers.schedule(() -> subscriber.end("token_expired"), Math.max(0, untilExpiry),
                    TimeUnit.MILLISECONDS);
            byAgency.computeIfAbsent(agencyId, key -> ConcurrentHashMap.newKeySet()).add(subscriber);
            registered = true;
            busyUntil = System.currentTimeMillis() + config.busyPoll().toMillis() * 4;
            wake();
            return subscriber;
        } finally {
            if (!registered) {
                mine.decrementAndGet();
                open.decrementAndGet();
            }
        }
    }

    private void closed(Subscriber subscriber) {
        Set<Subscriber> subscribers = byAgency.get(subscriber.agencyId);
        if (subscribers != null && subscribers.remove(subscriber)) {
            open.decrementAndGet();
            AtomicInteger mine = perUser.get(subscriber.agencyId + "|" + subscriber.userId);
            if (mine != null && mine.decrementAndGet() <= 0) {
                perUser.remove(subscriber.agencyId + "|" + subscriber.userId, mine);
            }
        }
    }

    /** The position a new stream starts after: every row of a transaction older than the oldest running one is past. */
    private StreamCursor head() {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("select pg_snapshot_xmin(pg_current_snapshot())::text")) {
            rs.next();
            // (xmin - 1, max): rows of xmin itself and later transactions are still to come.
            return new StreamCursor(Long.parseLong(rs.getString(1)) - 1, Long.MAX_VALUE);
        } catch (SQLException e) {
            throw new ProblemException(ProblemType.SERVICE_UNAVAILABLE, "The stream log cannot be read; retry shortly");
        }
    }

    private boolean purgedPast(String agencyId, StreamCursor cursor) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement("""
                        select (purged_xid, purged_id) > (?::xid8, ?) from stream_agency
                        where agency_id = ? and purged_xid is not null""")) {
            statement.setString(1, Long.toString(cursor.xid()));
            statement.setLong(2, cursor.id());
            statement.setString(3, agencyId);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        } catch (SQLException e) {
            throw new ProblemException(ProblemType.SERVICE_UNAVAILABLE, "The stream log cannot be read; retry shortly");
        }
    }

    private void heartbeat() {
        for (Set<Subscriber> subscribers : byAgency.values()) {
            for (Subscriber subscriber : subscribers) {
                subscriber.comment("heartbeat");
            }
        }
    }

    private void wake() {
        Thread thread = delivery;
        if (thread != null) {
            java.util.concurrent.locks.LockSupport.unpark(thread);
        }
    }

    private void deliverLoop() {
        Connection listener = null;
        long listenerRetryAt = 0;
        while (running) {
            try {
                if (listener == null && System.currentTimeMillis() >= listenerRetryAt) {
                    try {
                        listener = listen();
                    } catch (SQLException e) {
                        LOG.warnf("Cannot LISTEN for stream rows (polling every %s meanwhile): %s",
                                config.idlePoll(), e.getMessage());
                        listenerRetryAt = System.currentTimeMillis() + 5_000;
                    }
                }
                boolean more = deliverRound();
                if (more) {
                    continue;
                }
                long wait = System.currentTimeMillis() < busyUntil ? config.busyPoll().toMillis()
                        : config.idlePoll().toMillis();
                if (listener != null) {
                    try {
                        PGNotification[] notifications = listener.unwrap(PGConnection.class)
                                .getNotifications((int) Math.max(1, wait));
                        if (notifications != null && notifications.length > 0) {
                            busyUntil = System.currentTimeMillis() + config.busyPoll().toMillis() * 40;
                        }
                    } catch (SQLException e) {
                        LOG.warnf("Stream listener connection lost: %s", e.getMessage());
                        closeQuietly(listener);
                        listener = null;
                    }
                } else {
                    java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(wait));
                }
            } catch (RuntimeException e) {
                LOG.errorf(e, "Stream delivery round failed");
                java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
            }
        }
        closeQuietly(listener);
    }

    private Connection listen() throws SQLException {
        Connection connection = DriverManager.getConnection(jdbcUrl, username, password);
        try (Statement statement = connection.createStatement()) {
            statement.execute("LISTEN " + StreamLog.CHANNEL);
        }
        return connection;
    }

    /** One read per agency with open streams; true when some agency has more rows waiting than one read takes. */
    private boolean deliverRound() {
        boolean more = false;
        for (Map.Entry<String, Set<Subscriber>> entry : byAgency.entrySet()) {
            List<Subscriber> subscribers = new ArrayList<>(entry.getValue());
            if (subscribers.isEmpty()) {
                byAgency.remove(entry.getKey(), entry.getValue());
                continue;
            }
            try {
                more |= deliver(entry.getKey(), subscribers);
            } catch (SQLException e) {
                LOG.warnf("Reading the stream log of agency %s failed: %s", entry.getKey(), e.getMessage());
            }
        }
        return more;
    }

    private record LogRow(StreamCursor position, String kind, boolean staffOnly, UUID campaignId, UUID jobId,
            String userId, String audienceRole, String payload) {
    }

    private boolean deliver(String agencyId, List<Subscriber> subscribers) throws SQLException {
        StreamCursor from = subscribers.get(0).cursor;
        boolean anyGrantedOnly = false;
        for (Subscriber subscriber : subscribers) {
            if (subscriber.cursor.compareTo(from) < 0) {
                from = subscriber.cursor;
            }
            anyGrantedOnly |= subscriber.grantedOnly;
        }
        List<LogRow> rows = new ArrayList<>();
        Set<String> grants = Set.of();
        ManagedContext requestContext = Arc.container().requestContext();
        requestContext.activate();
        try {
            // The connection's row-level security setting is taken from this tenant when it is acquired.
            Arc.container().instance(TenantContext.class).get().enter(agencyId, "system");
            try (Connection connection = dataSource.getConnection()) {
                try (PreparedStatement statement = connection.prepareStatement(READ)) {
                    statement.setString(1, agencyId);
                    statement.setString(2, Long.toString(from.xid()));
                    statement.setLong(3, from.id());
                    statement.setInt(4, config.batchSize());
                    try (ResultSet rs = statement.executeQuery()) {
                        while (rs.next()) {
                            rows.add(new LogRow(new StreamCursor(Long.parseLong(rs.getString(2)), rs.getLong(1)),
                                    rs.getString(3), rs.getBoolean(4), (UUID) rs.getObject(5),
                                    (UUID) rs.getObject(6), rs.getString(7), rs.getString(8), rs.getString(9)));
                        }
                    }
                }
                if (anyGrantedOnly && rows.stream().anyMatch(row -> row.campaignId() != null)) {
                    grants = grants(connection, agencyId, subscribers);
                }
            }
        } finally {
            requestContext.terminate();
        }
        // Each row is encoded once for all its readers, and each reader gets one write with every row of the round
        // it may see: with hundreds of streams the writes, not the reads, are what the delivery costs.
        Map<Subscriber, ByteArrayOutputStream> frames = new LinkedHashMap<>();
        Map<Subscriber, Integer> counts = new HashMap<>();
        for (LogRow row : rows) {
            byte[] encoded = null;
            for (Subscriber subscriber : subscribers) {
                if (!row.position().isAfter(subscriber.cursor) || subscriber.isClosed()) {
                    continue;
                }
                if (visible(subscriber, row, grants)) {
                    if (encoded == null) {
                        encoded = Subscriber.encode(row.position(), row.kind(), row.payload());
                    }
                    frames.computeIfAbsent(subscriber, key -> new ByteArrayOutputStream(512)).writeBytes(encoded);
                    counts.merge(subscriber, 1, Integer::sum);
                }
                subscriber.cursor = row.position();
            }
        }
        frames.forEach((subscriber, bytes) -> subscriber.sendEncoded(Buffer.buffer(bytes.toByteArray()),
                counts.get(subscriber)));
        return rows.size() == config.batchSize();
    }

    private static Set<String> grants(Connection connection, String agencyId, List<Subscriber> subscribers)
            throws SQLException {
        Set<String> users = new HashSet<>();
        subscribers.stream().filter(subscriber -> subscriber.grantedOnly).forEach(s -> users.add(s.userId));
        Set<String> pairs = new HashSet<>();
        try (PreparedStatement statement = connection.prepareStatement("""
                select user_id, campaign_id from client_campaign_grant
                where agency_id = ? and granted and user_id = any (?)""")) {
            statement.setString(1, agencyId);
            statement.setArray(2, connection.createArrayOf("varchar", users.toArray()));
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    pairs.add(rs.getString(1) + "|" + rs.getObject(2));
                }
            }
        }
        return pairs;
    }

    /**
     * Who sees a row: a notification its addressee only (its user, or the holders of its role); a job's log lines the
     * streams watching that job only; a client (granted campaigns only) nothing staff-only and, of the rest, what
     * concerns a campaign granted to it; everyone else of the agency the rest.
     */
    static boolean visible(Subscriber subscriber, LogRow row, Set<String> grants) {
        if (row.userId() != null || row.audienceRole() != null) {
            return row.userId() != null ? row.userId().equals(subscriber.userId)
                    : subscriber.roles.contains(row.audienceRole());
        }
        if ("job_log".equals(row.kind()) && (row.jobId() == null || !row.jobId().equals(subscriber.watchedJob))) {
            return false;
        }
        if (subscriber.grantedOnly) {
            return !row.staffOnly() && row.campaignId() != null
                    && grants.contains(subscriber.userId + "|" + row.campaignId());
        }
        return true;
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debugf("Closing the listener failed: %s", e.getMessage());
            }
        }
    }
}
