package com.leadforge.bench;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadforge.lead.lead.LeadFilter;
import com.leadforge.lead.lead.LeadQuery;
import com.leadforge.stack.Stack;
import com.leadforge.stack.StackFaults;
import com.leadforge.testsupport.PostgresServer;

/**
 * The API's throughput and latency through the front door: the real stack (PostgreSQL, Kafka, Keycloak, the five
 * services with a production JIT), real Keycloak tokens, a seeded agency of LEADS leads (plus 10% in another agency),
 * wrk at each connection count through the gateway and straight at the owning service, and pgbench with the exact SQL
 * lead-service runs for each list request. Prints a markdown table (and writes it to a file).
 * <p>
 * Not a test: exits 0 whatever the figures; fails only when the set-up is wrong (a request that does not answer 2xx
 * before it is loaded, SQL that does not return what the API returns, a tool missing). Arguments: leads, seconds per
 * run, connection counts (comma-separated), warm-up seconds per request, work directory, results file.
 */
public final class HttpBench {

    static final String AGENCY = "11111111-1111-1111-1111-111111111111";
    static final String OTHER_AGENCY = "22222222-2222-2222-2222-222222222222";
    static final String USER = "researcher-acme";
    static final String PASSWORD = "leadforge";
    static final int ID_SAMPLE = 1_000;
    /** Fewest completed requests (or transactions) of both runs for a ratio between them. */
    static final int MIN_COMPARABLE = 20;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** One request of the list: how wrk forms it, where it goes, and the SQL lead-service runs for it. */
    record Bench(String key, String label, Wrk.Shape shape, String directModule, List<LeadQuery.Sql> sql) {
    }

    /** One row of the table: a wrk run (via = gateway or a service) or a pgbench run. */
    record Row(int number, Bench bench, String via, int connections, Wrk.Result wrk, PgBench.Result pgbench,
            ProcStats.Sample before, ProcStats.Sample after) {

        double perSecond() {
            return wrk != null ? wrk.perSecond() : pgbench.tps();
        }
    }

    private final Stack stack;
    private final Path work;
    private final int leads;
    private final int seconds;
    private final List<Integer> connections;
    private final int warmupSeconds;
    private final ProcStats procs;
    private final List<Row> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final String runTag = UUID.randomUUID().toString().substring(0, 8);
    private int emailRun;
    /** A lead id for cheap probes of lead-service's route. */
    private String probeId;

    private HttpBench(Stack stack, Path work, int leads, int seconds, List<Integer> connections, int warmupSeconds) {
        this.stack = stack;
        this.work = work;
        this.leads = leads;
        this.seconds = seconds;
        this.connections = connections;
        this.warmupSeconds = warmupSeconds;
        Path postmasterPid = work.resolve("postgres/postmaster.pid");
        this.procs = new ProcStats(List.of(
                new ProcStats.Watched("gateway", () -> servicePid("gateway"), false),
                new ProcStats.Watched("lead-service", () -> servicePid("lead-service"), false),
                new ProcStats.Watched("analytics-service", () -> servicePid("analytics-service"), false),
                new ProcStats.Watched("postgres", () -> postmasterPid(postmasterPid), true),
                new ProcStats.Watched("kafka", stack::kafkaPid, false)));
    }

    public static void main(String[] args) throws Exception {
        int leads = Integer.parseInt(args[0]);
        int seconds = Integer.parseInt(args[1]);
        List<Integer> connections = Stream.of(args[2].split("[, ]+")).filter(s -> !s.isBlank())
                .map(Integer::parseInt).toList();
        int warmup = Integer.parseInt(args[3]);
        Path work = Path.of(args[4]).toAbsolutePath();
        Path results = Path.of(args[5]).toAbsolutePath();
        Wrk.requireInstalled();
        PgBench.requireInstalled();
        Path root = Path.of(".").toAbsolutePath().normalize();
        Path keycloak = Path.of(System.getProperty("leadforge.keycloak.dist"));
        deleteRecursively(work);
        Files.createDirectories(work);
        long starting = System.nanoTime();
        System.out.println("Starting the stack on free ports (logs: " + work.resolve("logs") + ") ...");
        try (Stack stack = Stack.start(new Stack.Layout(root, keycloak, work, false, Stack.StackPorts.free()))) {
            System.out.printf(Locale.ROOT, "Stack up in %.1f s.%n", (System.nanoTime() - starting) / 1e9);
            HttpBench bench = new HttpBench(stack, work, leads, seconds, connections, warmup);
            bench.seed();
            List<Bench> benches = bench.benches();
            bench.precheck(benches);
            bench.warmUp(benches);
            bench.measure(benches);
            String table = bench.table();
            System.out.println();
            System.out.println(table);
            Files.createDirectories(results.getParent());
            Files.writeString(results, table);
            System.out.println("Written to " + results);
        }
    }

