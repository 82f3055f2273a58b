package com.leadforge.scraping.datasource;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonProperty;

import jakarta.persistence.AttributeConverter;

/** The connector a data source imports records through. */
public enum DataSourceType {
    @JsonProperty("linkedin") LINKEDIN,
    @JsonProperty("apollo") APOLLO,
    @JsonProperty("zoominfo") ZOOMINFO,
    @JsonProperty("custom") CUSTOM,
    @JsonProperty("csv") CSV,
    @JsonProperty("api") API;

    /** The codes clients use, for messages: {@code linkedin, apollo, ...}. */
    public static final String CODES = "linkedin, apollo, zoominfo, custom, csv, api";
    /** The same codes as a regular expression, for validating query parameters. */
    public static final String CODE_PATTERN = "linkedin|apollo|zoominfo|custom|csv|api";

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<DataSourceType> fromCode(String code) {
        return Arrays.stream(values()).filter(type -> type.code().equals(code)).findFirst();
    }

    @jakarta.persistence.Converter(autoApply = true)
    public static class Converter implements AttributeConverter<DataSourceType, String> {
        @Override
        public String convertToDatabaseColumn(DataSourceType value) {
            return value == null ? null : value.code();
        }

        @Override
        public DataSourceType convertToEntityAttribute(String code) {
            return code == null ? null : DataSourceType.valueOf(code.toUpperCase(Locale.ROOT));
        }
    }
}
