package com.leadforge.lead.lead;

import com.fasterxml.jackson.annotation.JsonProperty;

import jakarta.persistence.AttributeConverter;

/** Outcome of qualifying a lead against the campaign's target audience. */
public enum QualificationStatus {
    @JsonProperty("pending") PENDING,
    @JsonProperty("qualified") QUALIFIED,
    @JsonProperty("disqualified") DISQUALIFIED;

    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    @jakarta.persistence.Converter(autoApply = true)
    public static class Converter implements AttributeConverter<QualificationStatus, String> {
        @Override
        public String convertToDatabaseColumn(QualificationStatus value) {
            return value == null ? null : value.code();
        }

        @Override
        public QualificationStatus convertToEntityAttribute(String code) {
            return code == null ? null : QualificationStatus.valueOf(code.toUpperCase(java.util.Locale.ROOT));
        }
    }
}
