package com.leadforge.lead.campaign;

import java.time.Instant;
import java.util.UUID;

import org.hibernate.annotations.TenantId;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * lead-service's own copy of each campaign's status, built from campaign events, so that a lead's campaign can be
 * checked without calling campaign-service (services share events, not calls).
 */
@Entity
@Table(name = "campaign_replica")
public class CampaignReplica extends PanacheEntityBase {

    @Id
    public UUID id;

    @TenantId
    @Column(name = "agency_id", nullable = false, updatable = false)
    public String agencyId;

    @Column(nullable = false)
    public String status;

    @Column(nullable = false)
    public boolean deleted;

    /** Time of the newest event applied; older events arriving late are ignored. */
    @Column(name = "changed_at", nullable = false)
    public Instant changedAt;
}
