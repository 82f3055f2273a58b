package com.leadforge.analytics.notification;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** One notification as its reader sees it: {@code read} is this reader's own state. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record NotificationView(UUID id, String type, String title, String message, boolean read,
        String relatedEntityType, UUID relatedEntityId, String actionUrl, String actionLabel, Instant createdAt) {
}
