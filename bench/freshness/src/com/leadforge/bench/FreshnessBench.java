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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadforge.stack.Stack;

/**
 * How fresh the event-fed read models are, end to end on the real stack (PostgreSQL, Kafka, Keycloak, the five
 * services as processes, on free ports): the time from a lead write's 201 until analytics' overview and the campaign's
 * counters show it, at a steady write rate; and the time from a campaign's 201 until lead-service accepts a lead into
 * it. Not a test: it prints percentiles against the target (p95 under 150 ms) and exits 0 either way.
 *
 * <p>Arguments: writes per second, seconds of writing, campaign samples, work directory.
 */
public final class FreshnessBench {

    static final double TARGET_P95_MS = 150;
    static final String WRITER = "researcher-acme";
    static final String ADMIN = "admin-acme";
    static final String PASSWORD = "leadforge";
    static final long POLL_EVERY_MILLIS = 5;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Stack stack;
    private String writerToken;
    private String adminToken;

    private FreshnessBench(Stack stack) {
        this.stack = stack;
    }

    public static void main(String[] args) throws Exception {
        int rate = Integer.parseInt(args[0]);
        int seconds = Integer.parseInt(args[1]);
        int campaignSamples = Integer.parseInt(args[2]);
        Path work = Path.of(args[3]).toAbsolutePath();
        Path root = Path.of(".").toAbsolutePath().normalize();
        Path keycloak = Path.of(System.getProperty("leadforge.keycloak.dist"));
        deleteRecursively(work);

        long starting = System.nanoTime();
        System.out.println("Starting PostgreSQL, Kafka, Keycloak and the five services on free ports (logs: "
                + work.resolve("logs") + ") ...");
        try (Stack stack = Stack.start(new Stack.Layout(root, keycloak, work, false, Stack.StackPorts.free()))) {
            System.out.printf("Stack up in %.1f s.%n", (System.nanoTime() - starting) / 1e9);
            FreshnessBench bench = new FreshnessBench(stack);
            bench.refreshTokens();
            bench.warmUp();
            bench.leadWrites(rate, seconds);
            bench.campaignsUsableByLeadService(campaignSamples);
        }
    }

    // ---- lead write -> visible in analytics and in the campaign counters

    private void warmUp() {
        System.out.println("Warming up (40 leads, not measured) ...");
        String campaign = createCampaign();
        awaitAccepted(campaign);
        long target = analyticsTotal() + 39;
        for (int i = 0; i < 39; i++) {
            createLead(campaign);
        }
        awaitCount("warm-up leads in analytics", this::analyticsTotal, target, Duration.ofSeconds(60));
    }

