package com.leadforge.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.leadforge.shared.events.CloudEventHeaders;
import com.leadforge.shared.events.EventType;
import com.leadforge.shared.events.Topics;
import com.leadforge.shared.inbox.DeadLetters;

/**
 * docs/asyncapi.yaml is valid AsyncAPI 3 and describes the contract the code has: every {@link EventType} as a
 * message with its ce_type on the channel of its topic, every topic's dead-letter companion with the dead-letter
 * headers, and the CloudEvents headers.
 */
class EventContractTest {

    static final String ASYNCAPI = "docs/asyncapi.yaml";

    @Test
    void asyncApiDocumentIsValid() {
        Repo.requireTool("asyncapi", "asyncapi validate " + ASYNCAPI);
        // CI=true keeps the CLI from sending usage metrics (and from waiting on a network it does not have).
        Repo.Result result = Repo.run(List.of("asyncapi", "validate", ASYNCAPI, "--fail-severity", "error"),
                Map.of("CI", "true", "SUPPRESS_NO_CONFIG_WARNING", "1",
                        "ASYNCAPI_METRICS_CONFIG_PATH", Repo.WORK.resolve("asyncapi-analytics.json").toString()),
                300);
        Repo.assertSucceeded(result, "asyncapi validate " + ASYNCAPI);
        assertTrue(result.output().contains("is valid"), result.output());
        System.out.println("[deploy-checks] asyncapi validate " + ASYNCAPI + ": valid");
    }

    @Test
    void everyEventTypeIsAMessageOnTheChannelOfItsTopic() {
        JsonNode doc = Repo.yaml(ASYNCAPI);
        assertTrue(doc.path("asyncapi").asText().startsWith("3."), "AsyncAPI 3");
        Map<String, String> typeToTopic = new TreeMap<>();
        for (JsonNode channel : doc.path("channels")) {
            String address = channel.path("address").asText();
            for (JsonNode ref : channel.path("messages")) {
                JsonNode message = resolve(doc, ref.path("$ref").asText());
                JsonNode ceType = message.at("/headers/allOf/1/properties/ce_type/const");
                if (!ceType.isMissingNode()) {
                    typeToTopic.put(ceType.asText(), address);
                    assertEquals(ceType.asText(), message.path("name").asText());
                    assertFalse(resolve(doc, message.at("/payload/$ref").asText()).path("properties").isEmpty(),
                            ceType.asText() + " has a payload schema");
                }
            }
        }
        Map<String, String> expected = new TreeMap<>();
        for (EventType type : EventType.values()) {
            expected.put(type.type(), type.topic());
        }
        assertEquals(expected, typeToTopic, "EventType vs the messages of " + ASYNCAPI);
    }

    @Test
    void everyTopicHasItsDeadLetterChannelWithTheDeadLetterHeaders() {
        JsonNode doc = Repo.yaml(ASYNCAPI);
        Set<String> addresses = new TreeSet<>();
        doc.path("channels").forEach(c -> addresses.add(c.path("address").asText()));
        Set<String> expected = new TreeSet<>();
        for (EventType type : EventType.values()) {
            expected.add(type.topic());
            expected.add(Topics.deadLetterOf(type.topic()));
        }
        assertEquals(expected, addresses);
        JsonNode dlqHeaders = doc.at("/components/schemas/DeadLetterHeaders/properties");
        for (String header : List.of(DeadLetters.REASON, DeadLetters.CONSUMER, DeadLetters.ORIGINAL_TOPIC,
                DeadLetters.ORIGINAL_PARTITION, DeadLetters.ORIGINAL_OFFSET, DeadLetters.FAILED_AT)) {
            assertTrue(dlqHeaders.has(header), "dead-letter header " + header);
        }
        JsonNode ceHeaders = doc.at("/components/schemas/CloudEventHeaders/properties");
        for (String header : List.of(CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.ID, CloudEventHeaders.SOURCE,
                CloudEventHeaders.TYPE, CloudEventHeaders.TIME, CloudEventHeaders.SUBJECT, CloudEventHeaders.AGENCY_ID,
                CloudEventHeaders.ACTOR, CloudEventHeaders.CONTENT_TYPE)) {
            assertTrue(ceHeaders.has(header), "CloudEvents header " + header);
        }
    }

    @Test
    void prodRealmIsTheTestRealmWithoutUsersAndDevRealmIsItUnderADemoName() throws Exception {
        JsonNode source = Repo.JSON.readTree(
                Repo.path("test-support/stack/src/main/resources/keycloak/leadforge-realm.json").toFile());
        JsonNode demo = Repo.yaml("k8s/overlays/dev/keycloak-realm-demo.yaml").at("/spec/realm");
        Map<String, JsonNode> expectedDemo = fields(source);
        Map<String, JsonNode> actualDemo = fields(demo);
        assertEquals("leadforge-demo", actualDemo.remove("realm").asText());
        assertTrue(actualDemo.remove("displayName").asText().contains("DEMO"));
        expectedDemo.remove("realm");
        expectedDemo.remove("displayName");
        assertEquals(expectedDemo, actualDemo, "dev realm differs from the test realm: run deploy/tools/gen-keycloak-realms.py");

        JsonNode prod = Repo.yaml("k8s/overlays/prod/keycloak-realm.yaml").at("/spec/realm");
        assertEquals("leadforge", prod.path("realm").asText());
        assertTrue(prod.path("users").isMissingNode(), "no users in prod");
        assertEquals(source.path("roles"), prod.path("roles"), "prod roles = test roles");
        assertEquals(source.path("components"), prod.path("components"), "prod user profile = test user profile");
        for (JsonNode client : prod.path("clients")) {
            assertTrue(client.path("secret").isMissingNode(), "no client secret in prod");
            assertFalse(client.path("directAccessGrantsEnabled").asBoolean(), "no password grant in prod");
        }
    }

    private static Map<String, JsonNode> fields(JsonNode node) {
        Map<String, JsonNode> fields = new HashMap<>();
        node.fields().forEachRemaining(e -> fields.put(e.getKey(), e.getValue()));
        return fields;
    }

    private static JsonNode resolve(JsonNode doc, String ref) {
        assertTrue(ref.startsWith("#/"), "local $ref: " + ref);
        return doc.at(ref.substring(1));
    }
}
