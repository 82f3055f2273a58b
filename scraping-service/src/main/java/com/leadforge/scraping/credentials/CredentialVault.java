package com.leadforge.scraping.credentials;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The only place credentials are sealed, opened and masked. Built at start-up, so a service without a usable active
 * key refuses to start (with a message naming the setting) instead of failing on the first data source.
 */
@Startup
@ApplicationScoped
public class CredentialVault {

    private static final Logger LOG = Logger.getLogger(CredentialVault.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };
    /** Values at least this long show their last four characters; shorter ones show nothing. */
    static final int REVEAL_SUFFIX_FROM_LENGTH = 16;

    private final CredentialCipher cipher;

    public CredentialVault() {
        this(CredentialCipher.fromConfig(ConfigProvider.getConfig()));
    }

    CredentialVault(CredentialCipher cipher) {
        this.cipher = cipher;
    }

    /** The sealed form of {@code credentials} for the row {@code context}; null when there are none. */
    public String seal(Map<String, Object> credentials, String context) {
        if (credentials == null || credentials.isEmpty()) {
            return null;
        }
        try {
            return cipher.seal(JSON.writeValueAsBytes(credentials), context);
        } catch (IOException e) {
            throw new IllegalStateException("Credentials are not serialisable", e);
        }
    }

    /** The credentials themselves, for connectors only. */
    public Map<String, Object> open(String sealed, String context) {
        if (sealed == null) {
            return null;
        }
        try {
            return JSON.readValue(cipher.open(sealed, context), MAP);
        } catch (IOException e) {
            throw new CredentialCipher.UnreadableException("Sealed credentials are not a JSON object");
        }
    }

    /** True when the value is sealed under a key other than the active one (it is re-sealed on its next write). */
    public boolean needsResealing(String sealed) {
        return sealed != null && !CredentialCipher.keyIdOf(sealed).map(cipher.activeKeyId()::equals).orElse(false);
    }

    /**
     * What the API shows: the same keys with every value replaced by {@code ****} (plus its last four characters when
     * the value is a string of at least {@value #REVEAL_SUFFIX_FROM_LENGTH} characters, enough to tell two API keys
     * apart). Null when there are none, or when the value cannot be opened (logged, never a failed request).
     */
    public Map<String, Object> masked(String sealed, String context) {
        if (sealed == null) {
            return null;
        }
        try {
            return maskMap(open(sealed, context));
        } catch (CredentialCipher.UnreadableException e) {
            LOG.warnf("Credentials of %s cannot be shown masked: %s", context, e.getMessage());
            return null;
        }
    }

    static Map<String, Object> maskMap(Map<String, Object> values) {
        Map<String, Object> masked = new LinkedHashMap<>();
        values.forEach((key, value) -> masked.put(key, mask(value)));
        return masked;
    }

    @SuppressWarnings("unchecked")
    static Object mask(Object value) {
        if (value instanceof Map<?, ?> map) {
            return maskMap((Map<String, Object>) map);
        }
        if (value instanceof List<?> list) {
            List<Object> masked = new ArrayList<>();
            list.forEach(item -> masked.add(mask(item)));
            return masked;
        }
        if (value instanceof String text && text.length() >= REVEAL_SUFFIX_FROM_LENGTH) {
            return "****" + text.substring(text.length() - 4);
        }
        return value == null ? null : "****";
    }
}
