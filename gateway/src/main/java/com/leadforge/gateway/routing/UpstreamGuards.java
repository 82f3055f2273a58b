package com.leadforge.gateway.routing;

import java.net.ConnectException;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.faulttolerance.api.TypedGuard;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import jakarta.enterprise.util.TypeLiteral;
import jakarta.inject.Singleton;

/**
 * One circuit breaker per downstream service (SmallRye Fault Tolerance), so a failing service is answered 503 at once
 * without tying up connections, and never opens another service's breaker. Around it, GET, HEAD and OPTIONS are
 * retried when the connection could not be made: nothing was sent, so a retry cannot repeat an effect. Other methods
 * are never retried.
 */
@Singleton
public class UpstreamGuards {

    private static final Logger LOG = Logger.getLogger(UpstreamGuards.class);
    private static final TypeLiteral<CompletionStage<HttpClientResponse>> EXCHANGE = new TypeLiteral<>() {
    };
    private static final Set<HttpMethod> IDEMPOTENT = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

    private final Map<String, TypedGuard<CompletionStage<HttpClientResponse>>> breakers = new LinkedHashMap<>();
    private final TypedGuard<CompletionStage<HttpClientResponse>> connectRetry;

    /** Each breaker's state for {@code leadforge_gateway_breaker_state{service}}: 0 closed, 1 open, 2 half-open. */
    private final Map<String, AtomicInteger> states = new ConcurrentHashMap<>();

    public UpstreamGuards(RouteTable routes, GatewayConfig config, MeterRegistry meters) {
        GatewayConfig.Resilience resilience = config.resilience();
        for (RouteTable.Route route : routes.routes()) {
            AtomicInteger state = states.computeIfAbsent(route.service(), service -> meters.gauge(
                    "leadforge.gateway.breaker.state", Tags.of("service", service), new AtomicInteger()));
            breakers.computeIfAbsent(route.service(), service -> TypedGuard.create(EXCHANGE)
                    .withDescription("upstream " + service)
                    .withCircuitBreaker()
                    .name("upstream-" + service)
                    .requestVolumeThreshold(resilience.breakerRequestVolume())
                    .failureRatio(resilience.breakerFailureRatio())
                    .delay(resilience.breakerDelay().toMillis(), ChronoUnit.MILLIS)
                    .successThreshold(1)
                    // An oversized body, or a client that hung up, is not the service's failure.
                    .skipOn(List.of(LimitedBody.TooLargeException.class, ApiProxy.ClientGoneException.class))
                    .onStateChange(changed -> {
                        state.set(gaugeValue(changed));
                        LOG.warnf("Circuit breaker of %s is now %s", service, changed);
                    })
                    .done()
                    .withThreadOffload(false)
                    .build());
        }
        long retryDelayMillis = resilience.retryDelay().toMillis();
        this.connectRetry = TypedGuard.create(EXCHANGE)
                .withDescription("connect retry for idempotent requests")
                .withRetry()
                .maxRetries(resilience.idempotentRetries())
                .delay(retryDelayMillis, ChronoUnit.MILLIS)
                .jitter(retryDelayMillis / 2, ChronoUnit.MILLIS)
                .whenException(UpstreamGuards::isConnectFailure)
                .done()
                .withThreadOffload(false)
                .build();
    }

    /**
     * Runs {@code exchange} (connect, send, receive the response head) through the service's breaker, retried on
     * connect failures if {@code method} is idempotent. The supplier may be called more than once.
     */
    public CompletionStage<HttpClientResponse> call(String service, HttpMethod method,
            Supplier<CompletionStage<HttpClientResponse>> exchange) {
        TypedGuard<CompletionStage<HttpClientResponse>> breaker = breakers.get(service);
        if (breaker == null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("No breaker for " + service));
        }
        try {
            if (IDEMPOTENT.contains(method)) {
                return connectRetry.call(() -> breaker.call(exchange::get));
            }
            return breaker.call(exchange::get);
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The state of {@code service}'s breaker as its gauge shows it (for tests and health). */
    int breakerState(String service) {
        AtomicInteger state = states.get(service);
        return state == null ? -1 : state.get();
    }

    private static int gaugeValue(CircuitBreakerState state) {
        return switch (state) {
            case CLOSED -> 0;
            case OPEN -> 1;
            case HALF_OPEN -> 2;
        };
    }

    static Throwable unwrap(Throwable failure) {
        Throwable current = failure;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    static boolean isConnectFailure(Throwable failure) {
        Throwable cause = unwrap(failure);
        return cause instanceof ConnectException || cause.getCause() instanceof ConnectException;
    }

    static boolean isBreakerOpen(Throwable failure) {
        return unwrap(failure) instanceof CircuitBreakerOpenException;
    }
}
