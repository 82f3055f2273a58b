package com.leadforge.scraping.connector.http;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadforge.scraping.connector.ConnectorException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Fetches one JSON page from a source: timeouts on connecting, on the answer and on the whole page; retries with
 * exponential backoff (and jitter) on 429, 502, 503, 504, timeouts and I/O errors, honouring {@code Retry-After}
 * (seconds or an HTTP date, capped); at most {@code max-attempts} attempts within the page's time budget; 401 and
 * 403 are "credentials refused" at once. Every attempt goes through the source's {@link CircuitBreakers circuit
 * breaker}. Answers larger than {@code max-response-size} are refused, redirects are not followed (they could carry
 * the credentials to another host). Failure messages name the page and the HTTP status, never a header or a body.
 */
@ApplicationScoped
public class SourceHttp {

    private static final Logger LOG = Logger.getLogger(SourceHttp.class);
    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpTuning tuning;
    private final CircuitBreakers breakers;
    private final HttpClient client;

    @Inject
    public SourceHttp(HttpTuning tuning, CircuitBreakers breakers) {
        this.tuning = tuning;
        this.breakers = breakers;
        this.client = HttpClient.newBuilder().connectTimeout(tuning.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1).build();
    }

    public HttpTuning tuning() {
        return tuning;
    }

    public CircuitBreakers breakers() {
        return breakers;
    }

    /**
     * The page as JSON.
     *
     * @param what the page, for messages ("page 3")
     * @param budget the time all attempts and waits together may take
     * @param trial a connection test a person asked for: it is made even when the breaker is open, and its outcome
     *        counts like any other request's
     * @throws ConnectorException when the page cannot be had
     */
    public JsonNode fetch(UUID source, SourceRequest request, String what, Duration budget, boolean trial) {
        long deadline = System.nanoTime() + budget.toNanos();
        for (int attempt = 1;; attempt++) {
            if (!trial || attempt > 1) {
                breakers.check(source);
            }
            long remaining = deadline - System.nanoTime();
            Duration timeout = Duration.ofNanos(Math.min(tuning.requestTimeout().toNanos(), remaining));
            if (timeout.toMillis() < 1) {
                throw new ConnectorException(capitalised(what) + ": no answer within the time budget of "
                        + seconds(budget));
            }
            Outcome outcome = send(request, timeout, deadline, timeout.compareTo(tuning.requestTimeout()) < 0
                    ? "no answer within the time budget of " + seconds(budget)
                    : "no answer within " + millis(timeout));
            if (outcome.status() >= 200 && outcome.status() < 300) {
                breakers.success(source);
                return parse(outcome.body(), what);
            }
            if (outcome.status() == 401 || outcome.status() == 403) {
                breakers.success(source);
                throw new ConnectorException(capitalised(what) + ": credentials refused (HTTP " + outcome.status()
                        + "); check the data source's credentials");
            }
            if (!outcome.retryable()) {
                if (outcome.status() >= 500) {
                    breakers.failure(source);
                } else {
                    breakers.success(source);
                }
                throw new ConnectorException(capitalised(what) + ": " + outcome.reason());
            }
            breakers.failure(source);
            if (attempt >= tuning.maxAttempts()) {
                throw new ConnectorException(capitalised(what) + ": " + outcome.reason() + ", still after "
                        + attempt + " attempts");
            }
            Duration wait = outcome.retryAfter().isPresent() ? min(outcome.retryAfter().get(), tuning.maxRetryAfter())
                    : backoff(attempt);
            if (System.nanoTime() + wait.toNanos() >= deadline) {
                throw new ConnectorException(capitalised(what) + ": " + outcome.reason() + "; no further attempt "
                        + "fits in the time budget of " + seconds(budget) + " (" + attempt + " attempts made)");
            }
            LOG.debugf("%s of source %s: %s; attempt %d in %d ms", what, source, outcome.reason(), attempt + 1,
                    wait.toMillis());
            pause(wait);
        }
    }

