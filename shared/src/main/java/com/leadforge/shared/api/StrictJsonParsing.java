package com.leadforge.shared.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * A JSON body that names a member twice is refused (400 {@code malformed-request}) instead of one of its values
 * silently winning. Readers that pick different duplicates (a proxy, a validator, the service) are a classic way to
 * smuggle a value past a check, and request records (Jackson creators) failed on a duplicate with a bare 500.
 */
@Singleton
public class StrictJsonParsing implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    }
}
