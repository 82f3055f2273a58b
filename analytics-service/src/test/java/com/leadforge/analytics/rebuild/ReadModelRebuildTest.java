package com.leadforge.analytics.rebuild;

import static io.restassured.RestAssured.given;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.leadforge.shared.events.CloudEventHeaders;
import com.leadforge.shared.events.DataSourceChangedEvent;
import com.leadforge.shared.events.DataSourceCreatedEvent;
import com.leadforge.shared.events.EventJson;
import com.leadforge.shared.events.EventType;
import com.leadforge.shared.events.LeadCreatedEvent;
import com.leadforge.shared.events.LeadSnapshot;
import com.leadforge.shared.events.ScrapingJobEvent;
import com.leadforge.shared.events.Topics;
import com.leadforge.testsupport.Await;
import com.leadforge.testsupport.PostgresServer;
import com.leadforge.testsupport.RealInfrastructure;
import com.leadforge.testsupport.TestTokens;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Rebuild by replay against the real broker and database: the rebuilt read models equal the live ones row by row —
 * with events published during the replay, duplicates and out-of-order deliveries among them — the live ones answer
 * throughout, one rebuild runs at a time, and a rebuild whose database session dies fails without touching the live
 * set and can be started again.
 */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, initArgs = {
        @ResourceArg(name = "database", value = "analytics"),
        @ResourceArg(name = "topics", value = Topics.LEAD_EVENTS + "," + Topics.CAMPAIGN_EVENTS + "," + Topics.SCRAPING_EVENTS) })
class ReadModelRebuildTest {

    static final String REBUILDS = "/admin/analytics/rebuilds";
    /** Columns stamped with the time of writing, not derived from events: a replay writes them anew. */
    static final List<String> WRITE_TIME_COLUMNS = List.of("updated_at");
    /**
     * Columns that are a clock, not a figure: analytics_version is the caches' key, which a rebuild deliberately
     * restarts from its own clock so that no answer cached before the switch can be served after it.
     */
    static final List<String> CLOCK_COLUMNS = List.of("analytics_version.version");
    /**
     * Counter tables whose readers fill a missing row with zeros: a row whose counts all went back to zero is the same
     * figure as no row, and whether it is left behind depends on the order the events arrived in.
     */
    static final List<String> ZERO_FILLED_TABLES = List.of("lead_activity_bucket", "agency_activity_bucket",
            "campaign_lead_counts", "agency_daily_leads");

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;
    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    KafkaProducer<String, String> producer;
    final List<String> published = new ArrayList<>();

