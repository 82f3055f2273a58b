package com.leadforge.gateway.edge;

import java.lang.reflect.Field;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.leadforge.gateway.routing.ProblemResponses;
import com.leadforge.shared.problem.Problem;
import com.leadforge.shared.problem.ProblemType;

import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.Handler;
import io.vertx.core.Verticle;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.impl.Deployment;
import io.vertx.core.impl.VertxInternal;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * Requests the HTTP codec rejects before any route sees them — a request line over
 * {@code quarkus.http.limits.max-initial-line-length} (414), headers over {@code max-header-size} (431), anything that
 * is not valid HTTP/1.x (400) — get a problem+json answer like every other refusal, instead of Vert.x's bare status.
 * <p>
 * Vert.x answers these through {@code HttpServer#invalidRequestHandler}, which Quarkus 3.34 neither sets nor exposes
 * (quarkus#55082; the server is created and listening before any application code runs). So once the server has
 * started, this installs the handler on the connection handler of every main HTTP server instance, reaching them
 * through Vert.x's deployments by reflection. This depends on Vert.x 4.5 / Quarkus 3.34 internals: if they change, the
 * installation logs an error and the gateway keeps Vert.x's bare answers (InvalidRequestTest fails), nothing worse.
 * Remove it once Quarkus sets an invalid-request handler itself.
 */
@Singleton
@RegisterForReflection(classNames = { "io.quarkus.vertx.http.runtime.VertxHttpRecorder$WebDeploymentVerticle",
        "io.vertx.core.net.impl.TCPServerBase", "io.vertx.core.http.impl.HttpServerWorker",
        "io.vertx.core.http.impl.HttpServerConnectionHandler" }, fields = true)
public class InvalidRequests {

    private static final Logger LOG = Logger.getLogger(InvalidRequests.class);
    private static final java.time.Duration INSTALL_DEADLINE = java.time.Duration.ofSeconds(60);
    private static final long INSTALL_POLL_MILLIS = 10;
    private static final String WEB_VERTICLE = "io.quarkus.vertx.http.runtime.VertxHttpRecorder$WebDeploymentVerticle";

    private final ProblemResponses problems;
    private final int maxInitialLineLength;
    private final MemorySize maxHeaderSize;

    public InvalidRequests(ProblemResponses problems,
            @ConfigProperty(name = "quarkus.http.limits.max-initial-line-length") int maxInitialLineLength,
            @ConfigProperty(name = "quarkus.http.limits.max-header-size") MemorySize maxHeaderSize) {
        this.problems = problems;
        this.maxInitialLineLength = maxInitialLineLength;
        this.maxHeaderSize = maxHeaderSize;
    }

    /**
     * Quarkus deploys its HTTP server verticles after the startup event: installs as soon as they are deployed (checked
     * every few milliseconds, for at most {@link #INSTALL_DEADLINE}).
     */
    void install(@Observes StartupEvent started, Vertx vertx) {
        if (tryInstall(vertx) > 0) {
            return;
        }
        long deadline = System.nanoTime() + INSTALL_DEADLINE.toNanos();
        vertx.setPeriodic(INSTALL_POLL_MILLIS, timer -> {
            int installed = tryInstall(vertx);
            if (installed != 0) {
                vertx.cancelTimer(timer);
            } else if (System.nanoTime() > deadline) {
                vertx.cancelTimer(timer);
                LOG.error("Found no HTTP server to install the problem+json answer for invalid HTTP requests on; "
                        + "they get Vert.x's bare status instead");
            }
        });
    }

    /** The number of server instances the handler was installed on; -1 when installing failed for good. */
    private int tryInstall(Vertx vertx) {
        Handler<HttpServerRequest> handler = this::answer;
        int installed = 0;
        try {
            VertxInternal internal = (VertxInternal) vertx;
            for (String id : vertx.deploymentIDs()) {
                Deployment deployment = internal.getDeployment(id);
                if (deployment == null) {
                    continue;
                }
                for (Verticle verticle : deployment.getVerticles()) {
                    if (verticle.getClass().getName().equals(WEB_VERTICLE)) {
                        installed += install(verticle, "httpServer", handler);
                        installed += install(verticle, "httpsServer", handler);
                    }
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.errorf("Could not install the problem+json answer for invalid HTTP requests (%s); they get Vert.x's "
                    + "bare status instead", e.toString());
            return -1;
        }
        if (installed > 0) {
            LOG.debugf("Invalid HTTP requests answered as problem+json on %d server instance(s)", installed);
        }
        return installed;
    }

    private static int install(Verticle verticle, String serverField, Handler<HttpServerRequest> handler)
            throws ReflectiveOperationException {
        HttpServer server = (HttpServer) read(verticle, verticle.getClass(), serverField);
        if (server == null) {
            return 0;
        }
        Object worker = read(server, Class.forName("io.vertx.core.net.impl.TCPServerBase"), "childHandler");
        if (worker == null) {
            return 0;
        }
        Object connectionHandler = read(worker, worker.getClass(), "connectionHandler");
        Field invalidRequestHandler = connectionHandler.getClass().getDeclaredField("invalidRequestHandler");
        invalidRequestHandler.setAccessible(true);
        invalidRequestHandler.set(connectionHandler, handler);
        return 1;
    }

    private static Object read(Object target, Class<?> declaring, String name) throws ReflectiveOperationException {
        Field field = declaring.getDeclaredField(name);
        field.setAccessible(true);
        return field.get(target);
    }

    /** Answers an invalid request; the connection closes after the answer (the codec discards the rest). */
    void answer(HttpServerRequest request) {
        DecoderResult result = request.decoderResult();
        Throwable cause = result == null ? null : result.cause();
        ProblemType type;
        String detail;
        if (cause instanceof TooLongHttpLineException) {
            type = ProblemType.URI_TOO_LONG;
            detail = "The request line is longer than " + maxInitialLineLength + " bytes";
        } else if (cause instanceof TooLongHttpHeaderException) {
            type = ProblemType.HEADERS_TOO_LARGE;
            detail = "The request headers are larger than " + maxHeaderSize.asLongValue() + " bytes";
        } else {
            type = ProblemType.MALFORMED_REQUEST;
            detail = "The request is not valid HTTP/1.1";
        }
        String requestId = UUID.randomUUID().toString();
        LOG.debugf("Refused invalid HTTP request %s from %s: %s", requestId,
                request.remoteAddress() == null ? "?" : request.remoteAddress().hostAddress(),
                cause == null ? "unknown" : cause.getMessage());
        request.response().setStatusCode(type.status())
                .putHeader("Content-Type", Problem.MEDIA_TYPE)
                .putHeader("X-Request-Id", requestId)
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Cache-Control", "no-store")
                .putHeader("Connection", "close")
                .end(problems.render(type, detail, null, requestId));
    }
}
