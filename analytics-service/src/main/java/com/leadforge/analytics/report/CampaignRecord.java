package com.leadforge.analytics.report;

import java.time.Instant;
import java.util.UUID;

import org.hibernate.annotations.TenantId;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A campaign as the analytics answers look it up: read through Hibernate's tenant filter (and row-level security), so
 * another agency's campaign is simply not found, exactly like an unknown one. Written only by the projections.
 */
@Entity
@Table(name = "campaign_state")
public class CampaignRecord extends PanacheEntityBase {

    @Id
    @Column(name = "campaign_id")
    public UUID id;

    @TenantId
    @Column(name = "agency_id")
    public String agencyId;

    public String status;

    public boolean deleted;

    @Column(name = "changed_at")
    public Instant changedAt;
}
