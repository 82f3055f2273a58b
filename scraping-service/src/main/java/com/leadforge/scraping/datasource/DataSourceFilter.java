package com.leadforge.scraping.datasource;

import java.util.Optional;

import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.QueryParam;

/** Optional filters of {@code GET /api/v1/data-sources}. An unknown code is a 400, not an empty page. */
public class DataSourceFilter {

    @QueryParam("type")
    @Pattern(regexp = DataSourceType.CODE_PATTERN, message = "must be one of [" + DataSourceType.CODES + "]")
    String type;

    @QueryParam("status")
    @Pattern(regexp = DataSourceStatus.CODE_PATTERN, message = "must be one of [" + DataSourceStatus.CODES + "]")
    String status;

    public Optional<DataSourceType> type() {
        return Optional.ofNullable(type).flatMap(DataSourceType::fromCode);
    }

    public Optional<DataSourceStatus> status() {
        return Optional.ofNullable(status).flatMap(DataSourceStatus::fromCode);
    }
}
