package com.leadforge.analytics.overview;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import com.leadforge.shared.events.CloudEventHeaders;
import com.leadforge.shared.events.DataSourceChangedEvent;
import com.leadforge.shared.events.DataSourceCreatedEvent;
import com.leadforge.shared.events.EventJson;
import com.leadforge.shared.events.EventType;
import com.leadforge.shared.events.LeadSnapshot;
import com.leadforge.shared.events.ScrapingJobEvent;
import com.leadforge.shared.events.Topics;
import com.leadforge.shared.inbox.ReliableConsumer;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * The projections give the same read model whatever order the same events arrive in, which the rebuild relies on
 * (its replay and the live consumer bring a history to the fresh set in an order of their own). One history, with
 * same-instant states, late creations, late progress and duplicates, is applied in many orders, each to an agency of
 * its own; every order must end in the same counters and the same per-entity rows.
 */
@QuarkusTest
class ProjectionOrderIndependenceTest {

    @Inject
    ReliableConsumer reliableConsumer;
    @Inject
    OverviewProjector projector;
    @Inject
    AgroalDataSource dataSource;

    /** One event of the history, for the agency and the aggregate ids of one run. */
    private interface Step {
        ConsumerRecord<String, String> record(String agency, Function<String, UUID> ids);
    }

    @Test
    void everyOrderOfTheSameEventsEndsInTheSameReadModel() throws Exception {
        Instant t0 = Instant.parse("2026-01-10T10:00:00.123456Z");
        List<Step> history = new ArrayList<>();
        // A data source tested, updated and deleted at distinct times, one tested at the very instant of its creation.
        history.add(source(EventType.DATA_SOURCE_CREATED, "s1", "inactive", t0));
        history.add(source(EventType.DATA_SOURCE_TESTED, "s1", "active", t0.plusSeconds(5)));
        history.add(source(EventType.DATA_SOURCE_UPDATED, "s1", "inactive", t0.plusSeconds(2)));
        history.add(source(EventType.DATA_SOURCE_CREATED, "s2", "inactive", t0));
        history.add(source(EventType.DATA_SOURCE_TESTED, "s2", "active", t0));
        history.add(source(EventType.DATA_SOURCE_CREATED, "s3", "inactive", t0));
        history.add(source(EventType.DATA_SOURCE_DELETED, "s3", "inactive", t0.plusSeconds(9)));
        // Jobs: progress after completion, two states of one instant, a count that arrives late.
        history.add(job(EventType.SCRAPING_JOB_CREATED, "j1", "pending", 0, t0.plusSeconds(10)));
        history.add(job(EventType.SCRAPING_JOB_PROGRESSED, "j1", "running", 700, t0.plusSeconds(12)));
        history.add(job(EventType.SCRAPING_JOB_COMPLETED, "j1", "completed", 1000, t0.plusSeconds(13)));
        history.add(job(EventType.SCRAPING_JOB_STARTED, "j2", "running", 0, t0.plusSeconds(20)));
        history.add(job(EventType.SCRAPING_JOB_FAILED, "j2", "failed", 30, t0.plusSeconds(20)));
        history.add(job(EventType.SCRAPING_JOB_PROGRESSED, "j2", "running", 50, t0.plusSeconds(19)));
        // Campaigns: a status change at the instant of creation, a deletion.
        history.add(campaign("created", "c1", "draft", false, t0));
        history.add(campaign("status_changed", "c1", "active", false, t0));
        history.add(campaign("created", "c2", "active", false, t0));
        history.add(campaign("deleted", "c2", "active", true, t0.plusSeconds(3)));
        // Leads: versions in any order, one deleted.
        history.add(lead("created", "l1", 1, "new", "pending", false, false));
        history.add(lead("updated", "l1", 2, "contacted", "qualified", true, false));
        history.add(lead("updated", "l1", 3, "responded", "qualified", true, true));
        history.add(lead("created", "l2", 1, "converted", "qualified", true, false));
        history.add(lead("deleted", "l2", 2, "converted", "qualified", true, false, true));

        ExecutorService worker = Executors.newSingleThreadExecutor();
        List<String> agencies = new ArrayList<>();
        try {
            applyInManyOrders(history, worker, agencies);
        } finally {
            worker.shutdownNow();
            agencies.forEach(this::forget);
        }
    }

