package com.leadforge.scraping.credentials;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import com.leadforge.scraping.datasource.DataSource;
import com.leadforge.testsupport.PostgresServer;

import db.migration.V4__encrypt_data_source_credentials;

/**
 * A database written before encryption (plaintext JSONB credentials, two agencies, row-level security forced) is
 * migrated by V4: every value sealed, none left in plaintext, the plaintext column gone, row-level security forced
 * again. Runs the real migrations on a real PostgreSQL, outside the application.
 */
class CredentialMigrationTest {

    static final String ACME = "11111111-1111-1111-1111-111111111111";
    static final String BEACON = "22222222-2222-2222-2222-222222222222";

    @Test
    void existingPlaintextCredentialsAreSealedInPlace() throws Exception {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        CredentialCipher cipher = CredentialCipher.of(Map.of("m1", Base64.getEncoder().encodeToString(key)), "m1");
        try (PostgresServer postgres = PostgresServer.startEphemeral()) {
            postgres.ensureServiceDatabase("scraping");
            String url = postgres.jdbcUrl("scraping");
            flyway(url, cipher).target("2").load().migrate();

            UUID acmeSource = UUID.randomUUID();
            UUID beaconSource = UUID.randomUUID();
            UUID withoutCredentials = UUID.randomUUID();
            insert(url, ACME, acmeSource, "{\"api_key\":\"acme-plaintext-secret\"}");
            insert(url, BEACON, beaconSource, "{\"login\":{\"password\":\"beacon-plaintext-secret\"}}");
            insert(url, ACME, withoutCredentials, "{}");

            flyway(url, cipher).load().migrate();

            try (Connection owner = DriverManager.getConnection(url, PostgresServer.APP_USER, PostgresServer.APP_PASSWORD)) {
                assertEquals("0", single(owner, """
                        select count(*)::text from information_schema.columns
                        where table_name = 'data_source' and column_name = 'credentials'"""));
                assertEquals("t", single(owner, "select relforcerowsecurity::text from pg_class where relname = 'data_source'")
                        .substring(0, 1));
                // Forced again: without an agency the owner sees nothing.
                assertEquals("0", single(owner, "select count(*)::text from data_source"));
            }
            assertSealed(url, cipher, ACME, acmeSource, "{\"api_key\": \"acme-plaintext-secret\"}", "acme-plaintext-secret");
            assertSealed(url, cipher, BEACON, beaconSource, "{\"login\": {\"password\": \"beacon-plaintext-secret\"}}",
                    "beacon-plaintext-secret");
            try (Connection acme = as(url, ACME)) {
                assertNull(single(acme, "select credentials_ciphertext from data_source where id = '" + withoutCredentials + "'"));
            }
        }
    }

    private static void assertSealed(String url, CredentialCipher cipher, String agency, UUID id, String json,
            String secret) throws SQLException {
        try (Connection connection = as(url, agency)) {
            String row = single(connection, "select row_to_json(d)::text from data_source d where id = '" + id + "'");
            assertFalse(row.contains(secret), row);
            String sealed = single(connection, "select credentials_ciphertext from data_source where id = '" + id + "'");
            assertTrue(sealed.startsWith("lfc1:m1:"), sealed);
            assertEquals(json, new String(cipher.open(sealed, DataSource.credentialContext(agency, id)),
                    StandardCharsets.UTF_8));
        }
    }

    private static org.flywaydb.core.api.configuration.FluentConfiguration flyway(String url, CredentialCipher cipher) {
        // SQL migrations from the sources; the Java one handed over with the test's key (not found by scanning).
        return Flyway.configure().dataSource(url, PostgresServer.APP_USER, PostgresServer.APP_PASSWORD)
                .locations("filesystem:src/main/resources/db/migration")
                .javaMigrations(new V4__encrypt_data_source_credentials(() -> cipher));
    }

    private static void insert(String url, String agency, UUID id, String credentials) throws SQLException {
        try (Connection connection = as(url, agency); PreparedStatement insert = connection.prepareStatement("""
                insert into data_source (id, agency_id, name, type, credentials, created_by, created_at, updated_at)
                values (?, ?, 'Legacy', 'api', ?::jsonb, 'test', now(), now())""")) {
            insert.setObject(1, id);
            insert.setString(2, agency);
            insert.setString(3, credentials);
            insert.executeUpdate();
        }
    }

    private static Connection as(String url, String agency) throws SQLException {
        Connection connection = DriverManager.getConnection(url, PostgresServer.APP_USER, PostgresServer.APP_PASSWORD);
        try (Statement statement = connection.createStatement()) {
            statement.execute("select set_config('leadforge.agency_id', '" + agency + "', false)");
        }
        return connection;
    }

    private static String single(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            assertTrue(rows.next(), sql);
            return rows.getString(1);
        }
    }
}
