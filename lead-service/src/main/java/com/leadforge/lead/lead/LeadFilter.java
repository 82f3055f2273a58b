package com.leadforge.lead.lead;

import java.util.UUID;

import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.QueryParam;

/** The list filters of {@code GET /leads} and {@code GET /leads/export}. Query parameter names are snake_case. */
public class LeadFilter {

    @QueryParam("campaign_id")
    public UUID campaignId;

    @QueryParam("status")
    @Pattern(regexp = "new|contacted|responded|qualified|nurturing|converted|disqualified",
            message = "must be one of new, contacted, responded, qualified, nurturing, converted, disqualified")
    public String status;

    @QueryParam("qualification_status")
    @Pattern(regexp = "pending|qualified|disqualified", message = "must be one of pending, qualified, disqualified")
    public String qualificationStatus;

    @QueryParam("priority")
    @Pattern(regexp = "low|medium|high|urgent", message = "must be one of low, medium, high, urgent")
    public String priority;

    @QueryParam("assigned_to")
    @Size(max = 64)
    public String assignedTo;

    @QueryParam("source")
    @Size(max = 100)
    public String source;

    /** ISO-8601 instant, inclusive. */
    @QueryParam("created_from")
    @Pattern(regexp = "\\d{4}-\\d{2}-\\d{2}T[0-9:.]+(Z|[+-]\\d{2}:\\d{2})", message = "must be an ISO-8601 instant")
    public String createdFrom;

    /** ISO-8601 instant, exclusive. */
    @QueryParam("created_to")
    @Pattern(regexp = "\\d{4}-\\d{2}-\\d{2}T[0-9:.]+(Z|[+-]\\d{2}:\\d{2})", message = "must be an ISO-8601 instant")
    public String createdTo;

    /** Full text (whole words and prefixes) or a partial word anywhere (trigram). */
    @QueryParam("search")
    @Size(min = 1, max = 200)
    public String search;
}
