package com.leadforge.analytics.stream;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.hibernate.query.NativeQuery;

import com.leadforge.shared.events.EventJson;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

/**
 * Appends rows to the live stream's log ({@code stream_event}) in the caller's transaction, so a row exists exactly
 * when the effect it reports committed, and signals every replica ({@code NOTIFY leadforge_stream}, delivered by
 * PostgreSQL at commit, never for a rolled-back transaction).
 */
@ApplicationScoped
public class StreamLog {

    /** The channel every replica's {@link StreamHub} listens on; the payload is the agency. */
    public static final String CHANNEL = "leadforge_stream";

    /**
     * One row of the log.
     *
     * @param staffOnly never shown to a client (jobs, data sources)
     * @param campaignId the campaign a client must have been granted to see it; null = agency-wide (then a client sees
     *                   it only if it is addressed to it)
     * @param jobId the job a {@code job_log} row belongs to (shown only to streams watching that job)
     * @param userId / audienceRole: a notification's addressee
     */
    public record Row(String kind, boolean staffOnly, UUID campaignId, UUID jobId, String userId,
            String audienceRole, Map<String, Object> payload) {

        public static Row of(String kind, boolean staffOnly, UUID campaignId, Map<String, Object> payload) {
            return new Row(kind, staffOnly, campaignId, null, null, null, payload);
        }
    }

    private final EntityManager entityManager;

    public StreamLog(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    /** Appends {@code rows} for {@code agencyId} (the unit of work's tenant) and signals the replicas. */
    public void append(String agencyId, List<Row> rows) {
        if (rows.isEmpty()) {
            return;
        }
        for (Row row : rows) {
            entityManager.createNativeQuery("""
                    insert into stream_event (agency_id, kind, staff_only, campaign_id, job_id, user_id, audience_role,
                        payload)
                    values (:agency, :kind, :staffOnly, :campaign, :job, :user, :role, cast(:payload as jsonb))""")
                    .unwrap(NativeQuery.class)
                    .setParameter("agency", agencyId)
                    .setParameter("kind", row.kind())
                    .setParameter("staffOnly", row.staffOnly())
                    .setParameter("campaign", row.campaignId(), UUID.class)
                    .setParameter("job", row.jobId(), UUID.class)
                    .setParameter("user", row.userId(), String.class)
                    .setParameter("role", row.audienceRole(), String.class)
                    .setParameter("payload", EventJson.write(new LinkedHashMap<>(row.payload())))
                    .executeUpdate();
        }
        entityManager.createNativeQuery("""
                insert into stream_agency (agency_id) values (:agency) on conflict (agency_id) do nothing""")
                .setParameter("agency", agencyId)
                .executeUpdate();
        // Several identical notifications in one transaction are folded into one by PostgreSQL.
        entityManager.createNativeQuery("select pg_notify('" + CHANNEL + "', :agency)")
                .setParameter("agency", agencyId)
                .getSingleResult();
    }
}
