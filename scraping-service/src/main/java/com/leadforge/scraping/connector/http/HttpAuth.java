package com.leadforge.scraping.connector.http;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Pattern;

import com.leadforge.scraping.connector.ConnectorException;

/**
 * The header a source authenticates with, built from the data source's opened credentials. Messages about wrong
 * credentials name the key, never a value; {@link #toString()} never prints the secret.
 * <ul>
 * <li>{@code {"type":"bearer","token":"…"}} → {@code Authorization: Bearer …}</li>
 * <li>{@code {"type":"api_key","header":"X-Api-Key","value":"…"}} → the named header ({@code X-Api-Key} when
 * {@code header} is absent)</li>
 * <li>{@code {"type":"basic","username":"…","password":"…"}} → {@code Authorization: Basic …}</li>
 * <li>no credentials → no header (a public endpoint)</li>
 * </ul>
 */
record HttpAuth(String header, String value) {

    static final HttpAuth NONE = new HttpAuth(null, null);
    static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}");

    static HttpAuth of(Map<String, Object> credentials) {
        if (credentials == null || credentials.isEmpty()) {
            return NONE;
        }
        Object type = credentials.get("type");
        if (!(type instanceof String)) {
            throw new ConnectorException("credentials.type is required: one of bearer, api_key, basic");
        }
        return switch ((String) type) {
            case "bearer" -> new HttpAuth("Authorization", "Bearer " + secret(credentials, "token"));
            case "api_key" -> {
                Object header = credentials.getOrDefault("header", "X-Api-Key");
                if (!(header instanceof String name) || !HEADER_NAME.matcher(name).matches()
                        || HttpSourceSpec.RESERVED_HEADERS.contains(name.toLowerCase(java.util.Locale.ROOT))
                                && !name.equalsIgnoreCase("authorization")) {
                    throw new ConnectorException("credentials.header must be an HTTP header name the connector does "
                            + "not set itself");
                }
                yield new HttpAuth(name, secret(credentials, "value"));
            }
            case "basic" -> new HttpAuth("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (secret(credentials, "username") + ":" + secret(credentials, "password"))
                            .getBytes(StandardCharsets.UTF_8)));
            default -> throw new ConnectorException("credentials.type must be one of bearer, api_key, basic");
        };
    }

    /** A header whose value is a credential of the given key (Apollo's {@code X-Api-Key} from {@code api_key}). */
    static HttpAuth header(String header, Map<String, Object> credentials, String key) {
        return new HttpAuth(header, secret(credentials == null ? Map.of() : credentials, key));
    }

    private static String secret(Map<String, Object> credentials, String key) {
        if (!(credentials.get(key) instanceof String text) || text.isBlank()) {
            throw new ConnectorException("credentials." + key + " is required (a non-blank string)");
        }
        if (text.indexOf('\r') >= 0 || text.indexOf('\n') >= 0) {
            throw new ConnectorException("credentials." + key + " must not contain line breaks");
        }
        return text;
    }

    boolean present() {
        return header != null;
    }

    @Override
    public String toString() {
        return present() ? "HttpAuth[" + header + ": <redacted>]" : "HttpAuth[none]";
    }
}
