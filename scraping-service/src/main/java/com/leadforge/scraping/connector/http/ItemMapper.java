package com.leadforge.scraping.connector.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.leadforge.scraping.connector.ReadBatch;
import com.leadforge.shared.events.ScrapedRecord;

/**
 * Turns one item of a page into a record: each lead field from its JSON pointer inside the item (a string, number or
 * boolean; anything else counts as absent), metadata likewise. An item that is not an object, or that has none of
 * the mapped lead fields, is a rejection (counted and logged by the worker, never sent).
 */
final class ItemMapper {

    /** Longest value kept; longer ones are cut (lead-service refuses over-long lead fields itself). */
    static final int MAX_VALUE = 2000;

    private final Map<String, JsonPointer> mapping;
    private final Map<String, JsonPointer> metadata;
    private final UnaryOperator<ScrapedRecord> adjust;

    /** @param adjust a preset's last touch (Apollo's placeholder e-mails, names); identity for generic sources */
    ItemMapper(Map<String, JsonPointer> mapping, Map<String, JsonPointer> metadata, UnaryOperator<ScrapedRecord> adjust) {
        this.mapping = mapping;
        this.metadata = metadata;
        this.adjust = adjust;
    }

    /** A {@link ScrapedRecord} or a {@link ReadBatch.Rejection}. */
    Object map(long seq, JsonNode item, String where) {
        if (item == null || !item.isObject()) {
            String kind = item == null || item.isNull() ? "null" : item.getNodeType().name().toLowerCase();
            return new ReadBatch.Rejection(seq, "not_an_object", "item " + where + " is " + kind + ", not an object");
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        metadata.forEach((name, pointer) -> {
            JsonNode node = item.at(pointer);
            if (node.isNumber()) {
                extra.put(name, node.numberValue());
            } else if (node.isBoolean()) {
                extra.put(name, node.booleanValue());
            } else {
                String text = text(node);
                if (text != null) {
                    extra.put(name, text);
                }
            }
        });
        ScrapedRecord record = adjust.apply(new ScrapedRecord(seq, field(item, "first_name"), field(item, "last_name"),
                field(item, "email"), field(item, "phone"), field(item, "company"), field(item, "title"),
                field(item, "linkedin_url"), extra.isEmpty() ? null : extra));
        if (record.firstName() == null && record.lastName() == null && record.email() == null && record.phone() == null
                && record.company() == null && record.title() == null && record.linkedinUrl() == null) {
            return new ReadBatch.Rejection(seq, "no_mapped_fields", "item " + where + " has none of the mapped fields ("
                    + String.join(", ", mapping.keySet()) + ")");
        }
        return record;
    }

    private String field(JsonNode item, String field) {
        JsonPointer pointer = mapping.get(field);
        return pointer == null ? null : text(item.at(pointer));
    }

    private static String text(JsonNode node) {
        if (node == null || !node.isValueNode() || node.isNull()) {
            return null;
        }
        String text = node.asText().trim();
        if (text.isEmpty()) {
            return null;
        }
        return text.length() > MAX_VALUE ? text.substring(0, MAX_VALUE) : text;
    }
}
