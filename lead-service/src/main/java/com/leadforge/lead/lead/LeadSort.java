package com.leadforge.lead.lead;

import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.QueryParam;

/** Order and keyset cursor of {@code GET /leads}. Sort columns come from a whitelist, each backed by an index. */
public class LeadSort {

    @QueryParam("sortBy")
    @DefaultValue("created_at")
    @Pattern(regexp = "created_at|updated_at|score|last_name|company|last_contacted_at",
            message = "must be one of created_at, updated_at, score, last_name, company, last_contacted_at")
    public String sortBy = "created_at";

    @QueryParam("sortOrder")
    @DefaultValue("desc")
    @Pattern(regexp = "asc|desc", message = "must be asc or desc")
    public String sortOrder = "desc";

    /** Opaque keyset cursor ({@code meta.next_cursor} of the previous page); switches to keyset mode. */
    @QueryParam("cursor")
    @Size(max = 500)
    public String cursor;

    /** Keyset mode without a cursor yet: the first page. */
    @QueryParam("paging")
    @Pattern(regexp = "offset|cursor", message = "must be offset or cursor")
    public String paging;

    public LeadSort() {
    }

    public LeadSort(String sortBy, String sortOrder, String cursor) {
        this.sortBy = sortBy;
        this.sortOrder = sortOrder;
        this.cursor = cursor;
    }

    public boolean keyset() {
        return cursor != null || "cursor".equals(paging);
    }
}
