package com.leadforge.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL server (the zonky binaries from Maven Central) on a loopback port. With a data directory of its
 * own it keeps its data across restarts (local stack); without one it starts clean (tests).
 */
public final class PostgresServer implements AutoCloseable {

    /** The superuser: creates roles and databases, and Keycloak's database. */
    public static final String USER = "postgres";
    public static final String PASSWORD = "postgres";
    /**
     * The role services connect as: owner of their databases but not a superuser, because PostgreSQL superusers
     * bypass row-level security and the services rely on it as the second line of tenant isolation.
     */
    public static final String APP_USER = "leadforge";
    public static final String APP_PASSWORD = "leadforge";
    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");

    private final EmbeddedPostgres postgres;

    private PostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** A throw-away server with an empty data directory. */
    public static PostgresServer startEphemeral() {
        return start(null, Ports.free());
    }

    /** A server whose data lives in {@code dataDirectory} (created on first start, reused afterwards). */
    public static PostgresServer start(Path dataDirectory, int port) {
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setPort(port)
                    .setServerConfig("max_connections", "300")
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setPGStartupWait(java.time.Duration.ofSeconds(60));
            if (dataDirectory != null) {
                builder.setDataDirectory(dataDirectory).setCleanDataDirectory(false);
            }
            return new PostgresServer(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL did not start", e);
        }
    }

    public int port() {
        return postgres.getPort();
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database;
    }

    /** Creates a database owned by the superuser unless it exists (Keycloak's). */
    public void ensureDatabase(String name) {
        ensureDatabase(name, USER);
    }

    /**
     * Creates a service database owned by {@link #APP_USER} unless it exists; idempotent so a restarted local stack
     * keeps its data.
     */
    public void ensureServiceDatabase(String name) {
        ensureAppRole();
        ensureDatabase(name, APP_USER);
    }

    private void ensureDatabase(String name, String owner) {
        if (!DATABASE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Not a database name: " + name);
        }
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                PreparedStatement exists = connection.prepareStatement("select 1 from pg_database where datname = ?")) {
            exists.setString(1, name);
            try (ResultSet result = exists.executeQuery()) {
                if (result.next()) {
                    return;
                }
            }
            try (Statement create = connection.createStatement()) {
                create.execute("create database " + name + " owner " + owner);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create database " + name, e);
        }
    }

    private void ensureAppRole() {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("""
                    do $$ begin
                      if not exists (select 1 from pg_roles where rolname = '%1$s') then
                        create role %1$s login nosuperuser nocreatedb nocreaterole password '%2$s';
                      end if;
                    end $$""".formatted(APP_USER, APP_PASSWORD));
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create role " + APP_USER, e);
        }
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
