package com.leadforge.shared.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.leadforge.shared.inbox.PoisonEventException;

/**
 * The one JSON format of event data (snake_case, ISO-8601 instants), independent of how any service shapes its REST
 * responses: producers and consumers must agree on it even when their HTTP settings differ. Unknown fields are
 * ignored so that adding a field to an event is a compatible change.
 */
public final class EventJson {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public static String write(Object data) {
        try {
            return MAPPER.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Event data is not serialisable: " + data.getClass().getName(), e);
        }
    }

    /** Reads event data; data that does not match the contract is poison, not a transient failure. */
    public static <T> T read(String json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new PoisonEventException("Event data does not match " + type.getSimpleName());
        }
    }

    /** Event data must be a JSON object; anything else (truncated, not JSON, an array) is poison. */
    public static void requireObject(String json) {
        try {
            if (json == null || !MAPPER.readTree(json).isObject()) {
                throw new PoisonEventException("Event data is not a JSON object");
            }
        } catch (JsonProcessingException e) {
            throw new PoisonEventException("Event data is not valid JSON");
        }
    }

    private EventJson() {
    }
}
