package com.leadforge.campaign.campaign;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonProperty;

import jakarta.persistence.AttributeConverter;

/** Lifecycle of a campaign. A new campaign starts as a draft or goes live at once; the other states come later. */
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
