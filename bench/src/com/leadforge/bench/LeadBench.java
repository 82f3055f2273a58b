package com.leadforge.bench;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.flywaydb.core.Flyway;

import com.leadforge.lead.lead.LeadFilter;
import com.leadforge.lead.lead.LeadQuery;
import com.leadforge.lead.lead.LeadReader;
import com.leadforge.testsupport.PostgresServer;

/**
 * Measures the lead-service SQL ({@link LeadQuery}, exactly what the API runs) on a seeded database, from the JVM
 * over JDBC and from pgbench over libpq, and prints p50/p99 latency and throughput side by side.
 */
public final class LeadBench {

    static final String AGENCY = "11111111-1111-1111-1111-111111111111";
    static final String OTHER = "22222222-2222-2222-2222-222222222222";

    record Result(String name, String client, int runs, double p50Ms, double p99Ms, double perSecond, String note) {
    }

    public static void main(String[] args) throws Exception {
        int rows = Integer.parseInt(args[0]);
        int iterations = Integer.parseInt(args[1]);
        Path work = Path.of(args[2]);
        try (PostgresServer postgres = PostgresServer.startEphemeral()) {
            postgres.ensureServiceDatabase("leads");
            String url = postgres.jdbcUrl("leads");
            Flyway.configure().dataSource(url, PostgresServer.APP_USER, PostgresServer.APP_PASSWORD)
                    .locations("classpath:db/migration").load().migrate();
            try (Connection c = DriverManager.getConnection(url, PostgresServer.APP_USER, PostgresServer.APP_PASSWORD)) {
                seed(c, AGENCY, rows);
                seed(c, OTHER, Math.max(1, rows / 10));
                scope(c, AGENCY); // row-level security (V3): the session sees one agency, like the service's
                long t = System.nanoTime();
                try (Statement s = c.createStatement()) {
                    s.execute("vacuum analyze lead");
                }
                System.out.printf("vacuum analyze: %.1f s%n", (System.nanoTime() - t) / 1e9);

                List<Result> results = new ArrayList<>();
                List<Case> cases = cases(c);
                for (Case bench : cases) {
                    if (System.getenv("EXPLAIN") != null) {
                        explain(c, bench);
                    }
                    results.add(jdbc(c, bench, bench.iterations(iterations)));
                    results.add(pgbench(postgres, bench, bench.iterations(iterations), work));
                }
                results.add(export(c, rows));
                results.add(pgbench(postgres, new Case("export (all rows)",
                        new LeadQuery(AGENCY, new LeadFilter(), "created_at", "desc").all(), 1), 3, work));
                print(rows, results);
            }
        }
    }

    record Case(String name, LeadQuery.Sql sql, int divisor) {
        int iterations(int base) {
            return Math.max(3, base / divisor);
        }
    }

