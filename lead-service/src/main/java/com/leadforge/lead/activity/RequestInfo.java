package com.leadforge.lead.activity;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import com.leadforge.shared.problem.RequestIdFilter;

import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.container.ContainerRequestContext;

/**
 * Where the current request came from, for the activity log. The client address is Quarkus's remote address: behind
 * the gateway (a trusted proxy, {@code quarkus.http.proxy.trusted-proxies}) the first {@code X-Forwarded-For} entry,
 * which the gateway sets to the real client; from any other peer the socket address, whatever headers it sent.
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
            String ip = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
            Object requestId = context.getProperty(RequestIdFilter.MDC_KEY);
            info.set(truncate(ip, 64), truncate(context.getHeaderString("User-Agent"), 500),
                    requestId == null ? null : truncate(requestId.toString(), 128));
        }

        private static String truncate(String value, int max) {
            return value == null || value.length() <= max ? value : value.substring(0, max);
        }
    }
}
