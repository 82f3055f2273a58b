package com.leadforge.gateway.edge;

import java.util.regex.Pattern;


import com.leadforge.gateway.routing.ProblemResponses;
import com.leadforge.shared.problem.ProblemType;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * Answers a request whose declared {@code Content-Length} is above {@code quarkus.http.limits.max-body-size} with 413
 * problem+json, ahead of Quarkus's own check (which answers a bare 413). Bodies without a length (chunked) are counted
 * while the proxy streams them ({@code ApiProxy}).
 */
@Singleton
public class BodySizeLimit {

    /** Quarkus's own body-size route has order -2. */
    private static final int BEFORE_QUARKUS_BODY_LIMIT = -3;
    private static final long DRAIN_LIMIT_MILLIS = 10_000;

    private final long maxBodyBytes;
    private final Pattern uploadPaths;
    private final long uploadMaxBodyBytes;
    private final ProblemResponses problems;

    /**
     * Limits from {@code leadforge.gateway.max-body-size} (every request but uploads) and
     * {@code leadforge.gateway.upload-paths}/{@code upload-max-body-size} (a scraping job's CSV file); Quarkus's own
     * limit ({@code quarkus.http.limits.max-body-size}) must be at least the upload one.
     */
    public BodySizeLimit(com.leadforge.gateway.routing.GatewayConfig config, ProblemResponses problems) {
        this.maxBodyBytes = config.maxBodySize().asLongValue();
        this.uploadPaths = Pattern.compile(config.uploadPaths());
        this.uploadMaxBodyBytes = config.uploadMaxBodySize().asLongValue();
        this.problems = problems;
    }

    /** The largest body a request to this (canonical) path may send. */
    public long maxBodyBytes(String path) {
        return path != null && uploadPaths.matcher(path).matches() ? uploadMaxBodyBytes : maxBodyBytes;
    }

    void register(@Observes Router router) {
        router.route().order(BEFORE_QUARKUS_BODY_LIMIT).handler(this::check);
    }

    void check(RoutingContext ctx) {
        String declared = ctx.request().getHeader("Content-Length");
        long length;
        try {
            length = declared == null ? -1 : Long.parseLong(declared.trim());
        } catch (NumberFormatException e) {
            problems.send(ctx, ProblemType.MALFORMED_REQUEST, "Content-Length is not a number",
                    ProblemResponses.requestIdOf(ctx));
            return;
        }
        long limit = maxBodyBytes(ctx.request().path());
        if (length > limit) {
            dropBodyThenClose(ctx);
            problems.send(ctx, ProblemType.PAYLOAD_TOO_LARGE, "The request body is larger than " + limit
                    + " bytes", ProblemResponses.requestIdOf(ctx));
            return;
        }
        ctx.next();
    }

    /**
     * Reads and drops the rest of the body so the client can read the answer instead of failing on a closed socket,
     * then closes the connection (the answer says {@code Connection: close}); a client still sending after
     * {@link #DRAIN_LIMIT_MILLIS} is cut off.
     */
    public static void dropBodyThenClose(RoutingContext ctx) {
        var request = ctx.request();
        var connection = request.connection();
        if (!ctx.response().headWritten()) {
            // Announced, so that the client does not send its next request on a connection about to close.
            ctx.response().putHeader("Connection", "close");
        }
        if (request.isEnded()) {
            ctx.response().endHandler(ignored -> connection.close());
            return;
        }
        long cutOff = ctx.vertx().setTimer(DRAIN_LIMIT_MILLIS, id -> connection.close());
        request.handler(ignored -> {
        }).endHandler(ignored -> {
            ctx.vertx().cancelTimer(cutOff);
            connection.close();
        }).resume();
    }
}
