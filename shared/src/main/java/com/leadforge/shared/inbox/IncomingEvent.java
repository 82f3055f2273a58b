package com.leadforge.shared.inbox;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import com.leadforge.shared.events.CloudEventHeaders;
import com.leadforge.shared.events.EventJson;
import com.leadforge.shared.tenancy.AgencyId;

/**
 * A binary-mode CloudEvent read from a Kafka record. Construction fails with {@link PoisonEventException} when the
 * record cannot be a valid LeadForge event, so that the consumer sends it to the dead-letter topic instead of
 * retrying it forever.
 */
public record IncomingEvent(String id, String type, String source, String agencyId, String subject, String actor,
        String data) {

    private static final Pattern EVENT_ID = Pattern.compile("[A-Za-z0-9._:-]{1,100}");

    public static IncomingEvent from(ConsumerRecord<String, String> record) {
        String id = required(record, CloudEventHeaders.ID);
        if (!EVENT_ID.matcher(id).matches()) {
            throw new PoisonEventException("Malformed ce_id");
        }
        String agencyId = required(record, CloudEventHeaders.AGENCY_ID).toLowerCase(java.util.Locale.ROOT);
        if (!AgencyId.isValid(agencyId)) {
            throw new PoisonEventException("Malformed ce_agencyid");
        }
        if (record.value() == null || record.value().isBlank()) {
            throw new PoisonEventException("Event " + id + " has no data");
        }
        return new IncomingEvent(id, required(record, CloudEventHeaders.TYPE), required(record, CloudEventHeaders.SOURCE),
                agencyId, header(record, CloudEventHeaders.SUBJECT), header(record, CloudEventHeaders.ACTOR),
                record.value());
    }

    /** Reads the event data; a body that does not match the contract is poison, not a transient failure. */
    public <T> T data(Class<T> type) {
        return EventJson.read(data, type);
    }

    private static String required(ConsumerRecord<String, String> record, String name) {
        String value = header(record, name);
        if (value == null || value.isBlank()) {
            throw new PoisonEventException("Missing header " + name);
        }
        return value;
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), UTF_8);
    }
}
