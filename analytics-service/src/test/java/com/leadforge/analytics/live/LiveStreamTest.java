package com.leadforge.analytics.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadforge.analytics.stream.LiveRetention;
import com.leadforge.analytics.stream.StreamHub;
import com.leadforge.shared.events.CampaignClientGrantedEvent;
import com.leadforge.shared.events.CampaignStatusChangedEvent;
import com.leadforge.shared.events.EventType;
import com.leadforge.shared.events.LeadSnapshot;
import com.leadforge.shared.events.LeadStatusChangedEvent;
import com.leadforge.shared.events.ScrapingJobEvent;
import com.leadforge.shared.events.ScrapingJobLoggedEvent;
import com.leadforge.testsupport.Await;
import com.leadforge.testsupport.SseClient;
import com.leadforge.testsupport.TestTokens;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * The live stream shows each caller what its agency and role may read, resumes from Last-Event-ID without gaps or
 * duplicates even when writers commit out of order, keeps quiet streams alive and ends when the token expires.
 */
@QuarkusTest
class LiveStreamTest {

    static final Duration WAIT = Duration.ofSeconds(20);
    static final ObjectMapper JSON = new ObjectMapper();

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    StreamHub hub;

    @Inject
    LiveRetention retention;

    @TestHTTPResource("/api/v1/stream")
    URI streamUri;

    LiveTestEvents events;
    final List<SseClient> open = new ArrayList<>();

    @BeforeEach
    void connect() {
        events = new LiveTestEvents(bootstrapServers, dataSource);
    }

    @AfterEach
    void disconnect() {
        open.forEach(SseClient::close);
        events.close();
    }

    SseClient stream(String token, String query, String... headers) {
        List<String> all = new ArrayList<>(List.of("Authorization", "Bearer " + token));
        all.addAll(List.of(headers));
        SseClient client = SseClient.open(URI.create(streamUri + query), all.toArray(String[]::new));
        open.add(client);
        return client;
    }

    static String token(String username, String agency, String role) {
        return TestTokens.user(username).agency(agency).roles(role).sign();
    }

    static String sub(String username) {
        return UUID.nameUUIDFromBytes(username.getBytes(StandardCharsets.UTF_8)).toString();
    }

    static LeadStatusChangedEvent statusChange(String agency, UUID lead, UUID campaign, String status) {
        return new LeadStatusChangedEvent(lead, agency, campaign, campaign, "new", status, "pending", "pending", null,
                "u", Instant.now(), new LeadSnapshot(lead, agency, campaign, status, "pending", true, false, false, 2,
                        Instant.now()));
    }

    @Test
    void eachStreamCarriesWhatItsAgencyAndRoleMayRead() {
        String agency = UUID.randomUUID().toString();
        UUID granted = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        String clientName = "client-" + agency;
        events.awaitProjected(List.of(events.publish(agency, EventType.CAMPAIGN_CLIENT_GRANTED, granted,
                new CampaignClientGrantedEvent(granted, agency, sub(clientName), 1L, "admin", Instant.now()))));

        SseClient admin = stream(token("admin-" + agency, agency, "agency_admin"), "");
        SseClient researcher = stream(token("researcher-" + agency, agency, "researcher"), "");
        SseClient client = stream(token(clientName, agency, "client"), "");
        SseClient foreign = stream(token("admin-" + agency, UUID.randomUUID().toString(), "agency_admin"), "");
        for (SseClient each : List.of(admin, researcher, client, foreign)) {
            assertEquals(200, each.status());
            assertTrue(each.header("Content-Type").startsWith("text/event-stream"), each.header("Content-Type"));
        }
        Await.until("four streams registered", WAIT, () -> hub.openStreams() >= 4);

        UUID job = UUID.randomUUID();
        UUID leadInGranted = UUID.randomUUID();
        UUID leadInOther = UUID.randomUUID();
        List<String> ids = new ArrayList<>();
        ids.add(events.publish(agency, EventType.SCRAPING_JOB_PROGRESSED, job, new ScrapingJobEvent(job, agency,
                UUID.randomUUID(), "csv", null, "running", 40, 400, 380, 10, 10, 0, null, "system", Instant.now(),
                sub("admin-" + agency))));
        ids.add(events.publish(agency, EventType.LEAD_STATUS_CHANGED, leadInGranted,
                statusChange(agency, leadInGranted, granted, "contacted")));
        ids.add(events.publish(agency, EventType.LEAD_STATUS_CHANGED, leadInOther,
                statusChange(agency, leadInOther, other, "contacted")));
        ids.add(events.publish(agency, EventType.CAMPAIGN_STATUS_CHANGED, granted,
                new CampaignStatusChangedEvent(granted, agency, "draft", "active", "update", "admin", Instant.now())));
        events.awaitApplied(ids);

        Set<String> adminSees = kinds(admin.drain(Duration.ofSeconds(2)));
        Set<String> researcherSees = kinds(researcher.drain(Duration.ofMillis(500)));
        List<SseClient.Event> clientEvents = client.drain(Duration.ofMillis(500));
        Set<String> clientSees = kinds(clientEvents);
        assertEquals(Set.of("job:" + job, "lead:" + leadInGranted, "lead:" + leadInOther, "campaign:" + granted,
                "campaign_metrics:" + granted, "campaign_metrics:" + other, "notification"), adminSees);
        assertEquals(Set.of("job:" + job, "lead:" + leadInGranted, "lead:" + leadInOther, "campaign:" + granted,
                "campaign_metrics:" + granted, "campaign_metrics:" + other), researcherSees,
                "no notification: it went to the admins and the granted client");
        assertEquals(Set.of("lead:" + leadInGranted, "campaign:" + granted, "campaign_metrics:" + granted,
                "notification"), clientSees, "a client: its granted campaign and its own notification only");
        assertTrue(foreign.drain(Duration.ofMillis(300)).isEmpty(), "another agency sees nothing");
        clientEvents.forEach(event -> assertNotNull(event.id(), "every event carries its position"));
    }

