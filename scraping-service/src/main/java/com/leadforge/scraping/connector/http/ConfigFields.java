package com.leadforge.scraping.connector.http;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.core.JsonPointer;
import com.leadforge.shared.problem.Problem;
import com.leadforge.shared.problem.ProblemException;
import com.leadforge.shared.problem.ProblemType;

/**
 * Reads one JSON object of a data source's config, collecting every mistake as a field error named as the client
 * wrote it ({@code config.paging.page_size}), so one 400 lists them all. Messages name fields, never echo values.
 */
final class ConfigFields {

    static final int MAX_TEXT = 2000;
    static final int MAX_NAME = 100;

    private final Map<String, Object> values;
    private final String prefix;
    private final List<Problem.FieldError> errors;

    ConfigFields(Map<String, Object> values, String prefix, List<Problem.FieldError> errors) {
        this.values = values == null ? Map.of() : values;
        this.prefix = prefix;
        this.errors = errors;
    }

    boolean has(String key) {
        return values.get(key) != null;
    }

    String field(String key) {
        return prefix + "." + key;
    }

    void error(String key, String message) {
        errors.add(new Problem.FieldError(field(key), message));
    }

    /** Refuses keys outside {@code allowed}: a misspelt key would otherwise be silently ignored. */
    void onlyKeys(Set<String> allowed) {
        for (String key : values.keySet()) {
            if (!allowed.contains(key)) {
                errors.add(new Problem.FieldError(field(key), "is not a setting here; known: "
                        + String.join(", ", new TreeSet<>(allowed))));
            }
        }
    }

    String text(String key, boolean required, int maxLength) {
        Object value = values.get(key);
        if (value == null) {
            if (required) {
                error(key, "is required");
            }
            return null;
        }
        if (!(value instanceof String text) || text.isBlank()) {
            error(key, "must be a non-blank string");
            return null;
        }
        if (text.length() > maxLength) {
            error(key, "must be at most " + maxLength + " characters");
            return null;
        }
        return text.trim();
    }

    /** One of {@code choices} (case-insensitive), lower-cased; {@code fallback} when absent. */
    String choice(String key, List<String> choices, String fallback) {
        String text = text(key, false, MAX_NAME);
        if (text == null) {
            return has(key) ? null : fallback;
        }
        String lower = text.toLowerCase(Locale.ROOT);
        if (!choices.contains(lower)) {
            error(key, "must be one of " + String.join(", ", choices));
            return null;
        }
        return lower;
    }

    long integer(String key, long min, long max, long fallback) {
        Object value = values.get(key);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof Number number) || number.doubleValue() != Math.rint(number.doubleValue())
                || number.doubleValue() < min || number.doubleValue() > max) {
            error(key, "must be a whole number from " + min + " to " + max);
            return fallback;
        }
        return number.longValue();
    }

    JsonPointer pointer(String key, boolean required, String fallback) {
        String text = values.get(key) instanceof String s ? s : null;
        if (values.get(key) == null) {
            if (required) {
                error(key, "is required");
                return null;
            }
            return fallback == null ? null : JsonPointer.compile(fallback);
        }
        if (text == null || text.length() > MAX_NAME * 5) {
            error(key, "must be a JSON pointer such as /data/items");
            return null;
        }
        return compile(key, text);
    }

    JsonPointer compile(String key, String text) {
        try {
            return JsonPointer.compile(text);
        } catch (IllegalArgumentException e) {
            error(key, "must be a JSON pointer such as /data/items (empty for the whole document)");
            return null;
        }
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> object(String key) {
        Object value = values.get(key);
        if (value == null) {
            return null;
        }
        if (!(value instanceof Map<?, ?>)) {
            error(key, "must be a JSON object");
            return null;
        }
        return (Map<String, Object>) value;
    }

    ConfigFields nested(String key) {
        return new ConfigFields(object(key), field(key), errors);
    }

    /** An absolute http(s) URL without user info or fragment (credentials never go into a URL). */
    URI url(String key, boolean required) {
        String text = text(key, required, MAX_TEXT);
        if (text == null) {
            return null;
        }
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
                error(key, "must be an absolute http or https URL");
                return null;
            }
            if (uri.getRawUserInfo() != null) {
                error(key, "must not carry a user name or password: put them in the data source's credentials");
                return null;
            }
            if (uri.getRawFragment() != null) {
                error(key, "must not have a fragment (#...)");
                return null;
            }
            return uri;
        } catch (java.net.URISyntaxException e) {
            error(key, "must be an absolute http or https URL");
            return null;
        }
    }

    /** Name → JSON pointer, at most {@code max} entries, names from {@code names} when given. */
    Map<String, JsonPointer> pointers(String key, Set<String> names, int max) {
        Map<String, Object> map = object(key);
        Map<String, JsonPointer> pointers = new LinkedHashMap<>();
        if (map == null) {
            return pointers;
        }
        if (map.size() > max) {
            error(key, "may hold at most " + max + " entries");
            return pointers;
        }
        ConfigFields entries = new ConfigFields(map, field(key), errors);
        for (var entry : map.entrySet()) {
            String name = entry.getKey();
            if (names != null && !names.contains(name)) {
                entries.error(name, "is not a lead field; known: " + String.join(", ", names));
                continue;
            }
            if (names == null && (name.isBlank() || name.length() > MAX_NAME)) {
                entries.error(name, "must be a name of 1 to " + MAX_NAME + " characters");
                continue;
            }
            if (entry.getValue() == null) {
                continue; // null unmaps a field a preset maps
            }
            JsonPointer pointer = entries.pointer(name, true, null);
            if (pointer != null) {
                pointers.put(name, pointer);
            }
        }
        return pointers;
    }

    static void throwIfAny(List<Problem.FieldError> errors) {
        if (!errors.isEmpty()) {
            throw invalid(errors);
        }
    }

    static ProblemException invalid(List<Problem.FieldError> errors) {
        String detail = errors.size() == 1 ? errors.get(0).field() + " " + errors.get(0).message()
                : errors.size() + " field(s) are invalid";
        return new ProblemException(ProblemType.VALIDATION, detail, List.copyOf(errors));
    }
}