    /** What one attempt got: a status (0 when no answer), its body, why it failed, whether to retry. */
    record Outcome(int status, byte[] body, String reason, boolean retryable, Optional<Duration> retryAfter) {
    }

    private Outcome send(SourceRequest request, Duration timeout, long deadline, String noAnswer) {
        try {
            refusePrivateAddresses(request);
        } catch (UnknownHostException e) {
            return new Outcome(0, null, "the host name " + request.uri().getHost() + " does not resolve", true,
                    Optional.empty());
        }
        HttpRequest built;
        try {
            HttpRequest.Builder builder = HttpRequest.newBuilder(request.uri()).timeout(timeout)
                    .header("Accept", "application/json").header("User-Agent", "LeadForge-connector/1");
            request.headers().forEach(builder::setHeader);
            if (request.body() != null) {
                builder.header("Content-Type", "application/json")
                        .method(request.method(), HttpRequest.BodyPublishers.ofByteArray(request.body()));
            } else {
                builder.method(request.method(), HttpRequest.BodyPublishers.noBody());
            }
            built = builder.build();
        } catch (IllegalArgumentException e) {
            // A header the HTTP client refuses (a restricted name from the credentials): no attempt can succeed.
            return new Outcome(0, null, "the request cannot be sent: a header name or value is not acceptable", false,
                    Optional.empty());
        }
        CompletableFuture<HttpResponse<byte[]>> call = client.sendAsync(built,
                info -> new BoundedBody(tuning.maxResponseBytes()));
        try {
            // The request timeout covers the answer's head; the whole page, body included, must fit the budget.
            long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
            HttpResponse<byte[]> response = call.get(Math.min(left, timeout.toMillis() * 2), TimeUnit.MILLISECONDS);
            return classify(response);
        } catch (TimeoutException e) {
            call.cancel(true);
            return new Outcome(0, null, noAnswer, true, Optional.empty());
        } catch (InterruptedException e) {
            call.cancel(true);
            Thread.currentThread().interrupt();
            throw new ConnectorException("Interrupted while reading the source");
        } catch (ExecutionException e) {
            return failed(e.getCause(), noAnswer);
        }
    }

    private Outcome failed(Throwable cause, String noAnswer) {
        if (cause instanceof TooLargeException) {
            return new Outcome(0, null, "the answer is larger than " + tuning.maxResponseBytes() + " bytes", false,
                    Optional.empty());
        }
        if (cause instanceof HttpConnectTimeoutException) {
            return new Outcome(0, null, "could not connect within " + millis(tuning.connectTimeout()), true,
                    Optional.empty());
        }
        if (cause instanceof HttpTimeoutException) {
            return new Outcome(0, null, noAnswer, true, Optional.empty());
        }
        if (cause instanceof ConnectException) {
            return new Outcome(0, null, "the connection was refused", true, Optional.empty());
        }
        if (cause instanceof IOException) {
            return new Outcome(0, null, "I/O error (" + cause.getClass().getSimpleName() + ")", true,
                    Optional.empty());
        }
        if (cause instanceof IllegalArgumentException) {
            // A header value the HTTP client refuses (config headers are checked at validation; this is a backstop).
            return new Outcome(0, null, "the request cannot be sent: a header is not acceptable", false,
                    Optional.empty());
        }
        return new Outcome(0, null, "the request failed (" + cause.getClass().getSimpleName() + ")", true,
                Optional.empty());
    }

