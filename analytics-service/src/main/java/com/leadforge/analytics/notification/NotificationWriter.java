package com.leadforge.analytics.notification;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.hibernate.query.NativeQuery;

import com.leadforge.analytics.stream.StreamLog;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

/**
 * Writes notifications in the consuming transaction. Each (source event, addressee) pair is unique in the table, so a
 * redelivered or replayed event adds nothing even where the inbox has forgotten it; only a notification actually
 * written becomes a live-stream row for its addressee.
 */
@ApplicationScoped
public class NotificationWriter {

    public static final String KIND = "notification";

    private final EntityManager entityManager;

    public NotificationWriter(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    /** To one user (a token {@code sub}); returns the stream rows for what was new. */
    public List<StreamLog.Row> toUser(String agencyId, String sourceEventId, String userId, NewNotification n,
            Instant at) {
        return write(agencyId, sourceEventId, userId, null, n, at);
    }

    /** To every holder of {@code role} in the agency, each with a read state of its own. */
    public List<StreamLog.Row> toRole(String agencyId, String sourceEventId, String role, NewNotification n,
            Instant at) {
        return write(agencyId, sourceEventId, null, role, n, at);
    }

    private List<StreamLog.Row> write(String agencyId, String sourceEventId, String userId, String role,
            NewNotification n, Instant at) {
        UUID id = UUID.randomUUID();
        int inserted = entityManager.createNativeQuery("""
                insert into notification (id, agency_id, user_id, audience_role, type, title, message,
                    related_entity_type, related_entity_id, action_url, action_label, created_at, source_event_id,
                    recipient_key)
                values (:id, :agency, :user, :role, :type, :title, :message, :entityType, :entityId, :url, :label, :at,
                    :source, :recipient)
                on conflict (source_event_id, recipient_key) do nothing""")
                .unwrap(NativeQuery.class)
                .setParameter("id", id)
                .setParameter("agency", agencyId)
                .setParameter("user", userId, String.class)
                .setParameter("role", role, String.class)
                .setParameter("type", n.type())
                .setParameter("title", n.title())
                .setParameter("message", n.message())
                .setParameter("entityType", n.relatedEntityType(), String.class)
                .setParameter("entityId", n.relatedEntityId(), UUID.class)
                .setParameter("url", n.actionUrl(), String.class)
                .setParameter("label", n.actionLabel(), String.class)
                .setParameter("at", at)
                .setParameter("source", sourceEventId)
                .setParameter("recipient", userId != null ? "user:" + userId : "role:" + role)
                .executeUpdate();
        if (inserted == 0) {
            return List.of();
        }
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("id", id);
        payload.put("type", n.type());
        payload.put("title", n.title());
        payload.put("message", n.message());
        payload.put("read", false);
        payload.put("related_entity_type", n.relatedEntityType());
        payload.put("related_entity_id", n.relatedEntityId());
        payload.put("action_url", n.actionUrl());
        payload.put("action_label", n.actionLabel());
        payload.put("created_at", at);
        List<StreamLog.Row> rows = new ArrayList<>(1);
        rows.add(new StreamLog.Row(KIND, false, null, null, userId, role, payload));
        return rows;
    }
}
