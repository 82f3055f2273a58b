package com.leadforge.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.leadforge.lead.lead.LeadQuery;

/**
 * pgbench with the statements lead-service sends for one API request, as one pgbench transaction: for each SQL
 * statement (the page, then the count, for an offset page; the keyset query for a cursor page) the agency
 * {@code set_config} that the connection pool's interceptor (RowLevelSecurityConnections) runs when lead-service
 * takes a connection, the statement itself with the same parameters as bind parameters ({@code -M prepared}, as
 * pgjdbc sends them once a statement is reused), and the reset it runs when the connection goes back. Same database,
 * same application user as the service.
 */
final class PgBench {

    record Result(double tps, double averageMs, double p50Ms, double p95Ms, double p99Ms, long transactions,
            long failed) {
    }

    private PgBench() {
    }

    static void requireInstalled() {
        try {
            Process p = new ProcessBuilder("pgbench", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            p.waitFor();
        } catch (IOException e) {
            throw new IllegalStateException("pgbench is not installed (Debian: apt-get install -y postgresql-client)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The pgbench script and its -D variables for one request's statements. */
    record Script(String text, List<String> variables) {
    }

    static Script script(String agency, List<LeadQuery.Sql> statements) {
        StringBuilder text = new StringBuilder();
        List<String> variables = new ArrayList<>(List.of("agency=" + agency));
        int s = 0;
        for (LeadQuery.Sql sql : statements) {
            s++;
            text.append("select set_config('leadforge.agency_id', :agency, false);\n");
            int n = 0;
            for (char ch : sql.sql().toCharArray()) {
                if (ch == '?') {
                    Object value = sql.params().get(n++);
                    String name = "s" + s + "p" + n;
                    text.append(':').append(name);
                    variables.add(name + "=" + value);
                } else if (ch == '\n') {
                    text.append(' ');
                } else {
                    text.append(ch);
                }
            }
            if (n != sql.params().size()) {
                throw new IllegalStateException("parameters and placeholders differ in " + sql.sql());
            }
            text.append(";\nselect set_config('leadforge.agency_id', '', false);\n");
        }
        return new Script(text.toString(), variables);
    }

    static Result run(Script script, int port, String user, String password, String database, int clients,
            int seconds, Path work) throws IOException, InterruptedException {
        Path file = work.resolve("pgbench-script.sql");
        Files.writeString(file, script.text());
        String prefix = "pgbench-log";
        deleteLogs(work, prefix);
        List<String> command = new ArrayList<>(List.of("pgbench", "-n", "-M", "prepared", "-c",
                Integer.toString(clients), "-j", "1", "-T", Integer.toString(seconds), "-h", "127.0.0.1", "-p",
                Integer.toString(port), "-U", user, "-l", "--log-prefix=" + work.resolve(prefix)));
        for (String variable : script.variables()) {
            command.add("-D");
            command.add(variable);
        }
        command.add("-f");
        command.add(file.toString());
        command.add(database);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("PGPASSWORD", password);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(seconds + 120L, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException("pgbench failed:\n" + output);
        }
        double tps = number(output, "tps = ");
        double average = number(output, "latency average = ");
        long transactions = (long) number(output, "number of transactions actually processed: ");
        long failed = output.contains("number of failed transactions: ")
                ? (long) number(output, "number of failed transactions: ") : 0;
        List<Double> latencies = new ArrayList<>();
        try (Stream<Path> logs = Files.list(work)) {
            for (Path log : logs.filter(p -> p.getFileName().toString().startsWith(prefix)).toList()) {
                try (Stream<String> lines = Files.lines(log)) {
                    lines.forEach(line -> latencies.add(Long.parseLong(line.split(" ")[2]) / 1000.0));
                }
            }
        }
        deleteLogs(work, prefix);
        double[] sorted = latencies.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        return new Result(tps, average, percentile(sorted, 50), percentile(sorted, 95), percentile(sorted, 99),
                transactions, failed);
    }

    private static void deleteLogs(Path work, String prefix) throws IOException {
        try (Stream<Path> logs = Files.list(work)) {
            for (Path old : logs.filter(p -> p.getFileName().toString().startsWith(prefix)).toList()) {
                Files.delete(old);
            }
        }
    }

    private static double number(String output, String label) {
        return output.lines().filter(l -> l.startsWith(label)).findFirst()
                .map(l -> Double.parseDouble(l.substring(label.length()).trim().split("[ (]")[0]))
                .orElseThrow(() -> new IllegalStateException("pgbench printed no '" + label + "':\n" + output));
    }

    static double percentile(double[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
