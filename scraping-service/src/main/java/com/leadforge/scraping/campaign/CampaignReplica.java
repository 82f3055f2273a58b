package com.leadforge.scraping.campaign;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

import org.hibernate.annotations.TenantId;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** What scraping-service knows of a campaign, from campaign-service's events: enough to accept a job into it. */
@Entity
@Table(name = "campaign_replica")
public class CampaignReplica extends PanacheEntityBase {

    static final Set<String> OPEN = Set.of("draft", "active");

    @Id
    public UUID id;

    @TenantId
    @Column(name = "agency_id", nullable = false, updatable = false)
    public String agencyId;

    @Column(nullable = false)
    public String status;

    @Column(nullable = false)
    public boolean deleted;

    @Column(name = "changed_at", nullable = false)
    public Instant changedAt;

    /** A draft or active, not deleted campaign of the current agency. */
    public static boolean isOpen(UUID id) {
        return CampaignReplica.<CampaignReplica>findByIdOptional(id)
                .filter(campaign -> !campaign.deleted && OPEN.contains(campaign.status)).isPresent();
    }
}
