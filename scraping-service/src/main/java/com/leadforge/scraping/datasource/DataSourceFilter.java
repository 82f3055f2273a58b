package com.leadforge.scraping.datasource;

import java.util.Map;
import java.util.Optional;

import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.QueryParam;

/**
 * Optional filters and order of {@code GET /api/v1/data-sources}. An unknown code, sort key or order is a 400, not an
 * empty or silently reordered page.
 */
public class DataSourceFilter {

    /** Client sort keys (as the API spells the fields) to entity attributes; nothing else reaches the query. */
    static final Map<String, String> SORT_KEYS = Map.of("name", "name", "created_at", "createdAt",
            "updated_at", "updatedAt", "type", "type", "status", "status");
    static final String SORT_PATTERN = "name|created_at|updated_at|type|status";

    @QueryParam("type")
    @Pattern(regexp = DataSourceType.CODE_PATTERN, message = "must be one of [" + DataSourceType.CODES + "]")
    String type;

    @QueryParam("status")
    @Pattern(regexp = DataSourceStatus.CODE_PATTERN, message = "must be one of [" + DataSourceStatus.CODES + "]")
    String status;

    /** Case-insensitive substring of the name. */
    @QueryParam("search")
    @Size(max = 100)
    String search;

    @QueryParam("sortBy")
    @Pattern(regexp = SORT_PATTERN, message = "must be one of [" + SORT_PATTERN + "]")
    String sortBy;

    @QueryParam("sortOrder")
    @Pattern(regexp = "asc|desc", message = "must be asc or desc")
    String sortOrder;

    public Optional<DataSourceType> type() {
        return Optional.ofNullable(type).flatMap(DataSourceType::fromCode);
    }

    public Optional<DataSourceStatus> status() {
        return Optional.ofNullable(status).flatMap(DataSourceStatus::fromCode);
    }

    public Optional<String> search() {
        return Optional.ofNullable(search).map(String::trim).filter(text -> !text.isEmpty());
    }

    /** The entity attribute to sort by; newest first unless asked otherwise. */
    public String sortAttribute() {
        return SORT_KEYS.getOrDefault(sortBy == null ? "created_at" : sortBy, "createdAt");
    }

    public boolean ascending() {
        return "asc".equals(sortOrder);
    }
}
