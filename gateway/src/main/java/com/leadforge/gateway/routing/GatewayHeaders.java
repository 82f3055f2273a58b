package com.leadforge.gateway.routing;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import io.vertx.core.MultiMap;

/** Which headers cross the gateway, in each direction, and the ones it adds. */
final class GatewayHeaders {

    static final String REQUEST_ID = "X-Request-Id";
    static final String TRACEPARENT = "traceparent";

    /** RFC 9110 hop-by-hop headers: meaningful for one connection only. */
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "host");

    /** Headers only the gateway may set: a client sending them must not be believed by a service. */
    private static final Set<String> GATEWAY_OWNED = Set.of("forwarded", "x-forwarded-for", "x-forwarded-host",
            "x-forwarded-proto", "x-forwarded-port", "x-forwarded-prefix", "x-real-ip", "x-request-id", "traceparent",
            "tracestate");
    private static final String INTERNAL_PREFIX = "x-leadforge-";

    private static final Pattern SAFE_REQUEST_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    private static final Pattern TRACEPARENT_FORMAT = Pattern.compile("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");
    private static final SecureRandom RANDOM = new SecureRandom();

    static String requestId(String inbound) {
        return inbound != null && SAFE_REQUEST_ID.matcher(inbound).matches() ? inbound : UUID.randomUUID().toString();
    }

    /** Keeps a well-formed W3C trace context, otherwise starts a new trace. */
    static String traceparent(String inbound) {
        if (inbound != null && TRACEPARENT_FORMAT.matcher(inbound).matches()
                && !inbound.startsWith("00-00000000000000000000000000000000")) {
            return inbound;
        }
        byte[] traceId = new byte[16];
        byte[] spanId = new byte[8];
        RANDOM.nextBytes(traceId);
        RANDOM.nextBytes(spanId);
        return "00-" + HexFormat.of().formatHex(traceId) + "-" + HexFormat.of().formatHex(spanId) + "-01";
    }

    static void copyRequestHeaders(MultiMap from, MultiMap to) {
        Set<String> namedInConnection = connectionTokens(from);
        from.forEach((name, value) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!HOP_BY_HOP.contains(lower) && !GATEWAY_OWNED.contains(lower) && !lower.startsWith(INTERNAL_PREFIX)
                    && !namedInConnection.contains(lower)) {
                to.add(name, value);
            }
        });
    }

    static void copyResponseHeaders(MultiMap from, MultiMap to) {
        from.forEach((name, value) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!HOP_BY_HOP.contains(lower) && !lower.startsWith(INTERNAL_PREFIX)) {
                to.add(name, value);
            }
        });
    }

    /** Headers named in {@code Connection} are hop-by-hop too (RFC 9110 section 7.6.1). */
    private static Set<String> connectionTokens(MultiMap headers) {
        String connection = headers.get("Connection");
        if (connection == null) {
            return Set.of();
        }
        return new java.util.HashSet<>(java.util.Arrays.asList(
                connection.toLowerCase(Locale.ROOT).replace(" ", "").split(",")));
    }

    private GatewayHeaders() {
    }
}
