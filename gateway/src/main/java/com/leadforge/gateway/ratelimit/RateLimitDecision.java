package com.leadforge.gateway.ratelimit;

import io.vertx.core.MultiMap;

/**
 * The outcome of taking one token from every bucket a request counts against, described by the most constraining
 * bucket: the one that refused, otherwise the one with the fewest tokens left.
 *
 * @param limit             the capacity of that bucket
 * @param remaining         tokens left in it after this request
 * @param resetSeconds      seconds until it is full again
 * @param retryAfterSeconds for a refused request, seconds until a token is available (at least 1)
 * @param policy            the bucket's quota in RateLimit-Policy form, e.g. {@code 100;w=60}
 */
public record RateLimitDecision(boolean allowed, long limit, long remaining, long resetSeconds, long retryAfterSeconds,
        String policy) {

    /**
     * Writes the IETF draft headers ({@code RateLimit-*}) and their widely used {@code X-RateLimit-*} equivalents.
     * Both Reset headers are in seconds from now.
     */
    public void writeHeaders(MultiMap headers) {
        headers.set("RateLimit-Limit", Long.toString(limit))
                .set("RateLimit-Remaining", Long.toString(remaining))
                .set("RateLimit-Reset", Long.toString(resetSeconds))
                .set("RateLimit-Policy", policy)
                .set("X-RateLimit-Limit", Long.toString(limit))
                .set("X-RateLimit-Remaining", Long.toString(remaining))
                .set("X-RateLimit-Reset", Long.toString(resetSeconds));
        if (!allowed) {
            headers.set("Retry-After", Long.toString(retryAfterSeconds));
        }
    }
}
