package com.leadforge.scraping.datasource;

import java.time.Instant;

/** Answer of {@code POST /api/v1/data-sources/{id}/test}, as the reference API names it. */
public record DataSourceTestResponse(boolean success, String message, Instant timestamp) {
}
