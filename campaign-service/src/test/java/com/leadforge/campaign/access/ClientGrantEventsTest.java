package com.leadforge.campaign.access;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.leadforge.shared.events.CampaignClientGrantedEvent;
import com.leadforge.shared.events.CloudEventHeaders;
import com.leadforge.shared.events.EventJson;
import com.leadforge.shared.events.Topics;
import com.leadforge.shared.tenancy.RowLevelSecurityConnections;
import com.leadforge.testsupport.Await;
import com.leadforge.testsupport.TestTokens;
import com.leadforge.testsupport.TopicProbe;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;

/**
 * Sharing a campaign with a client is announced on the campaign topic (lead-service scopes a client's lead reads by
 * these events): one event per real change, versions increasing in commit order, revocations when a delete drops the
 * grants, and grants made before the events existed announced once by the V9 migration.
 */
@QuarkusTest
class ClientGrantEventsTest {

    static final String GRANTED = "leadforge.campaign.client_granted.v1";
    static final String REVOKED = "leadforge.campaign.client_revoked.v1";

    static {
        io.restassured.RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void eachGrantAndRevokeIsAnnouncedOnceWithIncreasingVersions() {
        String agency = UUID.randomUUID().toString();
        String admin = TestTokens.user("grant-admin").agency(agency).roles("agency_admin").sign();
        String adminSub = subjectOf("grant-admin");
        String id = create(admin, "Shared with a client");
        String client = subjectOf("grant-client");

        given().auth().oauth2(admin).put("/api/v1/campaigns/" + id + "/clients/" + client).then().statusCode(201);
        given().auth().oauth2(admin).put("/api/v1/campaigns/" + id + "/clients/" + client).then().statusCode(204);
        given().auth().oauth2(admin).delete("/api/v1/campaigns/" + id + "/clients/" + client).then().statusCode(204);
        given().auth().oauth2(admin).delete("/api/v1/campaigns/" + id + "/clients/" + client).then().statusCode(204);
        given().auth().oauth2(admin).delete("/api/v1/campaigns/" + id + "/clients/nobody").then().statusCode(204);
        given().auth().oauth2(admin).put("/api/v1/campaigns/" + id + "/clients/" + client).then().statusCode(201);

        List<ConsumerRecord<String, String>> events = grantEventsOf(id, 3);
        assertEquals(List.of(GRANTED, REVOKED, GRANTED), events.stream().map(ClientGrantEventsTest::type).toList(),
                "a repeated grant and a revoke of nothing announce nothing");
        long previous = 0;
        for (ConsumerRecord<String, String> event : events) {
            JsonPath data = new JsonPath(event.value());
            assertEquals(id, event.key());
            assertEquals(agency, TopicProbe.header(event, CloudEventHeaders.AGENCY_ID));
            assertEquals(id, data.getString("campaign_id"));
            assertEquals(agency, data.getString("agency_id"));
            assertEquals(client, data.getString("user_id"));
            assertEquals(adminSub, data.getString("actor"));
            assertNotNull(data.getString("occurred_at"));
            long version = data.getLong("version");
            assertTrue(version > previous, "versions increase in commit order: " + events);
            previous = version;
        }
        assertEquals("revoked", new JsonPath(events.get(1).value()).getString("reason"));
    }

    @Test
    void deletingACampaignRevokesEachOfItsGrantsBeforeAnnouncingTheDelete() {
        String agency = UUID.randomUUID().toString();
        String admin = TestTokens.user("grant-admin").agency(agency).roles("agency_admin").sign();
        String id = create(admin, "Deleted with its grants");
        given().auth().oauth2(admin).put("/api/v1/campaigns/" + id + "/clients/client-a").then().statusCode(201);
        given().auth().oauth2(admin).put("/api/v1/campaigns/" + id + "/clients/client-b").then().statusCode(201);
        given().auth().oauth2(admin).delete("/api/v1/campaigns/" + id).then().statusCode(204);

        try (TopicProbe probe = new TopicProbe(bootstrapServers, Topics.CAMPAIGN_EVENTS)) {
            probe.await(r -> id.equals(r.key()) && "leadforge.campaign.deleted.v1".equals(type(r)),
                    Duration.ofSeconds(30));
            List<ConsumerRecord<String, String>> all = probe.seen(r -> id.equals(r.key()));
            List<String> types = all.stream().map(ClientGrantEventsTest::type).toList();
            assertEquals(List.of("leadforge.campaign.created.v1", GRANTED, GRANTED, REVOKED, REVOKED,
                    "leadforge.campaign.deleted.v1"), types);
            List<ConsumerRecord<String, String>> revoked = all.subList(3, 5);
            assertEquals(List.of("client-a", "client-b"),
                    revoked.stream().map(r -> new JsonPath(r.value()).getString("user_id")).toList());
            long lastGrant = new JsonPath(all.get(2).value()).getLong("version");
            for (ConsumerRecord<String, String> r : revoked) {
                JsonPath data = new JsonPath(r.value());
                assertEquals("campaign_deleted", data.getString("reason"));
                assertTrue(data.getLong("version") > lastGrant);
            }
        }
    }

    /**
     * Runs V9 as Flyway would (a connection without an agency, in one transaction) against a grant that has no event,
     * reads the outbox row it writes as lead-service will, and rolls everything back so other tests see nothing of it.
     */
    @Test
    void grantsMadeBeforeTheirEventsExistedAreAnnouncedOnceByTheMigration() throws Exception {
        String agency = UUID.randomUUID().toString();
        String admin = TestTokens.user("grant-admin").agency(agency).roles("agency_admin").sign();
        UUID id = UUID.fromString(create(admin, "Granted before events"));
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                setAgency(c, agency);
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("insert into campaign_client_grant (campaign_id, user_id, agency_id, granted_by,"
                            + " granted_at) values ('" + id + "', 'old-client', '" + agency + "', 'old-admin',"
                            + " timestamptz '2024-05-06 07:08:09.123456+00')");
                }
                setAgency(c, "");
                try (Statement s = c.createStatement()) {
                    for (String statement : statements(migration("V9__announce_existing_client_grants.sql"))) {
                        s.execute(statement);
                    }
                }
                List<String> payloads = new ArrayList<>();
                try (PreparedStatement q = c.prepareStatement("select payload::text, event_type, topic, agency_id,"
                        + " aggregate_type, actor from outbox_event where aggregate_id = ? and published_at is null")) {
                    q.setString(1, id.toString());
                    try (ResultSet rs = q.executeQuery()) {
                        while (rs.next()) {
                            assertEquals(GRANTED, rs.getString(2));
                            assertEquals(Topics.CAMPAIGN_EVENTS, rs.getString(3));
                            assertEquals(agency, rs.getString(4));
                            assertEquals("campaign", rs.getString(5));
                            assertEquals("old-admin", rs.getString(6));
                            payloads.add(rs.getString(1));
                        }
                    }
                }
                assertEquals(1, payloads.size(), payloads.toString());
                CampaignClientGrantedEvent event = EventJson.read(payloads.get(0), CampaignClientGrantedEvent.class);
                assertEquals(id, event.campaignId());
                assertEquals(agency, event.agencyId());
                assertEquals("old-client", event.userId());
                assertEquals("old-admin", event.actor());
                assertEquals(java.time.Instant.parse("2024-05-06T07:08:09.123456Z"), event.occurredAt());
                assertNotNull(event.version());
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                        "select relforcerowsecurity from pg_class where relname = 'campaign_client_grant'")) {
                    rs.next();
                    assertTrue(rs.getBoolean(1), "the migration must leave row-level security forced");
                }
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        }
    }

    private List<ConsumerRecord<String, String>> grantEventsOf(String id, int count) {
        Predicate<ConsumerRecord<String, String>> match = r -> id.equals(r.key())
                && (GRANTED.equals(type(r)) || REVOKED.equals(type(r)));
        try (TopicProbe probe = new TopicProbe(bootstrapServers, Topics.CAMPAIGN_EVENTS)) {
            Await.until(count + " grant event(s) of " + id, Duration.ofSeconds(30),
                    () -> probe.seen(match).size() >= count);
            // Whatever else was published for this campaign by now is on the topic too: nothing more may follow.
            return probe.readToEnd(match, Duration.ofSeconds(30));
        }
    }

    private static void setAgency(Connection c, String agency) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select set_config(?, ?, true)")) {
            s.setString(1, RowLevelSecurityConnections.SETTING);
            s.setString(2, agency);
            s.execute();
        }
    }

    private static String migration(String name) throws IOException {
        try (InputStream in = ClientGrantEventsTest.class.getResourceAsStream("/db/migration/" + name)) {
            assertNotNull(in, "missing migration " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The migration's statements: comment lines dropped, split at the semicolons that end lines. */
    private static List<String> statements(String script) {
        StringBuilder sql = new StringBuilder();
        for (String line : script.split("\n")) {
            if (!line.strip().startsWith("--")) {
                sql.append(line).append('\n');
            }
        }
        return List.of(sql.toString().split(";\\s*\n")).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static String type(ConsumerRecord<String, String> record) {
        return TopicProbe.header(record, CloudEventHeaders.TYPE);
    }

    private static String create(String token, String name) {
        return given().auth().oauth2(token).contentType(ContentType.JSON)
                .body("{\"name\":\"" + name + " " + UUID.randomUUID() + "\"}")
                .post("/api/v1/campaigns").then().statusCode(201).extract().path("id");
    }

    private static String subjectOf(String username) {
        return UUID.nameUUIDFromBytes(username.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
