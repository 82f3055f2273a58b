package com.leadforge.lead.score;

import java.util.List;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The lead score rules ({@code leadforge.score.*}), in configuration so that an agency's sales team can tune weights
 * without a release. Points add up and the sum is capped at 100.
 */
@ConfigMapping(prefix = "leadforge.score")
public interface ScoreRules {

    /** Completeness: points per present field. */
    @WithDefault("5")
    int name();

    @WithDefault("10")
    int email();

    @WithDefault("10")
    int phone();

    @WithDefault("5")
    int company();

    @WithDefault("5")
    int title();

    @WithDefault("10")
    int linkedin();

    /** Title seniority: a title containing one of these words (case-insensitive) earns {@link #seniorPoints()}. */
    @WithDefault("ceo,cto,cfo,coo,cmo,chief,founder,owner,president,vp,vice president,director,head,partner")
    List<String> seniorTitles();

    @WithDefault("20")
    int seniorPoints();

    @WithDefault("manager,lead,principal,senior")
    List<String> midTitles();

    @WithDefault("10")
    int midPoints();

    /** Verified contact points: points each, up to {@link #verifiedMax()}. */
    @WithDefault("5")
    int verifiedEach();

    @WithDefault("15")
    int verifiedMax();

    /** Engagement: the lead was contacted / responded (or went further down the pipeline). */
    @WithDefault("5")
    int contacted();

    @WithDefault("15")
    int responded();

    /** Consent to be contacted is worth something; do-not-contact takes points away. */
    @WithDefault("5")
    int consent();

    @WithDefault("20")
    int doNotContactPenalty();
}
