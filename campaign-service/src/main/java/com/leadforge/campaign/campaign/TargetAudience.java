package com.leadforge.campaign.campaign;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The documented shape of {@code target_audience} (campaign-service/README.md). It is stored as JSONB, but a
 * free-form document would let every client invent keys that no search, scraper or report understands, so only these
 * keys are accepted:
 * <ul>
 * <li>{@code industries}, {@code job_titles}, {@code seniorities}, {@code locations}, {@code languages},
 * {@code keywords}, {@code exclude_keywords}: arrays of at most {@value #MAX_ITEMS} non-blank strings of at most
 * {@value #MAX_TEXT} characters;</li>
 * <li>{@code min_employees}, {@code max_employees}: integers from 0 to {@value #MAX_EMPLOYEES}, min ≤ max.</li>
 * </ul>
 * Every key is optional; {@code {}} is a valid (empty) audience.
 */
public final class TargetAudience {

    public static final Set<String> LIST_KEYS = Set.of("industries", "job_titles", "seniorities", "locations",
            "languages", "keywords", "exclude_keywords");
    public static final Set<String> NUMBER_KEYS = Set.of("min_employees", "max_employees");
    static final int MAX_ITEMS = 50;
    static final int MAX_TEXT = 100;
    static final long MAX_EMPLOYEES = 10_000_000L;

    /** One problem with the document: the key (under {@code target_audience}) and what is wrong with it. */
    public record Violation(String key, String message) {
    }

    /** Every problem of {@code audience}, in key order; empty when it has the documented shape. */
    public static List<Violation> check(Map<String, Object> audience) {
        List<Violation> violations = new ArrayList<>();
        if (audience == null) {
            return violations;
        }
        audience.keySet().stream().sorted().forEach(key -> {
            Object value = audience.get(key);
            if (LIST_KEYS.contains(key)) {
                checkList(key, value, violations);
            } else if (NUMBER_KEYS.contains(key)) {
                if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() < 0
                        || ((Number) value).longValue() > MAX_EMPLOYEES) {
                    violations.add(new Violation(key, "must be an integer from 0 to " + MAX_EMPLOYEES));
                }
            } else {
                violations.add(new Violation(key, "is not a known target_audience key"));
            }
        });
        if (audience.get("min_employees") instanceof Number min && audience.get("max_employees") instanceof Number max
                && min.longValue() > max.longValue()) {
            violations.add(new Violation("max_employees", "must not be less than min_employees"));
        }
        return violations;
    }

    private static void checkList(String key, Object value, List<Violation> violations) {
        if (!(value instanceof Collection<?> items)) {
            violations.add(new Violation(key, "must be an array of strings"));
            return;
        }
        if (items.size() > MAX_ITEMS) {
            violations.add(new Violation(key, "may hold at most " + MAX_ITEMS + " items"));
            return;
        }
        for (Object item : items) {
            if (!(item instanceof String text) || text.isBlank() || text.length() > MAX_TEXT) {
                violations.add(new Violation(key, "must hold non-blank strings of at most " + MAX_TEXT + " characters"));
                return;
            }
        }
    }

    private TargetAudience() {
    }
}
