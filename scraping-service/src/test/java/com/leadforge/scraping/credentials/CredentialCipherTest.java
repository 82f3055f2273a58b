package com.leadforge.scraping.credentials;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** AES-GCM sealing: round trip, rotation between keys, binding to the row, and clear key-configuration errors. */
class CredentialCipherTest {

    static final String K1 = key();
    static final String K2 = key();
    static final byte[] SECRET = "{\"api_key\":\"sk-live-0123456789\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void sealedValuesOpenOnlyForTheirRowAndNeverShowThePlaintext() {
        CredentialCipher cipher = CredentialCipher.of(Map.of("k1", K1), "k1");
        String sealed = cipher.seal(SECRET, "data_source:a:1");
        assertTrue(sealed.startsWith("lfc1:k1:"), sealed);
        assertFalse(sealed.contains("sk-live"), sealed);
        assertArrayEquals(SECRET, cipher.open(sealed, "data_source:a:1"));
        // A fresh nonce every time: equal secrets do not give equal ciphertexts.
        assertFalse(sealed.equals(cipher.seal(SECRET, "data_source:a:1")));
        assertThrows(CredentialCipher.UnreadableException.class, () -> cipher.open(sealed, "data_source:b:1"));
        String tampered = sealed.substring(0, sealed.length() - 2) + (sealed.endsWith("A") ? "BA" : "AA");
        assertThrows(CredentialCipher.UnreadableException.class, () -> cipher.open(tampered, "data_source:a:1"));
        assertThrows(CredentialCipher.UnreadableException.class, () -> cipher.open("{\"api_key\":1}", "x"));
    }

    @Test
    void rotationKeepsOldValuesReadableAndSealsNewOnesUnderTheActiveKey() {
        String underOldKey = CredentialCipher.of(Map.of("k1", K1), "k1").seal(SECRET, "ctx");
        CredentialCipher rotated = CredentialCipher.of(Map.of("k1", K1, "k2", K2), "k2");
        assertArrayEquals(SECRET, rotated.open(underOldKey, "ctx"));
        String resealed = rotated.seal(rotated.open(underOldKey, "ctx"), "ctx");
        assertEquals("k2", CredentialCipher.keyIdOf(resealed).orElseThrow());

        CredentialVault vault = new CredentialVault(rotated);
        assertTrue(vault.needsResealing(underOldKey));
        assertFalse(vault.needsResealing(resealed));

        // Once the old key is retired, values still sealed under it cannot be read, and the error names the key.
        CredentialCipher retired = CredentialCipher.of(Map.of("k2", K2), "k2");
        var error = assertThrows(CredentialCipher.UnreadableException.class, () -> retired.open(underOldKey, "ctx"));
        assertTrue(error.getMessage().contains("'k1'"), error.getMessage());
        assertArrayEquals(SECRET, retired.open(resealed, "ctx"));
    }

    @Test
    void missingOrBadKeyMaterialIsRefusedWithAMessageNamingTheSetting() {
        assertMessage(() -> CredentialCipher.of(Map.of(), null), "LEADFORGE_CRYPTO_ACTIVE_KEY");
        assertMessage(() -> CredentialCipher.of(Map.of("k1", K1), "k9"), "LEADFORGE_CRYPTO_KEYS_K9");
        assertMessage(() -> CredentialCipher.of(Map.of("k1", Base64.getEncoder().encodeToString(new byte[16])), "k1"),
                "32 bytes");
        assertMessage(() -> CredentialCipher.of(Map.of("k1", "not base64!"), "k1"), "not base64");
        assertMessage(() -> CredentialCipher.of(Map.of("Key-1", K1), "Key-1"), "lower-case");
    }

    @Test
    void maskingKeepsTheShapeAndAtMostTheLastFourCharactersOfLongValues() {
        Map<String, Object> masked = CredentialVault.maskMap(Map.of("api_key", "sk-live-0123456789abcd",
                "login", Map.of("user", "bot", "password", "short"), "scopes", List.of("read"), "port", 443));
        assertEquals("****abcd", masked.get("api_key"));
        assertEquals(Map.of("user", "****", "password", "****"), masked.get("login"));
        assertEquals(List.of("****"), masked.get("scopes"));
        assertEquals("****", masked.get("port"));
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable action, String expected) {
        IllegalStateException error = assertThrows(IllegalStateException.class, action);
        assertTrue(error.getMessage().contains(expected), error.getMessage());
        assertFalse(error.getMessage().contains(K1), "the message must not print key material");
    }

    private static String key() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }
}
