package com.leadforge.campaign.campaign;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonProperty;

import jakarta.persistence.AttributeConverter;

/**
 * Lifecycle of a campaign. A new campaign starts as a draft or goes live at once; the other states come later, along
 * {@code draft → active ⇄ paused → completed → archived} and {@code draft → archived} (a draft that never ran is
 * shelved directly). Archived is final. The diagram is the contract (campaign-service/README.md): an active
 * campaign is paused before it is completed, so "completed" always follows a deliberate stop.
 */
public enum CampaignStatus {
    @JsonProperty("draft") DRAFT,
    @JsonProperty("active") ACTIVE,
    @JsonProperty("paused") PAUSED,
    @JsonProperty("completed") COMPLETED,
    @JsonProperty("archived") ARCHIVED;

    /** The codes clients use, for messages: {@code draft, active, ...}. */
    public static final String CODES = "draft, active, paused, completed, archived";
    /** The same codes as a regular expression, for validating query parameters. */
    public static final String CODE_PATTERN = "draft|active|paused|completed|archived";

    /** The states this one may move to; staying in the same state is not a transition. */
    public Set<CampaignStatus> next() {
        return switch (this) {
            case DRAFT -> EnumSet.of(ACTIVE, ARCHIVED);
            case ACTIVE -> EnumSet.of(PAUSED);
            case PAUSED -> EnumSet.of(ACTIVE, COMPLETED);
            case COMPLETED -> EnumSet.of(ARCHIVED);
            case ARCHIVED -> EnumSet.noneOf(CampaignStatus.class);
        };
    }

    public boolean canMoveTo(CampaignStatus target) {
        return next().contains(target);
    }

    /** {@code "active, archived"}, or {@code "none"} for a final state: for problem details. */
    public String nextCodes() {
        Set<CampaignStatus> next = next();
        return next.isEmpty() ? "none" : next.stream().map(CampaignStatus::code).collect(Collectors.joining(", "));
    }

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Only these states may be chosen when a campaign is created. */
    public boolean allowedAtCreation() {
        return this == DRAFT || this == ACTIVE;
    }

    public static Optional<CampaignStatus> fromCode(String code) {
        return Arrays.stream(values()).filter(status -> status.code().equals(code)).findFirst();
    }

    @jakarta.persistence.Converter(autoApply = true)
    public static class Converter implements AttributeConverter<CampaignStatus, String> {
        @Override
        public String convertToDatabaseColumn(CampaignStatus value) {
            return value == null ? null : value.code();
        }

        @Override
        public CampaignStatus convertToEntityAttribute(String code) {
            return code == null ? null : CampaignStatus.valueOf(code.toUpperCase(Locale.ROOT));
        }
    }
}
