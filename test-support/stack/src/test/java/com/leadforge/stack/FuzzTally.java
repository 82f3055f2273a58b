package com.leadforge.stack;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The fuzz suite's verdict on each answer and its counts. An answer passes when it is no server error, a 4xx is
 * {@code application/problem+json} with {@code type}, {@code title} and the answer's {@code status}, and no body shows
 * a stack trace or SQL. One exception, counted on its own line: a service called directly answers a request line or
 * header block its HTTP codec refuses (414, 431) before any LeadForge code runs, bare (docs/errors.md); the gateway,
 * the public entry, must answer those as problems too.
 */
final class FuzzTally {

    /** What must never reach a client: stack frames, exception and class names, SQL and PostgreSQL's messages. */
    static final List<Pattern> LEAKS = List.of(Pattern.compile("\tat "), Pattern.compile("Exception"),
            Pattern.compile("org\\.hibernate"), Pattern.compile("org\\.postgresql"), Pattern.compile("(?i)SQLState"),
            Pattern.compile("ERROR:"), Pattern.compile("(?i)\\bselect\\s"), Pattern.compile("(?i)insert into"),
            Pattern.compile("PSQL"), Pattern.compile("com\\.leadforge\\."), Pattern.compile("io\\.vertx"));
    static final String DIRECT = "direct";
    static final String GATEWAY = "gateway";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A request as sent and its answer ({@code status} -1 when none came); {@code retried} when the first attempt,
     * on a pooled connection, got no answer and the request went again on a fresh one.
     */
    record Exchange(String service, String via, BadRequests.BadRequest request, int status, String contentType,
            String body, String error, boolean retried) {
    }

    private final Map<String, AtomicInteger> perServiceAndVia = new ConcurrentSkipListMap<>();
    private final Map<String, Map<Integer, AtomicInteger>> perStatus = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> perCategory = new ConcurrentSkipListMap<>();
    private final AtomicInteger codecRefusals = new AtomicInteger();
    private final AtomicInteger total = new AtomicInteger();
    private final AtomicInteger retried = new AtomicInteger();
    private final List<Failure> failures = java.util.Collections.synchronizedList(new ArrayList<>());

    /** One unacceptable answer: where, to what, and what was wrong. */
    record Failure(String via, String operation, String category, String verdict, String request) {

        @Override
        public String toString() {
            return via + " " + request + " -> " + verdict;
        }
    }

    void record(Exchange exchange) {
        total.incrementAndGet();
        if (exchange.retried()) {
            retried.incrementAndGet();
        }
        perServiceAndVia.computeIfAbsent(exchange.service() + "|" + exchange.via(), k -> new AtomicInteger())
                .incrementAndGet();
        perStatus.computeIfAbsent(exchange.via(), k -> new ConcurrentSkipListMap<>())
                .computeIfAbsent(exchange.status(), k -> new AtomicInteger()).incrementAndGet();
        perCategory.computeIfAbsent(exchange.request().category(), k -> new AtomicInteger()).incrementAndGet();
        String verdict = judge(exchange);
        if (verdict != null) {
            failures.add(new Failure(exchange.via(), exchange.request().operation(), exchange.request().category(),
                    verdict, exchange.request().describe()));
        }
    }

