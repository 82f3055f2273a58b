package com.leadforge.gateway.ratelimit;

import java.util.Locale;
import java.util.Set;

import io.vertx.core.http.HttpMethod;

/**
 * The classes of requests that get limits of their own: heavy operations (bulk imports, exports) are allowed far less
 * often than ordinary reads, and a burst of reads never eats the budget for writes.
 */
public enum RouteClass {

    /** Reads ({@code GET}, {@code HEAD}, {@code OPTIONS}) of ordinary resources. */
    DEFAULT("default"),
    /** {@code POST}, {@code PUT}, {@code PATCH}, {@code DELETE} of ordinary resources. */
    MUTATIONS("mutations"),
    /** Bulk operations: any path with a {@code bulk}, {@code batch} or {@code import} segment. */
    BULK("bulk"),
    /** Exports: any path with an {@code export} segment (streamed, expensive for the services). */
    EXPORT("export"),
    /** The gateway's own {@code /api/health}. */
    HEALTH("health");

    private static final Set<HttpMethod> READS = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);
    private static final Set<String> BULK_SEGMENTS = Set.of("bulk", "batch", "import", "imports");
    private static final Set<String> EXPORT_SEGMENTS = Set.of("export", "exports");

    private final String key;

    RouteClass(String key) {
        this.key = key;
    }

    /** The name used in configuration and in bucket keys. */
    public String key() {
        return key;
    }

    public static RouteClass of(HttpMethod method, String path) {
        String lower = path == null ? "" : path.toLowerCase(Locale.ROOT);
        if (lower.equals("/api/health") || lower.startsWith("/api/health/")) {
            return HEALTH;
        }
        for (String segment : lower.split("/")) {
            if (EXPORT_SEGMENTS.contains(segment)) {
                return EXPORT;
            }
            if (BULK_SEGMENTS.contains(segment)) {
                return BULK;
            }
        }
        return READS.contains(method) ? DEFAULT : MUTATIONS;
    }
}
