package com.leadforge.analytics.rebuild;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The DDL of a rebuild, generic over whatever tables carry the comment {@value #READ_MODEL_COMMENT}: a fresh, empty
 * copy of each in schema {@value #FRESH} (columns, defaults, checks, keys and indexes under their live names,
 * row-level security and its policies, grants, comments) plus a fresh inbox, and the atomic exchange of the two sets.
 * Every statement runs on the caller's connection and transaction: PostgreSQL's DDL is transactional, so readers see
 * either set whole, never a mix.
 */
final class ReadModelSet {

    static final String READ_MODEL_COMMENT = "leadforge:read-model";
    static final String LIVE = "public";
    static final String FRESH = "analytics_rebuild";
    static final String RETIRED = "analytics_retired";
    /** The inbox whose rows say which events a set holds; rebuilt with the set, not by comment (it is shared). */
    static final String INBOX = "processed_event";

    private ReadModelSet() {
    }

    /** The live read-model tables, in name order (the order every lock is taken in). */
    static List<String> discover(Connection connection) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("""
                select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
                where n.nspname = ? and c.relkind in ('r', 'p') and obj_description(c.oid, 'pg_class') = ?
                order by c.relname""")) {
            statement.setString(1, LIVE);
            statement.setString(2, READ_MODEL_COMMENT);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    tables.add(rows.getString(1));
                }
            }
        }
        return tables;
    }

    /** The tables a rebuild exchanges: the read models and the inbox. */
    static List<String> withInbox(List<String> readModels) {
        List<String> all = new ArrayList<>(readModels);
        all.add(INBOX);
        all.sort(String::compareTo);
        return all;
    }

    /** Creates schema {@value #FRESH} holding an empty copy of each of {@code tables}; fails if it exists. */
    static void createFresh(Connection connection, List<String> tables) throws SQLException {
        execute(connection, "create schema " + FRESH);
        for (String table : tables) {
            copyTable(connection, table);
        }
    }

    /** Drops the fresh set, whatever state a failed or abandoned rebuild left it in. */
    static void dropFresh(Connection connection) throws SQLException {
        execute(connection, "drop schema if exists " + FRESH + " cascade");
    }

    /**
     * Takes every lock the exchange needs in one statement, in the order the live consumer takes them (live inbox,
     * live read models, then the fresh set), so that the exchange waits for the transactions using either set without
     * deadlocking with them, then blocks new ones until it commits (bounded by the caller's lock_timeout).
     */
    static void lockBoth(Connection connection, List<String> tables) throws SQLException {
        List<String> names = new ArrayList<>();
        names.add(qualified(LIVE, INBOX));
        for (String table : tables) {
            if (!INBOX.equals(table)) {
                names.add(qualified(LIVE, table));
            }
        }
        names.add(qualified(FRESH, INBOX));
        for (String table : tables) {
            if (!INBOX.equals(table)) {
                names.add(qualified(FRESH, table));
            }
        }
        execute(connection, "lock table " + String.join(", ", names) + " in access exclusive mode");
    }

    /**
     * Moves the live tables aside (schema {@value #RETIRED}) and the fresh ones into their place. The inbox rows of
     * the consumers that were not rebuilt are carried over first, so none of them forgets what it applied.
     */
    static void exchange(Connection connection, List<String> tables, List<String> rebuiltConsumers)
            throws SQLException {
        try (PreparedStatement carry = connection.prepareStatement("insert into " + qualified(FRESH, INBOX)
                + " select * from " + qualified(LIVE, INBOX) + " where consumer <> all (?) on conflict do nothing")) {
            carry.setArray(1, connection.createArrayOf("varchar", rebuiltConsumers.toArray()));
            carry.executeUpdate();
        }
        execute(connection, "drop schema if exists " + RETIRED + " cascade");
        execute(connection, "create schema " + RETIRED);
        for (String table : tables) {
            execute(connection, "alter table " + qualified(LIVE, table) + " set schema " + RETIRED);
        }
        for (String table : tables) {
            execute(connection, "alter table " + qualified(FRESH, table) + " set schema " + LIVE);
        }
        execute(connection, "drop schema " + FRESH);
    }

    static void dropRetired(Connection connection) throws SQLException {
        execute(connection, "drop schema if exists " + RETIRED + " cascade");
    }

    private static void copyTable(Connection connection, String table) throws SQLException {
        String live = qualified(LIVE, table);
        String fresh = qualified(FRESH, table);
        // Indexes are recreated below under their live names: LIKE would name them after their columns, and a later
        // migration that drops or alters an index by name would then fail on the rebuilt table.
        execute(connection, "create table " + fresh + " (like " + live + " including all excluding indexes)");
        // LIKE copies the comments of columns, not the table's own, which marks it as a read model.
        try (PreparedStatement statement = connection.prepareStatement(
                "select obj_description(?::regclass, 'pg_class')")) {
            statement.setString(1, live);
            for (String[] comment : rows(statement, 1)) {
                if (comment[0] != null) {
                    execute(connection, "comment on table " + fresh + " is '" + comment[0].replace("'", "''") + "'");
                }
            }
        }
        try (PreparedStatement statement = connection.prepareStatement("""
                select conname, pg_get_constraintdef(oid) from pg_constraint
                where conrelid = ?::regclass and contype in ('p', 'u', 'x') order by conname""")) {
            statement.setString(1, live);
            for (String[] constraint : rows(statement, 2)) {
                execute(connection, "alter table " + fresh + " add constraint " + quote(constraint[0]) + " "
                        + constraint[1]);
            }
        }
        try (PreparedStatement statement = connection.prepareStatement("""
                select pg_get_indexdef(i.indexrelid) from pg_index i
                where i.indrelid = ?::regclass
                  and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)
                order by i.indexrelid""")) {
            statement.setString(1, live);
            for (String[] index : rows(statement, 1)) {
                String onLive = " ON " + live + " ";
                if (!index[0].contains(onLive)) {
                    throw new SQLException("Cannot copy index of " + table + ": " + index[0]);
                }
                execute(connection, index[0].replace(onLive, " ON " + fresh + " "));
            }
        }
        try (PreparedStatement statement = connection.prepareStatement(
                "select relrowsecurity, relforcerowsecurity from pg_class where oid = ?::regclass")) {
            statement.setString(1, live);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                if (row.getBoolean(1)) {
                    execute(connection, "alter table " + fresh + " enable row level security");
                }
                if (row.getBoolean(2)) {
                    execute(connection, "alter table " + fresh + " force row level security");
                }
            }
        }
        try (PreparedStatement statement = connection.prepareStatement("""
                select policyname, permissive, cmd, array_to_string(roles, ','), qual, with_check from pg_policies
                where schemaname = ? and tablename = ? order by policyname""")) {
            statement.setString(1, LIVE);
            statement.setString(2, table);
            for (String[] policy : rows(statement, 6)) {
                StringBuilder create = new StringBuilder("create policy ").append(quote(policy[0])).append(" on ")
                        .append(fresh).append(" as ").append(policy[1]).append(" for ").append(policy[2])
                        .append(" to ").append(roleList(policy[3]));
                if (policy[4] != null) {
                    create.append(" using (").append(policy[4]).append(')');
                }
                if (policy[5] != null) {
                    create.append(" with check (").append(policy[5]).append(')');
                }
                execute(connection, create.toString());
            }
        }
        try (PreparedStatement statement = connection.prepareStatement("""
                select grantee, string_agg(privilege_type, ', ') from information_schema.role_table_grants
                where table_schema = ? and table_name = ? and grantee <> current_user group by grantee
                order by grantee""")) {
            statement.setString(1, LIVE);
            statement.setString(2, table);
            for (String[] grant : rows(statement, 2)) {
                execute(connection, "grant " + grant[1] + " on " + fresh + " to "
                        + ("PUBLIC".equals(grant[0]) ? "public" : quote(grant[0])));
            }
        }
    }

    private static String roleList(String roles) {
        List<String> quoted = new ArrayList<>();
        for (String role : roles.split(",")) {
            quoted.add("public".equals(role) ? "public" : quote(role));
        }
        return String.join(", ", quoted);
    }

    private static List<String[]> rows(PreparedStatement statement, int columns) throws SQLException {
        List<String[]> rows = new ArrayList<>();
        try (ResultSet result = statement.executeQuery()) {
            while (result.next()) {
                String[] row = new String[columns];
                for (int i = 0; i < columns; i++) {
                    row[i] = result.getString(i + 1);
                }
                rows.add(row);
            }
        }
        return rows;
    }

    static String qualified(String schema, String table) {
        return schema + "." + quote(table);
    }

    /** An identifier as PostgreSQL must read it; names come from the catalogue, never from a request. */
    static String quote(String identifier) {
        return identifier.matches("[a-z_][a-z0-9_]*") ? identifier : '"' + identifier.replace("\"", "\"\"") + '"';
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
