package com.leadforge.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The two documents a service's OIDC extension fetches from Keycloak, served on loopback: the realm's discovery
 * document and its key set (the {@link TestTokens} key). A packaged service in its production profile then verifies
 * test tokens exactly as it verifies Keycloak's, by discovery and JWKS, without a Keycloak.
 */
public final class OidcProviderStub implements AutoCloseable {

    private final HttpServer server;

    private OidcProviderStub(HttpServer server) {
        this.server = server;
    }

    public static OidcProviderStub start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
            OidcProviderStub stub = new OidcProviderStub(server);
            String keys = keySet();
            server.createContext("/realms/leadforge/.well-known/openid-configuration",
                    exchange -> answer(exchange, stub.discovery()));
            server.createContext("/realms/leadforge/protocol/openid-connect/certs", exchange -> answer(exchange, keys));
            server.start();
            return stub;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What {@code QUARKUS_OIDC_AUTH_SERVER_URL} points at. */
    public String realmUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/realms/leadforge";
    }

    private String discovery() {
        return "{\"issuer\":\"" + TestTokens.ISSUER + "\",\"jwks_uri\":\"" + realmUrl()
                + "/protocol/openid-connect/certs\",\"token_endpoint\":\"" + realmUrl()
                + "/protocol/openid-connect/token\"}";
    }

    private static String keySet() {
        try {
            byte[] der = Base64.getDecoder().decode(TestTokens.publicKeyBase64());
            RSAPublicKey key = (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
            RsaJsonWebKey jwk = new RsaJsonWebKey(key);
            jwk.setKeyId(TestTokens.KEY_ID);
            jwk.setUse("sig");
            jwk.setAlgorithm("RS256");
            return new JsonWebKeySet(jwk).toJson();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void answer(HttpExchange exchange, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
