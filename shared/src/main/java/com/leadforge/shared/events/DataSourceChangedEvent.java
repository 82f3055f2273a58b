package com.leadforge.shared.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Data of {@link EventType#DATA_SOURCE_UPDATED}, {@link EventType#DATA_SOURCE_DELETED} and
 * {@link EventType#DATA_SOURCE_TESTED}: the data source's state after the change. Never carries credentials.
 *
 * @param changedFields updated only: the fields the change touched ({@code credentials} when they were replaced)
 * @param testSucceeded tested only: the connection test's outcome
 */
@RegisterForReflection
public record DataSourceChangedEvent(UUID dataSourceId, String agencyId, String name, String type, String status,
        List<String> changedFields, Boolean testSucceeded, String actor, Instant occurredAt) {
}
