package com.leadforge.analytics.notification;

import java.util.UUID;

/**
 * A notification to write, before it has an id and an addressee: the fields of the reference's {@code notifications}
 * table that an event determines.
 *
 * @param type info, success, warning or error
 */
public record NewNotification(String type, String title, String message, String relatedEntityType,
        UUID relatedEntityId, String actionUrl, String actionLabel) {

    public NewNotification {
        title = cut(title, 200);
        message = cut(message, 2000);
    }

    private static String cut(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }
}
