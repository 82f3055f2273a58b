package com.leadforge.campaign.access;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.leadforge.campaign.campaign.CampaignService;
import com.leadforge.shared.api.Page;
import com.leadforge.shared.api.PageRequest;
import com.leadforge.shared.events.CampaignClientRevokedEvent;
import com.leadforge.shared.tenancy.TenantContext;

import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * Shares campaigns with client users. Grants are idempotent: granting twice keeps the first grant, revoking a grant
 * that does not exist is not an error (the end state is what the caller asked for). Each real change is announced in
 * its own transaction ({@link GrantEvents}); a repeated grant or a revoke of nothing changes nothing and announces
 * nothing.
 */
@ApplicationScoped
public class ClientGrantService {

    public record GrantResponse(UUID campaignId, String userId, String grantedBy, Instant grantedAt) {
        static GrantResponse of(CampaignClientGrant grant) {
            return new GrantResponse(grant.id.campaignId(), grant.id.userId(), grant.grantedBy, grant.grantedAt);
        }
    }

    private final CampaignService campaigns;
    private final TenantContext tenant;
    private final GrantEvents events;

    public ClientGrantService(CampaignService campaigns, TenantContext tenant, GrantEvents events) {
        this.campaigns = campaigns;
        this.tenant = tenant;
        this.events = events;
    }

    /** Returns true when the grant is new. */
    @Transactional
    public boolean grant(UUID campaignId, String userId) {
        tenant.requireAgencyId();
        // Locking the campaign orders the grant after a concurrent delete (404 then) and makes concurrent grants of
        // the same pair queue instead of colliding on the primary key.
        campaigns.lockForChange(campaignId);
        if (CampaignClientGrant.count("id.campaignId = ?1 and id.userId = ?2", campaignId, userId) > 0) {
            return false;
        }
        CampaignClientGrant grant = new CampaignClientGrant();
        grant.id = new CampaignClientGrant.Key(campaignId, userId);
        grant.grantedBy = tenant.actor();
        grant.grantedAt = Instant.now();
        grant.persist();
        events.granted(grant);
        return true;
    }

    @Transactional
    public void revoke(UUID campaignId, String userId) {
        tenant.requireAgencyId();
        campaigns.lockForChange(campaignId);
        if (CampaignClientGrant.delete("id.campaignId = ?1 and id.userId = ?2", campaignId, userId) > 0) {
            events.revoked(campaignId, userId, CampaignClientRevokedEvent.REVOKED, Instant.now());
        }
    }

    @Transactional
    public Page<GrantResponse> list(UUID campaignId, PageRequest page) {
        campaigns.get(campaignId);
        var query = CampaignClientGrant.<CampaignClientGrant>find("id.campaignId", Sort.by("grantedAt").and("id.userId"),
                campaignId).page(io.quarkus.panache.common.Page.of(page.page() - 1, page.pageSize()));
        List<GrantResponse> data = query.list().stream().map(GrantResponse::of).toList();
        return Page.of(data, query.count(), page);
    }
}
