package com.leadforge.shared.events;

import java.time.Instant;
import java.util.UUID;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Data of {@link EventType#DATA_SOURCE_CREATED}. */
@RegisterForReflection
public record DataSourceCreatedEvent(UUID dataSourceId, String agencyId, String name, String type, String status,
        String actor, Instant createdAt) {
}
