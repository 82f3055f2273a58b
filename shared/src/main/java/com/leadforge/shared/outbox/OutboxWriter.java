package com.leadforge.shared.outbox;

import java.time.Instant;
import java.util.UUID;

import com.leadforge.shared.events.EventJson;
import com.leadforge.shared.events.EventType;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

/** Appends events to the outbox inside the caller's transaction, so that state and event commit or fail together. */
@ApplicationScoped
public class OutboxWriter {

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
        event.payload = EventJson.write(data);
        event.createdAt = Instant.now();
        event.persist();
        return event;
    }
}
