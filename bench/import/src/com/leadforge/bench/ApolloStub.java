package com.leadforge.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Apollo's people search ({@code POST /v1/mixed_people/search}) on a free loopback port, answering the way
 * scraping-service's {@code ApolloConnector} expects Apollo to and refusing what Apollo would refuse, so that a job
 * that completes shows the connector spoke Apollo's contract, not merely that the stub was lenient.
 * <p>
 * Per request, in this order: the path (else 404) and the method (else 405); the {@code X-Api-Key} header against the
 * key (else 401 with an Apollo-like error body); a JSON body ({@code Content-Type: application/json}, else 415) that
 * holds exactly the job's search criteria (or none: a data source's connection test) plus an integral {@code page}
 * (1..500) and {@code per_page} (1..100), else 422; page {@value #RATE_LIMITED_PAGE} is answered once with 429 and {@code Retry-After: 1}; then 200 with
 * {@code people[]} and {@code pagination {page, per_page, total_entries, total_pages}}. A page past the last holds
 * no people, as Apollo answers it.
 * <p>
 * People are numbered 1..{@code total} across pages whatever {@code per_page} is asked for, so person n is the same
 * record however the connector pages. Every 100th person has an invalid e-mail (no {@code @}); a person with
 * {@code n % 20 == 10} repeats the e-mail of an earlier ordinary person ({@link #original}). Every person has a
 * distinct valid US phone number and LinkedIn URL, so the e-mail is the only identifier two of them ever share:
 * lead-service imports {@code total - total/20 - total/100} of them (for a total that is a multiple of 100).
 */
final class ApolloStub implements AutoCloseable {

    static final String SEARCH_PATH = "/v1/mixed_people/search";
    static final int RATE_LIMITED_PAGE = 37;
    static final int INVALID_EVERY = 100;
    static final int DUPLICATE_EVERY = 20;
    static final int DUPLICATE_OFFSET = 10;
    /** Apollo serves at most 500 pages of one search, at most 100 people a page. */
    static final int MAX_PAGE = 500;
    static final int MAX_PER_PAGE = 100;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] TITLES = { "Head of Purchasing", "Procurement Manager", "Buyer", "VP Operations",
            "Supply Chain Director" };

    private final int total;
    private final String tag;
    private final String apiKey;
    private final ObjectNode criteria;
    private final HttpServer server;
    private final ExecutorService executor;

    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger unauthorized = new AtomicInteger();
    private final AtomicInteger rateLimited = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger pastTheEnd = new AtomicInteger();
    private final AtomicBoolean rateLimitSpent = new AtomicBoolean();
    /** 200 answers per page number: a run that is never paused or taken over fetches each page once. */
    private final Map<Integer, AtomicInteger> pagesServed = new ConcurrentHashMap<>();
    /** Why the last refused request was refused, for the bench's report (the connector's error names no body). */
    private volatile String lastRefusal;

    /**
     * @param total people in the search
     * @param tag makes this run's e-mails and LinkedIn URLs its own (the stack's agency may hold other leads)
     * @param apiKey the only key accepted
     * @param criteria the job's search criteria, which every request body must carry unchanged
     */
    ApolloStub(int total, String tag, String apiKey, ObjectNode criteria) throws IOException {
        this.total = total;
        this.tag = tag;
        this.apiKey = apiKey;
        this.criteria = criteria.deepCopy();
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        // The connector asks for one page at a time, so one thread answers; a daemon, so that a stub a failed
        // scenario leaves behind cannot keep the bench's JVM from exiting.
        this.executor = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "apollo-stub");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** What a data source's {@code config.base_url} should say: the connector appends {@link #SEARCH_PATH}. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    int totalPages(int perPage) {
        return (total + perPage - 1) / perPage;
    }

    // --- what the bench expects of an import of every page ---

    static boolean invalidEmail(int n) {
        return n % INVALID_EVERY == 0;
    }

    static boolean duplicate(int n) {
        return n % DUPLICATE_EVERY == DUPLICATE_OFFSET;
    }

    /**
     * The ordinary person whose e-mail a duplicate repeats: the one before it (same page, so the same batch), or for
     * every second duplicate after person 101 the one 101 places back (the previous page at 100 a page, so a lead an
     * earlier batch committed). Neither is ever a duplicate or invalid itself: both are 9 modulo 20, and neither is a
     * multiple of 100.
     */
    static int original(int n) {
        return n % (2 * DUPLICATE_EVERY) == DUPLICATE_EVERY + DUPLICATE_OFFSET && n > 101 ? n - 101 : n - 1;
    }

    int expectedDuplicates() {
        return (int) IntStream.rangeClosed(1, total).filter(ApolloStub::duplicate).count();
    }

    int expectedRejected() {
        return (int) IntStream.rangeClosed(1, total).filter(ApolloStub::invalidEmail).count();
    }

    int expectedImported() {
        return total - expectedDuplicates() - expectedRejected();
    }

    // --- what the stub saw ---

    int requests() {
        return requests.get();
    }

    int unauthorized() {
        return unauthorized.get();
    }

    int rateLimited() {
        return rateLimited.get();
    }

    int refused() {
        return refused.get();
    }

    int pastTheEnd() {
        return pastTheEnd.get();
    }

    String lastRefusal() {
        return lastRefusal;
    }

    /** Whether pages 1..{@code pages} were each answered with people exactly once since the last reset. */
    boolean eachPageServedOnce(int pages) {
        for (int page = 1; page <= pages; page++) {
            AtomicInteger served = pagesServed.get(page);
            if (served == null || served.get() != 1) {
                return false;
            }
        }
        return pagesServed.size() == pages;
    }

    int pagesServed() {
        return pagesServed.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    /** Forgets the counts (not the spent rate limit): the connection tests before the job are not the job's. */
    void resetCounts() {
        requests.set(0);
        unauthorized.set(0);
        rateLimited.set(0);
        refused.set(0);
        pastTheEnd.set(0);
        pagesServed.clear();
        lastRefusal = null;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    // --- the endpoint ---

    private void handle(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            requests.incrementAndGet();
            answer(exchange, body);
        } catch (RuntimeException e) {
            // A bug in the stub: a 500 fails the job with a status the report shows, where a dropped connection would
            // be retried and blur the figures.
            refuse(exchange, 500, "stub failure: " + e);
        } finally {
            exchange.close();
        }
    }

    private void answer(HttpExchange exchange, byte[] body) throws IOException {
        if (!SEARCH_PATH.equals(exchange.getRequestURI().getPath())) {
            refuse(exchange, 404, "no such endpoint: " + exchange.getRequestURI().getPath());
            return;
        }
        if (!"POST".equals(exchange.getRequestMethod())) {
            refuse(exchange, 405, "people search is a POST, got " + exchange.getRequestMethod());
            return;
        }
        if (!apiKey.equals(exchange.getRequestHeaders().getFirst("X-Api-Key"))) {
            unauthorized.incrementAndGet();
            // Apollo's answer to a missing or unknown key: 401 and a JSON error, no people.
            reply(exchange, 401, JSON.createObjectNode().put("error", "Invalid access credentials.")
                    .put("error_code", "INVALID_API_KEY"), null);
            return;
        }
        ObjectNode request = parse(exchange, body);
        if (request == null) {
            return;
        }
        int page = request.get("page").intValue();
        int perPage = request.get("per_page").intValue();
        if (page == RATE_LIMITED_PAGE && rateLimitSpent.compareAndSet(false, true)) {
            rateLimited.incrementAndGet();
            reply(exchange, 429, JSON.createObjectNode().put("message", "The maximum number of api calls allowed "
                    + "for api/v1/mixed_people/search is reached. Please retry later."), "1");
            return;
        }
        reply(exchange, 200, page(page, perPage), null);
    }

    /** The body as Apollo would accept it from the connector, or null after answering 422 (or 415). */
    private ObjectNode parse(HttpExchange exchange, byte[] body) throws IOException {
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            refuse(exchange, 415, "Content-Type must be application/json, got " + type);
            return null;
        }
        JsonNode parsed;
        try {
            parsed = JSON.readTree(body);
        } catch (IOException e) {
            refuse(exchange, 422, "the body is not JSON");
            return null;
        }
        if (!(parsed instanceof ObjectNode request)) {
            refuse(exchange, 422, "the body is not a JSON object");
            return null;
        }
        if (!integral(request.get("page"), 1, MAX_PAGE) || !integral(request.get("per_page"), 1, MAX_PER_PAGE)) {
            refuse(exchange, 422, "page (1.." + MAX_PAGE + ") and per_page (1.." + MAX_PER_PAGE
                    + ") must be integers in the body, got " + request.get("page") + " / " + request.get("per_page"));
            return null;
        }
        ObjectNode filters = request.deepCopy();
        filters.remove("page");
        filters.remove("per_page");
        // A data source's connection test has no job, hence no criteria: it asks for the first page unfiltered.
        if (!filters.equals(criteria) && !filters.isEmpty()) {
            refuse(exchange, 422, "the body's filters are not the job's search criteria: " + filters);
            return null;
        }
        return request;
    }

    private static boolean integral(JsonNode node, int min, int max) {
        return node != null && node.isIntegralNumber() && node.canConvertToInt() && node.intValue() >= min
                && node.intValue() <= max;
    }

    private ObjectNode page(int page, int perPage) {
        int totalPages = totalPages(perPage);
        ObjectNode answer = JSON.createObjectNode();
        answer.putArray("breadcrumbs");
        answer.put("partial_results_only", false);
        answer.putArray("contacts");
        ArrayNode people = answer.putArray("people");
        int first = (page - 1) * perPage + 1;
        for (int n = first; n < first + perPage && n <= total; n++) {
            people.add(person(n));
        }
        if (people.isEmpty()) {
            pastTheEnd.incrementAndGet();
        } else {
            pagesServed.computeIfAbsent(page, p -> new AtomicInteger()).incrementAndGet();
        }
        answer.putObject("pagination").put("page", page).put("per_page", perPage).put("total_entries", total)
                .put("total_pages", totalPages);
        return answer;
    }

    /** Person {@code n}, shaped like an item of Apollo's {@code people[]} (fields the connector ignores included). */
    private ObjectNode person(int n) {
        String first = "Ada";
        String last = "Apollo" + n;
        String email = invalidEmail(n) ? "not-an-email-" + tag + "-" + n
                : "apollo-" + tag + "-" + (duplicate(n) ? original(n) : n) + "@example.com";
        int organization = n % 997;
        // +1 212 300-0001 upwards: valid US numbers (area code 212, exchange 300..301), one per person.
        String digits = String.valueOf(3_000_000 + n);
        ObjectNode person = JSON.createObjectNode();
        person.put("id", String.format(Locale.ROOT, "65a0%020x", n));
        person.put("first_name", first);
        person.put("last_name", last);
        person.put("name", first + " " + last);
        person.put("linkedin_url", "http://www.linkedin.com/in/apollo-" + tag + "-" + n);
        person.put("title", TITLES[n % TITLES.length]);
        person.put("email_status", invalidEmail(n) ? "unavailable" : "verified");
        person.put("email", email);
        person.put("organization_id", String.format(Locale.ROOT, "65b0%020x", organization));
        ObjectNode phone = person.putArray("phone_numbers").addObject();
        phone.put("raw_number", "+1 212-" + digits.substring(0, 3) + "-" + digits.substring(3));
        phone.put("sanitized_number", "+1212" + digits);
        phone.put("type", "work_direct");
        phone.put("position", 0);
        phone.put("status", "valid_number");
        person.putObject("organization").put("id", String.format(Locale.ROOT, "65b0%020x", organization))
                .put("name", "Apollo Bench Co " + organization)
                .put("primary_domain", "bench-co-" + organization + ".example.com");
        return person;
    }

    private void refuse(HttpExchange exchange, int status, String why) throws IOException {
        refused.incrementAndGet();
        lastRefusal = status + ": " + why;
        reply(exchange, status, JSON.createObjectNode().put("error", why), null);
    }

    private static void reply(HttpExchange exchange, int status, ObjectNode body, String retryAfter)
            throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        if (retryAfter != null) {
            exchange.getResponseHeaders().set("Retry-After", retryAfter);
        }
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
