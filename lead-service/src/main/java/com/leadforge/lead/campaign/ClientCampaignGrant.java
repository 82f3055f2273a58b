package com.leadforge.lead.campaign;

import java.io.Serializable;
import java.time.Instant;
import java.util.UUID;

import org.hibernate.annotations.TenantId;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/**
 * lead-service's copy of one campaign-service grant: whether the client user {@code userId} (its token {@code sub})
 * may read the leads of campaign {@code campaignId}. Built only from campaign events ({@link ClientGrantProjection});
 * a revoked grant stays as a row with {@code granted = false}, so that an older event arriving late cannot revive it.
 * The table's key also starts with {@code agency_id}; within one tenant (the {@code @TenantId} filter, row-level
 * security) the pair below is unique.
 */
@Entity
@Table(name = "client_campaign_grant")
public class ClientCampaignGrant extends PanacheEntityBase {

    @Embeddable
    public record Key(@Column(name = "user_id") String userId, @Column(name = "campaign_id") UUID campaignId)
            implements Serializable {
    }

    @EmbeddedId
    public Key id;

    @TenantId
    @Column(name = "agency_id", nullable = false, updatable = false)
    public String agencyId;

    @Column(nullable = false)
    public boolean granted;

    /** The grant-change version of the newest event applied (campaign-service's sequence). */
    @Column(nullable = false)
    public long version;

    /** When that change happened at campaign-service. */
    @Column(name = "changed_at", nullable = false)
    public Instant changedAt;
}
