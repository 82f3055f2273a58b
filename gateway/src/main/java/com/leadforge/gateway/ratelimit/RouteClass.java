package com.leadforge.gateway.ratelimit;

import java.util.List;
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
    /**
     * Bulk operations: a segment that is, or has as a word ({@code -}, {@code _} or {@code .} separated), {@code bulk},
     * {@code batch}, {@code import} or {@code reconcile}, or starts with {@code bulk}/{@code batch}
     * ({@code bulk-update}, {@code bulkDelete}, {@code batch_create}, {@code csv-import}).
     */
    BULK("bulk"),
    /**
     * Exports (streamed, expensive for the services, and a way to take data out): a segment that is, or has as a word,
     * {@code export} or {@code exports} ({@code export}, {@code gdpr-export}, {@code export.csv}). Checked before bulk.
     */
    EXPORT("export"),
    /** The gateway's own {@code /api/health}. */
    HEALTH("health"),
    /**
     * The live stream ({@code GET /api/v1/stream}, server-sent events): one request lives for as long as the token,
     * so it is counted when it opens (a reconnect loop must not hammer the service), relayed unbuffered without the
     * ordinary response and idle timeouts, on a connection pool of its own and within per-user and per-agency bounds
     * on open streams ({@code routing.StreamSlots}), so streams can never take the connections other routes need.
     */
    STREAM("stream");

    /** The one streaming path. */
    public static final String STREAM_PATH = "/api/v1/stream";
    private static final Set<HttpMethod> READS = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);
    private static final Set<String> BULK_WORDS = Set.of("bulk", "batch", "batches", "import", "imports", "reconcile");
    private static final Set<String> BULK_PREFIXES = Set.of("bulk", "batch");
    private static final Set<String> EXPORT_WORDS = Set.of("export", "exports");

    private final String key;

    RouteClass(String key) {
        this.key = key;
    }

    /** The name used in configuration and in bucket keys. */
    public String key() {
        return key;
    }

    /**
     * The class of a request to {@code path}, which must be the path the request is routed and forwarded by
     * ({@link com.leadforge.gateway.routing.RequestPath#decoded()}): classing the raw path lets an encoded
     * {@code %65xport} pass as an ordinary read.
     */
    public static RouteClass of(HttpMethod method, String path) {
        String lower = path == null ? "" : path.toLowerCase(Locale.ROOT);
        if (lower.equals("/api/health") || lower.startsWith("/api/health/")) {
            return HEALTH;
        }
        if (lower.equals(STREAM_PATH) && READS.contains(method)) {
            return STREAM;
        }
        String[] segments = lower.split("/");
        boolean bulk = false;
        for (String segment : segments) {
            if (segment.isEmpty()) {
                continue;
            }
            List<String> words = List.of(segment.split("[-_.]+"));
            if (words.stream().anyMatch(EXPORT_WORDS::contains)) {
                return EXPORT;
            }
            bulk |= words.stream().anyMatch(BULK_WORDS::contains)
                    || BULK_PREFIXES.stream().anyMatch(segment::startsWith);
        }
        if (bulk) {
            return BULK;
        }
        return READS.contains(method) ? DEFAULT : MUTATIONS;
    }
}
