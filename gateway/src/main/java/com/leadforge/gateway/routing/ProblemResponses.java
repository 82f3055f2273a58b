package com.leadforge.gateway.routing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadforge.shared.problem.Problem;
import com.leadforge.shared.problem.ProblemType;

import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;

/** Writes the gateway's own refusals in the same problem+json format the services use. */
@Singleton
public class ProblemResponses {

    private final ObjectMapper objectMapper;

    public ProblemResponses(ObjectMapper objectMapper) {
        this.objectMapper = objectMapper;
    }

    /** The request id of a request the proxy has not seen yet: the client's if well-formed, otherwise a new one. */
    public static String requestIdOf(RoutingContext ctx) {
        return GatewayHeaders.requestId(ctx.request().getHeader(GatewayHeaders.REQUEST_ID));
    }

    public void send(RoutingContext ctx, ProblemType type, String detail, String requestId) {
        if (ctx.response().headWritten()) {
            ctx.response().reset();
            return;
        }
        String body = render(type, detail, ctx.request().path(), requestId);
        var response = ctx.response().setStatusCode(type.status())
                .putHeader("Content-Type", Problem.MEDIA_TYPE)
                .putHeader(GatewayHeaders.REQUEST_ID, requestId);
        if (type == ProblemType.UNAUTHORIZED) {
            response.putHeader("WWW-Authenticate", "Bearer");
        }
        response.end(body);
    }

    /** The problem document as JSON; {@code instance} may be null (left out). */
    public String render(ProblemType type, String detail, String instance, String requestId) {
        Problem problem = new Problem(type.uri(), type.title(), type.status(), detail, instance, requestId, null);
        try {
            return objectMapper.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            return "{\"type\":\"" + type.uri() + "\",\"status\":" + type.status() + "}";
        }
    }
}