    static List<Case> cases(Connection c) throws SQLException {
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("list: default page 1", new LeadQuery(AGENCY, new LeadFilter(), "created_at", "desc")
                .page(20, 0), 1));
        LeadFilter status = new LeadFilter();
        status.status = "qualified";
        status.priority = null;
        cases.add(new Case("list: status=qualified", new LeadQuery(AGENCY, status, "created_at", "desc")
                .page(20, 0), 1));
        cases.add(new Case("list: sortBy=score", new LeadQuery(AGENCY, new LeadFilter(), "score", "desc")
                .page(20, 0), 1));
        cases.add(new Case("list: count (meta.total)", new LeadQuery(AGENCY, new LeadFilter(), "created_at", "desc")
                .count(), 20));
        LeadFilter rare = new LeadFilter();
        rare.search = "First123456";
        cases.add(new Case("search: word prefix (rare)", new LeadQuery(AGENCY, rare, "created_at", "desc")
                .page(20, 0), 1));
        LeadFilter partial = new LeadFilter();
        partial.search = "ser12345@exa";
        cases.add(new Case("search: partial word (trigram)", new LeadQuery(AGENCY, partial, "created_at", "desc")
                .page(20, 0), 1));
        LeadFilter common = new LeadFilter();
        common.search = "engineer";
        cases.add(new Case("search: common word", new LeadQuery(AGENCY, common, "created_at", "desc")
                .page(20, 0), 1));
        // Deep paging: the position of row 500,000 (or the middle), by keyset and, for contrast, by offset.
        int depth;
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select count(*) from lead where agency_id = '" + AGENCY + "'")) {
            rs.next();
            depth = rs.getInt(1) / 2;
        }
        OffsetDateTime at;
        UUID id;
        try (PreparedStatement s = c.prepareStatement("""
                select created_at, id from lead where agency_id = ? and deleted_at is null
                order by created_at desc, id desc offset ? limit 1""")) {
            s.setString(1, AGENCY);
            s.setInt(2, depth);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                at = rs.getObject(1, OffsetDateTime.class);
                id = rs.getObject(2, UUID.class);
            }
        }
        LeadQuery.Cursor cursor = new LeadQuery.Cursor("created_at", "desc", at.toInstant().toString(), id);
        cases.add(new Case("cursor: page at row " + depth, new LeadQuery(AGENCY, new LeadFilter(), "created_at",
                "desc").keyset(cursor, 21), 1));
        cases.add(new Case("offset: page at row " + depth + " (contrast)", new LeadQuery(AGENCY, new LeadFilter(),
                "created_at", "desc").page(20, depth), 20));
        return cases;
    }

    /** Scopes the session to one agency, as RowLevelSecurityConnections does for the service's connections. */
    static void scope(Connection c, String agency) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select set_config('leadforge.agency_id', ?, false)")) {
            s.setString(1, agency);
            s.execute();
        }
    }

    static void seed(Connection c, String agency, int rows) throws SQLException {
        scope(c, agency);
        long t = System.nanoTime();
        int batch = 100_000;
        try (PreparedStatement s = c.prepareStatement("""
                insert into lead (id, agency_id, campaign_id, first_name, last_name, email, phone, company, title,
                    source, status, qualification_status, priority, score, created_by, assigned_to, metadata,
                    created_at, updated_at)
                select gen_random_uuid(), ?, ('00000000-0000-0000-0000-' || lpad((g % 200)::text, 12, '0'))::uuid,
                    'First' || g, 'Last' || g, 'user' || g || '@example.com', '+1650' || lpad(g::text, 7, '0'),
                    'Company ' || (g % 5000),
                    (array['Engineer','CEO','Sales Manager','Analyst','VP Marketing'])[1 + g % 5],
                    'src' || (g % 20),
                    (array['new','contacted','responded','qualified','nurturing','converted','disqualified'])[1 + g % 7],
                    (array['pending','qualified','disqualified'])[1 + g % 3],
                    (array['low','medium','high','urgent'])[1 + g % 4], g % 101, 'bench', 'user' || (g % 50),
                    '{"seed": true}'::jsonb,
                    now() - g * interval '1 second', now() - (g % 100000) * interval '1 second'
                from generate_series(?::int, ?::int) g""")) {
            for (int from = 1; from <= rows; from += batch) {
                s.setString(1, agency);
                s.setInt(2, from);
                s.setInt(3, Math.min(rows, from + batch - 1));
                s.executeUpdate();
                System.out.printf("seeded %,d / %,d leads of %s (%.0f s)%n", Math.min(rows, from + batch - 1), rows,
                        agency.substring(0, 8), (System.nanoTime() - t) / 1e9);
            }
        }
    }

    /** {@code EXPLAIN=1 bench/run.sh}: prints each query's actual plan, to see which index answered it. */
    static void explain(Connection c, Case bench) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("explain (analyze, buffers) " + bench.sql().sql())) {
            bind(s, bench.sql().params());
            System.out.println("== " + bench.name());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    System.out.println(rs.getString(1));
                }
            }
        }
    }

    static Result jdbc(Connection c, Case bench, int runs) throws SQLException {
        int warmup = Math.max(1, runs / 10);
        double[] ms = new double[runs];
        try (PreparedStatement s = c.prepareStatement(bench.sql().sql())) {
            bind(s, bench.sql().params());
            long total = 0;
            for (int i = -warmup; i < runs; i++) {
                long t = System.nanoTime();
                try (ResultSet rs = s.executeQuery()) {
                    int columns = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        for (int col = 1; col <= columns; col++) {
                            rs.getObject(col);
                        }
                    }
                }
                long elapsed = System.nanoTime() - t;
                if (i >= 0) {
                    ms[i] = elapsed / 1e6;
                    total += elapsed;
                }
            }
            return summary(bench.name(), "JDBC", ms, runs / (total / 1e9), "");
        }
    }

    /** pgbench with the same SQL: ?-parameters become :pN variables, sent as bind parameters (-M prepared). */
    static Result pgbench(PostgresServer postgres, Case bench, int runs, Path work)
            throws IOException, InterruptedException {
        String sql = bench.sql().sql();
        StringBuilder script = new StringBuilder();
        List<String> command = new ArrayList<>(List.of("pgbench", "-n", "-M", "prepared", "-c", "1", "-j", "1",
                "-t", Integer.toString(runs), "-h", "127.0.0.1", "-p", Integer.toString(postgres.port()),
                "-U", PostgresServer.APP_USER, "-l", "--log-prefix=" + work.resolve("pgbench-log")));
        int n = 0;
        for (char ch : sql.toCharArray()) {
            if (ch == '?') {
                Object value = bench.sql().params().get(n++);
                script.append(":p").append(n);
                command.add("-D");
                command.add("p" + n + "=" + value);
            } else {
                script.append(ch);
            }
        }
        Path file = work.resolve("pgbench-script.sql");
        Files.writeString(file, script.append(";\n").toString());
        command.add("-f");
        command.add(file.toString());
        command.add("leads");
        try (var logs = Files.list(work)) {
            for (Path old : logs.filter(p -> p.getFileName().toString().startsWith("pgbench-log")).toList()) {
                Files.delete(old);
            }
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("PGPASSWORD", PostgresServer.APP_PASSWORD);
        // The same agency scope the service's connections carry (row-level security, V3).
        builder.environment().put("PGOPTIONS", "-c leadforge.agency_id=" + AGENCY);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.MINUTES) || process.exitValue() != 0) {
            return new Result(bench.name(), "pgbench", 0, 0, 0, 0, "pgbench failed: " + output.strip());
        }
        List<Double> latencies = new ArrayList<>();
        try (var logs = Files.list(work)) {
            for (Path log : logs.filter(p -> p.getFileName().toString().startsWith("pgbench-log")).toList()) {
                for (String line : Files.readAllLines(log)) {
                    latencies.add(Long.parseLong(line.split(" ")[2]) / 1000.0);
                }
            }
        }
        double tps = output.lines().filter(l -> l.startsWith("tps")).findFirst()
                .map(l -> Double.parseDouble(l.replaceAll("tps = ([0-9.]+).*", "$1"))).orElse(0.0);
        return summary(bench.name(), "pgbench", latencies.stream().mapToDouble(Double::doubleValue).toArray(), tps, "");
    }

    /** The export path: one server-side cursor, bounded fetch size, rows written as CSV as they arrive. */
    static Result export(Connection c, int rows) throws SQLException, IOException {
        LeadQuery.Sql sql = new LeadQuery(AGENCY, new LeadFilter(), "created_at", "desc").all();
        Runtime runtime = Runtime.getRuntime();
        long t = System.nanoTime();
        long count = 0;
        long maxHeap = 0;
        c.setAutoCommit(false);
        try (PreparedStatement s = c.prepareStatement(sql.sql())) {
            bind(s, sql.params());
            s.setFetchSize(LeadReader.EXPORT_FETCH_SIZE);
            Writer out = new OutputStreamWriter(java.io.OutputStream.nullOutputStream(), StandardCharsets.UTF_8);
            try (ResultSet rs = s.executeQuery(); CSVPrinter csv = new CSVPrinter(out, CSVFormat.DEFAULT)) {
                int columns = rs.getMetaData().getColumnCount();
                Object[] row = new Object[columns];
                while (rs.next()) {
                    for (int col = 1; col <= columns; col++) {
                        row[col - 1] = rs.getObject(col);
                    }
                    csv.printRecord(row);
                    if (++count % 10_000 == 0) {
                        maxHeap = Math.max(maxHeap, runtime.totalMemory() - runtime.freeMemory());
                    }
                }
            }
        } finally {
            c.rollback();
            c.setAutoCommit(true);
        }
        double seconds = (System.nanoTime() - t) / 1e9;
        return new Result("export (all rows)", "JDBC", 1, seconds * 1000, seconds * 1000, count / seconds,
                String.format(Locale.ROOT, "%,d rows, %.0f rows/s, heap in use <= %d MB of -Xmx %d MB", count,
                        count / seconds, maxHeap >> 20, runtime.maxMemory() >> 20));
    }

    static void bind(PreparedStatement s, List<Object> params) throws SQLException {
        int i = 1;
        for (Object p : params) {
            s.setObject(i++, p);
        }
    }

    static Result summary(String name, String client, double[] ms, double perSecond, String note) {
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        return new Result(name, client, sorted.length, percentile(sorted, 50), percentile(sorted, 99), perSecond,
                note);
    }

    static double percentile(double[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    static void print(int rows, List<Result> results) {
        System.out.printf("%n%,d leads in agency %s (+%,d in another agency), single client%n", rows, AGENCY,
                rows / 10);
        System.out.printf("%-42s %-8s %6s %10s %10s %10s  %s%n", "query", "client", "runs", "p50 ms", "p99 ms",
                "per s", "");
        for (Result r : results) {
            System.out.printf(Locale.ROOT, "%-42s %-8s %6d %10.2f %10.2f %10.1f  %s%n", r.name(), r.client(), r.runs(),
                    r.p50Ms(), r.p99Ms(), r.perSecond(), r.note());
        }
    }

    private LeadBench() {
    }
}
