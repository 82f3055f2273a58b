package com.leadforge.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

import com.google.protobuf.ByteString;
import com.leadforge.testsupport.Await;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;

/**
 * A minimal OTLP/HTTP trace receiver (protobuf, {@code POST /v1/traces}) that keeps what the stack's services export
 * in memory, the most recent {@value #MAX_SPANS} spans, for tests that follow one trace across processes. It answers
 * every export with success, so the services never retry or log failures.
 */
public final class OtlpReceiver implements AutoCloseable {

    static final int MAX_SPANS = 200_000;

    /** One exported span, reduced to what a test asserts: who made it, where it sits in its trace, what it is. */
    public record ReceivedSpan(String service, String traceId, String spanId, String parentSpanId, String name,
            String kind, Map<String, String> attributes) {

        public boolean isChildOf(ReceivedSpan parent) {
            return traceId.equals(parent.traceId) && parentSpanId.equals(parent.spanId);
        }

        @Override
        public String toString() {
            return String.format("%s %s %s trace=%s span=%s parent=%s", service, kind, name, traceId, spanId,
                    parentSpanId);
        }
    }

    private final HttpServer server;
    private final Deque<ReceivedSpan> spans = new ArrayDeque<>();

    private OtlpReceiver(HttpServer server) {
        this.server = server;
    }

    public static OtlpReceiver start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
            OtlpReceiver receiver = new OtlpReceiver(server);
            server.createContext("/v1/traces", receiver::export);
            server.setExecutor(Executors.newFixedThreadPool(2, runnable -> {
                Thread thread = new Thread(runnable, "otlp-receiver");
                thread.setDaemon(true);
                return thread;
            }));
            server.start();
            return receiver;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the OTLP receiver", e);
        }
    }

    /** The base URL to give the services' OTLP exporter (protocol http/protobuf appends /v1/traces). */
    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** What a service needs to export its spans here, each one, at once. */
    public Map<String, String> exporterEnvironment() {
        return Map.of("QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", endpoint(),
                "QUARKUS_OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "http/protobuf",
                "QUARKUS_OTEL_TRACES_SAMPLER_ARG", "1.0",
                "QUARKUS_OTEL_BSP_SCHEDULE_DELAY", "200ms");
    }

    public List<ReceivedSpan> inTrace(String traceId) {
        synchronized (spans) {
            return spans.stream().filter(span -> span.traceId().equals(traceId)).toList();
        }
    }

    /** Waits (bounded) for a span of {@code traceId} matching {@code match}. */
    public ReceivedSpan await(String what, String traceId, Predicate<ReceivedSpan> match, Duration timeout) {
        AtomicReference<ReceivedSpan> found = new AtomicReference<>();
        Await.until(what, timeout, () -> {
            inTrace(traceId).stream().filter(match).findFirst().ifPresent(found::set);
            return found.get() != null;
        }, () -> "; the trace so far:\n" + describe(inTrace(traceId)));
        return found.get();
    }

    public static String describe(List<ReceivedSpan> spans) {
        return spans.stream().map(span -> "  " + span).collect(Collectors.joining("\n"));
    }

    private void export(HttpExchange exchange) throws IOException {
        try {
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            InputStream body = exchange.getRequestBody();
            if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                body = new GZIPInputStream(body);
            }
            ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(body.readAllBytes());
            List<ReceivedSpan> received = new ArrayList<>();
            for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
                String service = attributes(resourceSpans.getResource().getAttributesList()).get("service.name");
                for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
                    for (Span span : scopeSpans.getSpansList()) {
                        received.add(new ReceivedSpan(service, hex(span.getTraceId()), hex(span.getSpanId()),
                                hex(span.getParentSpanId()), span.getName(), span.getKind().name()
                                        .replace("SPAN_KIND_", ""), attributes(span.getAttributesList())));
                    }
                }
            }
            synchronized (spans) {
                spans.addAll(received);
                while (spans.size() > MAX_SPANS) {
                    spans.removeFirst();
                }
            }
            byte[] answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, answer.length == 0 ? -1 : answer.length);
            if (answer.length > 0) {
                exchange.getResponseBody().write(answer);
            }
        } catch (RuntimeException e) {
            exchange.sendResponseHeaders(400, -1);
        } finally {
            exchange.close();
        }
    }

    private static Map<String, String> attributes(List<KeyValue> keyValues) {
        Map<String, String> attributes = new HashMap<>();
        for (KeyValue keyValue : keyValues) {
            AnyValue value = keyValue.getValue();
            attributes.put(keyValue.getKey(), switch (value.getValueCase()) {
                case STRING_VALUE -> value.getStringValue();
                case INT_VALUE -> String.valueOf(value.getIntValue());
                case BOOL_VALUE -> String.valueOf(value.getBoolValue());
                case DOUBLE_VALUE -> String.valueOf(value.getDoubleValue());
                default -> value.toString();
            });
        }
        return attributes;
    }

    private static String hex(ByteString bytes) {
        return bytes.isEmpty() ? "" : HexFormat.of().formatHex(bytes.toByteArray());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
