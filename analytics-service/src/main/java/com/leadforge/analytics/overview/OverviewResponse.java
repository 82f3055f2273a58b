package com.leadforge.analytics.overview;

import java.time.LocalDate;

/**
 * {@code GET /api/v1/analytics/overview}, in the seed API's shape with the API's snake_case names
 * ({@code overview.leads.conversion_rate}, {@code date_range}). {@code scraping.total_records_scraped} counts the
 * records jobs have had answered for (imported, duplicate or rejected).
 */
public record OverviewResponse(Overview overview, DateRange dateRange) {

    public record Overview(Campaigns campaigns, Leads leads, DataSources dataSources, Scraping scraping,
            Trends trends) {
    }

    public record Campaigns(long total, long active, long inactive) {
    }

    public record Leads(long total, long qualified, long contacted, long responded, double conversionRate,
            double responseRate) {
    }

    public record DataSources(long total, long active, long inactive) {
    }

    public record Scraping(long totalJobs, long successfulJobs, long runningJobs, long pendingJobs,
            long totalRecordsScraped) {
    }

    /** Leads created within the date range. */
    public record Trends(long leads) {
    }

    public record DateRange(LocalDate start, LocalDate end, String range) {
    }
}