    private void leadWrites(int rate, int seconds) throws Exception {
        refreshTokens();
        String campaign = createCampaign();
        awaitAccepted(campaign);
        awaitCount("the first lead counted", () -> leadsCount(campaign), 1, Duration.ofSeconds(60));
        long analyticsBase = analyticsTotal();
        long countersBase = leadsCount(campaign);
        System.out.printf("Writing leads at %d/s for %d s through the gateway; one poller reads the overview and the "
                + "campaign every %d ms ...%n", rate, seconds, POLL_EVERY_MILLIS);

        ConcurrentLinkedQueue<Long> acknowledgedAt = new ConcurrentLinkedQueue<>();
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger skipped = new AtomicInteger();
        AtomicInteger inFlight = new AtomicInteger();
        int clients = 8;
        ExecutorService requests = Executors.newFixedThreadPool(clients);
        ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor();
        ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor();
        Visibility analytics = new Visibility(analyticsBase);
        Visibility counters = new Visibility(countersBase);
        AtomicLong polls = new AtomicLong();
        poller.scheduleWithFixedDelay(() -> {
            polls.incrementAndGet();
            try {
                analytics.observe(analyticsTotal(), System.nanoTime());
                counters.observe(leadsCount(campaign), System.nanoTime());
            } catch (RuntimeException e) {
                // a failed poll is just a missed sample point
            }
        }, 0, POLL_EVERY_MILLIS, TimeUnit.MILLISECONDS);
        ScheduledFuture<?> writing = ticks.scheduleAtFixedRate(() -> {
            if (inFlight.get() >= clients) {
                skipped.incrementAndGet();
                return;
            }
            inFlight.incrementAndGet();
            requests.execute(() -> {
                try {
                    if (createLead(campaign) != null) {
                        acknowledgedAt.add(System.nanoTime());
                    } else {
                        refused.incrementAndGet();
                    }
                } finally {
                    inFlight.decrementAndGet();
                }
            });
        }, 0, 1_000_000L / rate, TimeUnit.MICROSECONDS);
        // Write for the given time. (Not ticks.shutdown(): that cancels a periodic task at once.)
        try {
            writing.get(seconds, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException timeUp) {
            writing.cancel(false);
        }
        ticks.shutdownNow();
        requests.shutdown();
        requests.awaitTermination(30, TimeUnit.SECONDS);
        int written = acknowledgedAt.size();
        awaitCount("every lead in analytics", () -> analytics.seen, analyticsBase + written, Duration.ofSeconds(120));
        awaitCount("every lead in the campaign counters", () -> counters.seen, countersBase + written,
                Duration.ofSeconds(120));
        poller.shutdownNow();

        List<Long> acks = new ArrayList<>(acknowledgedAt);
        Collections.sort(acks);
        System.out.printf("%d leads acknowledged (%d refused, %d ticks skipped with %d requests in flight), %d polls%n",
                written, refused.get(), skipped.get(), clients, polls.get());
        print("lead write -> analytics overview", analytics.lags(acks), "");
        print("lead write -> campaign counters", counters.lags(acks), "");
    }

    /**
     * When each count was first seen. Counters say how many, not which: the k-th acknowledged write (in order of its
     * 201) is taken as visible when the count first reached base + k, which is exact when events apply in order and
     * otherwise pairs each write with an equally late neighbour.
     */
    private static final class Visibility {
        private final long base;
        private final List<Long> firstSeenAt = Collections.synchronizedList(new ArrayList<>());
        private volatile long seen;

        Visibility(long base) {
            this.base = base;
            this.seen = base;
        }

        void observe(long count, long at) {
            while (seen < count) {
                firstSeenAt.add(at);
                seen++;
            }
        }

        List<Double> lags(List<Long> acks) {
            List<Double> lags = new ArrayList<>();
            for (int k = 0; k < acks.size() && k < firstSeenAt.size(); k++) {
                lags.add(Math.max(0, firstSeenAt.get(k) - acks.get(k)) / 1e6);
            }
            return lags;
        }
    }

    // ---- campaign create -> lead-service accepts a lead into it

    private void campaignsUsableByLeadService(int samples) {
        refreshTokens();
        System.out.printf("Creating %d campaigns; after each 201, a lead into it until lead-service accepts one ...%n",
                samples);
        List<Double> lags = new ArrayList<>();
        int firstTry = 0;
        int maxAttempts = 0;
        for (int i = 0; i < samples; i++) {
            String campaign = createCampaign();
            long created = System.nanoTime();
            int attempts = awaitAccepted(campaign);
            lags.add((System.nanoTime() - created) / 1e6);
            firstTry += attempts == 1 ? 1 : 0;
            maxAttempts = Math.max(maxAttempts, attempts);
        }
        print("campaign create -> lead accepted", lags, ", accepted on the first try %d/%d (most attempts %d)"
                .formatted(firstTry, samples, maxAttempts));
    }

    /** POSTs leads into {@code campaign} every 5 ms until one is accepted; returns the attempts it took. */
    private int awaitAccepted(String campaign) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        int attempts = 0;
        while (System.nanoTime() < deadline) {
            attempts++;
            if (createLead(campaign) != null) {
                return attempts;
            }
            pause(POLL_EVERY_MILLIS);
        }
        throw new IllegalStateException("lead-service did not accept leads into campaign " + campaign + " in 60 s");
    }

