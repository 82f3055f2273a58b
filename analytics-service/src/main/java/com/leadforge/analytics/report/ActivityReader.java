package com.leadforge.analytics.report;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import org.hibernate.Session;

import com.leadforge.analytics.overview.LeadActivity;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

/**
 * Sums of the activity buckets ({@code lead_activity_bucket}) for an answer: never a scan of events or of leads, only
 * of the quarter-hour rows inside the asked periods. Every query names the agency and runs under its row-level
 * security too.
 */
@ApplicationScoped
public class ActivityReader {

    /** Which leads of the agency an answer covers: all, one campaign, or (a client) the granted campaigns. */
    public record Scope(UUID campaign, Collection<UUID> campaigns) {

        public static final Scope AGENCY = new Scope(null, null);

        /** The whole agency reads its own per-slot table; any campaign filter needs the per-campaign one. */
        String table() {
            return campaign == null && campaigns == null ? "agency_activity_bucket" : "lead_activity_bucket";
        }

        String predicate() {
            if (campaign != null) {
                return " and campaign_id = cast(? as uuid)";
            }
            return campaigns == null ? "" : " and campaign_id = any(cast(? as uuid[]))";
        }

        int bind(PreparedStatement statement, int index) throws java.sql.SQLException {
            if (campaign != null) {
                statement.setString(index, campaign.toString());
                return index + 1;
            }
            if (campaigns != null) {
                statement.setString(index, campaigns.stream().map(UUID::toString)
                        .collect(Collectors.joining(",", "{", "}")));
                return index + 1;
            }
            return index;
        }
    }

    private static final String SUMS = LeadActivity.COLUMNS.stream().map(c -> "sum(" + c + ")")
            .collect(Collectors.joining(", "));

    private final EntityManager entityManager;

    public ActivityReader(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    /**
     * The column sums of every bucket between consecutive {@code bounds} (index i covers bounds[i] to bounds[i+1]);
     * buckets with no activity are zeros.
     */
    @Transactional(TxType.MANDATORY)
    public long[][] byBucket(String agencyId, Scope scope, List<Instant> bounds) {
        long[][] sums = new long[bounds.size() - 1][LeadActivity.WIDTH];
        String array = bounds.stream().map(Instant::toString).collect(Collectors.joining(",", "{", "}"));
        entityManager.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement statement = connection.prepareStatement("select width_bucket(slot, cast(? as "
                    + "timestamptz[])) as b, " + SUMS + " from " + scope.table() + " where agency_id = ? and slot >= ? "
                    + "and slot < ?" + scope.predicate() + " group by b")) {
                statement.setString(1, array);
                statement.setString(2, agencyId);
                setTime(statement, 3, bounds.get(0));
                setTime(statement, 4, bounds.get(bounds.size() - 1));
                scope.bind(statement, 5);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        int bucket = rows.getInt(1) - 1;
                        if (bucket < 0 || bucket >= sums.length) {
                            continue;
                        }
                        for (int i = 0; i < LeadActivity.WIDTH; i++) {
                            sums[bucket][i] = rows.getLong(2 + i);
                        }
                    }
                }
            }
        });
        return sums;
    }

    /**
     * The column sums per campaign or per source of the leads created between {@code from} and {@code to}, the largest
     * {@code limit} groups by leads created (then by key), so that an answer stays bounded however many sources an
     * agency has.
     */
    @Transactional(TxType.MANDATORY)
    public Map<String, long[]> byGroup(String agencyId, Scope scope, String dimension, Instant from, Instant to,
            int limit) {
        String column = dimension.equals("campaign") ? "campaign_id::text" : "source";
        Map<String, long[]> groups = new LinkedHashMap<>();
        entityManager.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement statement = connection.prepareStatement("select " + column + " as k, " + SUMS
                    + " from lead_activity_bucket where agency_id = ? and slot >= ? and slot < ?" + scope.predicate()
                    + " group by k having sum(created) <> 0 order by sum(created) desc, k limit ?")) {
                statement.setString(1, agencyId);
                setTime(statement, 2, from);
                setTime(statement, 3, to);
                int next = scope.bind(statement, 4);
                statement.setInt(next, limit);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        long[] sums = new long[LeadActivity.WIDTH];
                        for (int i = 0; i < LeadActivity.WIDTH; i++) {
                            sums[i] = rows.getLong(2 + i);
                        }
                        groups.put(rows.getString(1), sums);
                    }
                }
            }
        });
        return groups;
    }

    /** Adds the rows {@code from} (inclusive) to {@code to} (exclusive) of {@code sums}. */
    public static long[] total(long[][] sums, int from, int to) {
        long[] total = new long[LeadActivity.WIDTH];
        for (int b = from; b < to; b++) {
            for (int i = 0; i < LeadActivity.WIDTH; i++) {
                total[i] += sums[b][i];
            }
        }
        return total;
    }

    static void setTime(PreparedStatement statement, int index, Instant at) throws java.sql.SQLException {
        statement.setObject(index, at.atOffset(java.time.ZoneOffset.UTC), java.sql.Types.TIMESTAMP_WITH_TIMEZONE);
    }
}
