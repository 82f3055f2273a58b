package com.leadforge.stack;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Valid request bodies built from a service's OpenAPI schemas, for the tests that are built from the document (the
 * isolation matrix, the fuzz suite): a body that passes validation lets the check a test is about decide the answer.
 * Id-valued fields get an id from {@code idFor} (given the field name), e-mail, phone and LinkedIn fields fresh values,
 * so that two bodies never collide on a uniqueness rule.
 */
final class OpenApiExamples {

    private final JsonNode document;
    private final Function<String, String> idFor;

    OpenApiExamples(JsonNode document, Function<String, String> idFor) {
        this.document = document;
        this.idFor = idFor;
    }

    /** The JSON request body schema of {@code operation}, resolved, or a missing node when it takes none. */
    JsonNode requestSchema(JsonNode operation) {
        JsonNode schema = operation.path("requestBody").path("content").path("application/json").path("schema");
        return schema.isMissingNode() ? schema : resolve(schema);
    }

    /** A valid body for {@code operation}, or null when it takes no JSON body. */
    JsonNode requestBody(JsonNode operation) {
        JsonNode schema = requestSchema(operation);
        return schema.isMissingNode() ? null : example(schema, "", 0);
    }

    /** Follows {@code $ref} and the first {@code allOf} member to the schema that says what a value is. */
    JsonNode resolve(JsonNode schema) {
        if (schema.has("$ref")) {
            return resolve(document.at(schema.get("$ref").asText().substring(1)));
        }
        if (schema.has("allOf")) {
            return resolve(schema.get("allOf").get(0));
        }
        return schema;
    }

    JsonNode example(JsonNode schema, String name, int depth) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        schema = resolve(schema);
        if (schema.has("enum")) {
            return schema.get("enum").get(0);
        }
        String type = schema.path("type").asText("object");
        String format = schema.path("format").asText("");
        String lower = name.toLowerCase(Locale.ROOT);
        switch (type) {
            case "string":
                String choice = firstAlternative(schema.path("pattern").asText(""));
                if (choice != null) {
                    return nodes.textNode(choice);
                }
                if (format.equals("uuid")) {
                    return nodes.textNode(idFor.apply(lower));
                }
                if (format.equals("date")) {
                    return nodes.textNode(LocalDate.now().toString());
                }
                if (format.equals("date-time")) {
                    return nodes.textNode(OffsetDateTime.now().toString());
                }
                if (lower.contains("email") || lower.equals("value")) {
                    return nodes.textNode("isolation-" + UUID.randomUUID().toString().substring(0, 8) + "@beacon.test");
                }
                if (lower.contains("linkedin")) {
                    return nodes.textNode("https://www.linkedin.com/in/isolation-" + UUID.randomUUID().toString().substring(0, 8));
                }
                if (lower.contains("phone")) {
                    return nodes.textNode("+1415555" + String.format("%04d", (int) (Math.random() * 10000)));
                }
                if (lower.endsWith("_id") || lower.equals("id")) {
                    return nodes.textNode(idFor.apply(lower));
                }
                return nodes.textNode("isolation " + UUID.randomUUID().toString().substring(0, 8));
            case "integer":
            case "number":
                return nodes.numberNode(schema.has("minimum") ? Math.max(1, schema.get("minimum").asLong()) : 1);
            case "boolean":
                return nodes.booleanNode(false);
            case "array":
                ArrayNode array = nodes.arrayNode();
                if (depth < 4) {
                    array.add(example(schema.path("items"), name.endsWith("s") ? name.substring(0, name.length() - 1) : name, depth + 1));
                }
                return array;
            default:
                ObjectNode object = nodes.objectNode();
                if (depth < 4) {
                    Iterator<Map.Entry<String, JsonNode>> properties = schema.path("properties").fields();
                    while (properties.hasNext()) {
                        Map.Entry<String, JsonNode> property = properties.next();
                        if (property.getValue().path("readOnly").asBoolean(false)) {
                            continue;
                        }
                        object.set(property.getKey(), example(property.getValue(), property.getKey(), depth + 1));
                    }
                }
                return object;
        }
    }

    /**
     * {@code phone|email|...} (an enumeration written as a pattern) gives {@code email} when offered (so that a
     * sibling {@code value} can be an e-mail address), else its first word; other patterns give none.
     */
    static String firstAlternative(String pattern) {
        List<String> words = alternatives(pattern);
        if (words.isEmpty()) {
            return null;
        }
        return words.contains("email") ? "email" : words.get(0);
    }

    /** The words of an enumeration written as a pattern ({@code ^(a|b|c)$}), or none for any other pattern. */
    static List<String> alternatives(String pattern) {
        String bare = pattern.replaceAll("^\\^?\\(?|\\)?\\$?$", "");
        if (!bare.matches("[a-z0-9_]+(\\|[a-z0-9_]+)+")) {
            return List.of();
        }
        return List.of(bare.split("\\|"));
    }
}