    @Test
    void jobLogLinesReachOnlyTheStreamsWatchingThatJob() {
        String agency = UUID.randomUUID().toString();
        UUID watched = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        SseClient watching = stream(token("watcher-" + agency, agency, "researcher"), "?watch_job=" + watched);
        SseClient notWatching = stream(token("admin-" + agency, agency, "agency_admin"), "");
        Await.until("two streams registered", WAIT, () -> hub.openStreams() >= 2);
        List<String> ids = List.of(
                events.publish(agency, EventType.SCRAPING_JOB_LOGGED, watched, new ScrapingJobLoggedEvent(watched,
                        agency, 1, "info", "Worker started", Instant.now())),
                events.publish(agency, EventType.SCRAPING_JOB_LOGGED, other, new ScrapingJobLoggedEvent(other,
                        agency, 2, "info", "Another job's line", Instant.now())));
        events.awaitApplied(ids);
        SseClient.Event line = watching.await("the watched job's line", WAIT, e -> "job_log".equals(e.name()));
        assertEquals(watched.toString(), json(line).path("job_id").asText());
        assertEquals("Worker started", json(line).path("message").asText());
        assertTrue(watching.drain(Duration.ofMillis(500)).stream().noneMatch(e -> "job_log".equals(e.name())),
                "not another job's lines");
        assertTrue(notWatching.drain(Duration.ofMillis(300)).stream().noneMatch(e -> "job_log".equals(e.name())),
                "log lines only for a stream watching the job");
    }

