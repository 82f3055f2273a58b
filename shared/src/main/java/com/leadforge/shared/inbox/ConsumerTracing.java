package com.leadforge.shared.inbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import com.leadforge.shared.inbox.ConsumerStates.Outcome;
import com.leadforge.shared.tracing.TraceContext;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The spans of consuming: every unit of work {@link ReliableConsumer} runs is a CONSUMER span continuing the trace the
 * producer put on the record ({@code traceparent}/{@code tracestate}), made current while the work runs so that its
 * JDBC spans and the outbox rows it writes belong to it. A poll applied as one transaction for many records (of as
 * many traces) is one batch span, child of its first record's context and linked to every record's; each record of
 * another trace also gets a span of its own in its trace, linked to the batch span, so that no trace stops at Kafka.
 */
@ApplicationScoped
class ConsumerTracing {

    private final Tracer tracer;

    ConsumerTracing(OpenTelemetry openTelemetry) {
        this.tracer = openTelemetry.getTracer("com.leadforge.shared.inbox");
    }

    /** One record's attempt; the caller makes it current, records the outcome and ends it. */
    Span record(String consumer, ConsumerRecord<String, String> record, IncomingEvent event) {
        return recordSpan(consumer, record, TraceContext.fromHeaders(record.headers()), event).startSpan();
    }

    /** A record that can never be applied: a finished span saying so, in the producer's trace. */
    void poison(String consumer, ConsumerRecord<String, String> record, RuntimeException failure) {
        Span span = recordSpan(consumer, record, TraceContext.fromHeaders(record.headers()), null).startSpan();
        failed(span, failure);
        span.end();
    }

    static void outcome(Span span, Outcome outcome) {
        span.setAttribute("leadforge.consumer.outcome", outcome.name().toLowerCase(java.util.Locale.ROOT));
    }

    static void failed(Span span, RuntimeException failure) {
        span.setStatus(StatusCode.ERROR, FailureClassifier.describe(failure));
        span.recordException(failure);
    }

    /** The spans of one transaction applying {@code records} (one agency's share of a poll), all started now. */
    Batch batch(String consumer, List<ConsumerRecord<String, String>> records, List<IncomingEvent> events) {
        ConsumerRecord<String, String> first = records.get(0);
        Context firstContext = TraceContext.fromHeaders(first.headers());
        SpanBuilder builder = tracer.spanBuilder("process " + first.topic())
                .setSpanKind(SpanKind.CONSUMER)
                .setParent(firstContext)
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.operation.type", "process")
                .setAttribute("messaging.operation.name", "process")
                .setAttribute("messaging.destination.name", first.topic())
                .setAttribute("messaging.batch.message_count", (long) records.size())
                .setAttribute("leadforge.consumer", consumer)
                .setAttribute("leadforge.agency_id", events.get(0).agencyId());
        List<Context> contexts = new ArrayList<>(records.size());
        for (ConsumerRecord<String, String> record : records) {
            Context context = record == first ? firstContext : TraceContext.fromHeaders(record.headers());
            contexts.add(context);
            SpanContext producer = Span.fromContext(context).getSpanContext();
            if (producer.isValid() && record != first) {
                builder.addLink(producer); // the SDK keeps at most otel.span.link.count.limit (128) of them
            }
        }
        Span batch = builder.startSpan();
        String batchTrace = batch.getSpanContext().getTraceId();
        List<Span> perRecord = new ArrayList<>();
        List<ConsumerRecord<String, String>> perRecordOf = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            SpanContext producer = Span.fromContext(contexts.get(i)).getSpanContext();
            if (producer.isValid() && !producer.getTraceId().equals(batchTrace)) {
                perRecord.add(recordSpan(consumer, records.get(i), contexts.get(i), events.get(i))
                        .addLink(batch.getSpanContext())
                        .startSpan());
                perRecordOf.add(records.get(i));
            }
        }
        return new Batch(batch, perRecord, perRecordOf);
    }

    /** A batch's spans: the batch span is current while the transaction runs; every span ends with it. */
    static final class Batch {
        private final Span span;
        private final List<Span> perRecord;
        private final List<ConsumerRecord<String, String>> perRecordOf;

        private Batch(Span span, List<Span> perRecord, List<ConsumerRecord<String, String>> perRecordOf) {
            this.span = span;
            this.perRecord = perRecord;
            this.perRecordOf = perRecordOf;
        }

        Scope makeCurrent() {
            return span.makeCurrent();
        }

        void outcomes(Map<ConsumerRecord<String, String>, Outcome> outcomes) {
            for (int i = 0; i < perRecord.size(); i++) {
                Outcome outcome = outcomes.get(perRecordOf.get(i));
                if (outcome != null) {
                    outcome(perRecord.get(i), outcome);
                }
            }
        }

        void failed(RuntimeException failure) {
            ConsumerTracing.failed(span, failure);
            perRecord.forEach(one -> one.setStatus(StatusCode.ERROR, "the batch transaction failed"));
        }

        void end() {
            span.end();
            perRecord.forEach(Span::end);
        }
    }

    private SpanBuilder recordSpan(String consumer, ConsumerRecord<String, String> record, Context parent,
            IncomingEvent event) {
        SpanBuilder builder = tracer.spanBuilder("process " + record.topic())
                .setSpanKind(SpanKind.CONSUMER)
                .setParent(parent)
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.operation.type", "process")
                .setAttribute("messaging.operation.name", "process")
                .setAttribute("messaging.destination.name", record.topic())
                .setAttribute("messaging.destination.partition.id", String.valueOf(record.partition()))
                .setAttribute("messaging.kafka.offset", record.offset())
                .setAttribute("leadforge.consumer", consumer);
        if (event != null) {
            builder.setAttribute("messaging.message.id", event.id())
                    .setAttribute("leadforge.event.type", event.type())
                    .setAttribute("leadforge.agency_id", event.agencyId());
        }
        return builder;
    }
}