    private static Outcome classify(HttpResponse<byte[]> response) {
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return new Outcome(status, response.body(), null, false, Optional.empty());
        }
        boolean retryable = status == 429 || status == 502 || status == 503 || status == 504;
        Optional<Duration> retryAfter = retryable
                ? response.headers().firstValue("Retry-After").flatMap(RetryAfter::parse)
                : Optional.empty();
        String reason = status == 429 ? "rate limited by the source (HTTP 429)"
                : status >= 300 && status < 400 ? "the source answered HTTP " + status
                        + " (a redirect, which is not followed: configure the final URL)"
                : "the source answered HTTP " + status;
        return new Outcome(status, null, reason, retryable, retryAfter);
    }

    private static JsonNode parse(byte[] body, String what) {
        try {
            JsonNode json = JSON.readTree(body);
            if (json == null || json.isMissingNode()) {
                throw new ConnectorException(capitalised(what) + " of the source is empty, not JSON");
            }
            return json;
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " (at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
            throw new ConnectorException(capitalised(what) + " of the source is not valid JSON" + where);
        } catch (IOException e) {
            throw new ConnectorException(capitalised(what) + " of the source could not be read");
        }
    }

    private void refusePrivateAddresses(SourceRequest request) throws UnknownHostException {
        if (tuning.allowPrivateNetworks()) {
            return;
        }
        for (InetAddress address : InetAddress.getAllByName(request.uri().getHost())) {
            if (isPrivate(address)) {
                throw new ConnectorException("The source's host " + request.uri().getHost() + " resolves to a "
                        + "private, loopback or link-local address, which connectors may not reach");
            }
        }
    }

    /** Loopback, wildcard, link-local (cloud metadata), private, carrier-grade NAT, unique-local or multicast. */
    static boolean isPrivate(InetAddress address) {
        if (address.isLoopbackAddress() || address.isAnyLocalAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            return (bytes[0] & 0xff) == 100 && (bytes[1] & 0xc0) == 64; // 100.64.0.0/10
        }
        if (address instanceof Inet6Address) {
            return (bytes[0] & 0xfe) == 0xfc; // fc00::/7
        }
        return false;
    }

    private Duration backoff(int attempt) {
        long base = tuning.initialBackoff().toMillis() << Math.min(attempt - 1, 20);
        long capped = Math.min(base, tuning.maxBackoff().toMillis());
        // Jitter (half to all of it): jobs that failed together do not all come back at the same instant.
        return Duration.ofMillis(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
    }

    private static void pause(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectorException("Interrupted while waiting to retry the source");
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static String seconds(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() / 1000.0 + " s";
    }

    private static String millis(Duration duration) {
        return duration.toMillis() >= 1000 ? seconds(duration) : duration.toMillis() + " ms";
    }

    static String capitalised(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    /** {@code Retry-After}: delay-seconds or an HTTP date. */
    static final class RetryAfter {

        static Optional<Duration> parse(String value) {
            return parse(value, ZonedDateTime.now(java.time.ZoneOffset.UTC));
        }

        static Optional<Duration> parse(String value, ZonedDateTime now) {
            String text = value == null ? "" : value.trim();
            if (text.matches("\\d{1,9}")) {
                return Optional.of(Duration.ofSeconds(Long.parseLong(text)));
            }
            try {
                ZonedDateTime at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration until = Duration.between(now, at);
                return Optional.of(until.isNegative() ? Duration.ZERO : until);
            } catch (DateTimeParseException e) {
                return Optional.empty(); // unreadable: the exponential backoff applies
            }
        }

        private RetryAfter() {
        }
    }

    /** The answer's body, refused once it grows past the limit (without reading the rest). */
    static final class TooLargeException extends IOException {
        TooLargeException() {
            super("answer too large");
        }
    }

    private static final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {

        private final long limit;
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final List<ByteBuffer> parts = new ArrayList<>();
        private long size;
        private Flow.Subscription subscription;

        BoundedBody(long limit) {
            this.limit = limit;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (result.isDone()) {
                return;
            }
            for (ByteBuffer item : items) {
                size += item.remaining();
                if (size > limit) {
                    subscription.cancel();
                    parts.clear();
                    result.completeExceptionally(new TooLargeException());
                    return;
                }
                parts.add(item);
            }
        }

        @Override
        public void onError(Throwable throwable) {
            parts.clear();
            result.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            if (result.isDone()) {
                return;
            }
            byte[] bytes = new byte[(int) size];
            int position = 0;
            for (ByteBuffer part : parts) {
                int length = part.remaining();
                part.get(bytes, position, length);
                position += length;
            }
            parts.clear();
            result.complete(bytes);
        }
    }
}
