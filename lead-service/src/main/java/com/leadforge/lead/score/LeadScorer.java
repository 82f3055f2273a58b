package com.leadforge.lead.score;

import java.util.Locale;
import java.util.Set;

import com.leadforge.lead.lead.Lead;
import com.leadforge.lead.lead.LeadStatus;

import jakarta.enterprise.context.ApplicationScoped;

/** Rule-based score 0–100 (rules in {@link ScoreRules}); stored on the lead and recomputed on every change. */
@ApplicationScoped
public class LeadScorer {

    private static final Set<LeadStatus> RESPONDED = Set.of(LeadStatus.RESPONDED, LeadStatus.QUALIFIED,
            LeadStatus.NURTURING, LeadStatus.CONVERTED);

    private final ScoreRules rules;

    public LeadScorer(ScoreRules rules) {
        this.rules = rules;
    }

    public short score(Lead lead, long verifiedContactPoints) {
        int score = 0;
        if (lead.firstName != null || lead.lastName != null) {
            score += rules.name();
        }
        score += lead.email != null ? rules.email() : 0;
        score += lead.phone != null ? rules.phone() : 0;
        score += lead.company != null ? rules.company() : 0;
        score += lead.title != null ? rules.title() : 0;
        score += lead.linkedinUrl != null ? rules.linkedin() : 0;
        score += seniority(lead.title);
        score += (int) Math.min(rules.verifiedMax(), verifiedContactPoints * rules.verifiedEach());
        if (RESPONDED.contains(lead.status) || lead.lastRespondedAt != null) {
            score += rules.responded();
        } else if (lead.status == LeadStatus.CONTACTED || lead.lastContactedAt != null) {
            score += rules.contacted();
        }
        score += lead.consentGiven ? rules.consent() : 0;
        score -= lead.doNotContact ? rules.doNotContactPenalty() : 0;
        return (short) Math.max(0, Math.min(100, score));
    }

    private int seniority(String title) {
        if (title == null) {
            return 0;
        }
        String lower = " " + title.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", " ") + " ";
        if (rules.seniorTitles().stream().anyMatch(word -> lower.contains(" " + word.trim() + " "))) {
            return rules.seniorPoints();
        }
        if (rules.midTitles().stream().anyMatch(word -> lower.contains(" " + word.trim() + " "))) {
            return rules.midPoints();
        }
        return 0;
    }
}
