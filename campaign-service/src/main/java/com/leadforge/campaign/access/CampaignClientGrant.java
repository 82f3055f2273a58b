package com.leadforge.campaign.access;

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
 * A campaign shared with one client user, identified by the {@code sub} of its token. The client role reads only
 * campaigns it holds a grant for; the grant means nothing for other roles, which read the whole agency anyway.
 */
@Entity
@Table(name = "campaign_client_grant")
public class CampaignClientGrant extends PanacheEntityBase {

    @Embeddable
    public record Key(@Column(name = "campaign_id") UUID campaignId, @Column(name = "user_id") String userId)
            implements Serializable {
    }

    @EmbeddedId
    public Key id;

    @TenantId
    @Column(name = "agency_id", nullable = false, updatable = false)
    public String agencyId;

    @Column(name = "granted_by", nullable = false, updatable = false)
    public String grantedBy;

    @Column(name = "granted_at", nullable = false, updatable = false)
    public Instant grantedAt;
}
