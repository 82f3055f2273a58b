package com.leadforge.shared.outbox;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadforge.shared.events.EventType;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

/** Appends events to the outbox inside the caller's transaction, so that state and event commit or fail together. */
@ApplicationScoped
public class OutboxWriter {

    private final ObjectMapper objectMapper;

    public OutboxWriter(ObjectMapper objectMapper) {
        this.objectMapper = objectMapper;
    }

    @Transactional(TxType.MANDATORY)
    public OutboxEvent append(EventType type, String agencyId, Object aggregateId, String actor, Object data) {
        OutboxEvent event = new OutboxEvent();
        event.id = UUID.randomUUID();
        event.agencyId = agencyId;
        event.aggregateType = type.aggregate();
        event.aggregateId = aggregateId.toString();
        event.eventType = type.type();
        event.topic = type.topic();
        event.actor = actor;
        event.payload = toJson(data);
        event.createdAt = Instant.now();
        event.persist();
        return event;
    }

    private String toJson(Object data) {
        try {
            return objectMapper.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Event data is not serialisable: " + data.getClass().getName(), e);
        }
    }
}
