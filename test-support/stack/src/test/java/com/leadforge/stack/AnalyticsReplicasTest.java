package com.leadforge.stack;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import com.leadforge.testsupport.Await;
import com.leadforge.testsupport.SseClient;

import io.restassured.http.ContentType;

/**
 * Live updates with two analytics-service replicas, as a Deployment of two pods runs them: the consumer group splits
 * each topic's partitions between them, so each replica consumes only some of the events, yet a stream on either
 * replica must get every event of its agency, once, in the same order and with the same ids as on the other; and a
 * client that reconnects to the other replica with its Last-Event-ID resumes without a gap or a repeat.
 */
@ExtendWith(RunningStack.class)
class AnalyticsReplicasTest {

    static final String CAMPAIGN_TOPIC = "leadforge.campaign-events";
    static final String GROUP = "analytics-service";
    static final int PARTITIONS = 3;
    static final Duration DELIVERY = Duration.ofSeconds(60);

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void aStreamOnEitherReplicaGetsEveryChangeOnceAndResumesOnTheOther(Stack stack) throws Exception {
        String admin = KeycloakTokens.of(stack, "admin-acme");
        try (Stack.Replica second = stack.startReplica("analytics-service");
                Admin kafka = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                        stack.kafkaBootstrapServers()))) {
            Await.until("both replicas consume " + CAMPAIGN_TOPIC, Duration.ofSeconds(120),
                    () -> consumersOf(kafka, CAMPAIGN_TOPIC) == 2);
            // One campaign on each partition: whichever partitions each replica got, both consume some of the changes.
            Map<Integer, String> campaignByPartition = new LinkedHashMap<>();
            for (int attempt = 0; attempt < 40 && campaignByPartition.size() < PARTITIONS; attempt++) {
                String campaign = createCampaign(stack, admin);
                campaignByPartition.putIfAbsent(partitionOf(campaign), campaign);
            }
            assertEquals(PARTITIONS, campaignByPartition.size(), "campaigns on every partition of " + CAMPAIGN_TOPIC);
            Set<String> campaigns = new TreeSet<>(campaignByPartition.values());

            URI onFirst = URI.create(stack.serviceUrl("analytics-service") + "/api/v1/stream");
            URI onSecond = URI.create(second.url() + "/api/v1/stream");
            List<SseClient.Event> seenOnFirst;
            List<SseClient.Event> seenOnSecond;
            try (SseClient first = SseClient.open(onFirst, "Authorization", "Bearer " + admin);
                    SseClient other = SseClient.open(onSecond, "Authorization", "Bearer " + admin)) {
                assertEquals(200, first.status(), "a stream on the first replica");
                assertEquals(200, other.status(), "a stream on the second replica");
                for (String campaign : campaigns) {
                    given().baseUri(stack.gatewayUrl()).auth().oauth2(admin).contentType(ContentType.JSON)
                            .body("{\"status\":\"paused\"}").when().put("/api/v1/campaigns/" + campaign)
                            .then().statusCode(200);
                }
                seenOnFirst = campaignEvents(first, campaigns);
                seenOnSecond = campaignEvents(other, campaigns);
            }

            assertEquals(campaigns, campaignsOf(seenOnFirst), "the first replica's stream: each change once");
            assertEquals(campaigns, campaignsOf(seenOnSecond), "the second replica's stream: each change once");
            assertEquals(ids(seenOnFirst), ids(seenOnSecond), "the same events, ids and order on both replicas");

            // The client loses its connection to the first replica after the first change and reconnects to the second.
            try (SseClient resumed = SseClient.open(onSecond, "Authorization", "Bearer " + admin,
                    "Last-Event-ID", seenOnFirst.get(0).id())) {
                assertEquals(200, resumed.status(), "resuming on the other replica");
                Set<String> rest = campaignsOf(seenOnFirst.subList(1, seenOnFirst.size()));
                List<SseClient.Event> afterResume = campaignEvents(resumed, rest);
                assertEquals(ids(seenOnFirst.subList(1, seenOnFirst.size())), ids(afterResume),
                        "after Last-Event-ID: every later event, none before it, none twice");
            }
        }
    }

    private static String createCampaign(Stack stack, String token) {
        return given().baseUri(stack.gatewayUrl()).auth().oauth2(token).contentType(ContentType.JSON)
                .body("{\"name\":\"replicas " + UUID.randomUUID() + "\",\"status\":\"active\"}")
                .when().post("/api/v1/campaigns").then().statusCode(201).extract().path("id");
    }

    /** The partition the default partitioner gives a record keyed by this campaign's id. */
    private static int partitionOf(String campaignId) {
        return Utils.toPositive(Utils.murmur2(campaignId.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
    }

    /** Members of the service's consumer group that hold at least one partition of {@code topic}. */
    private static long consumersOf(Admin kafka, String topic) {
        try {
            ConsumerGroupDescription group = kafka.describeConsumerGroups(List.of(GROUP)).describedGroups().get(GROUP)
                    .get();
            return group.members().stream().filter(member -> member.assignment().topicPartitions().stream()
                    .anyMatch(partition -> partition.topic().equals(topic))).count();
        } catch (Exception e) {
            return 0;
        }
    }

    /**
     * The {@code campaign} events of {@code campaigns} on this stream: waits until each has arrived, then a little
     * longer, so that a second copy of any would be caught too.
     */
    private List<SseClient.Event> campaignEvents(SseClient stream, Set<String> campaigns) {
        List<SseClient.Event> got = new ArrayList<>();
        Set<String> seen = new TreeSet<>();
        long deadline = System.nanoTime() + DELIVERY.toNanos();
        while (!seen.containsAll(campaigns) && System.nanoTime() < deadline) {
            SseClient.Event event = stream.next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (event == null) {
                break;
            }
            if (isCampaignEventOf(event, campaigns)) {
                got.add(event);
                seen.add(campaignOf(event));
            }
        }
        assertTrue(seen.containsAll(campaigns), "every change within " + DELIVERY + "; got " + seen);
        stream.drain(Duration.ofSeconds(3)).stream().filter(event -> isCampaignEventOf(event, campaigns))
                .forEach(got::add);
        return got;
    }

    private boolean isCampaignEventOf(SseClient.Event event, Set<String> campaigns) {
        return !event.isComment() && "campaign".equals(event.name()) && campaigns.contains(campaignOf(event));
    }

    private String campaignOf(SseClient.Event event) {
        try {
            JsonNode data = json.readTree(event.data());
            return data.path("campaign_id").asText();
        } catch (java.io.IOException e) {
            throw new AssertionError("A campaign event that is not JSON: " + event.data(), e);
        }
    }

    /** The campaigns of these events, failing if one appears twice. */
    private Set<String> campaignsOf(List<SseClient.Event> events) {
        Set<String> campaigns = new TreeSet<>();
        for (SseClient.Event event : events) {
            assertTrue(campaigns.add(campaignOf(event)), "campaign " + campaignOf(event) + " twice in " + ids(events));
        }
        return campaigns;
    }

    private static List<String> ids(List<SseClient.Event> events) {
        return events.stream().map(SseClient.Event::id).toList();
    }
}