    // ---- Seeding

    private void seed() throws SQLException {
        int other = Math.max(1, leads / 10);
        System.out.printf(Locale.ROOT, "Seeding %,d leads into agency %s and %,d into %s (lead-service's database, "
                + "as the superuser) ...%n", leads, AGENCY, other, OTHER_AGENCY);
        long start = System.nanoTime();
        try (Connection c = new StackFaults(stack).superuser(Stack.databaseOf("lead-service"))) {
            c.setAutoCommit(true);
            List<String> indexes = LeadSeed.dropIndexes(c);
            LeadSeed.seed(c, AGENCY, leads, "bench-seed");
            LeadSeed.seed(c, OTHER_AGENCY, other, "bench-seed");
            double inserted = (System.nanoTime() - start) / 1e9;
            long t = System.nanoTime();
            LeadSeed.restoreIndexes(c, indexes);
            double indexed = (System.nanoTime() - t) / 1e9;
            t = System.nanoTime();
            try (Statement s = c.createStatement()) {
                s.execute("vacuum analyze lead");
            }
            double analysed = (System.nanoTime() - t) / 1e9;
            String summary;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                    select count(*), count(*) filter (where title like '%Engineer%'),
                        count(*) filter (where last_name = '""" + LeadSeed.RARE_TOKEN + """
                    '), count(*) filter (where status = 'qualified'), count(distinct company),
                        pg_size_pretty(pg_total_relation_size('lead'))
                    from lead where agency_id = '""" + AGENCY + "'")) {
                rs.next();
                summary = String.format(Locale.ROOT, "agency %s: %,d leads, %,d with \"Engineer\" in the title "
                        + "(%.0f%%), %,d named %s, %,d qualified, %,d companies; lead table with indexes %s",
                        AGENCY.substring(0, 8),
                        rs.getLong(1), rs.getLong(2), 100.0 * rs.getLong(2) / rs.getLong(1), rs.getLong(3),
                        LeadSeed.RARE_TOKEN, rs.getLong(4), rs.getLong(5), rs.getString(6));
            }
            String timing = String.format(Locale.ROOT, "seeded in %.0f s (insert %.0f s, %d indexes rebuilt %.0f s, "
                    + "vacuum analyze %.0f s)", (System.nanoTime() - start) / 1e9, inserted, indexes.size(), indexed,
                    analysed);
            System.out.println(summary + "; " + timing);
            notes.add(summary);
            notes.add(timing);
        }
        try (Connection c = new StackFaults(stack).superuser(Stack.databaseOf("analytics-service"))) {
            c.setAutoCommit(true);
            String analytics = AnalyticsSeed.seed(c, AGENCY, leads);
            System.out.println(analytics);
            notes.add(analytics);
        }
    }

    // ---- The requests

