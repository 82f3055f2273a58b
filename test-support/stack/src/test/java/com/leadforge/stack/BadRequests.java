package com.leadforge.stack;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Bad requests for one operation, generated from its OpenAPI description: for each body property, query and path
 * parameter the values a careless or hostile client sends (wrong JSON types, NUL and other control characters,
 * 70,000-character strings, numbers no type holds, invalid enum values, UUIDs and dates, 10,000-deep nesting), and for
 * the body as a whole the shapes a parser must survive (empty, truncated, duplicate keys, invalid UTF-8, wrong content
 * types). Everything else in a request stays valid, so that the bad part, not a neighbour, decides the answer.
 * Generation is deterministic; {@link #forOperation} keeps at most {@code limit} requests, spread over every category.
 */
final class BadRequests {

    static final int DEEP = BadValues.DEEP;
    /** Above every service's body limit (1 MiB), below the gateway's (2 MiB). */
    static final int OVERSIZED_BODY = 1_100_000;
    private static final String PLACEHOLDER = "__fuzz_placeholder__";
    private static final Pattern PATH_PARAMETER = Pattern.compile("\\{([^}]+)}");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /**
     * One request as it goes on the wire: {@code path} and {@code query} are already percent-encoded (some cases are
     * invalid UTF-8 on purpose); {@code body} is null for none; {@code caller} overrides the operation's user.
     */
    record BadRequest(String operation, String category, String detail, String method, String path, String query,
            String contentType, byte[] body, Map<String, String> headers, String caller) {

        String target() {
            return query.isEmpty() ? path : path + "?" + query;
        }

        String describe() {
            String target = target();
            return method + " " + (target.length() > 160 ? target.substring(0, 160) + "…(" + target.length() + ")" : target)
                    + " [" + category + ": " + detail + "]";
        }
    }

    private final OpenApiExamples examples;
    private final BadValues values;
    /** A valid value for a path parameter, given the template and the parameter's name (null when none is known). */
    private final java.util.function.BiFunction<String, String, String> pathValues;

    BadRequests(OpenApiExamples examples, java.util.function.BiFunction<String, String, String> pathValues) {
        this.examples = examples;
        this.values = new BadValues(examples);
        this.pathValues = pathValues;
    }

    /** At most {@code limit} bad requests for {@code method template}, round-robin over the categories. */
    List<BadRequest> forOperation(String method, String template, JsonNode operation, int limit) {
        Map<String, List<BadRequest>> byCategory = new LinkedHashMap<>();
        Generation generation = new Generation(method, template, operation, byCategory);
        generation.pathCases();
        generation.queryCases();
        generation.bodyCases();
        generation.headerCases();
        Random random = new Random((method + " " + template).hashCode());
        List<List<BadRequest>> queues = new ArrayList<>();
        byCategory.values().forEach(cases -> {
            List<BadRequest> shuffled = new ArrayList<>(cases);
            Collections.shuffle(shuffled, random);
            queues.add(shuffled);
        });
        List<BadRequest> chosen = new ArrayList<>();
        for (int round = 0; chosen.size() < limit; round++) {
            boolean any = false;
            for (List<BadRequest> queue : queues) {
                if (round < queue.size() && chosen.size() < limit) {
                    chosen.add(queue.get(round));
                    any = true;
                }
            }
            if (!any) {
                break;
            }
        }
        return chosen;
    }

    /** The generation for one operation: its valid baseline, and the cases by category. */
    private final class Generation {
        final String method;
        final String template;
        final JsonNode operation;
        final Map<String, List<BadRequest>> byCategory;
        final String name;
        final JsonNode bodySchema;

        Generation(String method, String template, JsonNode operation, Map<String, List<BadRequest>> byCategory) {
            this.method = method;
            this.template = template;
            this.operation = operation;
            this.byCategory = byCategory;
            this.name = method + " " + template;
            this.bodySchema = examples.requestSchema(operation);
        }

        boolean hasBody() {
            return !bodySchema.isMissingNode();
        }

        String validPath() {
            return path(null, null);
        }

        /** The path with each parameter valid, except {@code bad} (already encoded) for {@code badParameter}. */
        String path(String badParameter, String bad) {
            Matcher parameters = PATH_PARAMETER.matcher(template);
            StringBuilder path = new StringBuilder();
            while (parameters.find()) {
                String parameter = parameters.group(1);
                String value = parameter.equals(badParameter) ? bad : pathValues.apply(template, parameter);
                if (value == null) {
                    throw new IllegalStateException("no fuzz case for path parameter {" + parameter + "} of " + name
                            + " (add a resource for it to FuzzTest.createOwnResources)");
                }
                parameters.appendReplacement(path, Matcher.quoteReplacement(value));
            }
            parameters.appendTail(path);
            return path.toString();
        }

        byte[] validBody() {
            JsonNode body = examples.example(bodySchema, "", 0);
            return body.toString().getBytes(StandardCharsets.UTF_8);
        }

        void add(String category, String detail, String path, String query, String contentType, byte[] body,
                Map<String, String> headers, String caller) {
            byCategory.computeIfAbsent(category, c -> new ArrayList<>()).add(new BadRequest(name, category, detail,
                    method, path, query, contentType, body, headers, caller));
        }

        /** A request that is valid except for {@code query}. */
        void query(String category, String detail, String query) {
            add(category, detail, validPath(), query, hasBody() ? "application/json" : null,
                    hasBody() ? validBody() : null, Map.of(), null);
        }

        /** A request that is valid except for its body (and content type). */
        void body(String category, String detail, String contentType, byte[] body) {
            add(category, detail, validPath(), "", contentType, body, Map.of(), null);
        }

        void json(String category, String detail, String json) {
            body(category, detail, "application/json", json.getBytes(StandardCharsets.UTF_8));
        }

        // ---- path parameters

        void pathCases() {
            Matcher parameters = PATH_PARAMETER.matcher(template);
            while (parameters.find()) {
                String parameter = parameters.group(1);
                for (Map.Entry<String, String> bad : BadValues.url(parameterSchema(parameter, "path"), true).entrySet()) {
                    String category = "path." + bad.getKey().substring(0, bad.getKey().indexOf(':'));
                    add(category, parameter + " " + bad.getKey().substring(bad.getKey().indexOf(':') + 1),
                            path(parameter, bad.getValue()), "", hasBody() ? "application/json" : null,
                            hasBody() ? validBody() : null, Map.of(), null);
                }
            }
        }

        // ---- query parameters

        void queryCases() {
            for (JsonNode parameter : operation.path("parameters")) {
                if (!"query".equals(parameter.path("in").asText())) {
                    continue;
                }
                String parameterName = parameter.path("name").asText();
                JsonNode schema = examples.resolve(parameter.path("schema"));
                String encodedName = BadValues.Urls.encode(parameterName);
                for (Map.Entry<String, String> bad : BadValues.url(schema, false).entrySet()) {
                    String category = "query." + bad.getKey().substring(0, bad.getKey().indexOf(':'));
                    query(category, parameterName + " " + bad.getKey().substring(bad.getKey().indexOf(':') + 1),
                            encodedName + "=" + bad.getValue());
                }
                query("query.duplicate", parameterName + " twice, second bad",
                        encodedName + "=" + BadValues.Urls.encode(validUrlValue(schema)) + "&" + encodedName + "=%00%7B");
                query("query.empty", parameterName + " empty", encodedName + "=");
                query("query.empty", parameterName + " without value", encodedName);
            }
            query("query.unknown", "unknown parameter with control characters", "no_such_parameter=%00%01%1F");
        }

        JsonNode parameterSchema(String parameterName, String in) {
            for (JsonNode parameter : operation.path("parameters")) {
                if (in.equals(parameter.path("in").asText()) && parameterName.equals(parameter.path("name").asText())) {
                    return examples.resolve(parameter.path("schema"));
                }
            }
            return NODES.objectNode().put("type", "string");
        }

        String validUrlValue(JsonNode schema) {
            JsonNode example = examples.example(schema, "", 0);
            return example.isTextual() ? example.asText() : example.toString();
        }

        // ---- the body

        void bodyCases() {
            if (!hasBody()) {
                // A body where none belongs must be ignored or refused, never parsed into a failure.
                json("body.unexpected", "JSON body on a bodiless operation", "{\"a\":[1,2,{\"b\":null}]}");
                json("body.unexpected", "truncated JSON on a bodiless operation", "{\"a\":[1,2,");
                json("body.unexpected", DEEP + "-deep JSON on a bodiless operation", "[".repeat(DEEP) + "]".repeat(DEEP));
                body("content-type.unexpected", "XML body on a bodiless operation", "application/xml",
                        "<a><b/></a>".getBytes(StandardCharsets.UTF_8));
                return;
            }
            propertyCases();
            String valid = new String(validBody(), StandardCharsets.UTF_8);
            json("body.empty", "no bytes", "");
            json("body.empty", "whitespace only", "  \n ");
            for (String shape : List.of("null", "[]", "[{}]", "\"text\"", "123", "true", "{}")) {
                json("body.shape", shape, shape);
            }
            json("body.truncated", "first half of a valid body", valid.substring(0, valid.length() / 2));
            json("body.truncated", "missing last brace", valid.substring(0, valid.length() - 1));
            json("body.truncated", "open string", "{\"" + firstProperty() + "\":\"abc");
            json("body.trailing", "second document", valid + valid);
            json("body.trailing", "garbage after the document", valid + " x");
            json("body.syntax", "single quotes", valid.replace('"', '\''));
            json("body.syntax", "comment", "/* c */" + valid);
            json("body.syntax", "trailing comma", valid.substring(0, valid.length() - 1) + ",}");
            json("body.syntax", "NaN literal", "{\"" + firstProperty() + "\":NaN}");
            json("body.deep-nesting", DEEP + " nested arrays", "[".repeat(DEEP) + "]".repeat(DEEP));
            json("body.deep-nesting", DEEP + " nested objects", "{\"a\":".repeat(DEEP) + "1" + "}".repeat(DEEP));
            json("body.deep-nesting", DEEP + " nested arrays in " + firstProperty(),
                    withValue(firstProperty(), "[".repeat(DEEP) + "]".repeat(DEEP)));
            json("body.duplicate-keys", firstProperty() + " twice, second of another type",
                    valid.substring(0, valid.length() - 1) + ",\"" + firstProperty() + "\":{\"x\":[1]}}");
            json("body.duplicate-keys", firstProperty() + " twice, both strings",
                    valid.substring(0, valid.length() - 1) + ",\"" + firstProperty() + "\":\"again\"}");
            json("body.unknown-property", "unknown field", valid.substring(0, valid.length() - 1) + ",\"no_such_field\":1}");
            json("body.unknown-property", "unknown field with control characters in its name",
                    valid.substring(0, valid.length() - 1) + ",\"a\\u0000\\u0001\":1}");
            byte[] invalidUtf8 = ("{\"" + firstProperty() + "\":\"a\u00ffb\"}").getBytes(StandardCharsets.ISO_8859_1);
            body("body.encoding", "invalid UTF-8 byte", "application/json", invalidUtf8);
            body("body.encoding", "UTF-8 byte order mark", "application/json",
                    ("\uFEFF" + valid).getBytes(StandardCharsets.UTF_8));
            body("body.encoding", "UTF-16 bytes declared as UTF-8", "application/json; charset=utf-8",
                    valid.getBytes(StandardCharsets.UTF_16));
            body("body.oversized", OVERSIZED_BODY + " bytes", "application/json",
                    withValue(firstProperty(), "\"" + "a".repeat(OVERSIZED_BODY) + "\"").getBytes(StandardCharsets.UTF_8));
            byte[] validBytes = valid.getBytes(StandardCharsets.UTF_8);
            for (String contentType : List.of("text/plain", "application/xml", "application/x-www-form-urlencoded",
                    "multipart/form-data", "application/json; charset=no-such-charset", "application/json; charset=utf-16",
                    "application/octet-stream", "not a media type", "*/*", "application/json-patch+json")) {
                body("content-type.wrong", contentType, contentType, validBytes);
            }
            body("content-type.missing", "valid JSON without Content-Type", null, validBytes);
        }

        String firstProperty() {
            Iterator<String> names = bodySchema.path("properties").fieldNames();
            return names.hasNext() ? names.next() : "a";
        }

        /** A valid body whose property {@code pointer} (a/b) holds the raw JSON {@code token}. */
        String withValue(String pointer, String token) {
            JsonNode body = examples.example(bodySchema, "", 0);
            String[] names = pointer.split("/");
            JsonNode parent = body;
            for (int i = 0; i < names.length - 1; i++) {
                JsonNode child = parent.path(names[i]);
                if (!child.isObject()) {
                    child = ((ObjectNode) parent).putObject(names[i]);
                }
                parent = child;
            }
            if (!parent.isObject()) {
                return "{\"" + names[names.length - 1] + "\":" + token + "}";
            }
            ((ObjectNode) parent).put(names[names.length - 1], PLACEHOLDER);
            return body.toString().replace("\"" + PLACEHOLDER + "\"", token);
        }

        void propertyCases() {
            Map<String, JsonNode> slots = new LinkedHashMap<>();
            collectSlots(bodySchema, "", slots, 0);
            for (Map.Entry<String, JsonNode> slot : slots.entrySet()) {
                String pointer = slot.getKey();
                JsonNode schema = slot.getValue();
                for (Map.Entry<String, String> bad : values.json(pointer, schema).entrySet()) {
                    String category = "body." + bad.getKey().substring(0, bad.getKey().indexOf(':'));
                    json(category, pointer.replace('/', '.') + " " + bad.getKey().substring(bad.getKey().indexOf(':') + 1),
                            withValue(pointer, bad.getValue()));
                }
            }
        }

        /** Every property, and the properties of object-valued properties (one level down). */
        void collectSlots(JsonNode schema, String prefix, Map<String, JsonNode> slots, int depth) {
            Iterator<Map.Entry<String, JsonNode>> properties = examples.resolve(schema).path("properties").fields();
            while (properties.hasNext()) {
                Map.Entry<String, JsonNode> property = properties.next();
                if (property.getValue().path("readOnly").asBoolean(false)) {
                    continue;
                }
                JsonNode resolved = examples.resolve(property.getValue());
                slots.put(prefix + property.getKey(), resolved);
                if (depth == 0 && resolved.has("properties")) {
                    collectSlots(resolved, prefix + property.getKey() + "/", slots, depth + 1);
                }
            }
        }

        // ---- headers

        void headerCases() {
            String contentType = hasBody() ? "application/json" : null;
            byte[] body = hasBody() ? validBody() : null;
            add("header.agency", "super_admin names an agency that is not a UUID", validPath(), "", contentType, body,
                    Map.of("X-Agency-Id", "not-a-uuid"), "super-acme");
            add("header.agency", "super_admin names an agency with a trailing escape", validPath(), "", contentType,
                    body, Map.of("X-Agency-Id", "11111111-1111-1111-1111-111111111111%00"), "super-acme");
            add("header.accept", "Accept: application/xml", validPath(), "", contentType, body,
                    Map.of("Accept", "application/xml"), null);
            add("header.accept", "Accept: not a media type", validPath(), "", contentType, body,
                    Map.of("Accept", "not a media type"), null);
            add("header.request-id", "X-Request-Id with a quote and angle brackets", validPath(), "", contentType, body,
                    Map.of("X-Request-Id", "\"><script>"), null);
        }
    }
}