    // ---- API

    private String createCampaign() {
        JsonNode created = send("POST", stack.gatewayUrl() + "/api/v1/campaigns", adminToken,
                "{\"name\":\"freshness " + UUID.randomUUID() + "\",\"status\":\"active\"}", 201);
        return created.path("id").asText();
    }

    /** The new lead's id, or null if it was not accepted. */
    private String createLead(String campaign) {
        String unique = UUID.randomUUID().toString();
        try {
            HttpResponse<String> response = HTTP.send(request("POST", stack.gatewayUrl() + "/api/v1/leads", writerToken,
                    """
                    {"first_name":"Fresh","last_name":"%1$s","email":"fresh-%1$s@example.com","campaign_id":"%2$s"}"""
                            .formatted(unique, campaign)), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 201 ? JSON.readTree(response.body()).path("id").asText() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private long analyticsTotal() {
        return send("GET", stack.serviceUrl("analytics-service") + "/api/v1/analytics/overview", writerToken, null, 200)
                .path("overview").path("leads").path("total").asLong();
    }

    private long leadsCount(String campaign) {
        return send("GET", stack.serviceUrl("campaign-service") + "/api/v1/campaigns/" + campaign, adminToken, null,
                200).path("leads_count").asLong();
    }

    private JsonNode send(String method, String url, String token, String body, int expected) {
        try {
            HttpResponse<String> response = HTTP.send(request(method, url, token, body),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != expected) {
                throw new IllegalStateException(method + " " + url + " answered " + response.statusCode() + ": "
                        + response.body());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + url + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static HttpRequest request(String method, String url, String token, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token);
        if (body == null) {
            return request.method(method, HttpRequest.BodyPublishers.noBody()).build();
        }
        return request.header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build();
    }

    /** Fresh tokens for each phase (they live 15 minutes). */
    private void refreshTokens() {
        writerToken = token(WRITER);
        adminToken = token(ADMIN);
    }

    private String token(String user) {
        String form = "grant_type=password&client_id=leadforge-cli&username=" + URLEncoder.encode(user,
                StandardCharsets.UTF_8) + "&password=" + PASSWORD;
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(stack.tokenEndpoint()))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("token for " + user + ": " + response.statusCode());
            }
            return JSON.readTree(response.body()).path("access_token").asText();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ---- numbers

    private static void print(String what, List<Double> millis, String extra) {
        if (millis.isEmpty()) {
            System.out.printf("%-34s no samples%n", what);
            return;
        }
        List<Double> sorted = new ArrayList<>(millis);
        sorted.sort(Comparator.naturalOrder());
        double p95 = percentile(sorted, 95);
        System.out.printf(Locale.ROOT, "%-34s n=%-5d p50 %7.1f ms  p95 %7.1f ms  p99 %7.1f ms  max %7.1f ms  "
                + "target p95 < %.0f ms: %s%s%n", what, sorted.size(), percentile(sorted, 50), p95,
                percentile(sorted, 99), sorted.get(sorted.size() - 1), TARGET_P95_MS,
                p95 < TARGET_P95_MS ? "met" : "MISSED", extra);
    }

    /** Nearest-rank percentile of an ascending list. */
    static double percentile(List<Double> ascending, double percent) {
        int rank = (int) Math.ceil(percent / 100.0 * ascending.size());
        return ascending.get(Math.max(0, Math.min(ascending.size() - 1, rank - 1)));
    }

    private static void awaitCount(String what, LongSupplier count, long target, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long last = -1;
        while (System.nanoTime() < deadline) {
            try {
                last = count.getAsLong();
                if (last >= target) {
                    return;
                }
            } catch (RuntimeException e) {
                // not answering yet
            }
            pause(20);
        }
        throw new IllegalStateException("Timed out waiting for " + what + ": " + last + " of " + target);
    }

    /** A poll interval (this is a benchmark driver, not a test). */
    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
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
