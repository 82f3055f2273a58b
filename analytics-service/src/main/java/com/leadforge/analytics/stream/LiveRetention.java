package com.leadforge.analytics.stream;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.leadforge.shared.tenancy.TenantContext;

import io.agroal.api.AgroalDataSource;
import io.quarkus.arc.Arc;
import io.quarkus.arc.InjectableContext;
import io.quarkus.arc.ManagedContext;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Keeps the stream log and the notifications bounded: stream rows older than {@code leadforge.stream.retention}
 * (default 24 h: the resume window) and notifications older than {@code leadforge.notifications.retention} (default 90
 * days, read or not) are deleted, agency by agency under that agency's row-level security, in short transactions of at
 * most {@value #BATCH} rows. The newest stream position purged is kept per agency, so a client resuming from before it
 * is told it missed events ({@code reset}) instead of silently getting a gap.
 */
@ApplicationScoped
public class LiveRetention {

    private static final Logger LOG = Logger.getLogger(LiveRetention.class);
    static final int BATCH = 5000;

    private final AgroalDataSource dataSource;
    private final Duration streamRetention;
    private final Duration notificationRetention;

    public LiveRetention(AgroalDataSource dataSource, StreamConfig config,
            @ConfigProperty(name = "leadforge.notifications.retention") Duration notificationRetention) {
        this.dataSource = dataSource;
        this.streamRetention = config.retention();
        this.notificationRetention = notificationRetention;
    }

    @Scheduled(every = "${leadforge.stream.purge-interval:10m}", delayed = "${leadforge.stream.purge-initial-delay:1m}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            purge(Instant.now());
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("Live retention purge failed (next run retries): %s", e.getMessage());
        }
    }

    /** Purges everything older than the retention windows as of {@code now}; returns the stream rows removed. */
    public long purge(Instant now) throws SQLException {
        long removed = 0;
        for (String agency : agencies()) {
            removed += asAgency(agency, connection -> purgeStream(connection, agency, now.minus(streamRetention)));
            asAgency(agency, connection -> purgeNotifications(connection, agency, now.minus(notificationRetention)));
        }
        return removed;
    }

    private List<String> agencies() throws SQLException {
        List<String> agencies = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement("select agency_id from stream_agency");
                ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                agencies.add(rs.getString(1));
            }
        }
        return agencies;
    }

    private static long purgeStream(Connection connection, String agency, Instant before) throws SQLException {
        long removed = 0;
        while (true) {
            String xid = null;
            long id = 0;
            int count = 0;
            try (PreparedStatement statement = connection.prepareStatement("""
                    with gone as (
                        delete from stream_event where id in (
                            select id from stream_event where agency_id = ? and created_at < ? limit ?)
                        returning xid, id)
                    select xid::text, id, count(*) over () from gone order by xid desc, id desc limit 1""")) {
                statement.setString(1, agency);
                statement.setTimestamp(2, Timestamp.from(before));
                statement.setInt(3, BATCH);
                try (ResultSet rs = statement.executeQuery()) {
                    if (rs.next()) {
                        xid = rs.getString(1);
                        id = rs.getLong(2);
                        count = rs.getInt(3);
                    }
                }
            }
            if (xid != null) {
                try (PreparedStatement mark = connection.prepareStatement("""
                        update stream_agency set purged_xid = ?::xid8, purged_id = ?
                        where agency_id = ? and (purged_xid is null or (purged_xid, purged_id) < (?::xid8, ?))""")) {
                    mark.setString(1, xid);
                    mark.setLong(2, id);
                    mark.setString(3, agency);
                    mark.setString(4, xid);
                    mark.setLong(5, id);
                    mark.executeUpdate();
                }
            }
            removed += count;
            if (count < BATCH) {
                return removed;
            }
        }
    }

    private static long purgeNotifications(Connection connection, String agency, Instant before)
            throws SQLException {
        long removed = 0;
        int count;
        do {
            try (PreparedStatement statement = connection.prepareStatement("""
                    delete from notification where id in (
                        select id from notification where agency_id = ? and created_at < ? limit ?)""")) {
                statement.setString(1, agency);
                statement.setTimestamp(2, Timestamp.from(before));
                statement.setInt(3, BATCH);
                count = statement.executeUpdate();
            }
            removed += count;
        } while (count == BATCH);
        return removed;
    }

    private interface Work {
        long run(Connection connection) throws SQLException;
    }

    /**
     * Runs {@code work} on a connection whose row-level security admits {@code agency} (autocommit: short steps), in
     * a unit of work of its own: a caller's active request context (whose tenant may be another agency) is set aside
     * and restored.
     */
    private long asAgency(String agency, Work work) throws SQLException {
        ManagedContext requestContext = Arc.container().requestContext();
        InjectableContext.ContextState outer = requestContext.isActive() ? requestContext.getState() : null;
        if (outer != null) {
            requestContext.deactivate();
        }
        requestContext.activate();
        try {
            Arc.container().instance(TenantContext.class).get().enter(agency, "system");
            try (Connection connection = dataSource.getConnection()) {
                return work.run(connection);
            }
        } finally {
            requestContext.terminate();
            if (outer != null) {
                requestContext.activate(outer);
            }
        }
    }
}