    @BeforeEach
    void connect() {
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()));
        Await.until("no rebuild building", Duration.ofSeconds(120), () -> !anyBuilding());
    }

    @AfterEach
    void disconnect() {
        producer.close(Duration.ofSeconds(5));
    }

    @Test
    void aRebuildDuringTrafficEndsWithTheLiveAnswersRowByRow() throws Exception {
        String agency = UUID.randomUUID().toString();
        String quiet = UUID.randomUUID().toString();
        Instant t0 = Instant.now().minusSeconds(3600);
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        UUID campaign = UUID.randomUUID();
        UUID source = UUID.randomUUID();
        UUID job = UUID.randomUUID();
        // The history: lead versions out of order and twice, a deleted lead, a legacy creation without snapshot, a
        // campaign paused twice, a data source, a job whose late progress arrives after its completion.
        lead(agency, "created", new LeadSnapshot(first, agency, campaign, "new", "pending", false, false, false, 1, t0));
        String contacted = lead(agency, "updated", new LeadSnapshot(first, agency, campaign, "contacted", "qualified",
                true, false, false, 3, t0.plusSeconds(30)));
        lead(agency, "updated", new LeadSnapshot(first, agency, campaign, "contacted", "pending", true, false, false,
                2, t0.plusSeconds(20)));
        lead(agency, "created", new LeadSnapshot(second, agency, null, "new", "pending", false, false, false, 1, t0));
        lead(agency, "deleted", new LeadSnapshot(second, agency, null, "new", "pending", false, false, true, 2,
                t0.plusSeconds(5)));
        legacyLead(agency);
        campaign(agency, "created", campaign, Map.of("campaign_id", campaign, "agency_id", agency, "name", "c",
                "status", "active", "created_at", t0));
        Map<String, Object> pause = Map.of("campaign_id", campaign, "agency_id", agency, "old_status", "active",
                "new_status", "paused", "occurred_at", t0.plusSeconds(10));
        campaign(agency, "status_changed", campaign, pause);
        campaign(agency, "status_changed", campaign, pause);
        scraping(agency, EventType.DATA_SOURCE_CREATED, source,
                new DataSourceCreatedEvent(source, agency, "s", "csv", "inactive", "u", t0));
        scraping(agency, EventType.DATA_SOURCE_TESTED, source,
                new DataSourceChangedEvent(source, agency, "s", "csv", "active", null, true, "u", t0.plusSeconds(5)));
        job(agency, EventType.SCRAPING_JOB_CREATED, job, source, "pending", 0, t0.plusSeconds(10));
        job(agency, EventType.SCRAPING_JOB_COMPLETED, job, source, "completed", 100, t0.plusSeconds(20));
        job(agency, EventType.SCRAPING_JOB_PROGRESSED, job, source, "running", 40, t0.plusSeconds(15));
        lead(quiet, "created", new LeadSnapshot(UUID.randomUUID(), quiet, null, "converted", "qualified", true, true,
                false, 1, t0));
        producer.flush();
        awaitApplied("the history");
        JsonPath quietBefore = overview(quiet);

        RebuildStatus started = startSlowly();
        given().auth().oauth2(operator()).contentType("application/json").body("{}").post(REBUILDS)
                .then().statusCode(409).contentType("application/problem+json");

        // Traffic during the replay: new leads, a newer and an older version of an existing lead, the redelivery of
        // an event of the history, a data source tested before the creation that follows it, a new job.
        UUID third = UUID.randomUUID();
        UUID lateSource = UUID.randomUUID();
        lead(agency, "created", new LeadSnapshot(third, agency, campaign, "converted", "qualified", true, true, false,
                1, t0.plusSeconds(100)));
        lead(agency, "updated", new LeadSnapshot(first, agency, campaign, "responded", "qualified", true, true, false,
                4, t0.plusSeconds(110)));
        lead(agency, "updated", new LeadSnapshot(first, agency, campaign, "new", "pending", false, false, false, 2,
                t0.plusSeconds(20)));
        republish(Topics.LEAD_EVENTS, contacted, agency, first, new LeadSnapshot(first, agency, campaign, "contacted",
                "qualified", true, false, false, 3, t0.plusSeconds(30)));
        scraping(agency, EventType.DATA_SOURCE_TESTED, lateSource,
                new DataSourceChangedEvent(lateSource, agency, "l", "api", "active", null, true, "u", t0.plusSeconds(60)));
        scraping(agency, EventType.DATA_SOURCE_CREATED, lateSource,
                new DataSourceCreatedEvent(lateSource, agency, "l", "api", "inactive", "u", t0.plusSeconds(50)));
        UUID running = UUID.randomUUID();
        job(agency, EventType.SCRAPING_JOB_STARTED, running, source, "running", 10, t0.plusSeconds(70));
        producer.flush();
        awaitApplied("the traffic during the replay");

        // The live set, complete, while the rebuild still builds: what the rebuilt set must equal.
        Map<String, List<String>> live = dumpReadModels();
        JsonPath liveOverview = overview(agency);
        JsonPath quietDuring = overview(quiet);
        RebuildStatus during = status(started.id());
        assertEquals(RebuildStatus.BUILDING, during.state(),
                "the replay must still be running for this test to prove anything: " + during);
        assertEquals(quietBefore.getMap("overview").toString(), quietDuring.getMap("overview").toString(),
                "the old read models keep answering during the rebuild");

        RebuildStatus done = awaitEnd(started.id());
        assertEquals(RebuildStatus.COMPLETED, done.state(), done.toString());
        assertNotNull(done.switchedAt());
        assertNotNull(done.finishedAt());
        assertTrue(done.tables().containsAll(List.of("agency_overview", "agency_daily_leads", "lead_state",
                "campaign_state", "data_source_state", "scraping_job_state")), done.tables().toString());
        for (RebuildStatus.TopicProgress topic : done.topics()) {
            assertEquals(topic.total(), topic.replayed(), "every captured record of " + topic.topic() + " was read");
        }
        assertTrue(done.topics().stream().anyMatch(t -> t.topic().equals(Topics.LEAD_EVENTS) && t.total() > 0));
        assertTrue(done.applied() > 0, done.toString());
        assertEquals(done, latest(), "the latest rebuild is this one");

        Map<String, List<String>> rebuilt = dumpReadModels();
        assertEquals(live.keySet(), rebuilt.keySet());
        for (String table : live.keySet()) {
            assertEquals(live.get(table), rebuilt.get(table), "table " + table + " rebuilt row by row");
        }
        assertEquals(liveOverview.getMap("overview").toString(), overview(agency).getMap("overview").toString());
        assertEquals(quietBefore.getMap("overview").toString(), overview(quiet).getMap("overview").toString());

        // And the figures are the right ones, not merely equal: first (v4, responded, qualified), the legacy lead,
        // third (converted); second is deleted. Sources: both active; the late one counted once.
        JsonPath after = overview(agency);
        assertEquals(3, after.getInt("overview.leads.total"));
        assertEquals(2, after.getInt("overview.leads.qualified"));
        assertEquals(2, after.getInt("overview.leads.contacted"));
        assertEquals(2, after.getInt("overview.leads.responded"));
        assertEquals(1, after.getInt("overview.campaigns.total"));
        assertEquals(0, after.getInt("overview.campaigns.active"));
        assertEquals(2, after.getInt("overview.data_sources.total"));
        assertEquals(2, after.getInt("overview.data_sources.active"));
        assertEquals(2, after.getInt("overview.scraping.total_jobs"));
        assertEquals(1, after.getInt("overview.scraping.successful_jobs"));
        assertEquals(1, after.getInt("overview.scraping.running_jobs"));
        assertEquals(110, after.getInt("overview.scraping.total_records_scraped"));
        assertFalse(schemaExists(ReadModelSet.FRESH), "the fresh schema is gone once switched");

        // The live consumer writes to the new tables: an event after the switch counts.
        lead(agency, "created", new LeadSnapshot(UUID.randomUUID(), agency, null, "new", "pending", false, false,
                false, 1, Instant.now()));
        producer.flush();
        Await.until("an event after the switch is counted", Duration.ofSeconds(30),
                () -> overview(agency).getInt("overview.leads.total") == 4);
    }

    @Test
    void aRebuildWhoseDatabaseSessionDiesFailsLeavesTheLiveSetAndCanStartAgain() throws Exception {
        String agency = UUID.randomUUID().toString();
        for (int i = 0; i < 5; i++) {
            lead(agency, "created", new LeadSnapshot(UUID.randomUUID(), agency, null, "new",
                    i % 2 == 0 ? "qualified" : "pending", false, false, false, 1, Instant.now()));
        }
        producer.flush();
        awaitApplied("the history");
        Map<String, List<String>> before = dumpReadModels();
        JsonPath overviewBefore = overview(agency);

        RebuildStatus started = startSlowly();
        Await.until("the replay is under way", Duration.ofSeconds(30),
                () -> status(started.id()).topics().stream().anyMatch(t -> t.replayed() > 0));
        int killed = superuser(connection -> {
            try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery("""
                    select count(*) filter (where pg_terminate_backend(pid)) from pg_stat_activity
                    where application_name = 'analytics-rebuild'""")) {
                row.next();
                return row.getInt(1);
            }
        });
        assertEquals(1, killed, "the rebuild's session");
        RebuildStatus ended = awaitEnd(started.id());
        assertTrue(List.of(RebuildStatus.FAILED, RebuildStatus.ABANDONED).contains(ended.state()), ended.toString());
        assertNotNull(ended.error());
        assertFalse(schemaExists(ReadModelSet.FRESH), "the fresh set is dropped");
        assertEquals(before, dumpReadModels(), "the live set is untouched");
        assertEquals(overviewBefore.getMap("overview").toString(), overview(agency).getMap("overview").toString());

        // The reaper may mark the rebuild abandoned before its replay thread has wound down; until that thread is
        // done a start is refused with 409 (one rebuild per replica), then accepted.
        AtomicReference<RebuildStatus> again = new AtomicReference<>();
        Await.until("a new rebuild is accepted", Duration.ofSeconds(60), () -> {
            var response = given().auth().oauth2(operator()).contentType("application/json")
                    .body("{\"batch_size\": 500}").post(REBUILDS);
            if (response.statusCode() == 409) {
                return false;
            }
            assertEquals(202, response.statusCode(), response.asString());
            again.set(EventJson.read(response.asString(), RebuildStatus.class));
            return true;
        });
        RebuildStatus done = awaitEnd(again.get().id());
        assertEquals(RebuildStatus.COMPLETED, done.state(), done.toString());
        assertEquals(before, dumpReadModels(), "the second rebuild equals the live set");
    }

    @Test
    void aRebuildLeftBuildingByADeadReplicaIsAbandonedAndACancelStopsOne() throws Exception {
        UUID orphan = UUID.randomUUID();
        // As the service's own role would have left them.
        asService(connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute("create schema " + ReadModelSet.FRESH);
                statement.execute("insert into read_model_rebuild (id, state, requested_by, started_at, heartbeat_at)"
                        + " values ('" + orphan + "', 'building', 'a replica since killed', now(), now())");
            }
            return null;
        });
        RebuildStatus reaped = awaitEnd(orphan);
        assertEquals(RebuildStatus.ABANDONED, reaped.state());
        assertFalse(schemaExists(ReadModelSet.FRESH));

        RebuildStatus started = startSlowly();
        given().auth().oauth2(operator()).delete(REBUILDS + "/" + started.id()).then().statusCode(202);
        RebuildStatus cancelled = awaitEnd(started.id());
        assertEquals(RebuildStatus.CANCELLED, cancelled.state(), cancelled.toString());
        assertFalse(schemaExists(ReadModelSet.FRESH));
        given().auth().oauth2(operator()).post(REBUILDS + "/" + started.id() + "/cancel")
                .then().statusCode(409).contentType("application/problem+json");
    }

    @Test
    void onlyASuperAdminRebuildsAndBadRequestsAreProblems() {
        given().contentType("application/json").body("{}").post(REBUILDS).then().statusCode(401);
        given().auth().oauth2(TestTokens.token(TestTokens.AGENCY_ACME, "agency_admin")).contentType("application/json")
                .body("{}").post(REBUILDS).then().statusCode(403).contentType("application/problem+json");
        given().auth().oauth2(TestTokens.token(TestTokens.AGENCY_ACME, "agency_admin"))
                .get(REBUILDS + "/latest").then().statusCode(403);
        given().auth().oauth2(operator()).contentType("application/json").body("{\"batch_size\": 0}").post(REBUILDS)
                .then().statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(operator()).contentType("application/json").body("{\"batch_size\": 100000}")
                .post(REBUILDS).then().statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(operator()).get(REBUILDS + "/" + UUID.randomUUID())
                .then().statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(operator()).get(REBUILDS + "/not-an-id")
                .then().statusCode(404).contentType("application/problem+json");
    }

    /** A rebuild slow enough (about 40 batches, a pause after each) to act while it replays. */
    private RebuildStatus startSlowly() {
        long records = recordsInTopics();
        return start("{\"batch_size\": " + Math.max(1, records / 40) + ", \"throttle_ms\": 300}");
    }

    private RebuildStatus start(String body) {
        String json = given().auth().oauth2(operator()).contentType("application/json").body(body).post(REBUILDS)
                .then().statusCode(202).header("Location", org.hamcrest.Matchers.containsString(REBUILDS))
                .extract().asString();
        RebuildStatus status = EventJson.read(json, RebuildStatus.class);
        assertEquals(RebuildStatus.BUILDING, status.state());
        return status;
    }

    private RebuildStatus awaitEnd(UUID id) {
        Await.until("rebuild " + id + " ends", Duration.ofSeconds(180),
                () -> !RebuildStatus.BUILDING.equals(status(id).state()), () -> status(id).toString());
        return status(id);
    }

    private RebuildStatus status(UUID id) {
        return EventJson.read(given().auth().oauth2(operator()).get(REBUILDS + "/" + id).then().statusCode(200)
                .extract().asString(), RebuildStatus.class);
    }

    private RebuildStatus latest() {
        return EventJson.read(given().auth().oauth2(operator()).get(REBUILDS + "/latest").then().statusCode(200)
                .extract().asString(), RebuildStatus.class);
    }

    private static String operator() {
        return TestTokens.user("operator").roles("super_admin").sign();
    }

    private static JsonPath overview(String agency) {
        return given().auth().oauth2(TestTokens.token(agency, "agency_admin")).get("/api/v1/analytics/overview")
                .then().statusCode(200).extract().jsonPath();
    }

    private long recordsInTopics() {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()))) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(Topics.LEAD_EVENTS, Topics.CAMPAIGN_EVENTS, Topics.SCRAPING_EVENTS)) {
                consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /**
     * Every read-model table (found by its comment, like the rebuild finds them), all agencies (as the superuser,
     * whom row-level security does not bind), each row as text in a stable order, write-time columns left out.
     */
    private Map<String, List<String>> dumpReadModels() {
        return superuser(connection -> {
            Map<String, List<String>> tables = new TreeMap<>();
            for (String table : ReadModelSet.discover(connection)) {
                List<String> columns = new ArrayList<>();
                List<String> counts = new ArrayList<>();
                try (Statement statement = connection.createStatement();
                        ResultSet rows = statement.executeQuery("select * from public." + table + " limit 0")) {
                    ResultSetMetaData meta = rows.getMetaData();
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        if (!WRITE_TIME_COLUMNS.contains(meta.getColumnName(i))
                                && !CLOCK_COLUMNS.contains(table + "." + meta.getColumnName(i))) {
                            columns.add(meta.getColumnName(i));
                        }
                        int type = meta.getColumnType(i);
                        if (type == java.sql.Types.BIGINT || type == java.sql.Types.INTEGER
                                || type == java.sql.Types.SMALLINT) {
                            counts.add(meta.getColumnName(i) + " <> 0");
                        }
                    }
                }
                String list = String.join(", ", columns);
                String nonZero = ZERO_FILLED_TABLES.contains(table) && !counts.isEmpty()
                        ? " where " + String.join(" or ", counts) : "";
                List<String> dump = new ArrayList<>();
                try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(
                        "select (" + list + ")::text from (select " + list + " from public." + table + nonZero
                                + ") t order by 1")) {
                    while (rows.next()) {
                        dump.add(rows.getString(1));
                    }
                }
                tables.put(table, dump);
            }
            return tables;
        });
    }

    private boolean schemaExists(String schema) {
        return superuser(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "select exists (select 1 from pg_namespace where nspname = ?)")) {
                statement.setString(1, schema);
                try (ResultSet row = statement.executeQuery()) {
                    row.next();
                    return row.getBoolean(1);
                }
            }
        });
    }

    private boolean anyBuilding() {
        return superuser(connection -> {
            try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(
                    "select exists (select 1 from read_model_rebuild where state = 'building')")) {
                row.next();
                return row.getBoolean(1);
            }
        });
    }

    private void awaitApplied(String what) {
        List<String> ids = List.copyOf(published);
        Await.until(what + " applied", Duration.ofSeconds(60), () -> superuser(connection -> {
            try (PreparedStatement count = connection.prepareStatement(
                    "select count(distinct event_id) from public.processed_event where event_id = any (?)")) {
                count.setArray(1, connection.createArrayOf("varchar", ids.toArray()));
                try (ResultSet rows = count.executeQuery()) {
                    rows.next();
                    return rows.getInt(1) == ids.stream().distinct().count();
                }
            }
        }));
    }

    interface Sql<T> {
        T run(Connection connection) throws SQLException;
    }

    private <T> T asService(Sql<T> work) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, PostgresServer.APP_USER,
                PostgresServer.APP_PASSWORD)) {
            return work.run(connection);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private <T> T superuser(Sql<T> work) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, PostgresServer.USER,
                PostgresServer.PASSWORD)) {
            return work.run(connection);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private String lead(String agency, String action, LeadSnapshot lead) throws Exception {
        Map<String, Object> data = "created".equals(action) ? Map.of("lead", lead, "created_at", lead.changedAt())
                : Map.of("lead", lead);
        return send(Topics.LEAD_EVENTS, UUID.randomUUID().toString(), "leadforge.lead." + action + ".v1", agency,
                lead.leadId(), EventJson.write(data));
    }

    private void republish(String topic, String eventId, String agency, UUID key, LeadSnapshot lead)
            throws Exception {
        send(topic, eventId, "leadforge.lead.updated.v1", agency, key, EventJson.write(Map.of("lead", lead)));
    }

    private void legacyLead(String agency) throws Exception {
        UUID id = UUID.randomUUID();
        send(Topics.LEAD_EVENTS, UUID.randomUUID().toString(), "leadforge.lead.created.v1", agency, id,
                EventJson.write(new LeadCreatedEvent(id, agency, null, "new", "pending", "test", "tester",
                        Instant.now())));
    }

    private void campaign(String agency, String action, UUID id, Map<String, Object> data) throws Exception {
        send(Topics.CAMPAIGN_EVENTS, UUID.randomUUID().toString(), "leadforge.campaign." + action + ".v1", agency, id,
                EventJson.write(data));
    }

    private void scraping(String agency, EventType type, UUID key, Object data) throws Exception {
        send(Topics.SCRAPING_EVENTS, UUID.randomUUID().toString(), type.type(), agency, key, EventJson.write(data));
    }

    private void job(String agency, EventType type, UUID job, UUID source, String status, long records, Instant at)
            throws Exception {
        scraping(agency, type, job, new ScrapingJobEvent(job, agency, source, "csv", null, status, 0, records, records,
                0, 0, 0, null, "u", at));
    }

    private String send(String topic, String eventId, String type, String agency, UUID key, String value)
            throws Exception {
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, key.toString(), value);
        record.headers().add(CloudEventHeaders.SPEC_VERSION, "1.0".getBytes(UTF_8));
        record.headers().add(CloudEventHeaders.ID, eventId.getBytes(UTF_8));
        record.headers().add(CloudEventHeaders.TYPE, type.getBytes(UTF_8));
        record.headers().add(CloudEventHeaders.SOURCE, "/test".getBytes(UTF_8));
        record.headers().add(CloudEventHeaders.AGENCY_ID, agency.getBytes(UTF_8));
        producer.send(record).get();
        published.add(eventId);
        return eventId;
    }
}
