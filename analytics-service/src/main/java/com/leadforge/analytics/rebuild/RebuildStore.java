package com.leadforge.analytics.rebuild;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The rebuilds' control rows ({@code read_model_rebuild}, {@code read_model_rebuild_topic}), platform-wide (no
 * agency, no row-level security), in short JDBC transactions of their own so that every replica sees each change at
 * once. Leaving the {@code building} state and dropping the fresh set happen in one transaction: the live consumer
 * stops writing to the fresh set exactly when it disappears.
 */
@ApplicationScoped
public class RebuildStore {

    /** The key of the advisory lock held by the replica running a rebuild (session) or reaping one (transaction). */
    static final long LEASE_KEY = 0x4C46_5242_4C44L;

    private final DataSource dataSource;

    public RebuildStore(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Runs {@code work} in a transaction of its own on a pooled connection. */
    <T> T inTransaction(Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(describe(e), e);
        }
    }

    /** A dedicated connection, outside any transaction manager (the lease, held for the whole rebuild). */
    Connection dedicatedConnection() throws SQLException {
        return dataSource.getConnection();
    }

    /** Whether a rebuild is building now: the live consumer's question, asked in its own transaction. */
    static boolean building(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "select exists (select 1 from read_model_rebuild where state = 'building')");
                ResultSet row = statement.executeQuery()) {
            row.next();
            return row.getBoolean(1);
        }
    }

    static void insertBuilding(Connection connection, UUID id, String requestedBy, List<String> tables)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                insert into read_model_rebuild (id, state, requested_by, tables, started_at, heartbeat_at)
                values (?, 'building', ?, ?, now(), now())""")) {
            statement.setObject(1, id);
            statement.setString(2, requestedBy);
            statement.setString(3, String.join(",", tables));
            statement.executeUpdate();
        }
    }

    void recordTotals(UUID id, Map<String, Long> totals) {
        inTransaction(connection -> {
            try (PreparedStatement statement = connection.prepareStatement("""
                    insert into read_model_rebuild_topic (rebuild_id, topic, total) values (?, ?, ?)
                    on conflict (rebuild_id, topic) do update set total = excluded.total""")) {
                for (Map.Entry<String, Long> topic : totals.entrySet()) {
                    statement.setObject(1, id);
                    statement.setString(2, topic.getKey());
                    statement.setLong(3, topic.getValue());
                    statement.addBatch();
                }
                statement.executeBatch();
            }
            return null;
        });
    }

    /**
     * Records progress and answers whether the rebuild should go on: false once it left {@code building} (another
     * replica abandoned it) or an operator asked to cancel it.
     */
    boolean progress(UUID id, Map<String, Long> replayed, long applied, long skipped) {
        return inTransaction(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "update read_model_rebuild_topic set replayed = ? where rebuild_id = ? and topic = ?")) {
                for (Map.Entry<String, Long> topic : replayed.entrySet()) {
                    statement.setLong(1, topic.getValue());
                    statement.setObject(2, id);
                    statement.setString(3, topic.getKey());
                    statement.addBatch();
                }
                statement.executeBatch();
            }
            try (PreparedStatement statement = connection.prepareStatement("""
                    update read_model_rebuild set applied = ?, skipped = ?, heartbeat_at = now()
                    where id = ? and state = 'building' returning cancel_requested""")) {
                statement.setLong(1, applied);
                statement.setLong(2, skipped);
                statement.setObject(3, id);
                try (ResultSet row = statement.executeQuery()) {
                    return row.next() && !row.getBoolean(1);
                }
            }
        });
    }

    /** Ends a rebuild that did not switch over, dropping its fresh set; false if it was no longer building. */
    boolean end(UUID id, String state, String error) {
        return inTransaction(connection -> {
            boolean ended = endRow(connection, id, state, error);
            if (ended) {
                ReadModelSet.dropFresh(connection);
            }
            return ended;
        });
    }

    static boolean endRow(Connection connection, UUID id, String state, String error) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                update read_model_rebuild set state = ?, error = ?, finished_at = now(),
                    switched_at = case when ? = 'completed' then now() end
                where id = ? and state = 'building'""")) {
            statement.setString(1, state);
            statement.setString(2, error == null ? null : abbreviate(error, 1000));
            statement.setString(3, state);
            statement.setObject(4, id);
            return statement.executeUpdate() == 1;
        }
    }

    /** Asks the replica running {@code id} to stop; false when it is not building. */
    boolean requestCancel(UUID id) {
        return inTransaction(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "update read_model_rebuild set cancel_requested = true where id = ? and state = 'building'")) {
                statement.setObject(1, id);
                return statement.executeUpdate() == 1;
            }
        });
    }

    /**
     * Marks {@code abandoned} a rebuild left {@code building} by a replica that no longer holds the lease (killed, or
     * cut from the database), and drops its fresh set: the live set never stopped answering, and a new rebuild can
     * start. Returns how many it abandoned.
     */
    int reapAbandoned() {
        return inTransaction(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "select id from read_model_rebuild where state = 'building'");
                    ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    return 0;
                }
            }
            // Held for this transaction only: the running replica holds it for its session, so getting it means
            // that replica is gone.
            try (PreparedStatement statement = connection.prepareStatement("select pg_try_advisory_xact_lock(?)")) {
                statement.setLong(1, LEASE_KEY);
                try (ResultSet row = statement.executeQuery()) {
                    row.next();
                    if (!row.getBoolean(1)) {
                        return 0;
                    }
                }
            }
            int abandoned;
            try (PreparedStatement statement = connection.prepareStatement("""
                    update read_model_rebuild set state = 'abandoned', finished_at = now(),
                        error = 'the replica running it stopped or lost its database session'
                    where state = 'building'""")) {
                abandoned = statement.executeUpdate();
            }
            ReadModelSet.dropFresh(connection);
            return abandoned;
        });
    }

    Optional<RebuildStatus> find(UUID id) {
        return inTransaction(connection -> load(connection, "where id = ?", id));
    }

    Optional<RebuildStatus> latest() {
        return inTransaction(connection -> load(connection, "order by started_at desc limit 1", null));
    }

    private static Optional<RebuildStatus> load(Connection connection, String where, UUID id) throws SQLException {
        RebuildStatus status;
        try (PreparedStatement statement = connection.prepareStatement("""
                select id, state, requested_by, cancel_requested, tables, applied, skipped, error, started_at,
                    switched_at, finished_at
                from read_model_rebuild""" + " " + where)) {
            if (id != null) {
                statement.setObject(1, id);
            }
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                String tables = row.getString(5);
                status = new RebuildStatus(row.getObject(1, UUID.class), row.getString(2), row.getString(3),
                        row.getBoolean(4), tables.isEmpty() ? List.of() : Arrays.asList(tables.split(",")),
                        new ArrayList<>(), row.getLong(6), row.getLong(7), row.getString(8), instant(row, 9),
                        instant(row, 10), instant(row, 11));
            }
        }
        try (PreparedStatement statement = connection.prepareStatement(
                "select topic, replayed, total from read_model_rebuild_topic where rebuild_id = ? order by topic")) {
            statement.setObject(1, status.id());
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    status.topics().add(new RebuildStatus.TopicProgress(rows.getString(1), rows.getLong(2),
                            rows.getLong(3)));
                }
            }
        }
        return Optional.of(status);
    }

    private static Instant instant(ResultSet row, int column) throws SQLException {
        Timestamp value = row.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }

    static String describe(Throwable failure) {
        String message = failure.getMessage();
        return failure.getClass().getSimpleName() + (message == null ? "" : ": " + abbreviate(message, 300));
    }

    private static String abbreviate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max);
    }
}