    private List<Bench> benches() throws SQLException {
        List<Bench> benches = new ArrayList<>();
        String leadsPath = "/api/v1/leads";

        benches.add(new Bench("list", "GET leads?pageSize=20 (default list)",
                new Wrk.Fixed(leadsPath + "?pageSize=20"), "lead-service",
                offsetPage(new LeadFilter(), "created_at", "desc")));

        LeadFilter qualified = new LeadFilter();
        qualified.status = "qualified";
        benches.add(new Bench("qualified", "GET leads?status=qualified&sortBy=score desc",
                new Wrk.Fixed(leadsPath + "?pageSize=20&status=qualified&sortBy=score&sortOrder=desc"), "lead-service",
                offsetPage(qualified, "score", "desc")));

        // The cursor of the row at the middle of the agency's newest-first order, encoded as the API encodes it.
        int depth = Math.max(0, leads / 2 - 1);
        LeadQuery.Cursor deep = rowCursor(depth);
        String cursor = LeadQuery.encode(deep);
        checkCursorEncoding();
        String cursorLabel = String.format(Locale.ROOT, "GET leads?cursor=<row %,d> (keyset page)", depth + 1);
        benches.add(new Bench("cursor", cursorLabel,
                new Wrk.Fixed(leadsPath + "?pageSize=20&cursor=" + cursor), "lead-service",
                List.of(new LeadQuery(AGENCY, new LeadFilter(), "created_at", "desc").keyset(deep, 21))));

        LeadFilter rare = new LeadFilter();
        rare.search = LeadSeed.RARE_TOKEN;
        benches.add(new Bench("rare", "GET leads?search=" + LeadSeed.RARE_TOKEN + " (rare)",
                new Wrk.Fixed(leadsPath + "?pageSize=20&search=" + LeadSeed.RARE_TOKEN), "lead-service",
                offsetPage(rare, "created_at", "desc")));

        LeadFilter common = new LeadFilter();
        common.search = "Engineer";
        benches.add(new Bench("common", "GET leads?search=Engineer (~20% match)",
                new Wrk.Fixed(leadsPath + "?pageSize=20&search=Engineer"), "lead-service",
                offsetPage(common, "created_at", "desc")));

        List<String> ids = sampleIds();
        probeId = ids.get(0);
        benches.add(new Bench("byid", String.format(Locale.ROOT, "GET leads/{id} (%,d random ids)", ids.size()),
                new Wrk.RandomId(leadsPath + "/", ids), "lead-service", null));
        benches.add(new Bench("create", "POST leads (unique emails)", new Wrk.CreateLead(leadsPath, ""),
                "lead-service", null));
        benches.add(new Bench("overview", "GET analytics/overview",
                new Wrk.Fixed("/api/v1/analytics/overview"), "analytics-service", null));
        // The dashboard's target: p95 < 200 ms with the agency's 1M leads in the analytics read models (AnalyticsSeed).
        benches.add(new Bench("dashboard", "GET analytics/dashboard?range=30d&tz=Europe/Berlin",
                new Wrk.Fixed("/api/v1/analytics/dashboard?range=30d&tz=Europe/Berlin"), "analytics-service", null));
        return benches;
    }

    /** lead-service's defaults (QueryLimits): the search window and the cap of an exact total. */
    static final int SEARCH_WINDOW = 2000;
    static final int EXACT_TOTAL_UP_TO = 10000;