    @Test
    void resumingWithLastEventIdMissesNothingAndRepeatsNothingUnderConcurrentWriters() throws Exception {
        String agency = UUID.randomUUID().toString();
        String admin = token("admin-" + agency, agency, "agency_admin");
        SseClient first = stream(admin, "");
        Await.until("stream registered", WAIT, () -> hub.openStreams() >= 1);

        // An older transaction still open holds back what a younger one committed: delivering the younger row first
        // would let a reader that resumes after it skip the older one for ever.
        try (Connection older = writer(agency); Connection younger = writer(agency)) {
            insert(older, agency, "older");
            insert(younger, agency, "younger");
            younger.commit();
            assertTrue(first.drain(Duration.ofMillis(600)).isEmpty(), "nothing before the older writer finishes");
            older.commit();
        }
        SseClient.Event olderEvent = first.await("older row", WAIT, e -> e.data().contains("\"older\""));
        SseClient.Event youngerEvent = first.await("younger row", WAIT, e -> e.data().contains("\"younger\""));
        assertTrue(olderEvent.receivedNanos() <= youngerEvent.receivedNanos());

        // Many writers committing in any order while the stream is read; then a second reader resumes mid-way.
        int writers = 4;
        int perWriter = 40;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            done.add(pool.submit(() -> {
                try (Connection connection = writer(agency)) {
                    for (int i = 0; i < perWriter; i++) {
                        insert(connection, agency, "w" + writer + "-" + i);
                        if (i % 3 == 0) {
                            insert(connection, agency, "w" + writer + "-" + i + "b");
                        }
                        connection.commit();
                    }
                }
                return null;
            }));
        }
        for (Future<?> future : done) {
            future.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        int expected = writers * (perWriter + (perWriter + 2) / 3);
        List<SseClient.Event> received = new ArrayList<>();
        Await.until(expected + " concurrent rows delivered", WAIT, () -> {
            received.addAll(first.drain(Duration.ofMillis(100)));
            return received.size() >= expected;
        });
        List<String> labels = received.stream().map(LiveStreamTest::label).toList();
        assertEquals(expected, labels.size(), "each once: " + labels);
        assertEquals(expected, Set.copyOf(labels).size(), "no duplicates");
        List<String> positions = received.stream().map(SseClient.Event::id).toList();
        assertTrue(isAscending(positions), "delivered in log order");

        // Resume from the middle, after more rows were written while nobody listened.
        String resumeFrom = received.get(expected / 2).id();
        first.close();
        try (Connection late = writer(agency)) {
            insert(late, agency, "while-away");
            late.commit();
        }
        SseClient resumed = stream(admin, "", "Last-Event-ID", resumeFrom);
        List<String> expectedAfter = new ArrayList<>(labels.subList(expected / 2 + 1, expected));
        expectedAfter.add("while-away");
        List<String> replayed = new ArrayList<>();
        Await.until("the rest replayed", WAIT, () -> {
            resumed.drain(Duration.ofMillis(100)).forEach(e -> replayed.add(label(e)));
            return replayed.size() >= expectedAfter.size();
        });
        assertEquals(expectedAfter, replayed, "exactly what came after the resumed position, in order");
    }

    @Test
    void quietStreamsGetHeartbeatsAndAnExpiringTokenEndsTheStream() {
        String agency = UUID.randomUUID().toString();
        SseClient quiet = stream(token("admin-" + agency, agency, "agency_admin"), "");
        SseClient.Event beat = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (beat == null && System.nanoTime() < deadline) {
            SseClient.Event next = quiet.next(Duration.ofSeconds(1));
            if (next != null && next.isComment() && "heartbeat".equals(next.comment())) {
                beat = next;
            }
        }
        assertNotNull(beat, "a heartbeat comment within the test interval (1 s)");

        String shortLived = TestTokens.user("brief-" + agency).agency(agency).roles("researcher").lifetimeSeconds(3)
                .sign();
        SseClient expiring = stream(shortLived, "");
        assertEquals(200, expiring.status());
        SseClient.Event end = expiring.await("end of stream", Duration.ofSeconds(10), e -> "end".equals(e.name()));
        assertTrue(end.data().contains("token_expired"), end.data());
        Await.until("the server closed the stream", Duration.ofSeconds(5), expiring::ended);
    }

