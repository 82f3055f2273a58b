package com.leadforge.analytics.report;

import java.time.LocalDate;

/**
 * The days an answer covers, in its time zone: {@code start} to {@code end} inclusive (today is the current period's
 * last day, so far), with the zone and the range and grouping asked for.
 */
public record DateRange(LocalDate start, LocalDate end, String range, String tz, String groupBy) {

    public static DateRange of(ReportPeriod period, ReportPeriod.Span span) {
        return new DateRange(span.start(), span.end().minusDays(1), period.range(), period.zone().getId(),
                period.groupBy());
    }
}
