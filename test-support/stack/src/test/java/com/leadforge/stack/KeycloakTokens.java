package com.leadforge.stack;

import static io.restassured.RestAssured.given;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * Real access tokens from the stack's Keycloak (password grant of the local-use client), cached per user until a
 * minute before they expire: the realm's tokens live 15 minutes, a whole test run (fault suite included) lasts longer.
 */
public final class KeycloakTokens {

    public static final String PASSWORD = "leadforge";
    /** A token with less than this left is fetched again, so that no request carries one that expires in flight. */
    private static final long MARGIN_NANOS = 60_000_000_000L;
    private static final Map<String, Cached> CACHE = new ConcurrentHashMap<>();

    private record Cached(String token, long renewAtNanos) {
    }

    public static String of(Stack stack, String username) {
        return CACHE.compute(username, (user, cached) -> cached != null && System.nanoTime() < cached.renewAtNanos()
                ? cached
                : fetch(stack, user)).token();
    }

    private static Cached fetch(Stack stack, String user) {
        long requestedAt = System.nanoTime();
        JsonPath answer = given().baseUri(stack.tokenEndpoint())
                .contentType(ContentType.URLENC)
                .formParam("grant_type", "password")
                .formParam("client_id", "leadforge-cli")
                .formParam("username", user)
                .formParam("password", PASSWORD)
                .when().post()
                .then().statusCode(200)
                .extract().jsonPath();
        long lifetimeNanos = answer.getLong("expires_in") * 1_000_000_000L;
        return new Cached(answer.getString("access_token"), requestedAt + Math.max(0, lifetimeNanos - MARGIN_NANOS));
    }

    private KeycloakTokens() {
    }
}
