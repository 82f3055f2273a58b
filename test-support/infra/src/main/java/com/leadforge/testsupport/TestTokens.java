package com.leadforge.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.lang.JoseException;

/**
 * Signs access tokens shaped like Keycloak's (issuer, audience, {@code agency_id}, {@code realm_access.roles}) with a
 * test-only RSA key, so service tests verify real signatures without a Keycloak. The end-to-end test uses Keycloak.
 */
public final class TestTokens {

    public static final String ISSUER = "https://keycloak.test.leadforge/realms/leadforge";
    public static final String AUDIENCE = "leadforge-api";
    public static final String AGENCY_ACME = "11111111-1111-1111-1111-111111111111";
    public static final String AGENCY_BEACON = "22222222-2222-2222-2222-222222222222";
    /** The {@code kid} header of every test token (a JWKS serving the test key names it so). */
    public static final String KEY_ID = "leadforge-test";

    private static final PrivateKey SIGNING_KEY = readPrivateKey();

    /** The public key as PEM text (what an attacker can download from a JWKS endpoint). */
    public static String publicKeyPem() {
        try (InputStream in = TestTokens.class.getResourceAsStream("/test-keys/public-key.pem")) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The public key, in the base64 form {@code quarkus.oidc.public-key} accepts. */
    public static String publicKeyBase64() {
        return pem("/test-keys/public-key.pem");
    }

    /** Configuration that makes a service verify tokens signed by {@link TestTokens}. */
    public static Map<String, String> verifierConfig() {
        return Map.of("quarkus.oidc.public-key", publicKeyBase64(), "quarkus.oidc.token.issuer", ISSUER);
    }

    public static Builder user(String username) {
        return new Builder(username);
    }

    /** Shorthand: a user of {@code agencyId} holding {@code role}. */
    public static String token(String agencyId, String role) {
        return user(role + "-" + agencyId.substring(0, 4)).agency(agencyId).roles(role).sign();
    }

    public static final class Builder {
        private final Map<String, Object> claims = new LinkedHashMap<>();
        private final List<String> roles = new ArrayList<>();
        private long lifetimeSeconds = 300;
        private long issuedAtOffsetSeconds = 0;

        private Builder(String username) {
            claims.put("iss", ISSUER);
            claims.put("aud", AUDIENCE);
            claims.put("sub", UUID.nameUUIDFromBytes(username.getBytes(StandardCharsets.UTF_8)).toString());
            claims.put("preferred_username", username);
            claims.put("azp", "leadforge-cli");
            claims.put("typ", "Bearer");
        }

        public Builder agency(String agencyId) {
            claims.put("agency_id", agencyId);
            return this;
        }

        public Builder roles(String... names) {
            roles.addAll(List.of(names));
            return this;
        }

        public Builder claim(String name, Object value) {
            claims.put(name, value);
            return this;
        }

        public Builder without(String name) {
            claims.remove(name);
            return this;
        }

        public Builder lifetimeSeconds(long seconds) {
            this.lifetimeSeconds = seconds;
            return this;
        }

        /** Shifts iat/nbf/exp, e.g. -3600 for a token that expired an hour ago. */
        public Builder shiftedBySeconds(long seconds) {
            this.issuedAtOffsetSeconds = seconds;
            return this;
        }

        public String sign() {
            try {
                JwtClaims jwt = new JwtClaims();
                claims.forEach(jwt::setClaim);
                long now = System.currentTimeMillis() / 1000 + issuedAtOffsetSeconds;
                jwt.setClaim("iat", now);
                jwt.setClaim("nbf", now);
                jwt.setClaim("exp", now + lifetimeSeconds);
                jwt.setClaim("jti", UUID.randomUUID().toString());
                jwt.setClaim("realm_access", Map.of("roles", roles));
                JsonWebSignature jws = new JsonWebSignature();
                jws.setPayload(jwt.toJson());
                jws.setKey(SIGNING_KEY);
                jws.setKeyIdHeaderValue(KEY_ID);
                jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
                return jws.getCompactSerialization();
            } catch (JoseException e) {
                throw new IllegalStateException("Could not sign test token", e);
            }
        }
    }

    private static PrivateKey readPrivateKey() {
        try {
            byte[] der = Base64.getDecoder().decode(pem("/test-keys/private-key.pem"));
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String resource) {
        try (InputStream in = TestTokens.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Missing " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII)
                    .replaceAll("-----[A-Z ]+-----", "")
                    .replaceAll("\\s", "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private TestTokens() {
    }
}
