package com.leadforge.campaign.campaign;

import java.util.Map;
import java.util.Optional;

import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.QueryParam;

/**
 * Optional filters and order of {@code GET /api/v1/campaigns}. An unknown status, sort key or order is a 400, not an
 * empty or silently reordered page.
 */
public class CampaignFilter {

    /** Client sort keys (as the API spells the fields) to entity attributes; nothing else reaches the query. */
    static final Map<String, String> SORT_KEYS = Map.ofEntries(
            Map.entry("created_at", "createdAt"), Map.entry("updated_at", "updatedAt"), Map.entry("name", "name"),
            Map.entry("status", "status"), Map.entry("start_date", "startDate"), Map.entry("end_date", "endDate"),
            Map.entry("leads_count", "leadsCount"), Map.entry("qualified_leads_count", "qualifiedLeadsCount"),
            Map.entry("contacted_count", "contactedCount"), Map.entry("responded_count", "respondedCount"));
    static final String SORT_PATTERN = "created_at|updated_at|name|status|start_date|end_date|leads_count"
            + "|qualified_leads_count|contacted_count|responded_count";

    @QueryParam("status")
    @Pattern(regexp = CampaignStatus.CODE_PATTERN, message = "must be one of [" + CampaignStatus.CODES + "]")
    String status;

    /** Case-insensitive substring of the name or the description. */
    @QueryParam("search")
    @Size(max = 100)
    String search;

    @QueryParam("sortBy")
    @Pattern(regexp = SORT_PATTERN, message = "must be one of [" + SORT_PATTERN + "]")
    String sortBy;

    @QueryParam("sortOrder")
    @Pattern(regexp = "asc|desc", message = "must be asc or desc")
    String sortOrder;

    public Optional<CampaignStatus> status() {
        return Optional.ofNullable(status).flatMap(CampaignStatus::fromCode);
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
