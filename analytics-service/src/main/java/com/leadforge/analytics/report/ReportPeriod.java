package com.leadforge.analytics.report;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;

/**
 * A range answer's two periods in the caller's time zone: the current one (the {@code range}'s local days up to and
 * including today) and the previous one of the same length just before it, each cut into buckets on local day, ISO week
 * (Monday) or month boundaries. Boundaries are local midnights turned into instants by the zone's rules, so a bucket
 * spanning a daylight-saving change is 23 or 25 hours long, exactly as the local calendar says.
 */
public record ReportPeriod(String range, ZoneId zone, String groupBy, Span current, Span previous) {

    /** {@code [start, end)} in local days; {@code end} is the day after the last one. */
    public record Span(LocalDate start, LocalDate end, List<Bucket> buckets) {

        public Instant from(ZoneId zone) {
            return start.atStartOfDay(zone).toInstant();
        }

        public Instant to(ZoneId zone) {
            return end.atStartOfDay(zone).toInstant();
        }
    }

    /**
     * One bucket: {@code date} is its period's first day (the day, the ISO week's Monday, the month's 1st) and may lie
     * before the span's start; the bucket counts only what falls inside both its period and the span.
     */
    public record Bucket(LocalDate date, LocalDate start, LocalDate end) {
    }

    public static ReportPeriod of(String range, ZoneId zone, String groupBy, LocalDate today) {
        LocalDate end = today.plusDays(1);
        LocalDate start = back(range, end);
        LocalDate previousStart = back(range, start);
        return new ReportPeriod(range, zone, groupBy, span(start, end, groupBy), span(previousStart, start, groupBy));
    }

    /** The instants every bucket of both periods starts at, in order, then the current period's end. */
    public List<Instant> bounds() {
        List<Instant> bounds = new ArrayList<>();
        for (Span span : List.of(previous, current)) {
            span.buckets().forEach(b -> bounds.add(b.start().atStartOfDay(zone).toInstant()));
        }
        bounds.add(current.to(zone));
        return bounds;
    }

    private static LocalDate back(String range, LocalDate end) {
        return switch (range) {
            case "7d" -> end.minusDays(7);
            case "90d" -> end.minusDays(90);
            case "1y" -> end.minusYears(1);
            default -> end.minusDays(30);
        };
    }

    private static Span span(LocalDate start, LocalDate end, String groupBy) {
        List<Bucket> buckets = new ArrayList<>();
        LocalDate date = switch (groupBy) {
            case "week" -> start.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case "month" -> start.withDayOfMonth(1);
            default -> start;
        };
        while (date.isBefore(end)) {
            LocalDate next = switch (groupBy) {
                case "week" -> date.plusWeeks(1);
                case "month" -> date.plusMonths(1);
                default -> date.plusDays(1);
            };
            buckets.add(new Bucket(date, date.isBefore(start) ? start : date, next.isAfter(end) ? end : next));
            date = next;
        }
        return new Span(start, end, List.copyOf(buckets));
    }
}
