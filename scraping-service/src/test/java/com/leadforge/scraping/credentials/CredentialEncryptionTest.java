package com.leadforge.scraping.credentials;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.leadforge.scraping.datasource.DataSource;
import com.leadforge.testsupport.TestTokens;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Credentials are sealed at rest (the row holds no plaintext, the plaintext column is gone), the API shows them only
 * masked, values sealed under an older key still open, and a write re-seals under the active key.
 */
@QuarkusTest
class CredentialEncryptionTest {

    static final String ACME = TestTokens.AGENCY_ACME;
    static final String ADMIN = TestTokens.token(ACME, "agency_admin");

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;
    @ConfigProperty(name = "quarkus.datasource.username")
    String user;
    @ConfigProperty(name = "quarkus.datasource.password")
    String password;
    @ConfigProperty(name = "leadforge.crypto.keys.dev1")
    String oldKey;
    @ConfigProperty(name = "leadforge.crypto.keys.dev2")
    String activeKey;

    @Test
    void theDatabaseHoldsNoPlaintextAndTheApiOnlyAMaskedCopy() throws Exception {
        String apiKey = "sk-live-" + UUID.randomUUID();
        String loginPassword = "pw-" + UUID.randomUUID();
        String created = given().auth().oauth2(ADMIN).contentType(ContentType.JSON)
                .body("""
                        {"name":"Sealed","type":"apollo","credentials":{"api_key":"%s",
                         "login":{"user":"robot-user","password":"%s"}}}""".formatted(apiKey, loginPassword))
                .post("/api/v1/data-sources").then().statusCode(201)
                .body("has_credentials", equalTo(true))
                .body("masked_credentials.api_key", equalTo("****" + apiKey.substring(apiKey.length() - 4)))
                .body("masked_credentials.login.user", equalTo("****"))
                .body("masked_credentials.login.password",
                        equalTo("****" + loginPassword.substring(loginPassword.length() - 4)))
                .body("$", not(hasKey("credentials")))
                .extract().asString();
        assertFalse(created.contains(apiKey) || created.contains(loginPassword) || created.contains("robot-user"));
        String id = new io.restassured.path.json.JsonPath(created).getString("id");

        String row = query("select row_to_json(d)::text from data_source d where id = ?", id);
        assertFalse(row.contains(apiKey), row);
        assertFalse(row.contains(loginPassword), row);
        assertFalse(row.contains("robot-user"), row);
        assertTrue(sealedValue(id).startsWith("lfc1:dev2:"), row);
        assertEquals("0", query("""
                select count(*)::text from information_schema.columns
                where table_name = 'data_source' and column_name = 'credentials'""", null));

        for (String role : java.util.List.of("client", "researcher", "agency_admin")) {
            given().auth().oauth2(TestTokens.token(ACME, role)).get("/api/v1/data-sources/" + id).then()
                    .statusCode(200)
                    .body("masked_credentials.login.user", equalTo("****"))
                    .body(not(containsString(apiKey))).body(not(containsString(loginPassword)));
            given().auth().oauth2(TestTokens.token(ACME, role)).get("/api/v1/data-sources?pageSize=100").then()
                    .statusCode(200).body(not(containsString(apiKey))).body(not(containsString(loginPassword)));
        }
    }

