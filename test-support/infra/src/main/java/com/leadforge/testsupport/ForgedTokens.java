package com.leadforge.testsupport;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.jose4j.json.JsonUtil;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.lang.JoseException;

/**
 * Attacker-made tokens, for tests that prove services and the gateway reject them: derived from a genuine token so
 * that everything but the attacked property is valid.
 */
public final class ForgedTokens {

    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder URL_DECODER = Base64.getUrlDecoder();

    /** The genuine payload with {@code alg: none} and no signature. */
    public static String algNone(String genuine) {
        return URL.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + part(genuine, 1) + ".";
    }

    /**
     * The genuine payload signed with HS256 using the issuer's RSA public key (PEM text) as the HMAC secret: the
     * classic algorithm-confusion attack against verifiers that let the token pick the algorithm.
     */
    public static String hs256WithPublicKey(String genuine, String publicKeyPem) {
        String header = URL.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String signingInput = header + "." + part(genuine, 1);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(publicKeyPem.getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
            return signingInput + "." + URL.encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The genuine token with one claim changed and the original signature kept. */
    public static String tampered(String genuine, String claim, Object value) {
        try {
            // jose4j's parsed map refuses to overwrite a key; copy it first.
            Map<String, Object> claims = new java.util.LinkedHashMap<>(JsonUtil.parseJson(
                    new String(URL_DECODER.decode(part(genuine, 1)), StandardCharsets.UTF_8)));
            claims.put(claim, value);
            String payload = URL.encodeToString(JsonUtil.toJson(claims).getBytes(StandardCharsets.UTF_8));
            return part(genuine, 0) + "." + payload + "." + part(genuine, 2);
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The genuine claims, correctly signed, but by a key the issuer never published (with an unknown kid). */
    public static String signedByUnknownKey(String genuine) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair keys = generator.generateKeyPair();
            JwtClaims claims = JwtClaims.parse(new String(URL_DECODER.decode(part(genuine, 1)), StandardCharsets.UTF_8));
            JsonWebSignature jws = new JsonWebSignature();
            jws.setPayload(claims.toJson());
            jws.setKey(keys.getPrivate());
            jws.setKeyIdHeaderValue("attacker-key");
            jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
            return jws.getCompactSerialization();
        } catch (NoSuchAlgorithmException | JoseException | org.jose4j.jwt.consumer.InvalidJwtException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Decoded payload claims of a token, for assertions. */
    public static Map<String, Object> claims(String token) {
        try {
            return JsonUtil.parseJson(new String(URL_DECODER.decode(part(token, 1)), StandardCharsets.UTF_8));
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String part(String token, int index) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("Not a compact JWS");
        }
        return parts[index];
    }

    private ForgedTokens() {
    }
}
