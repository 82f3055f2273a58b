package com.leadforge.stack;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * What a careless or hostile client puts into one value, by category ("category:detail" keys): for a path or query
 * parameter as percent-encoded text, for a JSON property as a raw JSON token. Which values apply follows the value's
 * schema (type, format, enumeration or enumerating pattern, dates).
 */
final class BadValues {

    static final int HUGE = 70_000;
    static final int DEEP = 10_000;
    /** Long enough to matter, short enough for the request line (4,096 bytes): reaches the service's own code. */
    static final int LONG_IN_URL = 3_000;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final OpenApiExamples examples;

    BadValues(OpenApiExamples examples) {
        this.examples = examples;
    }

    /** "category:detail" → percent-encoded value, for a path ({@code inPath}) or query parameter. */
    static Map<String, String> url(JsonNode schema, boolean inPath) {
        Map<String, String> values = new LinkedHashMap<>();
        String type = schema.path("type").asText("string");
        String format = schema.path("format").asText("");
        values.put("control-characters:NUL", "a%00b");
        values.put("control-characters:C0 and DEL", "%01%02%1B%1F%7F");
        values.put("control-characters:CR LF", "a%0D%0Ab");
        values.put("control-characters:overlong NUL", "a%C0%80b");
        values.put("control-characters:invalid UTF-8", "%FF%FE%C3%28");
        values.put("control-characters:UTF-8 of a lone surrogate", "%ED%A0%80");
        values.put("long-string:" + LONG_IN_URL + " characters", "a".repeat(LONG_IN_URL));
        values.put("huge-string:" + HUGE + " characters", "a".repeat(HUGE));
        values.put("injection:quote and comment", Urls.encode("1' OR '1'='1' --"));
        values.put("injection:percent and backslash", Urls.encode("%_\\"));
        values.put("huge-number:20 digits", "99999999999999999999");
        values.put("huge-number:1e309", "1e309");
        values.put("huge-number:-0", "-0");
        values.put("huge-number:NaN", "NaN");
        values.put("huge-number:-2^63-1", "-9223372036854775809");
        if (format.equals("uuid") || inPath) {
            values.put("invalid-uuid:words", "not-a-uuid");
            values.put("invalid-uuid:bad hex digit", "00000000-0000-0000-0000-00000000000g");
            values.put("invalid-uuid:too short", "1234");
            values.put("invalid-uuid:braces", Urls.encode("{" + UUID.randomUUID() + "}"));
            values.put("invalid-uuid:trailing NUL", UUID.randomUUID() + "%00");
            values.put("invalid-uuid:unknown", UUID.randomUUID().toString());
        }
        if (inPath) {
            values.put("path-traversal:dot-dot", "..");
            values.put("path-traversal:encoded slash", "a%2Fb");
            values.put("path-traversal:unicode", "%C3%BC%E2%80%AE");
        }
        if (type.equals("integer") || type.equals("number")) {
            values.put("wrong-type:word", "abc");
            values.put("wrong-type:fraction", "1.5");
            values.put("wrong-type:boolean", "true");
            values.put("huge-number:above int", "2147483648");
            values.put("huge-number:negative", "-1");
        }
        if (type.equals("boolean")) {
            values.put("wrong-type:word", "maybe");
            values.put("wrong-type:number", "2");
        }
        List<String> alternatives = enumValues(schema);
        if (!alternatives.isEmpty()) {
            String valid = alternatives.get(0);
            values.put("invalid-enum:unknown", "not_a_value");
            values.put("invalid-enum:upper case", Urls.encode(valid.toUpperCase(Locale.ROOT)));
            values.put("invalid-enum:padded", Urls.encode(" " + valid + " "));
            values.put("invalid-enum:all joined", Urls.encode(String.join("|", alternatives)));
        }
        if (format.startsWith("date") || schema.path("pattern").asText("").contains("\\d{4}")) {
            for (Map.Entry<String, String> date : badDates().entrySet()) {
                values.put("invalid-date:" + date.getKey(), Urls.encode(date.getValue()));
            }
        }
        return values;
    }

