package com.leadforge.gateway.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import com.leadforge.testsupport.RawHttp;
import com.leadforge.testsupport.TestTokens;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.vertx.core.json.JsonObject;

/**
 * X-Forwarded-For is believed only from trusted proxies. Here 127.0.0.1 (an "ingress") and 10.0.0.0/8 are trusted;
 * requests sent from 127.0.0.2 play an untrusted client connecting directly. The upstream stub echoes what it got.
 */
@QuarkusTest
@TestProfile(ClientAddressTest.TrustLoopbackIngress.class)
class ClientAddressTest {

    static final int ANONYMOUS_HEALTH_CHECKS = 2;
    static final String UNTRUSTED = "127.0.0.2";
    static final String TRUSTED = "127.0.0.1";

    public static class TrustLoopbackIngress implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("leadforge.gateway.trusted-proxies", "127.0.0.1, 10.0.0.0/8",
                    "leadforge.gateway.rate-limit.classes.health.per-user", String.valueOf(ANONYMOUS_HEALTH_CHECKS),
                    "leadforge.gateway.rate-limit.classes.health.period", "1H");
        }
    }

    private final String token = TestTokens.token(TestTokens.AGENCY_ACME, "researcher");

    private JsonObject forwardedHeaders(String from, String... headerLines) {
        String[] lines = new String[headerLines.length + 1];
        lines[0] = "Authorization: Bearer " + token;
        System.arraycopy(headerLines, 0, lines, 1, headerLines.length);
        RawHttp.Response response = RawHttp.send(from, RestAssured.port, RawHttp.get("/api/v1/leads", lines));
        assertEquals(200, response.status(), response.body());
        return new JsonObject(response.body()).getJsonObject("headers");
    }

    @Test
    void aSpoofedForwardedForFromAnUntrustedPeerIsIgnored() {
        JsonObject headers = forwardedHeaders(UNTRUSTED, "X-Forwarded-For: 6.6.6.6",
                "X-Forwarded-Proto: https", "X-Forwarded-Host: evil.example");
        assertEquals(UNTRUSTED, headers.getString("x-forwarded-for"));
        assertEquals("http", headers.getString("x-forwarded-proto"));
        assertTrue(headers.getString("x-forwarded-host").startsWith("127.0.0.1"), headers.encode());
    }

    @Test
    void aTrustedProxysForwardedForNamesTheClient() {
        JsonObject headers = forwardedHeaders(TRUSTED, "X-Forwarded-For: 203.0.113.7",
                "X-Forwarded-Proto: https", "X-Forwarded-Host: api.leadforge.test");
        assertEquals("203.0.113.7, 127.0.0.1", headers.getString("x-forwarded-for"));
        assertEquals("https", headers.getString("x-forwarded-proto"));
        assertEquals("api.leadforge.test", headers.getString("x-forwarded-host"));
    }

    @Test
    void whatTheClientWroteBeforeTheTrustedHopsIsDropped() {
        // The client sent "X-Forwarded-For: 6.6.6.6"; the ingress appended the address it saw, a cluster hop its own.
        assertEquals("203.0.113.7, 127.0.0.1", forwardedHeaders(TRUSTED,
                "X-Forwarded-For: 6.6.6.6, 203.0.113.7").getString("x-forwarded-for"));
        assertEquals("203.0.113.7, 10.1.2.3, 127.0.0.1", forwardedHeaders(TRUSTED,
                "X-Forwarded-For: 6.6.6.6", "X-Forwarded-For: 203.0.113.7, 10.1.2.3").getString("x-forwarded-for"));
        assertEquals("10.1.2.3, 127.0.0.1", forwardedHeaders(TRUSTED,
                "X-Forwarded-For: not-an-address, 10.1.2.3").getString("x-forwarded-for"));
    }

    @Test
    void anonymousRequestsCountAgainstTheRealClientBehindATrustedProxyOnly() {
        for (int i = 0; i < ANONYMOUS_HEALTH_CHECKS; i++) {
            assertTrue(health(TRUSTED, "198.51.100.1").status() != 429);
        }
        assertEquals(429, health(TRUSTED, "198.51.100.1").status());
        // Another client behind the same ingress has its own budget.
        assertTrue(health(TRUSTED, "198.51.100.2").status() != 429);

        // Directly connected, X-Forwarded-For does not buy a fresh budget.
        for (int i = 0; i < ANONYMOUS_HEALTH_CHECKS; i++) {
            assertTrue(health(UNTRUSTED, "198.51.100.10" + i).status() != 429);
        }
        RawHttp.Response refused = health(UNTRUSTED, "198.51.100.199");
        assertEquals(429, refused.status(), refused.body());
        assertEquals("application/problem+json", refused.header("Content-Type"));
    }

    private static RawHttp.Response health(String from, String forwardedFor) {
        return RawHttp.send(from, RestAssured.port, RawHttp.get("/api/health", "X-Forwarded-For: " + forwardedFor));
    }
}
