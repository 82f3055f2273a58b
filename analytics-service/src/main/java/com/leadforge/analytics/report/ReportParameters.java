package com.leadforge.analytics.report;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import com.leadforge.shared.problem.Problem;
import com.leadforge.shared.problem.ProblemException;
import com.leadforge.shared.problem.ProblemType;

/**
 * Reads and checks the query parameters of the range answers, all at once: every bad one is named in the one 400
 * {@code validation} problem, never a 500 from a zone or an id the JDK refuses.
 */
public final class ReportParameters {

    public static final Set<String> RANGES = Set.of("7d", "30d", "90d", "1y");
    public static final List<String> TIME_GROUPS = List.of("day", "week", "month");
    public static final List<String> LEAD_GROUPS = List.of("status", "qualification", "campaign", "source");

    private final List<Problem.FieldError> errors = new ArrayList<>();

    public String range(String range) {
        String value = range == null ? "30d" : range;
        if (!RANGES.contains(value)) {
            errors.add(new Problem.FieldError("range", "must be one of 7d, 30d, 90d, 1y"));
        }
        return value;
    }

    public String groupBy(String groupBy, List<String> allowed, String fallback) {
        String value = groupBy == null ? fallback : groupBy;
        if (!allowed.contains(value)) {
            errors.add(new Problem.FieldError("groupBy", "must be one of " + String.join(", ", allowed)));
        }
        return value;
    }

    /** An IANA zone name (Europe/Berlin) or UTC; fixed offsets (+02:00) have no daylight saving and are refused. */
    public ZoneId zone(String tz) {
        if (tz == null || tz.equals("UTC")) {
            return ZoneId.of("UTC");
        }
        try {
            if (tz.length() <= 64 && tz.contains("/")) {
                return ZoneId.of(tz);
            }
        } catch (DateTimeException e) {
            // Named below.
        }
        errors.add(new Problem.FieldError("tz", "must be an IANA time zone such as Europe/Berlin, or UTC"));
        return ZoneId.of("UTC");
    }

    public UUID uuid(String field, String value) {
        if (value == null) {
            return null;
        }
        try {
            if (value.length() == 36) {
                return UUID.fromString(value);
            }
        } catch (IllegalArgumentException e) {
            // Named below.
        }
        errors.add(new Problem.FieldError(field, "must be a UUID"));
        return null;
    }

    /** Throws the validation problem naming every bad parameter, if there is one. */
    public void check() {
        if (!errors.isEmpty()) {
            throw new ProblemException(ProblemType.VALIDATION, errors.size() + " parameter(s) are invalid",
                    List.copyOf(errors));
        }
    }

    public static ReportPeriod period(String range, ZoneId zone, String groupBy) {
        return ReportPeriod.of(range, zone, groupBy, LocalDate.now(zone));
    }
}