    /** Null when the answer is acceptable, else what is wrong with it. */
    private String judge(Exchange exchange) {
        int status = exchange.status();
        if (status < 0) {
            return "no answer (" + exchange.error() + ")";
        }
        String body = exchange.body();
        for (Pattern leak : LEAKS) {
            if (leak.matcher(body).find()) {
                return status + " body shows internals (/" + leak.pattern() + "/): " + abbreviate(body);
            }
        }
        if (status >= 500) {
            return "server error " + status + " " + abbreviate(body);
        }
        if (status < 400) {
            return null;
        }
        if (exchange.via().equals(DIRECT) && (status == 414 || status == 431)) {
            codecRefusals.incrementAndGet();
            return null;
        }
        String contentType = exchange.contentType() == null ? "" : exchange.contentType();
        if (!contentType.toLowerCase(Locale.ROOT).startsWith("application/problem+json")) {
            return status + " with Content-Type '" + contentType + "', not application/problem+json: " + abbreviate(body);
        }
        try {
            JsonNode problem = JSON.readTree(body);
            if (!problem.path("type").isTextual() || problem.path("type").asText().isBlank()
                    || !problem.path("title").isTextual() || problem.path("title").asText().isBlank()
                    || problem.path("status").asInt(-1) != status) {
                return status + " problem lacks type, title or a matching status: " + abbreviate(body);
            }
        } catch (java.io.IOException e) {
            return status + " problem+json that is not JSON: " + abbreviate(body);
        }
        return null;
    }

    int total() {
        return total.get();
    }

    List<Failure> failures() {
        synchronized (failures) {
            return new ArrayList<>(failures);
        }
    }

    /**
     * Failures grouped by what went wrong where (via, operation, category, status): one line per group with its
     * count and first example, so that hundreds of answers of one defect read as one.
     */
    List<String> groupedFailures() {
        Map<String, List<Failure>> groups = new TreeMap<>();
        for (Failure failure : failures()) {
            String key = failure.via() + " " + failure.operation() + " [" + failure.category() + "] -> "
                    + failure.verdict().split(" ", 2)[0];
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(failure);
        }
        List<String> lines = new ArrayList<>();
        groups.forEach((key, members) -> lines.add(members.size() + " x " + key + "\n      e.g. " + members.get(0)));
        return lines;
    }

    /** The summary block: per service direct and through the gateway, per status, per category. */
    String summary(int operations, int perOperation, double seconds, int threads) {
        StringBuilder out = new StringBuilder();
        out.append(String.format("%n==== Fuzz summary: %d bad requests, %d operations (at most %d cases each, sent "
                + "directly and through the gateway), %.1f s on %d threads ====%n", total(), operations, perOperation,
                seconds, threads));
        out.append(String.format("  %-20s %8s %8s%n", "service", DIRECT, GATEWAY));
        Map<String, int[]> services = new TreeMap<>();
        perServiceAndVia.forEach((key, count) -> {
            String[] parts = key.split("\\|");
            services.computeIfAbsent(parts[0], k -> new int[2])[parts[1].equals(DIRECT) ? 0 : 1] = count.get();
        });
        services.forEach((service, counts) -> out.append(String.format("  %-20s %8d %8d%n", service, counts[0], counts[1])));
        out.append(String.format("  %-20s %8s %8s%n", "status", DIRECT, GATEWAY));
        TreeMap<Integer, int[]> statuses = new TreeMap<>();
        perStatus.forEach((via, counts) -> counts.forEach((status, count) -> statuses
                .computeIfAbsent(status, k -> new int[2])[via.equals(DIRECT) ? 0 : 1] = count.get()));
        statuses.forEach((status, counts) -> out.append(String.format("  %-20s %8d %8d%n",
                status < 0 ? "no answer" : String.valueOf(status), counts[0], counts[1])));
        out.append("  per category:");
        int[] column = { 0 };
        perCategory.forEach((category, count) -> out.append(column[0]++ % 5 == 0 ? "\n    " : "  ")
                .append(String.format("%-30s", category + "=" + count)));
        out.append(String.format("%n  bare 414/431 from a service's HTTP codec (called directly): %d%n",
                codecRefusals.get()));
        out.append(String.format("  answered only on a second, fresh connection (pooled one closed under it): %d%n",
                retried.get()));
        out.append(String.format("  failures: %d%n", failures().size()));
        groupedFailures().forEach(line -> out.append("    ").append(line).append('\n'));
        out.append("====");
        return out.toString();
    }

    static String abbreviate(String text) {
        String printable = text.replaceAll("\\p{Cntrl}", "?");
        return printable.length() <= 240 ? printable : printable.substring(0, 240) + "…";
    }
}
