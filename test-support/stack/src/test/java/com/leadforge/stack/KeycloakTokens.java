package com.leadforge.stack;

import static io.restassured.RestAssured.given;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.restassured.http.ContentType;

/** Real access tokens from the stack's Keycloak (password grant of the local-use client), cached per user. */
final class KeycloakTokens {

    static final String PASSWORD = "leadforge";
    private static final Map<String, String> CACHE = new ConcurrentHashMap<>();

    static String of(Stack stack, String username) {
        return CACHE.computeIfAbsent(username, user -> given().baseUri(stack.tokenEndpoint())
                .contentType(ContentType.URLENC)
                .formParam("grant_type", "password")
                .formParam("client_id", "leadforge-cli")
                .formParam("username", user)
                .formParam("password", PASSWORD)
                .when().post()
                .then().statusCode(200)
                .extract().path("access_token"));
    }

    private KeycloakTokens() {
    }
}
