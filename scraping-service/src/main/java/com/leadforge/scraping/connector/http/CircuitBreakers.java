package com.leadforge.scraping.connector.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.leadforge.scraping.connector.ConnectorException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * One circuit breaker per data source, in memory, per replica: after {@code failure-threshold} consecutive failed
 * requests (timeouts, I/O errors, 429 and 5xx answers) to one source, requests to it fail at once for
 * {@code cooldown}, so a source that is down is not hammered by every job and retry of the agency. After the
 * cooldown one request is let through (half-open): success closes the breaker, failure opens it for another cooldown.
 * Any answer that is not a failure (2xx, 401, 404 ...) closes it: the source is up, whatever it thinks of the request.
 * <p>
 * Bounded: only sources with at least one recent failure have an entry; at most {@link #MAX_TRACKED} of them.
 */
@ApplicationScoped
public class CircuitBreakers {

    static final int MAX_TRACKED = 10_000;

    private record State(int failures, Instant openUntil) {
    }

    private final Map<UUID, State> states = new ConcurrentHashMap<>();
    private final int threshold;
    private final Duration cooldown;
    private final Clock clock;

    @Inject
    public CircuitBreakers(
            @ConfigProperty(name = "leadforge.connectors.http.breaker.failure-threshold", defaultValue = "5") int threshold,
            @ConfigProperty(name = "leadforge.connectors.http.breaker.cooldown", defaultValue = "60s") Duration cooldown) {
        this(threshold, cooldown, Clock.systemUTC());
    }

    CircuitBreakers(int threshold, Duration cooldown, Clock clock) {
        this.threshold = Math.max(1, threshold);
        this.cooldown = cooldown;
        this.clock = clock;
    }

    /** Throws when the source's breaker is open; lets the request through when closed or half-open. */
    public void check(UUID source) {
        State state = states.get(source);
        if (state != null && state.openUntil() != null) {
            Duration left = Duration.between(clock.instant(), state.openUntil());
            if (!left.isNegative() && !left.isZero()) {
                throw new ConnectorException("The source failed " + state.failures() + " requests in a row; not "
                        + "calling it again for " + Math.max(1, left.toSeconds()) + " s (circuit breaker open)");
            }
        }
    }

    public void success(UUID source) {
        states.remove(source);
    }

    public void failure(UUID source) {
        if (states.size() >= MAX_TRACKED && !states.containsKey(source)) {
            // Many sources failing at once: forget the closed ones first; open ones keep protecting their source.
            states.values().removeIf(state -> state.openUntil() == null);
        }
        states.compute(source, (id, state) -> {
            int failures = state == null ? 1 : state.failures() + 1;
            Instant openUntil = failures >= threshold ? clock.instant().plus(cooldown) : null;
            return new State(failures, openUntil);
        });
    }

    /** Forgets the source's failures: its config or credentials changed, the old failures say nothing any more. */
    public void reset(UUID source) {
        states.remove(source);
    }

    public boolean isOpen(UUID source) {
        try {
            check(source);
            return false;
        } catch (ConnectorException e) {
            return true;
        }
    }
}
