package com.leadforge.campaign.tracing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import com.leadforge.campaign.counters.LeadEventConsumer;
import com.leadforge.shared.events.CloudEventHeaders;
import com.leadforge.shared.events.EventJson;
import com.leadforge.shared.events.LeadSnapshot;
import com.leadforge.shared.events.Topics;
import com.leadforge.shared.inbox.ReliableConsumer;
import com.leadforge.testsupport.RealInfrastructure;
import com.leadforge.testsupport.RecordedSpans;
import com.leadforge.testsupport.TestTokens;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;

/**
 * A poll applied as one transaction for records of several traces (campaign.counters is in batch mode): one batch
 * span, child of the first record's producer and linked to the others, holds the transaction's statements; a record
 * of another trace gets a span of its own in its trace, linked to the batch span; a record of the batch's own trace
 * needs none. No record's trace ends at Kafka.
 */
@QuarkusTest
@TestProfile(TracingOn.class)
@QuarkusTestResource(value = RealInfrastructure.class, initArgs = {
        @ResourceArg(name = "database", value = "campaigns"),
        @ResourceArg(name = "topics", value = Topics.CAMPAIGN_EVENTS + "," + Topics.LEAD_EVENTS) })
class BatchConsumptionTraceTest {

    /** Not a partition the topic has: the consumer's per-partition state for it never meets a real record's. */
    static final int PARTITION = 97;

    @Inject
    InMemorySpanExporter exporter;
    @Inject
    ReliableConsumer reliableConsumer;
    @Inject
    LeadEventConsumer counters;

    @Test
    void aPollOfSeveralTracesIsOneBatchSpanPlusASpanInEachOtherTrace() throws Exception {
        RecordedSpans spans = new RecordedSpans(exporter);
        String traceA = hex(16);
        String traceB = hex(16);
        String firstA = hex(8);
        String onlyB = hex(8);
        String secondA = hex(8);
        ConsumerRecord<String, String> first = leadCreated(1, traceA, firstA);
        ConsumerRecord<String, String> other = leadCreated(2, traceB, onlyB);
        ConsumerRecord<String, String> sameTrace = leadCreated(3, traceA, secondA);

        // A thread of its own, like the consumer's worker: no request context, no current span.
        CompletableFuture.runAsync(() -> reliableConsumer.consumeBatch(counters, List.of(first, other, sameTrace)))
                .get();

        SpanData batch = spans.await("the batch span, child of the first record's producer",
                RecordedSpans.named("process " + Topics.LEAD_EVENTS, SpanKind.CONSUMER)
                        .and(RecordedSpans.childOf(traceA, firstA)));
        assertEquals(3L, batch.getAttributes().get(AttributeKey.longKey("messaging.batch.message_count")));
        List<String> linked = batch.getLinks().stream().map(LinkData::getSpanContext).map(SpanContext::getSpanId)
                .toList();
        assertTrue(linked.containsAll(List.of(onlyB, secondA)), "linked to every other record: " + linked);
        spans.await("a statement of the batch transaction, child of the batch span",
                span -> span.getKind() == SpanKind.CLIENT && span.getParentSpanId().equals(batch.getSpanId()));

        SpanData inB = spans.await("the record's own span in the other trace",
                RecordedSpans.named("process " + Topics.LEAD_EVENTS, SpanKind.CONSUMER)
                        .and(RecordedSpans.childOf(traceB, onlyB)));
        assertEquals(List.of(batch.getSpanId()), inB.getLinks().stream().map(l -> l.getSpanContext().getSpanId())
                .toList(), "it points at the batch span that did its work");
        assertEquals("applied", inB.getAttributes().get(AttributeKey.stringKey("leadforge.consumer.outcome")));
        assertTrue(spans.all().stream().noneMatch(RecordedSpans.childOf(traceA, secondA)),
                "a record of the batch's own trace has no second span:\n" + RecordedSpans.describe(spans.all()));
        System.out.printf("BatchConsumptionTraceTest: batch span %s in trace %s (links %s), own span %s in trace %s%n",
                batch.getSpanId(), traceA, linked, inB.getSpanId(), traceB);
    }

    private static ConsumerRecord<String, String> leadCreated(long offset, String traceId, String spanId) {
        UUID lead = UUID.randomUUID();
        LeadSnapshot snapshot = new LeadSnapshot(lead, TestTokens.AGENCY_ACME, null, "new", "pending", false, false,
                false, 1, Instant.now());
        ConsumerRecord<String, String> record = new ConsumerRecord<>(Topics.LEAD_EVENTS, PARTITION,
                System.nanoTime() + offset, lead.toString(),
                EventJson.write(Map.of("lead", snapshot, "lead_id", lead)));
        header(record, CloudEventHeaders.SPEC_VERSION, "1.0");
        header(record, CloudEventHeaders.ID, UUID.randomUUID().toString());
        header(record, CloudEventHeaders.TYPE, "leadforge.lead.created.v1");
        header(record, CloudEventHeaders.SOURCE, "/test");
        header(record, CloudEventHeaders.SUBJECT, lead.toString());
        header(record, CloudEventHeaders.AGENCY_ID, TestTokens.AGENCY_ACME);
        header(record, "traceparent", "00-" + traceId + "-" + spanId + "-01");
        return record;
    }

    private static void header(ConsumerRecord<String, String> record, String name, String value) {
        record.headers().add(name, value.getBytes(UTF_8));
    }

    private static String hex(int bytes) {
        byte[] value = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(value);
        value[0] |= 1;
        return HexFormat.of().formatHex(value);
    }
}
