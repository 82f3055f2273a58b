package com.leadforge.analytics.overview;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import com.leadforge.shared.events.LeadSnapshot;

/**
 * What one lead contributes to the time-bucketed read models, as a pure function of its state: the projection moves
 * the buckets by {@code contribution(after) - contribution(before)}, so any order of the same snapshots gives the same
 * buckets. The state folds snapshots commutatively: the newest version decides the current fields, the times are
 * minima over every snapshot seen (created, first qualified, first contacted, first responded).
 */
public final class LeadActivity {

    /** The campaign key of leads that belong to no campaign. */
    public static final UUID NO_CAMPAIGN = new UUID(0, 0);
    /** The source key of a lead whose {@code lead.created} has not been seen. */
    public static final String UNKNOWN_SOURCE = "";
    public static final long SLOT_SECONDS = 15 * 60;

    /** Bucket columns, in the order of {@link #COLUMNS}. */
    public static final List<String> STATUSES = List.of("new", "contacted", "responded", "qualified", "nurturing",
            "converted", "disqualified");
    public static final List<String> QUALIFICATIONS = List.of("pending", "qualified", "disqualified");
    public static final List<String> COLUMNS;
    public static final int CREATED = 0;
    public static final int QUALIFIED = 1;
    public static final int CONTACTED = 2;
    public static final int RESPONDED = 3;
    public static final int CREATED_CONTACTED = 4;
    public static final int CREATED_RESPONDED = 5;
    public static final int FIRST_STATUS = 6;
    public static final int FIRST_QUALIFICATION = FIRST_STATUS + 7;
    public static final int WIDTH = FIRST_QUALIFICATION + 3;

    static {
        java.util.ArrayList<String> columns = new java.util.ArrayList<>(List.of("created", "qualified", "contacted",
                "responded", "created_contacted", "created_responded"));
        STATUSES.forEach(s -> columns.add("status_" + s));
        QUALIFICATIONS.forEach(q -> columns.add("qualification_" + q));
        COLUMNS = List.copyOf(columns);
    }

    /** A bucket row's key. */
    public record Bucket(UUID campaignId, String source, Instant slot) implements Comparable<Bucket> {
        @Override
        public int compareTo(Bucket other) {
            int byCampaign = campaignId.compareTo(other.campaignId);
            if (byCampaign != 0) {
                return byCampaign;
            }
            int bySource = source.compareTo(other.source);
            return bySource != 0 ? bySource : slot.compareTo(other.slot);
        }
    }

    /** A lead's state as {@code lead_state} keeps it. */
    public record State(UUID campaignId, String status, String qualification, boolean contacted, boolean responded,
            boolean deleted, long version, Instant changedAt, Instant createdAt, String source,
            Instant firstQualifiedAt, Instant firstContactedAt, Instant firstRespondedAt) {

        /**
         * This state with one more snapshot folded in. {@code createdAt} and {@code source} come from a
         * {@code lead.created} event only (null otherwise).
         */
        public static State fold(State state, LeadSnapshot lead, Instant createdAt, String source) {
            Instant at = lead.changedAt();
            Instant created = min(createdAt != null ? createdAt : at, state == null ? null : state.createdAt);
            Instant qualifiedAt = min("qualified".equals(lead.qualificationStatus()) ? at : null,
                    state == null ? null : state.firstQualifiedAt);
            Instant contactedAt = min(lead.contacted() ? at : null, state == null ? null : state.firstContactedAt);
            Instant respondedAt = min(lead.responded() ? at : null, state == null ? null : state.firstRespondedAt);
            String knownSource = source != null ? source : state == null ? null : state.source;
            if (state == null || lead.version() > state.version) {
                return new State(lead.campaignId(), lead.status(), lead.qualificationStatus(), lead.contacted(),
                        lead.responded(), lead.deleted(), lead.version(), lead.changedAt(), created, knownSource,
                        qualifiedAt, contactedAt, respondedAt);
            }
            return new State(state.campaignId, state.status, state.qualification, state.contacted, state.responded,
                    state.deleted, state.version, state.changedAt, created, knownSource, qualifiedAt, contactedAt,
                    respondedAt);
        }

        /** Adds (sign 1) or removes (sign -1) this lead's contribution to the buckets. */
        void addTo(Map<Bucket, long[]> buckets, int sign) {
            if (deleted) {
                return;
            }
            UUID campaign = campaignId == null ? NO_CAMPAIGN : campaignId;
            String from = source == null ? UNKNOWN_SOURCE : source;
            if (createdAt != null) {
                long[] row = row(buckets, new Bucket(campaign, from, slotOf(createdAt)));
                row[CREATED] += sign;
                row[CREATED_CONTACTED] += firstContactedAt != null ? sign : 0;
                row[CREATED_RESPONDED] += firstRespondedAt != null ? sign : 0;
                int status = STATUSES.indexOf(this.status);
                if (status >= 0) {
                    row[FIRST_STATUS + status] += sign;
                }
                int qualification = QUALIFICATIONS.indexOf(this.qualification);
                if (qualification >= 0) {
                    row[FIRST_QUALIFICATION + qualification] += sign;
                }
            }
            if (firstQualifiedAt != null && "qualified".equals(qualification)) {
                row(buckets, new Bucket(campaign, from, slotOf(firstQualifiedAt)))[QUALIFIED] += sign;
            }
            if (firstContactedAt != null) {
                row(buckets, new Bucket(campaign, from, slotOf(firstContactedAt)))[CONTACTED] += sign;
            }
            if (firstRespondedAt != null) {
                row(buckets, new Bucket(campaign, from, slotOf(firstRespondedAt)))[RESPONDED] += sign;
            }
        }

        /** Adds (sign 1) or removes (sign -1) this lead from its campaign's current counts. */
        void addToCampaign(Map<UUID, long[]> campaigns, int sign) {
            if (deleted || campaignId == null) {
                return;
            }
            long[] row = campaigns.computeIfAbsent(campaignId, id -> new long[5]);
            row[0] += sign;
            row[1] += "qualified".equals(qualification) ? sign : 0;
            row[2] += contacted ? sign : 0;
            row[3] += responded ? sign : 0;
            row[4] += "converted".equals(status) ? sign : 0;
        }
    }

    private LeadActivity() {
    }

    public static Instant slotOf(Instant at) {
        long seconds = at.getEpochSecond();
        return Instant.ofEpochSecond(seconds - Math.floorMod(seconds, SLOT_SECONDS));
    }

    static Map<Bucket, long[]> newBucketMap() {
        return new TreeMap<>();
    }

    private static long[] row(Map<Bucket, long[]> buckets, Bucket bucket) {
        return buckets.computeIfAbsent(bucket, b -> new long[WIDTH]);
    }

    private static Instant min(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isBefore(b) ? a : b;
    }
}
