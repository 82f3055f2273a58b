package com.leadforge.testsupport;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;

/**
 * The spans a service under test finished, kept in memory by its exporter (a CDI bean producing an
 * {@link InMemorySpanExporter} replaces the OTLP exporter), with waits on the ones a test expects.
 */
public final class RecordedSpans {

    private final InMemorySpanExporter exporter;

    public RecordedSpans(InMemorySpanExporter exporter) {
        this.exporter = exporter;
    }

    public List<SpanData> all() {
        return exporter.getFinishedSpanItems();
    }

    public List<SpanData> inTrace(String traceId) {
        return all().stream().filter(span -> span.getTraceId().equals(traceId)).toList();
    }

    /** Waits for the one span matching {@code match} (the first, if several do). */
    public SpanData await(String what, Predicate<SpanData> match) {
        AtomicReference<SpanData> found = new AtomicReference<>();
        Await.until(what, Duration.ofSeconds(30), () -> {
            all().stream().filter(match).findFirst().ifPresent(found::set);
            return found.get() != null;
        }, () -> "; spans so far:\n" + describe(all()));
        return found.get();
    }

    public static Predicate<SpanData> named(String name, SpanKind kind) {
        return span -> span.getName().equals(name) && span.getKind() == kind;
    }

    public static Predicate<SpanData> childOf(String traceId, String parentSpanId) {
        return span -> span.getTraceId().equals(traceId) && span.getParentSpanId().equals(parentSpanId);
    }

    public static String describe(List<SpanData> spans) {
        return spans.stream().map(span -> String.format("  %s %s %s trace=%s span=%s parent=%s", span.getKind(),
                span.getName(), span.getStatus().getStatusCode(), span.getTraceId(), span.getSpanId(),
                span.getParentSpanId())).collect(Collectors.joining("\n"));
    }
}