    /**
     * The statements LeadReader.page runs for the first page of this listing, in its order, each on a connection of
     * its own: a search first from its window (and the full search when the window holds too few matches), otherwise
     * the page; one row more than the page tells whether more exist; then, unless the page is the last one, the
     * count bounded at the cap, and the planner's estimate when the count reached it. Which of them run depends on the
     * data, so each is asked here once, as the service would.
     */
    private List<LeadQuery.Sql> offsetPage(LeadFilter filter, String sortBy, String sortOrder) throws SQLException {
        LeadQuery query = new LeadQuery(AGENCY, filter, sortBy, sortOrder);
        int wanted = 21;
        List<LeadQuery.Sql> statements = new ArrayList<>();
        LeadQuery.Sql page = query.windowable() ? query.windowed(SEARCH_WINDOW, null, wanted, 0)
                : query.page(wanted, 0);
        statements.add(page);
        long rows = countRows(page);
        if (query.windowable() && rows < wanted) {
            page = query.page(wanted, 0);
            statements.add(page);
            rows = countRows(page);
        }
        if (rows >= wanted) {
            LeadQuery.Sql bounded = query.boundedCount(EXACT_TOTAL_UP_TO + 1);
            statements.add(bounded);
            try (Connection c = appConnection()) {
                scope(c);
                try (PreparedStatement s = prepare(c, bounded); ResultSet rs = s.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) > EXACT_TOTAL_UP_TO) {
                        statements.add(query.estimate());
                    }
                }
            }
        }
        return statements;
    }

    private long countRows(LeadQuery.Sql sql) throws SQLException {
        try (Connection c = appConnection()) {
            scope(c);
            long rows = 0;
            try (PreparedStatement s = prepare(c, sql); ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows++;
                }
            }
            return rows;
        }
    }

    private LeadQuery.Cursor rowCursor(int offset) throws SQLException {
        try (Connection c = appConnection(); PreparedStatement s = c.prepareStatement("""
                select created_at, id from lead where agency_id = ? and deleted_at is null
                order by created_at desc, id desc offset ? limit 1""")) {
            s.setString(1, AGENCY);
            s.setInt(2, offset);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return new LeadQuery.Cursor("created_at", "desc",
                        rs.getObject(1, OffsetDateTime.class).toInstant().toString(), rs.getObject(2, UUID.class));
            }
        }
    }

    /** The cursor the API hands out after a first keyset page must be the one built here from that page's last row. */
    private void checkCursorEncoding() {
        JsonNode first = get(stack.gatewayUrl(), "/api/v1/leads?paging=cursor&pageSize=5", token());
        JsonNode data = first.path("data");
        JsonNode last = data.get(data.size() - 1);
        String expected = LeadQuery.encode(new LeadQuery.Cursor("created_at", "desc",
                Instant.parse(last.path("created_at").asText()).toString(), UUID.fromString(last.path("id").asText())));
        String actual = first.path("meta").path("next_cursor").asText(first.path("meta").path("nextCursor").asText());
        if (!expected.equals(actual)) {
            throw new IllegalStateException("the API's cursor " + actual + " is not the one built from its last row ("
                    + expected + "): the deep cursor would not be what a client sends; first page: " + first);
        }
    }

    /** Ids of the benchmark agency's leads, chosen at random (one sequential scan, once). */
    private List<String> sampleIds() throws SQLException {
        List<String> ids = new ArrayList<>();
        try (Connection c = appConnection(); PreparedStatement s = c.prepareStatement(
                "select id from lead where agency_id = ? and deleted_at is null order by random() limit ?")) {
            s.setString(1, AGENCY);
            s.setInt(2, ID_SAMPLE);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        return ids;
    }

    // ---- Pre-check: every request answers 2xx once on every target, and the SQL answers what the API answers

    private void precheck(List<Bench> benches) throws SQLException {
        System.out.println("Pre-check: each request once through the gateway and directly ...");
        String token = token();
        for (Bench bench : benches) {
            for (String target : List.of("gateway", bench.directModule())) {
                String base = baseUrl(target);
                JsonNode body;
                if (bench.shape() instanceof Wrk.Fixed fixed) {
                    body = get(base, fixed.pathAndQuery(), token);
                } else if (bench.shape() instanceof Wrk.RandomId random) {
                    for (String id : random.ids().subList(0, Math.min(3, random.ids().size()))) {
                        get(base, random.prefix() + id, token);
                    }
                    body = null;
                } else {
                    body = send("POST", base + "/api/v1/leads", token, "{\"first_name\":\"Wrk\",\"last_name\":"
                            + "\"Precheck\",\"email\":\"precheck-" + runTag + "-" + target + "@example.com\"}");
                }
                if (bench.sql() != null && body != null) {
                    compareWithSql(bench, body);
                }
            }
            System.out.printf("  ok: %s%n", bench.label());
        }
    }

    /** The first statement's rows (ids, in order) and, for an offset page, the count must be what the API answered. */
    private void compareWithSql(Bench bench, JsonNode body) throws SQLException {
        List<String> apiIds = new ArrayList<>();
        body.path("data").forEach(lead -> apiIds.add(lead.path("id").asText()));
        List<String> sqlIds = new ArrayList<>();
        long count = -1;
        try (Connection c = appConnection()) {
            scope(c);
            for (LeadQuery.Sql sql : bench.sql()) {
                boolean counting = sql.sql().startsWith("select count(");
                if (sql.sql().startsWith("explain")) {
                    continue;
                }
                try (PreparedStatement s = prepare(c, sql); ResultSet rs = s.executeQuery()) {
                    if (counting) {
                        rs.next();
                        count = rs.getLong(1);
                        continue;
                    }
                    // The last page statement is the one that answered (a window holding too few is followed by
                    // the full search).
                    sqlIds.clear();
                    while (rs.next()) {
                        sqlIds.add(rs.getString("id"));
                    }
                }
            }
        }
        // The page statements fetch one row more than the page, to know whether more exist. A total is compared only
        // where the API says it is exact (past the cap it is the planner's estimate).
        List<String> compared = sqlIds.subList(0, Math.min(sqlIds.size(), apiIds.size()));
        boolean exactTotal = body.path("meta").path("total_is_exact").asBoolean(false);
        if (apiIds.isEmpty() || !compared.equals(apiIds)
                || (exactTotal && count >= 0 && count != body.path("meta").path("total").asLong())) {
            throw new IllegalStateException(bench.label() + ": the SQL given to pgbench does not answer what the API "
                    + "answered (API ids " + apiIds + ", total " + body.path("meta").path("total") + "; SQL ids "
                    + sqlIds + ", count " + count + ")");
        }
    }

    // ---- Load

    private void warmUp(List<Bench> benches) throws IOException, InterruptedException, SQLException {
        if (warmupSeconds <= 0) {
            return;
        }
        System.out.printf("Warm-up: each request %d s through the gateway at %d connections (not reported) ...%n",
                warmupSeconds, connections.get(0));
        for (Bench bench : benches) {
            settle(0);
            String token = token();
            awaitRoute("gateway", bench, token, 0, false);
            Wrk.Result r = Wrk.run(stack.gatewayUrl(), shape(bench), token, connections.get(0), warmupSeconds, work);
            System.out.printf(Locale.ROOT, "  %-48s %8.0f req/s%n", bench.label(), r.perSecond());
            if (bench.shape() instanceof Wrk.CreateLead) {
                awaitOutboxDrained(0);
            }
        }
    }

    private void measure(List<Bench> benches) throws IOException, InterruptedException, SQLException {
        System.out.printf("Measuring: %d s per run, connections %s, 1 wrk thread ...%n", seconds, connections);
        int n = 0;
        for (Bench bench : benches) {
            for (int conns : connections) {
                for (String via : List.of("gateway", bench.directModule())) {
                    settle(n + 1);
                    String token = token();
                    awaitRoute(via, bench, token, n + 1, true);
                    ProcStats.Sample before = procs.sample();
                    Wrk.Result r = Wrk.run(baseUrl(via), shape(bench), token, conns, seconds, work);
                    ProcStats.Sample after = procs.sample();
                    rows.add(new Row(++n, bench, via, conns, r, null, before, after));
                    System.out.printf(Locale.ROOT, "  %2d %-48s %-17s c=%-3d %8s req/s  p50 %7.2f ms  p95 %7.2f ms"
                            + "  p99 %7.2f ms  http errors %s  socket errors %d%n", n, bench.label(), via, conns,
                            rate(r.perSecond()), r.p50Micros() / 1e3, r.p95Micros() / 1e3, r.p99Micros() / 1e3,
                            httpErrors(r),
                            r.socketErrors());
                    if (bench.shape() instanceof Wrk.CreateLead) {
                        awaitOutboxDrained(n);
                    }
                }
                if (bench.sql() != null) {
                    settle(n + 1);
                    PgBench.Script script = PgBench.script(AGENCY, bench.sql());
                    ProcStats.Sample before = procs.sample();
                    PgBench.Result r = PgBench.run(script, postgresPort(), PostgresServer.APP_USER,
                            PostgresServer.APP_PASSWORD, Stack.databaseOf("lead-service"), conns, seconds, work);
                    ProcStats.Sample after = procs.sample();
                    rows.add(new Row(++n, bench, "pgbench", conns, null, r, before, after));
                    System.out.printf(Locale.ROOT, "  %2d %-48s %-17s c=%-3d %8.0f tps    p50 %7.2f ms  p95 %7.2f ms"
                            + "  p99 %7.2f ms  avg %.2f ms  failed %d%n", n, bench.label(), "pgbench", conns, r.tps(),
                            r.p50Ms(), r.p95Ms(), r.p99Ms(), r.averageMs(), r.failed());
                }
            }
        }
    }

    /**
     * Waits until the route answers 2xx (at most 60 s). wrk ends a run by closing its connections with requests in
     * flight; the gateway counts those as failures of the upstream, and enough of them open its circuit breaker for
     * the service (503 at once for breaker-delay, 10 s). A run started then would measure the breaker, not the service.
     */
    private void awaitRoute(String via, Bench bench, String token, int run, boolean record)
            throws InterruptedException {
        String path = bench.directModule().equals("lead-service") ? "/api/v1/leads/" + probeId
                : "/api/v1/analytics/overview";
        long start = System.nanoTime();
        int last = 0;
        while (System.nanoTime() - start < 60_000_000_000L) {
            last = status("GET", baseUrl(via) + path, token, null);
            if (last / 100 == 2) {
                double waited = (System.nanoTime() - start) / 1e9;
                if (waited > 1 && record) {
                    String note = String.format(Locale.ROOT, "before run %d: %s answered %s only after %.0f s "
                            + "(the gateway's circuit breaker, opened by the requests the previous run left in flight)",
                            run, via, path.startsWith("/api/v1/leads/") ? "GET leads/{id}" : path, waited);
                    System.out.println("  " + note);
                    notes.add(note);
                }
                return;
            }
            Thread.sleep(500);
        }
        String note = "before run " + run + ": " + via + " still answered " + last + " after 60 s; measured anyway";
        System.out.println("  " + note);
        if (record) {
            notes.add(note);
        }
    }

    /**
     * Waits (at most 180 s) until no query of lead-service or analytics-service is running, noted for a measured run
     * and silent before a warm-up (run 0): requests a run left behind (a slow search queued in the service when wrk
     * closed its connection) still run to the end, and the next run must not share the database with them.
     */
    private void settle(int run) throws SQLException, InterruptedException {
        long start = System.nanoTime();
        long active = -1;
        try (Connection c = new StackFaults(stack).superuser("postgres"); PreparedStatement s = c.prepareStatement("""
                select count(*) from pg_stat_activity where datname in ('leads', 'analytics') and state = 'active'
                  and backend_type = 'client backend' and pid <> pg_backend_pid()""")) {
            while (System.nanoTime() - start < 180_000_000_000L) {
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    active = rs.getLong(1);
                }
                if (active == 0) {
                    break;
                }
                Thread.sleep(250);
            }
        }
        double waited = (System.nanoTime() - start) / 1e9;
        if (run > 0 && (active != 0 || waited > 1)) {
            String note = String.format(Locale.ROOT, "before run %d: %s after %.0f s (queries the previous run left "
                    + "behind)", run, active == 0 ? "the database was idle" : active + " queries still ran", waited);
            System.out.println("  " + note);
            notes.add(note);
        }
    }

    /**
     * After a create run: waits (at most 120 s) until lead-service has published every event of its outbox, so the
     * next run does not share the machine with the relay and the consumers of the leads just created.
     */
    private void awaitOutboxDrained(int run) throws SQLException, InterruptedException {
        long start = System.nanoTime();
        long pending = -1;
        try (Connection c = new StackFaults(stack).superuser(Stack.databaseOf("lead-service"));
                PreparedStatement s = c.prepareStatement(
                        "select count(*) from outbox_event where published_at is null and parked_at is null")) {
            while (System.nanoTime() - start < 120_000_000_000L) {
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    pending = rs.getLong(1);
                }
                if (pending == 0) {
                    break;
                }
                Thread.sleep(250);
            }
        }
        String note = String.format(Locale.ROOT, "after %s: lead-service's outbox %s after %.1f s",
                run == 0 ? "the warm-up" : "run " + run, pending == 0 ? "drained" : "still held " + pending + " events",
                (System.nanoTime() - start) / 1e9);
        if (pending != 0 || System.nanoTime() - start > 500_000_000L) {
            System.out.println("  " + note);
            if (run > 0) {
                notes.add(note);
            }
        }
    }

    private static String abbreviate(String body) {
        String flat = body.replaceAll("\\s+", " ");
        return flat.length() > 200 ? flat.substring(0, 200) + "…" : flat;
    }

    /** Each POST run gets emails no other run used: a repeated email would be a 409, not a create. */
    private Wrk.Shape shape(Bench bench) {
        if (bench.shape() instanceof Wrk.CreateLead create) {
            return new Wrk.CreateLead(create.path(), runTag + "-" + (++emailRun));
        }
        return bench.shape();
    }

    // ---- The table

    private String table() {
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "## HTTP benchmark: %,d leads (+%,d in another agency), %d s per run, "
                + "1 wrk thread, %d CPUs, %s%n%n", leads, Math.max(1, leads / 10), seconds,
                Runtime.getRuntime().availableProcessors(),
                Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MINUTES)));
        notes.forEach(note -> md.append("- ").append(note).append('\n'));
        md.append('\n');
        md.append("| # | request | via | conns | requests | req/s | avg ms | p50 ms | p95 ms | p99 ms | HTTP errors "
                + "| socket errors | gateway/direct | vs pgbench |\n");
        md.append("|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|\n");
        for (Row row : rows) {
            if (row.wrk() != null) {
                Wrk.Result r = row.wrk();
                md.append(String.format(Locale.ROOT,
                        "| %d | %s | %s | %d | %d | %s | %.2f | %.2f | %.2f | %.2f | %s | %d | %s | %s |%n",
                        row.number(), row.bench().label(), row.via(), row.connections(), r.requests(),
                        rate(r.perSecond()), r.meanMicros() / 1e3, r.p50Micros() / 1e3, r.p95Micros() / 1e3,
                        r.p99Micros() / 1e3,
                        httpErrors(r), r.socketErrors(), gatewayRatio(row), pgbenchRatio(row)));
            } else {
                PgBench.Result r = row.pgbench();
                md.append(String.format(Locale.ROOT, "| %d | %s | pgbench (same SQL) | %d | %d | %s | %.2f | %.2f "
                        + "| %.2f | %.2f | %d failed | – | – | – |%n", row.number(), row.bench().label(),
                        row.connections(), r.transactions(), rate(r.tps()), r.averageMs(), r.p50Ms(), r.p95Ms(),
                        r.p99Ms(),
                        r.failed()));
            }
        }
        md.append("\nProcesses during each run: CPU seconds used (user + system) and memory before → after, MB "
                + "(RSS; PostgreSQL: PSS summed over the postmaster and its backends). \"client\" is wrk's or "
                + "pgbench's own CPU; \"rest\" everything else the machine ran meanwhile (Keycloak, campaign- and "
                + "scraping-service, "
                + "this JVM, anything outside the bench). A run can use at most " + seconds + " s × "
                + Runtime.getRuntime().availableProcessors() + " CPUs.\n\n");
        List<String> names = procs.names();
        md.append("| # | via | conns |");
        names.forEach(name -> md.append(" CPU s ").append(name).append(" |"));
        md.append(" CPU s client | CPU s rest |");
        names.forEach(name -> md.append(" MB ").append(name).append(" |"));
        md.append('\n').append("|---:|---|---:|");
        md.append("---:|".repeat(names.size() * 2 + 2)).append('\n');
        for (Row row : rows) {
            md.append(String.format(Locale.ROOT, "| %d | %s | %d |", row.number(), row.via(), row.connections()));
            for (String name : names) {
                md.append(String.format(Locale.ROOT, " %.1f |", row.after().cpuSeconds().get(name)
                        - row.before().cpuSeconds().get(name)));
            }
            md.append(String.format(Locale.ROOT, " %.1f | %.1f |", row.after().clientCpuSeconds()
                    - row.before().clientCpuSeconds(), row.after().restSeconds() - row.before().restSeconds()));
            for (String name : names) {
                md.append(String.format(Locale.ROOT, " %d → %d |", row.before().memoryBytes().get(name) >> 20,
                        row.after().memoryBytes().get(name) >> 20));
            }
            md.append('\n');
        }
        return md.toString();
    }

    /** On a gateway row: its req/s over the direct run's with the same request and connections. */
    private String gatewayRatio(Row row) {
        if (!row.via().equals("gateway")) {
            return "–";
        }
        return rows.stream().filter(r -> r.bench() == row.bench() && r.connections() == row.connections()
                && r.wrk() != null && !r.via().equals("gateway")).findFirst()
                .filter(direct -> comparable(row) && comparable(direct))
                .map(direct -> String.format(Locale.ROOT, "%.2f", row.perSecond() / direct.perSecond())).orElse("–");
    }

    /** On a wrk row of a list request: its req/s over pgbench's tps for the same SQL and connections. */
    private String pgbenchRatio(Row row) {
        return rows.stream().filter(r -> r.bench() == row.bench() && r.connections() == row.connections()
                && r.pgbench() != null).findFirst()
                .filter(pg -> comparable(row) && comparable(pg))
                .map(pg -> String.format(Locale.ROOT, "%.2f", row.perSecond() / pg.perSecond())).orElse("–");
    }

    /** Too few completed requests make a ratio noise (or a division by zero): shown as "–". */
    private static boolean comparable(Row row) {
        long completed = row.wrk() != null ? row.wrk().requests() : row.pgbench().transactions();
        return completed >= MIN_COMPARABLE;
    }

    /** Requests per second, with a decimal when there are few. */
    private static String rate(double perSecond) {
        return String.format(Locale.ROOT, perSecond < 10 ? "%.1f" : "%.0f", perSecond);
    }

    /** The count of responses >= 400 and, when there are any, which statuses: "87 (503: 85, 500: 2)". */
    private static String httpErrors(Wrk.Result r) {
        if (r.httpErrors() == 0) {
            return "0";
        }
        StringBuilder text = new StringBuilder().append(r.httpErrors()).append(" (");
        r.errorStatuses().forEach((status, count) -> text.append(text.charAt(text.length() - 1) == '(' ? "" : ", ")
                .append(status).append(": ").append(count));
        return text.append(')').toString();
    }

    // ---- Plumbing

    private String baseUrl(String target) {
        return target.equals("gateway") ? stack.gatewayUrl() : stack.serviceUrl(target);
    }

    private Connection appConnection() throws SQLException {
        return DriverManager.getConnection(stack.jdbcUrl(Stack.databaseOf("lead-service")), PostgresServer.APP_USER,
                PostgresServer.APP_PASSWORD);
    }

    private static void scope(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select set_config('leadforge.agency_id', ?, false)")) {
            s.setString(1, AGENCY);
            s.execute();
        }
    }

    private static PreparedStatement prepare(Connection c, LeadQuery.Sql sql) throws SQLException {
        PreparedStatement s = c.prepareStatement(sql.sql());
        int i = 1;
        for (Object p : sql.params()) {
            s.setObject(i++, p);
        }
        return s;
    }

    private int postgresPort() {
        String url = stack.jdbcUrl(Stack.databaseOf("lead-service"));
        String hostPort = url.substring(url.indexOf("//") + 2, url.indexOf('/', url.indexOf("//") + 2));
        return Integer.parseInt(hostPort.substring(hostPort.indexOf(':') + 1));
    }

    /** The pid of the JVM running {@code module}'s quarkus-run.jar among this JVM's descendants. */
    private static long servicePid(String module) {
        String jar = "/" + module + "/target/quarkus-app/quarkus-run.jar";
        return ProcessHandle.current().descendants().filter(p -> ProcStats.commandLine(p.pid()).contains(jar))
                .findFirst().orElseThrow(() -> new IllegalStateException("no process runs " + jar)).pid();
    }

    private static long postmasterPid(Path file) {
        try {
            return Long.parseLong(Files.readAllLines(file).get(0).trim());
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot read PostgreSQL's pid from " + file, e);
        }
    }

    private JsonNode get(String base, String pathAndQuery, String token) {
        return send("GET", base + pathAndQuery, token, null);
    }

    /** Sends one request; anything but 2xx fails the bench with the answer. */
    private static JsonNode send(String method, String url, String token, String body) {
        HttpResponse<String> response = exchange(method, url, token, body);
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("pre-check failed: " + method + " " + url + " answered "
                    + response.statusCode() + ": " + response.body());
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + url + " answered no JSON: " + response.body(), e);
        }
    }

    /** The status of one request, or 0 when it could not be sent. */
    private static int status(String method, String url, String token, String body) {
        try {
            return exchange(method, url, token, body).statusCode();
        } catch (IllegalStateException e) {
            return 0;
        }
    }

    private static HttpResponse<String> exchange(String method, String url, String token, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token).header("Accept", "application/json");
        request = body == null ? request.method(method, HttpRequest.BodyPublishers.noBody())
                : request.header("Content-Type", "application/json").method(method,
                        HttpRequest.BodyPublishers.ofString(body));
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + url + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A fresh token for each run: a run must not outlive it (the realm's tokens live 15 minutes). */
    private String token() {
        String form = "grant_type=password&client_id=leadforge-cli&username=" + URLEncoder.encode(USER,
                StandardCharsets.UTF_8) + "&password=" + PASSWORD;
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(stack.tokenEndpoint()))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
            String token = JSON.readTree(response.body()).path("access_token").asText();
            if (token.isEmpty()) {
                throw new IllegalStateException("Keycloak gave no token: " + response.statusCode() + " "
                        + response.body());
            }
            return token;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(path)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