    @Test
    void refusalsAreProblemsAndStreamsAreBounded() {
        String agency = UUID.randomUUID().toString();
        String researcher = token("bounded-" + agency, agency, "researcher");
        SseClient badId = stream(researcher, "", "Last-Event-ID", "not-an-id");
        assertEquals(400, badId.status());
        assertTrue(badId.header("Content-Type").startsWith("application/problem+json"));
        assertTrue(badId.body().contains("/problems/validation"));
        SseClient clientWatch = stream(token("c-" + agency, agency, "client"), "?watch_job=" + UUID.randomUUID());
        assertEquals(403, clientWatch.status());
        assertEquals(400, stream(researcher, "?watch_job=nope").status());
        SseClient anonymous = SseClient.open(streamUri);
        assertEquals(401, anonymous.status());

        // The test profile allows 3 streams per user.
        List<SseClient> mine = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            mine.add(stream(researcher, ""));
            assertEquals(200, mine.get(i).status());
        }
        SseClient fourth = stream(researcher, "");
        assertEquals(429, fourth.status());
        assertTrue(fourth.body().contains("/problems/rate-limited"));
        mine.get(0).close();
        Await.until("a closed stream frees its slot", Duration.ofSeconds(10), () -> {
            SseClient again = stream(researcher, "");
            return again.status() == 200;
        });
    }

    @Test
    void retentionPurgesOldRowsAndAResumeFromBeforeThemIsToldSo() throws Exception {
        String agency = UUID.randomUUID().toString();
        String old;
        try (Connection connection = writer(agency)) {
            try (PreparedStatement insert = connection.prepareStatement("""
                    insert into stream_event (agency_id, kind, staff_only, payload, created_at)
                    values (?, 'lead', false, '{"label":"old"}', now() - interval '2 days')""")) {
                // Two old rows: a client that saw the first resumes after it, and the second has been purged.
                insert.setString(1, agency);
                insert.executeUpdate();
                insert.executeUpdate();
            }
            try (PreparedStatement known = connection.prepareStatement(
                    "insert into stream_agency (agency_id) values (?) on conflict do nothing")) {
                // What StreamLog does with every write: the purge visits the agencies listed here.
                known.setString(1, agency);
                known.executeUpdate();
            }
            try (PreparedStatement insert = connection.prepareStatement("""
                    insert into notification (id, agency_id, audience_role, type, title, message, created_at,
                        source_event_id, recipient_key)
                    values (?, ?, 'agency_admin', 'info', 'old', 'old', now() - interval '100 days', ?, 'role')""")) {
                insert.setObject(1, UUID.randomUUID());
                insert.setString(2, agency);
                insert.setString(3, UUID.randomUUID().toString());
                insert.executeUpdate();
            }
            connection.commit();
        }
        try (Connection connection = writer(agency);
                PreparedStatement position = connection.prepareStatement(
                        "select xid::text || '-' || id from stream_event where agency_id = ? order by xid, id limit 1")) {
            position.setString(1, agency);
            try (java.sql.ResultSet rs = position.executeQuery()) {
                rs.next();
                old = rs.getString(1);
            }
            insert(connection, agency, "fresh");
            connection.commit();
        }
        assertTrue(retention.purge(Instant.now()) >= 2);
        try (Connection connection = writer(agency);
                PreparedStatement count = connection.prepareStatement(
                        "select (select count(*) from stream_event), (select count(*) from notification)");
                java.sql.ResultSet rs = count.executeQuery()) {
            rs.next();
            assertEquals(1, rs.getLong(1), "the fresh row stays, the old ones are gone");
            assertEquals(0, rs.getLong(2), "notifications past their retention are gone");
        }
        SseClient resumed = stream(token("admin-" + agency, agency, "agency_admin"), "", "Last-Event-ID", old);
        SseClient.Event reset = resumed.await("reset", WAIT, e -> true);
        assertEquals("reset", reset.name(), "first the notice that events were missed");
        assertEquals("fresh", label(resumed.await("the retained row", WAIT, e -> "lead".equals(e.name()))));
    }

    private static Set<String> kinds(List<SseClient.Event> received) {
        return received.stream().map(e -> {
            if ("notification".equals(e.name())) {
                return "notification";
            }
            String field = switch (e.name()) {
                case "job" -> "job_id";
                case "lead" -> "lead_id";
                default -> "campaign_id";
            };
            return e.name() + ":" + json(e).path(field).asText("?");
        }).collect(Collectors.toSet());
    }

    private static String label(SseClient.Event event) {
        return json(event).path("label").asText(event.data());
    }

    private static JsonNode json(SseClient.Event event) {
        try {
            return JSON.readTree(event.data());
        } catch (java.io.IOException e) {
            throw new AssertionError("event data is not JSON: " + event, e);
        }
    }

    private static boolean isAscending(List<String> positions) {
        List<long[]> parsed = positions.stream().map(p -> {
            String[] parts = p.split("-");
            return new long[] { Long.parseLong(parts[0]), Long.parseLong(parts[1]) };
        }).toList();
        for (int i = 1; i < parsed.size(); i++) {
            long[] a = parsed.get(i - 1);
            long[] b = parsed.get(i);
            if (a[0] > b[0] || (a[0] == b[0] && a[1] >= b[1])) {
                return false;
            }
        }
        return true;
    }

    /** A connection in a transaction of its own, acting for {@code agency} (row-level security). */
    private Connection writer(String agency) throws SQLException {
        Connection connection = dataSource.getConnection();
        connection.setAutoCommit(false);
        try (PreparedStatement set = connection.prepareStatement("select set_config('leadforge.agency_id', ?, false)")) {
            set.setString(1, agency);
            set.execute();
        }
        return connection;
    }

    private static void insert(Connection connection, String agency, String label) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                insert into stream_event (agency_id, kind, staff_only, payload)
                values (?, 'lead', false, cast(? as jsonb))""")) {
            insert.setString(1, agency);
            insert.setString(2, "{\"label\":\"" + label + "\"}");
            insert.executeUpdate();
        }
    }

}
