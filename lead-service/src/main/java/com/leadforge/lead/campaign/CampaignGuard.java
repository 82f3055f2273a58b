package com.leadforge.lead.campaign;

import java.util.List;
import java.util.Set;
import java.util.UUID;

import com.leadforge.shared.problem.Problem;
import com.leadforge.shared.problem.ProblemException;
import com.leadforge.shared.problem.ProblemType;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * A lead may only join a draft or active campaign of its own agency. Another agency's campaign, an unknown one and a
 * paused/completed/archived one get the same answer, so the check reveals nothing about other agencies.
 */
@ApplicationScoped
public class CampaignGuard {

    private static final Set<String> OPEN_STATUSES = Set.of("draft", "active");

    /** What the replica knows of a campaign right now, for callers that must not wait (see {@link #known}). */
    public enum Knowledge {
        /** A draft or active campaign of the current agency. */
        OPEN,
        /** A campaign of the current agency that is paused, completed, archived or deleted. */
        CLOSED,
        /** No campaign of the current agency with this id has reached the replica (yet, or ever). */
        UNSEEN
    }

    private final CampaignArrivals arrivals;

    public CampaignGuard(CampaignArrivals arrivals) {
        this.arrivals = arrivals;
    }

    /**
     * Refuses a campaign that is not a draft or active campaign of the caller's agency. A campaign the replica has not
     * seen at all may have been created a moment ago: it is waited for (bounded, see {@link CampaignArrivals}).
     */
    public void requireOpen(UUID campaignId) {
        if (campaignId == null) {
            return;
        }
        // The tenant filter (and row-level security) limit this lookup to the caller's agency.
        var known = find(campaignId);
        if (known.isEmpty()) {
            try (var expected = arrivals.expect(campaignId)) {
                known = find(campaignId);
                if (known.isEmpty() && expected.await()) {
                    known = find(campaignId);
                }
            }
        }
        if (known.filter(CampaignGuard::isOpen).isEmpty()) {
            throw new ProblemException(ProblemType.VALIDATION, "1 field(s) are invalid", List.of(
                    new Problem.FieldError("campaign_id", "is not a draft or active campaign of your agency")));
        }
    }

    /**
     * The replica's answer without waiting, for consumers (they cannot hold a request open; they retry instead).
     * Another agency's campaign is {@link Knowledge#UNSEEN}, exactly like an unknown one.
     */
    public Knowledge known(UUID campaignId) {
        return find(campaignId).map(campaign -> isOpen(campaign) ? Knowledge.OPEN : Knowledge.CLOSED)
                .orElse(Knowledge.UNSEEN);
    }

    private static boolean isOpen(CampaignReplica campaign) {
        return !campaign.deleted && OPEN_STATUSES.contains(campaign.status);
    }

    private static java.util.Optional<CampaignReplica> find(UUID campaignId) {
        return CampaignReplica.<CampaignReplica>find("id", campaignId).firstResultOptional();
    }
}
