package com.leadforge.analytics.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The arithmetic every analytics answer shares: rates, and the change from the previous period. */
public final class Figures {

    /**
     * The change from the previous period: {@code absolute} is current minus previous (percentage points for rates),
     * {@code percent} the relative change in percent with one decimal, and null when the previous value is 0 (a change
     * from nothing has no percentage).
     */
    public record Change(Number absolute, Double percent) {
    }

    private Figures() {
    }

    /** A percentage with one decimal; 0 when there is nothing to divide by. */
    public static double ratio(long part, long whole) {
        return whole == 0 ? 0.0 : Math.round(part * 1000.0 / whole) / 10.0;
    }

    public static Change change(long current, long previous) {
        return new Change(current - previous, previous == 0 ? null
                : Math.round((current - previous) * 1000.0 / previous) / 10.0);
    }

    public static Change change(double current, double previous) {
        return new Change(Math.round((current - previous) * 10.0) / 10.0, previous == 0 ? null
                : Math.round((current - previous) * 1000.0 / previous) / 10.0);
    }

    /** The change of every key of a breakdown. */
    public static Map<String, Change> change(Map<String, Long> current, Map<String, Long> previous) {
        Map<String, Change> changes = new LinkedHashMap<>();
        current.forEach((key, value) -> changes.put(key, change(value, previous.getOrDefault(key, 0L))));
        return changes;
    }

    /** Counts of {@code keys} from consecutive columns of {@code sums} starting at {@code first}, zeros included. */
    public static Map<String, Long> breakdown(List<String> keys, long[] sums, int first) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            counts.put(keys.get(i), sums[first + i]);
        }
        return counts;
    }
}
