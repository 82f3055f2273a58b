package com.leadforge.scraping.datasource;

import java.util.Map;

import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * Body of {@code PUT /api/v1/data-sources/{id}}: a partial update. A field that is absent or {@code null} keeps its
 * value; a blank {@code description} clears it; {@code config} replaces the whole document and is checked by the
 * type's connector; {@code credentials} replaces them ({@code {}} removes them). A client may set {@code status} to
 * {@code active} or {@code inactive} only: {@code error} and {@code testing} are the service's. The type never
 * changes (create another data source).
 */
public record UpdateDataSourceRequest(
        @Size(max = 200) @Pattern(regexp = "(?s).*\\S.*", message = "must not be blank") String name,
        @Size(max = 2000) String description,
        DataSourceStatus status,
        @Size(max = 50, message = "may hold at most 50 keys") Map<String, Object> config,
        @Size(max = 50, message = "may hold at most 50 keys") Map<String, Object> credentials) {

    /** Never prints the credentials, wherever a request ends up being logged. */
    @Override
    public String toString() {
        return "UpdateDataSourceRequest[name=" + name + ", description=" + description + ", status=" + status
                + ", config=" + config + ", credentials=" + (credentials == null ? "unchanged" : "<redacted>") + "]";
    }
}
