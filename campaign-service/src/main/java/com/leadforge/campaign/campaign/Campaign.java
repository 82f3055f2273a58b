package com.leadforge.campaign.campaign;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.UUID;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.annotations.TenantId;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/** An outreach campaign owned by one agency. Its name is unique within the agency, ignoring case. */
@Entity
@Table(name = "campaign")
public class Campaign extends PanacheEntityBase {

    /** Name of the unique index on {@code (agency_id, lower(name))}; a violation of it is a duplicate name. */
    public static final String UNIQUE_NAME_CONSTRAINT = "campaign_agency_name_key";

    @Id
    public UUID id;

    /** Set by Hibernate from the current tenant on insert, and added to every query's predicate. */
    @TenantId
    @Column(name = "agency_id", nullable = false, updatable = false)
    public String agencyId;

    @Column(nullable = false)
    public String name;

    public String description;

    @Column(nullable = false)
    public CampaignStatus status = CampaignStatus.DRAFT;

    @Column(name = "start_date")
    public LocalDate startDate;

    @Column(name = "end_date")
    public LocalDate endDate;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "target_audience", nullable = false, columnDefinition = "jsonb")
    public Map<String, Object> targetAudience = Map.of();

    // The counters belong to the lead-event consumer (native SQL under the campaign's row lock). They are never
    // written by an entity update, so an API edit that loaded the row earlier cannot overwrite a newer count.
    @Column(name = "leads_count", nullable = false, updatable = false)
    public int leadsCount;

    @Column(name = "qualified_leads_count", nullable = false, updatable = false)
    public int qualifiedLeadsCount;

    @Column(name = "contacted_count", nullable = false, updatable = false)
    public int contactedCount;

    @Column(name = "responded_count", nullable = false, updatable = false)
    public int respondedCount;

    @Column(name = "created_by", nullable = false, updatable = false)
    public String createdBy;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Version
    public long version;
}