    @Test
    void valuesSealedUnderAnOlderKeyStillOpenAndAWriteResealsThemUnderTheActiveKey() throws Exception {
        String id = given().auth().oauth2(ADMIN).contentType(ContentType.JSON)
                .body("{\"name\":\"Rotated\",\"type\":\"api\",\"credentials\":{\"token\":\"first-token-value-1111\"}}")
                .post("/api/v1/data-sources").then().statusCode(201).extract().path("id");
        // As if written before the rotation: the same credentials sealed under the previous key.
        CredentialCipher beforeRotation = CredentialCipher.of(Map.of("dev1", oldKey), "dev1");
        String context = DataSource.credentialContext(ACME, UUID.fromString(id));
        writeSealed(id, beforeRotation.seal("{\"token\":\"old-token-value-2222\"}".getBytes(StandardCharsets.UTF_8),
                context));
        assertTrue(sealedValue(id).startsWith("lfc1:dev1:"));

        given().auth().oauth2(ADMIN).get("/api/v1/data-sources/" + id).then().statusCode(200)
                .body("masked_credentials.token", equalTo("****2222"));

        given().auth().oauth2(TestTokens.token(ACME, "researcher")).contentType(ContentType.JSON)
                .body("{\"token\":\"new-token-value-3333\",\"region\":\"eu\"}")
                .put("/api/v1/data-sources/" + id + "/credentials").then().statusCode(200)
                .body("masked_credentials.token", equalTo("****3333"))
                .body("masked_credentials.region", equalTo("****"))
                .body(not(containsString("new-token-value")));
        String resealed = sealedValue(id);
        assertTrue(resealed.startsWith("lfc1:dev2:"), resealed);
        assertEquals("{\"token\":\"new-token-value-3333\",\"region\":\"eu\"}", new String(
                CredentialCipher.of(Map.of("dev2", activeKey), "dev2").open(resealed, context), StandardCharsets.UTF_8));

        // A sealed value copied from another row does not open here: shown as unreadable, never a failure.
        String other = given().auth().oauth2(ADMIN).contentType(ContentType.JSON)
                .body("{\"name\":\"Other\",\"type\":\"api\",\"credentials\":{\"token\":\"other-token-value-4444\"}}")
                .post("/api/v1/data-sources").then().statusCode(201).extract().path("id");
        writeSealed(id, sealedValue(other));
        given().auth().oauth2(ADMIN).get("/api/v1/data-sources/" + id).then().statusCode(200)
                .body("has_credentials", equalTo(true))
                .body("masked_credentials", nullValue());

        // {} removes them; clients cannot touch them; another agency's data source is a 404.
        given().auth().oauth2(ADMIN).contentType(ContentType.JSON).body("{}")
                .put("/api/v1/data-sources/" + id + "/credentials").then().statusCode(200)
                .body("has_credentials", equalTo(false)).body("masked_credentials", nullValue());
        assertEquals(null, sealedValue(id));
        given().auth().oauth2(TestTokens.token(ACME, "client")).contentType(ContentType.JSON).body("{}")
                .put("/api/v1/data-sources/" + id + "/credentials").then().statusCode(403);
        given().auth().oauth2(TestTokens.token(TestTokens.AGENCY_BEACON, "agency_admin")).contentType(ContentType.JSON)
                .body("{\"token\":\"x\"}").put("/api/v1/data-sources/" + id + "/credentials").then().statusCode(404);
        given().auth().oauth2(ADMIN).contentType(ContentType.JSON).body("[\"not-an-object\"]")
                .put("/api/v1/data-sources/" + id + "/credentials").then().statusCode(400)
                .body(not(containsString("not-an-object")));
    }

    private String sealedValue(String id) throws SQLException {
        return query("select credentials_ciphertext from data_source where id = ?", id);
    }

    private void writeSealed(String id, String sealed) throws SQLException {
        try (Connection connection = connect();
                PreparedStatement update = connection.prepareStatement(
                        "update data_source set credentials_ciphertext = ? where id = ?")) {
            update.setString(1, sealed);
            update.setObject(2, UUID.fromString(id));
            assertEquals(1, update.executeUpdate());
        }
    }

    /** One value, read as Acme (row-level security applies to this connection as to the service's). */
    private String query(String sql, String id) throws SQLException {
        try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            if (id != null) {
                statement.setObject(1, UUID.fromString(id));
            }
            try (ResultSet rows = statement.executeQuery()) {
                assertTrue(rows.next(), "no row for " + sql);
                return rows.getString(1);
            }
        }
    }

    private Connection connect() throws SQLException {
        Connection connection = DriverManager.getConnection(jdbcUrl, user, password);
        try (PreparedStatement agency = connection.prepareStatement("select set_config('leadforge.agency_id', ?, false)")) {
            agency.setString(1, ACME);
            agency.execute();
        }
        return connection;
    }
}
