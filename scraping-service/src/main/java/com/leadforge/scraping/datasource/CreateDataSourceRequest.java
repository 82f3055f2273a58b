package com.leadforge.scraping.datasource;

import java.util.Map;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * Body of {@code POST /api/v1/data-sources}. The agency is never part of it: it comes from the caller's token; nor is
 * the status: a new data source is inactive until it has been tested.
 */
public record CreateDataSourceRequest(
        @NotBlank @Size(max = 200) String name,
        @NotNull DataSourceType type,
        @Size(max = 2000) String description,
        @Size(max = 50, message = "may hold at most 50 keys") Map<String, Object> config,
        @Size(max = 50, message = "may hold at most 50 keys") Map<String, Object> credentials) {

    /** Never prints the credentials, wherever a request ends up being logged. */
    @Override
    public String toString() {
        return "CreateDataSourceRequest[name=" + name + ", type=" + type + ", description=" + description
                + ", config=" + config + ", credentials=" + (credentials == null ? "none" : "<redacted>") + "]";
    }
}
