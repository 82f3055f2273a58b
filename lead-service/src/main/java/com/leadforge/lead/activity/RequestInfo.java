package com.leadforge.lead.activity;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import com.leadforge.shared.problem.RequestIdFilter;

import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.container.ContainerRequestContext;

/**
 * Where the current request came from, for the activity log. Behind the gateway the client address is the first
 * {@code X-Forwarded-For} entry; a direct call has only the socket address.
 */
@RequestScoped
public class RequestInfo {

    private String ip;
    private String userAgent;
    private String requestId;

    public String ip() {
        return ip;
    }

    public String userAgent() {
        return userAgent;
    }

    public String requestId() {
        return requestId;
    }

    // Setters rather than field writes: callers hold the CDI client proxy, whose own fields are not the bean's.
    public void set(String ip, String userAgent, String requestId) {
        this.ip = ip;
        this.userAgent = userAgent;
        this.requestId = requestId;
    }

    /** Fills {@link RequestInfo} once per request; runs after {@link RequestIdFilter} assigned the id. */
    public static class Capture {

        private final RequestInfo info;

        public Capture(RequestInfo info) {
            this.info = info;
        }

        @ServerRequestFilter
        public void capture(ContainerRequestContext context, HttpServerRequest request) {
            String forwarded = context.getHeaderString("X-Forwarded-For");
            String ip = forwarded != null && !forwarded.isBlank() ? forwarded.split(",")[0].trim()
                    : request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
            Object requestId = context.getProperty(RequestIdFilter.MDC_KEY);
            info.set(truncate(ip, 64), truncate(context.getHeaderString("User-Agent"), 500),
                    requestId == null ? null : truncate(requestId.toString(), 128));
        }

        private static String truncate(String value, int max) {
            return value == null || value.length() <= max ? value : value.substring(0, max);
        }
    }
}
