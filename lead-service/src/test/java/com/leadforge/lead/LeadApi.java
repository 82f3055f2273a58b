package com.leadforge.lead;

import static io.restassured.RestAssured.given;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import com.leadforge.shared.events.CloudEventHeaders;
import com.leadforge.shared.events.Topics;
import com.leadforge.testsupport.TestTokens;
import com.leadforge.testsupport.TopicProbe;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/** Test helpers: tokens per role and agency, lead creation, and waiting for a lead's events on the topic. */
public final class LeadApi {

    public static final String ACME = TestTokens.AGENCY_ACME;
    public static final String BEACON = TestTokens.AGENCY_BEACON;
    public static final String PROBLEM_JSON = "application/problem+json";
    /**
     * The topics every test class asks RealInfrastructure for: one identical set, so that every class shares the one
     * PostgreSQL and Kafka the test resource starts, and every consumer of the service finds its topic.
     */
    public static final String TEST_TOPICS = Topics.LEAD_EVENTS + "," + Topics.CAMPAIGN_EVENTS + ","
            + Topics.SCRAPING_EVENTS;

    static {
        io.restassured.RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    public static RequestSpecification as(String agency, String role) {
        return given().auth().oauth2(TestTokens.token(agency, role));
    }

    public static RequestSpecification admin() {
        return as(ACME, "agency_admin");
    }

    public static RequestSpecification researcher() {
        return as(ACME, "researcher");
    }

    public static RequestSpecification client() {
        return as(ACME, "client");
    }

    public static String unique() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    /** Creates a lead in Acme (as a researcher) from a JSON body and returns its id. */
    public static String create(String json) {
        return researcher().contentType(ContentType.JSON).body(json)
                .when().post("/api/v1/leads")
                .then().statusCode(201)
                .extract().path("id");
    }

    public static String createNamed(String first, String last, String extraJson) {
        return create("""
                {"first_name":"%s","last_name":"%s","email":"%s@example.com"%s}"""
                .formatted(first, last, first.toLowerCase() + "." + unique(), extraJson.isEmpty() ? "" : "," + extraJson));
    }

    /** Waits for the event of {@code type} about lead {@code id} and returns its data. */
    public static JsonPath awaitEvent(String bootstrap, String id, String type) {
        try (TopicProbe probe = new TopicProbe(bootstrap, Topics.LEAD_EVENTS)) {
            ConsumerRecord<String, String> record = probe.await(r -> id.equals(r.key())
                    && type.equals(TopicProbe.header(r, CloudEventHeaders.TYPE)), Duration.ofSeconds(30));
            return new JsonPath(record.value());
        }
    }

    /** Waits for {@code count} events of {@code type} about lead {@code id}. */
    public static List<JsonPath> awaitEvents(String bootstrap, String id, String type, int count) {
        try (TopicProbe probe = new TopicProbe(bootstrap, Topics.LEAD_EVENTS)) {
            Predicate<ConsumerRecord<String, String>> match = r -> id.equals(r.key())
                    && type.equals(TopicProbe.header(r, CloudEventHeaders.TYPE));
            com.leadforge.testsupport.Await.until(count + " " + type + " event(s)", Duration.ofSeconds(30),
                    () -> probe.seen(match).size() >= count);
            return probe.seen(match).stream().map(r -> new JsonPath(r.value())).toList();
        }
    }

    private LeadApi() {
    }
}
