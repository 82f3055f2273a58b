package com.leadforge.scraping.credentials;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.eclipse.microprofile.config.Config;

/**
 * Keeps data-source credentials unreadable at rest: AES-256-GCM with a fresh 96-bit nonce per value, the key id
 * written next to the ciphertext so keys rotate (values sealed under an older key still open as long as that key is
 * configured; every write seals under the active key), and the row's identity as associated data, so a sealed value
 * copied into another row or agency does not open.
 *
 * <p>Sealed form: {@code lfc1:<keyId>:<base64url nonce>:<base64url ciphertext and tag>}. Keys come from configuration:
 * {@code leadforge.crypto.keys.<keyId>=<base64 of 32 random bytes>} (env {@code LEADFORGE_CRYPTO_KEYS_<KEYID>}) and
 * {@code leadforge.crypto.active-key=<keyId>} (env {@code LEADFORGE_CRYPTO_ACTIVE_KEY}); key ids are lower-case
 * letters and digits, so that their environment-variable form is unambiguous.
 */
public final class CredentialCipher {

    public static final String FORMAT = "lfc1";
    public static final String KEYS_PROPERTY = "leadforge.crypto.keys";
    public static final String ACTIVE_KEY_PROPERTY = "leadforge.crypto.active-key";
    private static final Pattern KEY_ID = Pattern.compile("[a-z0-9]{1,32}");
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODER = Base64.getUrlDecoder();

    /** A value that cannot be opened: unknown key, damaged, or sealed for another row. Carries no secret. */
    public static class UnreadableException extends RuntimeException {
        UnreadableException(String message) {
            super(message, null, false, false);
        }
    }

    private final Map<String, SecretKey> keys;
    private final String activeKeyId;

    private CredentialCipher(Map<String, SecretKey> keys, String activeKeyId) {
        this.keys = keys;
        this.activeKeyId = activeKeyId;
    }

    /**
     * Validates the key material and fails with a message naming the setting to fix (never the key itself).
     *
     * @param base64Keys key id to base64 (standard or URL alphabet) of exactly 32 bytes
     */
    public static CredentialCipher of(Map<String, String> base64Keys, String activeKeyId) {
        if (activeKeyId == null || activeKeyId.isBlank()) {
            throw new IllegalStateException("No credential encryption key is active: set " + ACTIVE_KEY_PROPERTY
                    + " (env LEADFORGE_CRYPTO_ACTIVE_KEY) to a key id and " + KEYS_PROPERTY
                    + ".<keyId> (env LEADFORGE_CRYPTO_KEYS_<KEYID>) to a base64 256-bit key");
        }
        Map<String, SecretKey> keys = new LinkedHashMap<>();
        base64Keys.forEach((id, encoded) -> {
            if (!KEY_ID.matcher(id).matches()) {
                throw new IllegalStateException("Credential key id '" + id + "' (" + KEYS_PROPERTY + "." + id
                        + ") must be 1-32 lower-case letters or digits");
            }
            byte[] key;
            try {
                key = decodeKey(encoded.trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(KEYS_PROPERTY + "." + id + " is not base64", null);
            }
            if (key.length != 32) {
                throw new IllegalStateException(KEYS_PROPERTY + "." + id + " must be 32 bytes (256 bits) in base64; it is "
                        + key.length + " bytes");
            }
            keys.put(id, new SecretKeySpec(key, "AES"));
        });
        if (!keys.containsKey(activeKeyId)) {
            throw new IllegalStateException(ACTIVE_KEY_PROPERTY + " is '" + activeKeyId + "' but no " + KEYS_PROPERTY
                    + "." + activeKeyId + " (env LEADFORGE_CRYPTO_KEYS_" + activeKeyId.toUpperCase(java.util.Locale.ROOT)
                    + ") is configured");
        }
        return new CredentialCipher(Map.copyOf(keys), activeKeyId);
    }

    /** Reads {@code leadforge.crypto.*} from any MicroProfile Config (used by the migration, outside CDI). */
    public static CredentialCipher fromConfig(Config config) {
        Map<String, String> keys = new LinkedHashMap<>();
        String prefix = KEYS_PROPERTY + ".";
        String envPrefix = "LEADFORGE_CRYPTO_KEYS_";
        for (String name : config.getPropertyNames()) {
            String id = name.startsWith(prefix) ? name.substring(prefix.length())
                    : name.startsWith(envPrefix) ? name.substring(envPrefix.length()).toLowerCase(java.util.Locale.ROOT)
                    : null;
            if (id != null) {
                config.getOptionalValue(name, String.class).ifPresent(value -> keys.putIfAbsent(id, value));
            }
        }
        String active = config.getOptionalValue(ACTIVE_KEY_PROPERTY, String.class).orElse(null);
        if (active != null && !keys.containsKey(active)) {
            // An environment variable only shows up under its property name when asked for by that name.
            config.getOptionalValue(prefix + active, String.class).ifPresent(value -> keys.put(active, value));
        }
        return of(keys, active);
    }

    public String activeKeyId() {
        return activeKeyId;
    }

    /** Seals {@code plaintext} under the active key, bound to {@code context} (e.g. the row's agency and id). */
    public String seal(byte[] plaintext, String context) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(activeKeyId), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext);
            return FORMAT + ":" + activeKeyId + ":" + B64.encodeToString(nonce) + ":" + B64.encodeToString(sealed);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /** Opens a value sealed under any configured key for the same {@code context}. */
    public byte[] open(String sealed, String context) {
        String[] parts = sealed == null ? new String[0] : sealed.split(":", -1);
        if (parts.length != 4 || !FORMAT.equals(parts[0])) {
            throw new UnreadableException("Not a sealed credential value");
        }
        SecretKey key = keys.get(parts[1]);
        if (key == null) {
            throw new UnreadableException("Credentials are sealed under key '" + parts[1]
                    + "', which is not configured (" + KEYS_PROPERTY + "." + parts[1] + ")");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, B64_DECODER.decode(parts[2])));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(B64_DECODER.decode(parts[3]));
        } catch (javax.crypto.AEADBadTagException | IllegalArgumentException e) {
            throw new UnreadableException("Sealed credentials are damaged or belong to another record");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /** The id of the key a sealed value was sealed under, if it is in the sealed form. */
    public static Optional<String> keyIdOf(String sealed) {
        String[] parts = sealed == null ? new String[0] : sealed.split(":", -1);
        return parts.length == 4 && FORMAT.equals(parts[0]) ? Optional.of(parts[1]) : Optional.empty();
    }

    private static byte[] decodeKey(String encoded) {
        return encoded.contains("-") || encoded.contains("_") ? Base64.getUrlDecoder().decode(encoded)
                : Base64.getDecoder().decode(encoded);
    }
}
