package com.leadforge.scraping.datasource;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonProperty;

import jakarta.persistence.AttributeConverter;

/**
 * Whether a data source can be used. A new one is {@code inactive} until a connection test succeeds; the other
 * states are set by the service (tests, failing jobs), never chosen by a client at creation.
 */
public enum DataSourceStatus {
    @JsonProperty("active") ACTIVE,
    @JsonProperty("inactive") INACTIVE,
    @JsonProperty("error") ERROR,
    @JsonProperty("testing") TESTING;

    /** The codes clients use, for messages: {@code active, inactive, ...}. */
    public static final String CODES = "active, inactive, error, testing";
    /** The same codes as a regular expression, for validating query parameters. */
    public static final String CODE_PATTERN = "active|inactive|error|testing";

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<DataSourceStatus> fromCode(String code) {
        return Arrays.stream(values()).filter(status -> status.code().equals(code)).findFirst();
    }

    @jakarta.persistence.Converter(autoApply = true)
    public static class Converter implements AttributeConverter<DataSourceStatus, String> {
        @Override
        public String convertToDatabaseColumn(DataSourceStatus value) {
            return value == null ? null : value.code();
        }

        @Override
        public DataSourceStatus convertToEntityAttribute(String code) {
            return code == null ? null : DataSourceStatus.valueOf(code.toUpperCase(Locale.ROOT));
        }
    }
}
