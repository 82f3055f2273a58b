package com.leadforge.shared.tracing;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;

/**
 * W3C trace context ({@code traceparent}, {@code tracestate}) wherever an event carries it: the outbox row that stores
 * the writing transaction's context, and the Kafka record headers beside the CloudEvents ones. Always W3C, whatever
 * propagators the HTTP side is configured with: these are stored and published formats, not a per-hop choice.
 */
public final class TraceContext {

    public static final String TRACEPARENT = "traceparent";
    public static final String TRACESTATE = "tracestate";
    /** A version-00 traceparent is exactly this long; the outbox column holds no more. */
    public static final int TRACEPARENT_LENGTH = 55;
    /** The W3C recommendation's floor for what must be propagated; a longer state is dropped, never cut mid-entry. */
    public static final int TRACESTATE_MAX_LENGTH = 512;

    private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();

    /**
     * A sampled-out parent: spans started under it are not recorded (the parent-based sampler follows the parent), so
     * background work that polls (the outbox relay, gauges, purges) does not put a root JDBC span into the exporter
     * every second. Work that must be traced sets its parent explicitly.
     */
    private static final Context UNTRACED = Context.root().with(Span.wrap(SpanContext.create(
            "1eadf0e91eadf0e91eadf0e91eadf0e9", "1eadf0e91eadf0e9", TraceFlags.getDefault(), TraceState.getDefault())));

    /** A stored or transmitted context, as its two W3C values; {@code traceparent} null when there was none. */
    public record W3c(String traceparent, String tracestate) {
        static final W3c NONE = new W3c(null, null);
    }

    /** The context of the current span, ready to store; {@link W3c#NONE}'s nulls when there is no valid span. */
    public static W3c current() {
        if (!Span.current().getSpanContext().isValid()) {
            return W3c.NONE;
        }
        Map<String, String> carrier = new HashMap<>(4);
        W3C.inject(Context.current(), carrier, MAP_SETTER);
        String traceparent = carrier.get(TRACEPARENT);
        if (traceparent == null || traceparent.length() != TRACEPARENT_LENGTH) {
            return W3c.NONE;
        }
        String tracestate = carrier.get(TRACESTATE);
        if (tracestate != null && (tracestate.isEmpty() || tracestate.length() > TRACESTATE_MAX_LENGTH)) {
            tracestate = null;
        }
        return new W3c(traceparent, tracestate);
    }

    /** A context whose parent is the stored one; the root context when nothing (valid) was stored. */
    public static Context fromStored(String traceparent, String tracestate) {
        if (traceparent == null) {
            return Context.root();
        }
        Map<String, String> carrier = new HashMap<>(4);
        carrier.put(TRACEPARENT, traceparent);
        if (tracestate != null) {
            carrier.put(TRACESTATE, tracestate);
        }
        return W3C.extract(Context.root(), carrier, MAP_GETTER);
    }

    /** The producer's context from a record's headers; the root context when it carries none (or a malformed one). */
    public static Context fromHeaders(Headers headers) {
        return W3C.extract(Context.root(), headers, HEADERS_GETTER);
    }

    /** Puts {@code context}'s traceparent/tracestate on the record, replacing any there already. */
    public static void inject(Context context, Headers headers) {
        W3C.inject(context, headers, HEADERS_SETTER);
    }

    /** Makes the untraced context current; close the scope when the background work is done. */
    public static Scope untraced() {
        return UNTRACED.makeCurrent();
    }

    private static final TextMapSetter<Map<String, String>> MAP_SETTER = (carrier, key, value) -> carrier.put(key,
            value);

    private static final TextMapGetter<Map<String, String>> MAP_GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private static final TextMapSetter<Headers> HEADERS_SETTER = (headers, key, value) -> {
        headers.remove(key);
        headers.add(key, value.getBytes(UTF_8));
    };

    private static final TextMapGetter<Headers> HEADERS_GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers headers) {
            java.util.List<String> keys = new java.util.ArrayList<>();
            headers.forEach(header -> keys.add(header.key()));
            return keys;
        }

        @Override
        public String get(Headers headers, String key) {
            if (headers == null) {
                return null;
            }
            Header header = headers.lastHeader(key);
            return header == null || header.value() == null ? null : new String(header.value(), UTF_8);
        }
    };

    private TraceContext() {
    }
}