    /** "category:detail" → a raw JSON token for a body property of {@code schema}. */
    Map<String, String> json(String pointer, JsonNode schema) {
        Map<String, String> values = new LinkedHashMap<>();
        String type = schema.has("enum") ? "string" : schema.path("type").asText("object");
        String format = schema.path("format").asText("");
        switch (type) {
            case "string" -> {
                values.put("wrong-type:number", "12345");
                values.put("wrong-type:boolean", "true");
                values.put("wrong-type:object", "{\"a\":1}");
                values.put("wrong-type:array", "[\"a\"]");
            }
            case "integer", "number" -> {
                values.put("wrong-type:string", "\"abc\"");
                values.put("wrong-type:boolean", "false");
                values.put("wrong-type:object", "{}");
                values.put("wrong-type:array", "[1]");
                values.put("huge-number:fraction", "1.5");
            }
            case "boolean" -> {
                values.put("wrong-type:string", "\"yes\"");
                values.put("wrong-type:number", "2");
                values.put("wrong-type:object", "{}");
            }
            case "array" -> {
                values.put("wrong-type:string", "\"a,b\"");
                values.put("wrong-type:object", "{\"0\":1}");
                values.put("wrong-type:array of arrays", "[[1],[2]]");
                values.put("wrong-type:array of nulls", "[null,null]");
                String item = examples.example(schema.path("items"), pointer, 1).toString();
                values.put("huge-array:" + DEEP + " items", "[" + String.join(",", Collections.nCopies(DEEP, item)) + "]");
            }
            default -> {
                values.put("wrong-type:string", "\"{}\"");
                values.put("wrong-type:number", "1");
                values.put("wrong-type:array", "[{}]");
            }
        }
        values.put("null:explicit null", "null");
        values.put("deep-nesting:" + DEEP + " nested arrays", "[".repeat(DEEP) + "]".repeat(DEEP));
        values.put("huge-number:1e309", "1e309");
        values.put("huge-number:-1e309", "-1e309");
        values.put("huge-number:20 digits", "99999999999999999999");
        values.put("huge-number:-0", "-0");
        values.put("huge-number:NaN as string", "\"NaN\"");
        values.put("huge-number:tiny", "1e-400");
        values.put("control-characters:NUL", "\"a\\u0000b\"");
        values.put("control-characters:C0 and DEL", "\"\\u0001\\u0002\\u001b\\u001f\\u007f\"");
        values.put("control-characters:line and paragraph separators", "\"a\\u2028b\\u2029\"");
        values.put("control-characters:lone surrogate", "\"a\\ud800b\"");
        values.put("control-characters:bidi override", "\"\\u202egnp.exe\"");
        values.put("long-string:" + HUGE + " characters", "\"" + "a".repeat(HUGE) + "\"");
        values.put("long-string:" + HUGE + " emoji characters", "\"" + "\uD83D\uDE00".repeat(HUGE / 2) + "\"");
        values.put("injection:quote and comment", "\"1' OR '1'='1' --\"");
        List<String> alternatives = enumValues(schema);
        if (!alternatives.isEmpty()) {
            values.put("invalid-enum:unknown", "\"not_a_value\"");
            values.put("invalid-enum:upper case", NODES.textNode(alternatives.get(0).toUpperCase(Locale.ROOT)).toString());
            values.put("invalid-enum:empty", "\"\"");
        }
        if (format.equals("uuid") || pointer.endsWith("_id") || pointer.endsWith("_ids")) {
            values.put("invalid-uuid:words", type.equals("array") ? "[\"not-a-uuid\"]" : "\"not-a-uuid\"");
            values.put("invalid-uuid:empty", type.equals("array") ? "[\"\"]" : "\"\"");
            values.put("invalid-uuid:bad hex digit", type.equals("array")
                    ? "[\"00000000-0000-0000-0000-00000000000g\"]" : "\"00000000-0000-0000-0000-00000000000g\"");
            values.put("invalid-uuid:unknown", type.equals("array")
                    ? "[\"" + UUID.randomUUID() + "\"]" : "\"" + UUID.randomUUID() + "\"");
        }
        if (format.startsWith("date") || pointer.contains("date") || pointer.endsWith("_at")) {
            for (Map.Entry<String, String> date : badDates().entrySet()) {
                values.put("invalid-date:" + date.getKey(), NODES.textNode(date.getValue()).toString());
            }
        }
        if (type.equals("object") && !schema.has("properties")) {
            // Free-form objects (metadata, target_audience) are stored as they come: give them the worst.
            values.put("deep-nesting:" + DEEP + " nested objects", "{\"a\":".repeat(DEEP) + "1" + "}".repeat(DEEP));
            values.put("long-string:" + HUGE + "-character key", "{\"" + "k".repeat(HUGE) + "\":1}");
            values.put("control-characters:NUL in a key", "{\"a\\u0000\":1}");
            values.put("huge-array:" + DEEP + " members", "{" + String.join(",", numberedMembers(DEEP)) + "}");
        }
        return values;
    }

    static List<String> enumValues(JsonNode schema) {
        if (schema.has("enum")) {
            List<String> values = new ArrayList<>();
            schema.get("enum").forEach(value -> values.add(value.asText()));
            return values;
        }
        return OpenApiExamples.alternatives(schema.path("pattern").asText(""));
    }

    /** Dates that look like dates: some parse in Java but no database can hold them. */
    static Map<String, String> badDates() {
        Map<String, String> dates = new LinkedHashMap<>();
        dates.put("30 February", "2024-02-30T10:00:00Z");
        dates.put("hour 25", "2024-01-01T25:61:61Z");
        dates.put("offset +25:00", "2024-01-01T00:00:00+25:00");
        dates.put("year 0", "0000-01-01T00:00:00Z");
        dates.put("year 9999 last nanosecond", "9999-12-31T23:59:59.999999999Z");
        dates.put("year 999999999", "+999999999-12-31T23:59:59Z");
        dates.put("year -999999999", "-999999999-01-01T00:00:00Z");
        dates.put("date only", "2024-01-01");
        dates.put("words", "yesterday");
        return dates;
    }

    private static List<String> numberedMembers(int count) {
        List<String> members = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            members.add("\"k" + i + "\":" + i);
        }
        return members;
    }

    /** Percent-encoding for URL parts: everything but the unreserved characters. */
    static final class Urls {
        static String encode(String value) {
            StringBuilder encoded = new StringBuilder();
            for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
                char c = (char) (b & 0xff);
                if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-._~".indexOf(c) >= 0) {
                    encoded.append(c);
                } else {
                    encoded.append('%').append(String.format("%02X", b & 0xff));
                }
            }
            return encoded.toString();
        }

        private Urls() {
        }
    }
}
