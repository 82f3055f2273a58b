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

    public void requireOpen(UUID campaignId) {
        if (campaignId == null) {
            return;
        }
        // The tenant filter limits this lookup to the caller's agency.
        boolean open = CampaignReplica.<CampaignReplica>find("id", campaignId).firstResultOptional()
                .filter(campaign -> !campaign.deleted && OPEN_STATUSES.contains(campaign.status))
                .isPresent();
        if (!open) {
            throw new ProblemException(ProblemType.VALIDATION, "1 field(s) are invalid", List.of(
                    new Problem.FieldError("campaign_id", "is not a draft or active campaign of your agency")));
        }
    }
}
