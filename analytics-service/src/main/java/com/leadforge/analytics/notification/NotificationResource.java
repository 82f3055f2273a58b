package com.leadforge.analytics.notification;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.leadforge.shared.api.Page;
import com.leadforge.shared.api.PageRequest;
import com.leadforge.shared.problem.ProblemException;
import com.leadforge.shared.tenancy.Roles;
import com.leadforge.shared.tenancy.TenantContext;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/**
 * The caller's own notifications (reference: notifications table and API). Every query names the caller's agency and
 * runs under it (row-level security), and names the caller as addressee: another user's notification, or another
 * agency's, answers 404 exactly like a missing one. Read state is the caller's own, so marking a notification that
 * went to every admin read marks it for this admin only.
 */
@Path("/api/v1/notifications")
@Tag(name = "Notifications")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({ Roles.SUPER_ADMIN, Roles.AGENCY_ADMIN, Roles.RESEARCHER, Roles.CLIENT })
public class NotificationResource {

    /** Visible to the caller: addressed to its sub or to one of its roles, in its agency. */
    private static final String VISIBLE = """
            n.agency_id = :agency and (n.user_id = :user or n.audience_role in (:roles))""";
    private static final String UNREAD = """
            not exists (select 1 from notification_read r where r.user_id = :user and r.notification_id = n.id)""";

    private final EntityManager entityManager;
    private final TenantContext tenant;
    private final SecurityIdentity identity;

    public NotificationResource(EntityManager entityManager, TenantContext tenant, SecurityIdentity identity) {
        this.entityManager = entityManager;
        this.tenant = tenant;
        this.identity = identity;
    }

    @GET
    @Transactional
    public Page<NotificationView> list(@QueryParam("unread") @DefaultValue("false") boolean unreadOnly,
            @Valid @BeanParam PageRequest page) {
        Audience audience = audience();
        String where = VISIBLE + (unreadOnly ? " and " + UNREAD : "");
        Number total = (Number) bind(entityManager.createNativeQuery(
                "select count(*) from notification n where " + where), audience).getSingleResult();
        @SuppressWarnings("unchecked")
        List<Object[]> rows = bind(entityManager.createNativeQuery("""
                select n.id, n.type, n.title, n.message,
                    exists (select 1 from notification_read r where r.user_id = :user and r.notification_id = n.id),
                    n.related_entity_type, n.related_entity_id, n.action_url, n.action_label, n.created_at
                from notification n where %s
                order by n.created_at desc, n.id desc limit :limit offset :offset""".formatted(where)), audience)
                .setParameter("limit", page.pageSize())
                .setParameter("offset", page.offset())
                .getResultList();
        return Page.of(rows.stream().map(NotificationResource::view).toList(), total.longValue(), page);
    }

    /** The caller's unread count: also what the dashboard shows. */
    @GET
    @Path("/unread-count")
    @Transactional
    public Map<String, Long> unreadCount() {
        return Map.of("unread_count", unreadOfCaller());
    }

    /** How many of the caller's notifications it has not read (the dashboard's {@code unread_notifications}). */
    @Transactional
    public long unreadOfCaller() {
        Audience audience = audience();
        Number count = (Number) bind(entityManager.createNativeQuery(
                "select count(*) from notification n where " + VISIBLE + " and " + UNREAD), audience)
                .getSingleResult();
        return count.longValue();
    }

    /** Marks one notification read for the caller; marking it again changes nothing. */
    @POST
    @Path("/{id}/read")
    @Transactional
    public NotificationView markRead(@PathParam("id") UUID id) {
        Audience audience = audience();
        List<?> found = bind(entityManager.createNativeQuery(
                "select n.id from notification n where n.id = :id and " + VISIBLE), audience)
                .setParameter("id", id)
                .getResultList();
        if (found.isEmpty()) {
            throw ProblemException.notFound("Notification", id);
        }
        entityManager.createNativeQuery("""
                insert into notification_read (notification_id, user_id, agency_id, read_at)
                values (:id, :user, :agency, now()) on conflict (user_id, notification_id) do nothing""")
                .setParameter("id", id)
                .setParameter("user", audience.userId())
                .setParameter("agency", tenant.requireAgencyId())
                .executeUpdate();
        @SuppressWarnings("unchecked")
        List<Object[]> rows = bind(entityManager.createNativeQuery("""
                select n.id, n.type, n.title, n.message, true, n.related_entity_type, n.related_entity_id,
                    n.action_url, n.action_label, n.created_at
                from notification n where n.id = :id and %s""".formatted(VISIBLE)), audience)
                .setParameter("id", id)
                .getResultList();
        return view(rows.get(0));
    }

    /**
     * Marks every notification the caller can see read, as of this transaction's snapshot: one arriving meanwhile
     * stays unread, so the unread count afterwards is exactly what arrived since.
     */
    @POST
    @Path("/read-all")
    @Transactional
    public Map<String, Long> markAllRead() {
        Audience audience = audience();
        int marked = bind(entityManager.createNativeQuery("""
                insert into notification_read (notification_id, user_id, agency_id, read_at)
                select n.id, :user, n.agency_id, now() from notification n where %s and %s
                on conflict (user_id, notification_id) do nothing""".formatted(VISIBLE, UNREAD)), audience)
                .executeUpdate();
        return Map.of("marked", (long) marked);
    }

    private Audience audience() {
        String agency = tenant.requireAgencyId();
        if (agency.isEmpty()) {
            throw ProblemException.forbidden("No agency");
        }
        return Audience.of(identity, tenant.actor());
    }

    private jakarta.persistence.Query bind(jakarta.persistence.Query query, Audience audience) {
        return query.setParameter("agency", tenant.requireAgencyId())
                .setParameter("user", audience.userId())
                .setParameter("roles", audience.roles());
    }

    private static NotificationView view(Object[] row) {
        return new NotificationView((UUID) row[0], (String) row[1], (String) row[2], (String) row[3],
                (Boolean) row[4], (String) row[5], (UUID) row[6], (String) row[7], (String) row[8],
                instant(row[9]));
    }

    private static Instant instant(Object value) {
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof java.time.OffsetDateTime offset) {
            return offset.toInstant();
        }
        return ((Timestamp) value).toInstant();
    }
}
