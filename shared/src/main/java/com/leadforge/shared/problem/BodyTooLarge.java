package com.leadforge.shared.problem;

import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * A request whose declared {@code Content-Length} is above {@code quarkus.http.limits.max-body-size} gets 413
 * problem+json like every other refusal. Quarkus's own check would answer a bare 413 and close the connection while
 * the body is still arriving, which a proxy in front (the gateway) sees as a failed upstream and answers 502. Here the
 * rest of the body is read and dropped, so the sender can read the answer, then the connection is closed. (The gateway
 * has its own, earlier check: {@code gateway/.../edge/BodySizeLimit}; it excludes this one.)
 */
@Singleton
public class BodyTooLarge {

    /** Quarkus's own body-size route has order -2. */
    private static final int BEFORE_QUARKUS_BODY_LIMIT = -3;
    private static final long DRAIN_LIMIT_MILLIS = 10_000;
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    private final long defaultMaxBodyBytes;
    private final Optional<Pattern> uploadPaths;
    private final long uploadMaxBodyBytes;
    private final ObjectMapper json;

    /**
     * @param maxBodySize the limit of every request, unless the service sets {@code leadforge.http.max-body-size} lower
     *        for all but its upload paths (then Quarkus's own limit must be at least the upload limit)
     * @param uploadPaths regular expression of the paths that take large bodies (file uploads), if any
     */
    public BodyTooLarge(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBodySize,
            @ConfigProperty(name = "leadforge.http.max-body-size") Optional<MemorySize> jsonBodySize,
            @ConfigProperty(name = "leadforge.http.upload-paths") Optional<String> uploadPaths,
            @ConfigProperty(name = "leadforge.http.upload-max-body-size") Optional<MemorySize> uploadBodySize,
            ObjectMapper json) {
        this.defaultMaxBodyBytes = jsonBodySize.map(MemorySize::asLongValue).orElse(maxBodySize.asLongValue());
        this.uploadPaths = uploadPaths.map(Pattern::compile);
        this.uploadMaxBodyBytes = uploadBodySize.map(MemorySize::asLongValue).orElse(maxBodySize.asLongValue());
        this.json = json;
    }

    void register(@Observes Router router) {
        router.route().order(BEFORE_QUARKUS_BODY_LIMIT).handler(this::check);
    }

    void check(RoutingContext ctx) {
        long declared;
        try {
            String header = ctx.request().getHeader("Content-Length");
            declared = header == null ? -1 : Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            declared = -1; // Vert.x refuses the request itself
        }
        boolean upload = uploadPaths.isPresent() && uploadPaths.get().matcher(ctx.request().path()).matches();
        long maxBodyBytes = upload ? uploadMaxBodyBytes : defaultMaxBodyBytes;
        if (declared <= maxBodyBytes) {
            ctx.next();
            return;
        }
        String requestId = ctx.request().getHeader(RequestIdFilter.HEADER);
        if (requestId == null || !SAFE_ID.matcher(requestId).matches()) {
            requestId = UUID.randomUUID().toString();
        }
        ProblemType type = ProblemType.PAYLOAD_TOO_LARGE;
        String body;
        try {
            body = json.writeValueAsString(new Problem(type.uri(), type.title(), type.status(),
                    "The request body is larger than " + maxBodyBytes + " bytes", ctx.request().path(), requestId,
                    null));
        } catch (JsonProcessingException e) {
            body = "{\"type\":\"" + type.uri() + "\",\"title\":\"" + type.title() + "\",\"status\":" + type.status() + "}";
        }
        var connection = ctx.request().connection();
        if (ctx.request().isEnded()) {
            ctx.response().endHandler(ignored -> connection.close());
        } else {
            long cutOff = ctx.vertx().setTimer(DRAIN_LIMIT_MILLIS, id -> connection.close());
            ctx.request().handler(ignored -> {
            }).endHandler(ignored -> {
                ctx.vertx().cancelTimer(cutOff);
                connection.close();
            }).resume();
        }
        ctx.response().setStatusCode(type.status()).putHeader("Content-Type", Problem.MEDIA_TYPE)
                .putHeader(RequestIdFilter.HEADER, requestId).putHeader("Connection", "close").end(body);
    }
}