    /**
     * These events never were on a topic, so no rebuild could bring their rows back: remove them, or a later rebuild
     * test in this JVM would find the live set holding what no history explains.
     */
    private void forget(String agency) {
        try (Connection connection = dataSource.getConnection()) {
            try (PreparedStatement enter = connection.prepareStatement(
                    "select set_config('leadforge.agency_id', ?, false)")) {
                enter.setString(1, agency);
                enter.execute();
            }
            // Every read model (found by its comment, as the rebuild finds them), not only those this test compares.
            List<String> readModels = new ArrayList<>();
            try (PreparedStatement find = connection.prepareStatement("""
                    select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
                    where n.nspname = 'public' and c.relkind = 'r'
                      and obj_description(c.oid, 'pg_class') = 'leadforge:read-model'""");
                    ResultSet rows = find.executeQuery()) {
                while (rows.next()) {
                    readModels.add(rows.getString(1));
                }
            }
            for (String table : readModels) {
                try (PreparedStatement delete = connection.prepareStatement(
                        "delete from " + table + " where agency_id = ?")) {
                    delete.setString(1, agency);
                    delete.executeUpdate();
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void applyInManyOrders(List<Step> history, ExecutorService worker, List<String> agencies)
            throws Exception {
        Random random = new Random(20261202L);
        String reference = null;
        for (int run = 0; run < 12; run++) {
            List<Step> order = new ArrayList<>(history);
            if (run == 1) {
                Collections.reverse(order);
            } else if (run > 1) {
                Collections.shuffle(order, random);
            }
            String agency = UUID.randomUUID().toString();
            agencies.add(agency);
            Map<String, UUID> ids = new HashMap<>();
            List<ConsumerRecord<String, String>> records = order.stream()
                    .map(step -> step.record(agency, name -> ids.computeIfAbsent(name, n -> UUID.randomUUID())))
                    .toList();
            // The consumer's own thread kind: outside the test's request context, each event its own transaction.
            CompletableFuture.runAsync(() -> records.forEach(r -> reliableConsumer.consume(projector, r)), worker)
                    .get(60, TimeUnit.SECONDS);
            String outcome = readModel(agency, ids);
            if (reference == null) {
                reference = outcome;
            } else {
                assertEquals(reference, outcome, "order " + run + " ended elsewhere than the first");
            }
        }
    }

    /** The agency's counters and per-entity rows, with its generated ids named back to the history's names. */
    private String readModel(String agency, Map<String, UUID> ids) {
        StringBuilder text = new StringBuilder();
        try (Connection connection = dataSource.getConnection()) {
            try (PreparedStatement enter = connection.prepareStatement(
                    "select set_config('leadforge.agency_id', ?, false)")) {
                enter.setString(1, agency);
                enter.execute();
            }
            for (String query : List.of(
                    "select leads_total, leads_qualified, leads_contacted, leads_responded, leads_converted,"
                            + " campaigns_total, campaigns_active, data_sources_total, data_sources_active, jobs_total,"
                            + " jobs_successful, jobs_running, jobs_pending, records_scraped from agency_overview",
                    "select lead_id::text, status, qualification_status, contacted, responded, deleted, version"
                            + " from lead_state order by 1",
                    "select campaign_id::text, status, deleted, changed_at from campaign_state order by 1",
                    "select data_source_id::text, status, deleted, changed_at from data_source_state order by 1",
                    "select job_id::text, status, records_processed, changed_at from scraping_job_state order by 1")) {
                try (PreparedStatement statement = connection.prepareStatement(query);
                        ResultSet rows = statement.executeQuery()) {
                    int columns = rows.getMetaData().getColumnCount();
                    List<String> lines = new ArrayList<>();
                    while (rows.next()) {
                        StringBuilder line = new StringBuilder();
                        for (int i = 1; i <= columns; i++) {
                            line.append(rows.getString(i)).append('|');
                        }
                        lines.add(line.toString());
                    }
                    String block = String.join("\n", lines);
                    for (Map.Entry<String, UUID> id : ids.entrySet()) {
                        block = block.replace(id.getValue().toString(), id.getKey());
                    }
                    List<String> sorted = new ArrayList<>(List.of(block.split("\n")));
                    Collections.sort(sorted);
                    text.append(String.join("\n", sorted)).append("\n--\n");
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return text.toString();
    }

    private static Step source(EventType type, String name, String status, Instant at) {
        return (agency, ids) -> record(Topics.SCRAPING_EVENTS, type.type(), agency, ids.apply(name),
                type == EventType.DATA_SOURCE_CREATED
                        ? new DataSourceCreatedEvent(ids.apply(name), agency, name, "csv", status, "u", at)
                        : new DataSourceChangedEvent(ids.apply(name), agency, name, "csv", status, null, null, "u", at));
    }

    private static Step job(EventType type, String name, String status, long records, Instant at) {
        return (agency, ids) -> record(Topics.SCRAPING_EVENTS, type.type(), agency, ids.apply(name),
                new ScrapingJobEvent(ids.apply(name), agency, ids.apply("s1"), "csv", null, status, 0, records,
                        records, 0, 0, 0, null, "u", at));
    }

    private static Step campaign(String action, String name, String status, boolean deleted, Instant at) {
        return (agency, ids) -> {
            Map<String, Object> data = new HashMap<>(Map.of("campaign_id", ids.apply(name), "agency_id", agency,
                    "name", name, "status", status));
            switch (action) {
                case "created" -> data.put("created_at", at);
                case "status_changed" -> {
                    data.remove("status");
                    data.put("old_status", "draft");
                    data.put("new_status", status);
                    data.put("occurred_at", at);
                }
                default -> data.put("occurred_at", at);
            }
            return record(Topics.CAMPAIGN_EVENTS, "leadforge.campaign." + action + ".v1", agency, ids.apply(name),
                    data);
        };
    }

    private static Step lead(String action, String name, long version, String status, String qualification,
            boolean contacted, boolean responded) {
        return lead(action, name, version, status, qualification, contacted, responded, false);
    }

    private static Step lead(String action, String name, long version, String status, String qualification,
            boolean contacted, boolean responded, boolean deleted) {
        return (agency, ids) -> record(Topics.LEAD_EVENTS, "leadforge.lead." + action + ".v1", agency,
                ids.apply(name), Map.of("lead", new LeadSnapshot(ids.apply(name), agency, null, status, qualification,
                        contacted, responded, deleted, version, Instant.parse("2026-01-10T10:00:00Z")),
                        "created_at", Instant.parse("2026-01-10T10:00:00Z")));
    }

    private static ConsumerRecord<String, String> record(String topic, String type, String agency, UUID key,
            Object data) {
        ConsumerRecord<String, String> record = new ConsumerRecord<>(topic, 0, 0, key.toString(),
                EventJson.write(data));
        record.headers().add(CloudEventHeaders.ID, UUID.randomUUID().toString().getBytes(UTF_8));
        record.headers().add(CloudEventHeaders.TYPE, type.getBytes(UTF_8));
        record.headers().add(CloudEventHeaders.SOURCE, "/test".getBytes(UTF_8));
        record.headers().add(CloudEventHeaders.AGENCY_ID, agency.getBytes(UTF_8));
        return record;
    }
}
