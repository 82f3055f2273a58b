package com.leadforge.stack.fault;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadforge.stack.KeycloakTokens;
import com.leadforge.stack.Stack;
import com.leadforge.testsupport.Await;

/**
 * The API as the fault tests use it, with real Keycloak tokens. Writes go through the gateway, the path clients use.
 * Effects (analytics overview, campaign counters) are read from the owning service directly, so that the gateway's
 * circuit breakers and rate limits are not part of what a fault test measures. Thread-safe: writers run concurrently.
 */
final class LeadForgeApi {

    static final String ACME = "11111111-1111-1111-1111-111111111111";
    static final String WRITER = "researcher-acme";
    static final String ADMIN = "admin-acme";
    static final String SUPER_ADMIN = "super-acme";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** A status (0 when no answer came: refused, reset, timed out), the raw body and, if it parses, its JSON. */
    record Response(int status, String body) {
        boolean ok() {
            return status >= 200 && status < 300;
        }

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("Not JSON (" + status + "): " + body, e);
            }
        }
    }

    /** The analytics overview's lead numbers for Acme. */
    record Overview(long total, long qualified, long contacted, long responded, long createdInRange) {
        Overview minus(Overview base) {
            return new Overview(total - base.total, qualified - base.qualified, contacted - base.contacted,
                    responded - base.responded, createdInRange - base.createdInRange);
        }

        @Override
        public String toString() {
            return "total %d/qualified %d/contacted %d/responded %d/created %d".formatted(total, qualified, contacted,
                    responded, createdInRange);
        }
    }

    /** A campaign's four counters as campaign-service answers them. */
    record Counters(long leads, long qualified, long contacted, long responded) {
        @Override
        public String toString() {
            return "leads %d/qualified %d/contacted %d/responded %d".formatted(leads, qualified, contacted, responded);
        }
    }

    private final Stack stack;

    LeadForgeApi(Stack stack) {
        this.stack = stack;
    }

    Stack stack() {
        return stack;
    }

    String token(String user) {
        return KeycloakTokens.of(stack, user);
    }

    Response call(String method, String url, String user, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (user != null) {
            request.header("Authorization", "Bearer " + token(user));
        }
        if (body != null) {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body());
        } catch (IOException e) {
            return new Response(0, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Response(0, "interrupted");
        }
    }

    /** A new, empty campaign of Acme (created through the gateway by an agency admin). */
    String createCampaign(String purpose) {
        Response created = call("POST", stack.gatewayUrl() + "/api/v1/campaigns", ADMIN,
                "{\"name\":\"" + purpose + " " + UUID.randomUUID() + "\",\"status\":\"active\"}");
        if (created.status() != 201) {
            throw new IllegalStateException("Creating a campaign answered " + created.status() + ": " + created.body());
        }
        return created.json().path("id").asText();
    }

    /** One lead in {@code campaignId} through the gateway; the created lead's id, or null if not acknowledged. */
    String createLead(String campaignId) {
        String unique = UUID.randomUUID().toString();
        Response created = call("POST", stack.gatewayUrl() + "/api/v1/leads", WRITER, """
                {"first_name":"Fault","last_name":"Test %1$s","email":"fault-%1$s@example.com","company":"Faults Inc",
                 "campaign_id":%2$s}""".formatted(unique, campaignId == null ? "null" : "\"" + campaignId + "\""));
        return created.status() == 201 ? created.json().path("id").asText() : null;
    }

    /**
     * Waits until lead-service accepts leads into {@code campaignId} (it learns campaigns from their events) and
     * returns the id of the lead that was accepted: a real 2xx write, count it.
     */
    String awaitCampaignAcceptsLeads(String campaignId) {
        AtomicReference<String> accepted = new AtomicReference<>();
        Await.until("lead-service accepts leads into campaign " + campaignId, Duration.ofSeconds(60), () -> {
            accepted.set(createLead(campaignId));
            return accepted.get() != null;
        });
        return accepted.get();
    }

    /** GET of a lead through the gateway: its status code. */
    int leadStatus(String leadId) {
        return call("GET", stack.gatewayUrl() + "/api/v1/leads/" + leadId, WRITER, null).status();
    }

    /** How many (live) leads lead-service holds in {@code campaignId}. */
    long leadsInCampaign(String campaignId) {
        Response page = call("GET", stack.serviceUrl("lead-service") + "/api/v1/leads?pageSize=1&campaign_id="
                + campaignId, WRITER, null);
        require(page, 200, "listing leads");
        return page.json().path("meta").path("total").asLong();
    }

    Overview overview() {
        Response response = call("GET", stack.serviceUrl("analytics-service") + "/api/v1/analytics/overview", WRITER,
                null);
        require(response, 200, "the analytics overview");
        JsonNode overview = response.json().path("overview");
        JsonNode leads = overview.path("leads");
        return new Overview(leads.path("total").asLong(), leads.path("qualified").asLong(),
                leads.path("contacted").asLong(), leads.path("responded").asLong(),
                overview.path("trends").path("leads").asLong());
    }

    Counters counters(String campaignId) {
        Response response = call("GET", stack.serviceUrl("campaign-service") + "/api/v1/campaigns/" + campaignId,
                ADMIN, null);
        require(response, 200, "campaign " + campaignId);
        JsonNode campaign = response.json();
        return new Counters(campaign.path("leads_count").asLong(), campaign.path("qualified_leads_count").asLong(),
                campaign.path("contacted_count").asLong(), campaign.path("responded_count").asLong());
    }

    private static void require(Response response, int status, String what) {
        if (response.status() != status) {
            throw new IllegalStateException(what + " answered " + response.status() + ": " + response.body());
        }
    }
}
