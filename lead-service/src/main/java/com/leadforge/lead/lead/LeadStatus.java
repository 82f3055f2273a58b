package com.leadforge.lead.lead;

import com.fasterxml.jackson.annotation.JsonProperty;

import jakarta.persistence.AttributeConverter;

/** Where a lead stands in the outreach pipeline. */
public enum LeadStatus {
    @JsonProperty("new") NEW,
    @JsonProperty("contacted") CONTACTED,
    @JsonProperty("responded") RESPONDED,
    @JsonProperty("qualified") QUALIFIED,
    @JsonProperty("nurturing") NURTURING,
    @JsonProperty("converted") CONVERTED,
    @JsonProperty("disqualified") DISQUALIFIED;

    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    @jakarta.persistence.Converter(autoApply = true)
    public static class Converter implements AttributeConverter<LeadStatus, String> {
        @Override
        public String convertToDatabaseColumn(LeadStatus value) {
            return value == null ? null : value.code();
        }

        @Override
        public LeadStatus convertToEntityAttribute(String code) {
            return code == null ? null : LeadStatus.valueOf(code.toUpperCase(java.util.Locale.ROOT));
        }
    }
}
