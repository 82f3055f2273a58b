package com.leadforge.lead.lead;

import com.fasterxml.jackson.annotation.JsonProperty;

import jakarta.persistence.AttributeConverter;

public enum LeadPriority {
    @JsonProperty("low") LOW,
    @JsonProperty("medium") MEDIUM,
    @JsonProperty("high") HIGH,
    @JsonProperty("urgent") URGENT;

    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    @jakarta.persistence.Converter(autoApply = true)
    public static class Converter implements AttributeConverter<LeadPriority, String> {
        @Override
        public String convertToDatabaseColumn(LeadPriority value) {
            return value == null ? null : value.code();
        }

        @Override
        public LeadPriority convertToEntityAttribute(String code) {
            return code == null ? null : LeadPriority.valueOf(code.toUpperCase(java.util.Locale.ROOT));
        }
    }
}
