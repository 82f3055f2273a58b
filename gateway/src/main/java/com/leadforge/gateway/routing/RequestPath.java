package com.leadforge.gateway.routing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Optional;

/**
 * The one path a request is judged by: percent-decoded, dot segments resolved and duplicate slashes collapsed, the
 * way a service would read it. The gateway routes, classes (rate limits, timeouts) and forwards this path, so a client
 * cannot make the gateway see one resource ({@code /api/v1/leads/%65xport}) while the service serves another
 * ({@code /api/v1/leads/export}). Encodings that different servers read differently are refused rather than guessed:
 * an encoded slash or backslash ({@code %2F}, {@code %5C}), an encoded percent ({@code %25}, double encoding), NUL or
 * other control characters, malformed escapes or UTF-8, a backslash, and matrix parameters ({@code ;}), which JAX-RS
 * strips before matching.
 */
public record RequestPath(String decoded, String encoded) {

    /** Why a raw path was refused (for the problem's detail). */
    public static final class Refused extends Exception {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    private static final String PCHAR_UNRESERVED = "-._~!$&'()*+,=:@";

    public static RequestPath of(String rawPath) throws Refused {
        if (rawPath == null || !rawPath.startsWith("/")) {
            throw new Refused("The path must start with /");
        }
        if (rawPath.indexOf(';') >= 0) {
            throw new Refused("Matrix parameters (;) are not supported");
        }
        if (rawPath.indexOf('\\') >= 0) {
            throw new Refused("The path must not contain a backslash");
        }
        String decoded = percentDecode(rawPath);
        String normalised = normalise(decoded);
        return new RequestPath(normalised, encode(normalised));
    }

    /** Like {@link #of} but empty instead of a refusal. */
    public static Optional<RequestPath> parse(String rawPath) {
        try {
            return Optional.of(of(rawPath));
        } catch (Refused e) {
            return Optional.empty();
        }
    }

    private static String percentDecode(String raw) throws Refused {
        if (raw.indexOf('%') < 0) {
            checkCharacters(raw);
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c != '%') {
                byte[] literal = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(literal, 0, literal.length);
                continue;
            }
            if (i + 2 >= raw.length()) {
                throw new Refused("The path has a truncated percent-encoding");
            }
            int high = Character.digit(raw.charAt(i + 1), 16);
            int low = Character.digit(raw.charAt(i + 2), 16);
            if (high < 0 || low < 0) {
                throw new Refused("The path has an invalid percent-encoding");
            }
            int value = high * 16 + low;
            if (value == '/' || value == '\\' || value == '%') {
                throw new Refused("Encoded slashes, backslashes and percent signs are not allowed in the path");
            }
            bytes.write(value);
            i += 2;
        }
        String decoded;
        try {
            decoded = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new Refused("The path is not valid UTF-8");
        }
        checkCharacters(decoded);
        if (decoded.indexOf(';') >= 0) {
            throw new Refused("Matrix parameters (;) are not supported");
        }
        return decoded;
    }

    private static void checkCharacters(String path) throws Refused {
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new Refused("The path must not contain control characters");
            }
        }
    }

    /** RFC 3986 section 5.2.4 dot-segment removal, with empty segments (duplicate slashes) dropped too. */
    private static String normalise(String path) {
        Deque<String> segments = new ArrayDeque<>();
        String[] parts = path.split("/", -1);
        for (int i = 1; i < parts.length; i++) {
            String segment = parts[i];
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                segments.pollLast();
                continue;
            }
            segments.addLast(segment);
        }
        boolean trailingSlash = path.length() > 1 && (path.endsWith("/") || path.endsWith("/.")
                || path.endsWith("/.."));
        StringBuilder result = new StringBuilder();
        for (String segment : segments) {
            result.append('/').append(segment);
        }
        if (result.length() == 0 || trailingSlash) {
            result.append('/');
        }
        return result.toString();
    }

    /** Percent-encodes every character a path segment may not hold literally (RFC 3986 pchar). */
    private static String encode(String decoded) {
        StringBuilder out = new StringBuilder(decoded.length());
        for (byte b : decoded.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '/'
                    || (c < 0x80 && PCHAR_UNRESERVED.indexOf(c) >= 0)) {
                out.append((char) c);
            } else {
                out.append('%').append(String.format(Locale.ROOT, "%02X", c));
            }
        }
        return out.toString();
    }
}
