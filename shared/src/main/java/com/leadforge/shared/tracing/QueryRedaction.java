package com.leadforge.shared.tracing;

import java.util.regex.Pattern;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import jakarta.inject.Singleton;

/**
 * Keeps query-string values out of traces: HTTP spans record the query ({@code url.query}, and {@code url.full} on
 * the gateway's client spans), and ours carry searches and filters that can be personal data ({@code search=ada@…}).
 * Parameter names stay, values become {@code ?}, before any exporter sees the span.
 */
@Singleton
public class QueryRedaction implements SpanProcessor {

    static final AttributeKey<String> URL_QUERY = AttributeKey.stringKey("url.query");
    static final AttributeKey<String> URL_FULL = AttributeKey.stringKey("url.full");
    private static final Pattern VALUE = Pattern.compile("=[^&]*");

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {
        String query = span.getAttribute(URL_QUERY);
        if (query != null && !query.isEmpty()) {
            span.setAttribute(URL_QUERY, redact(query));
        }
        String full = span.getAttribute(URL_FULL);
        int start = full == null ? -1 : full.indexOf('?');
        if (start >= 0) {
            span.setAttribute(URL_FULL, full.substring(0, start + 1) + redact(full.substring(start + 1)));
        }
    }

    static String redact(String query) {
        return VALUE.matcher(query).replaceAll("=?");
    }

    @Override
    public boolean isStartRequired() {
        return true;
    }

    @Override
    public void onEnd(ReadableSpan span) {
    }

    @Override
    public boolean isEndRequired() {
        return false;
    }
}
