package com.leadforge.lead.lead;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import com.leadforge.lead.normalise.ContactNormaliser;

/**
 * Builds the list/search/export SQL. Native SQL, because full text ({@code @@}), trigram {@code like} and row-value
 * keyset comparisons have no HQL form; therefore the agency is always bound explicitly as the first predicate, and
 * every predicate and order matches an index of V2 (EXPLAIN-tested in LeadQueryPlanTest, measured by bench/).
 */
public final class LeadQuery {

    /** Columns the keyset cursor supports: non-null, so row-value comparison is exact. */
    static final Set<String> KEYSET_COLUMNS = Set.of("created_at", "updated_at", "score");

    public static final String COLUMNS = "l.id, l.agency_id, l.campaign_id, l.first_name, l.last_name, l.email, "
            + "l.phone, l.company, l.title, l.linkedin_url, l.source, l.status, l.qualification_status, "
            + "l.qualification_reason, l.priority, l.score, l.metadata, l.created_by, l.assigned_to, "
            + "l.last_contacted_at, l.last_responded_at, l.qualified_at, l.consent_given, l.consent_at, "
            + "l.do_not_contact, l.erased_at, l.created_at, l.updated_at";

    private final String agencyId;
    private final StringBuilder where = new StringBuilder();
    private final List<Object> params = new ArrayList<>();
    /** The search term's predicate and parameters, kept apart so that {@link #windowed} can apply it last. */
    private String searchPredicate;
    private final List<Object> searchParams = new ArrayList<>();
    /** Restricted to a client's granted campaigns (never windowed: its reads are planned around the grants). */
    private boolean granted;
    private final String sortColumn;
    private final boolean descending;
    /** Plan the matching rows on their own, behind an {@code offset 0} fence (see {@link #from}). */
    private boolean fenced;

    public record Sql(String sql, List<Object> params) {
    }

    /** A decoded keyset position: the last row's sort value and id. */
    public record Cursor(String sortBy, String order, String value, UUID id) {
    }

    public LeadQuery(String agencyId, LeadFilter filter, String sortBy, String sortOrder) {
        this.agencyId = agencyId;
        this.sortColumn = sortBy;
        this.descending = !"asc".equals(sortOrder);
        where.append("l.agency_id = ? and l.deleted_at is null");
        params.add(agencyId);
        if (filter.campaignId != null) {
            and("l.campaign_id = ?", filter.campaignId);
        }
        if (filter.status != null) {
            and("l.status = ?", filter.status);
        }
        if (filter.qualificationStatus != null) {
            and("l.qualification_status = ?", filter.qualificationStatus);
        }
        if (filter.priority != null) {
            and("l.priority = ?", filter.priority);
        }
        if (filter.assignedTo != null) {
            and("l.assigned_to = ?", filter.assignedTo);
        }
        if (filter.source != null) {
            and("l.source = ?", filter.source);
        }
        if (filter.createdFrom != null) {
            and("l.created_at >= ?", instant(filter.createdFrom, "created_from"));
        }
        if (filter.createdTo != null) {
            and("l.created_at < ?", instant(filter.createdTo, "created_to"));
        }
        String search = ContactNormaliser.trimmed(filter.search);
        if (search != null) {
            fenced = true;
            search(search);
        }
    }

    /**
     * Only leads of the campaigns granted to the client user {@code subject} (a lead without a campaign never
     * qualifies). The grants are read through the grant table's key and the leads of each granted campaign through
     * the agency/campaign index; behind the fence, so that a page's LIMIT never tempts the planner into walking the
     * whole agency's newest-first index filtering for a client's few leads (or, for a client without grants, for
     * none). A client's read costs what its own leads cost.
     */
    public LeadQuery onlyGrantedTo(String subject) {
        where.append(" and l.campaign_id in (select g.campaign_id from client_campaign_grant g"
                + " where g.agency_id = ? and g.user_id = ? and g.granted)");
        params.add(agencyId);
        params.add(subject);
        fenced = true;
        granted = true;
        return this;
    }

    private void and(String predicate, Object value) {
        where.append(" and ").append(predicate);
        params.add(value);
    }

    /**
     * Whole words and word prefixes through the tsvector GIN index, OR any substring through the trigram GIN index
     * (PostgreSQL combines both with a BitmapOr).
     */
    private void search(String search) {
        String lower = search.toLowerCase(java.util.Locale.ROOT);
        List<String> words = List.of(lower.split("[^\\p{L}\\p{N}]+")).stream().filter(w -> !w.isEmpty()).toList();
        String like = "%" + lower.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        if (words.isEmpty()) {
            searchPredicate = "l.search_text like ?";
            searchParams.add(like);
            return;
        }
        String tsquery = words.stream().map(w -> w + ":*").collect(Collectors.joining(" & "));
        if (lower.length() < 3) {
            // Trigrams need three characters; a shorter "like" could only be answered by reading every row.
            searchPredicate = "l.search_vector @@ to_tsquery('simple', ?)";
            searchParams.add(tsquery);
            return;
        }
        searchPredicate = "(l.search_vector @@ to_tsquery('simple', ?) or l.search_text like ?)";
        searchParams.add(tsquery);
        searchParams.add(like);
    }

    /** Every predicate, the search term's included, and its parameters. */
    private String allWhere() {
        return searchPredicate == null ? where.toString() : where + " and " + searchPredicate;
    }

    private List<Object> allParams() {
        List<Object> all = new ArrayList<>(params);
        all.addAll(searchParams);
        return all;
    }

    /** Whether {@link #windowed} applies: a search term, outside a client's grant restriction. */
    public boolean windowable() {
        return searchPredicate != null && !granted;
    }

    private static OffsetDateTime instant(String value, String field) {
        try {
            return OffsetDateTime.parse(value).withOffsetSameInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw ContactNormaliser.invalid(field, "must be an ISO-8601 instant");
        }
    }

    private String order() {
        String direction = descending ? " desc" : " asc";
        return " order by l." + sortColumn + direction + ", l.id" + direction;
    }

    /**
     * The matching rows, unordered. With a search term (or a client's grant restriction) they sit behind an
     * {@code offset 0} fence: otherwise, with a LIMIT, the planner may walk the newest-first index and filter every row,
     * betting on a match estimate it cannot know for an arbitrary term (seen at 1M rows: 570 ms for a term matching one
     * row instead of 15 ms). Behind the fence the search is planned on its own, from the GIN indexes, and costs what
     * its matches cost.
     */
    private String from(String extraWhere) {
        String rows = "select " + COLUMNS + " from lead l where " + allWhere() + extraWhere;
        return fenced ? "select * from (" + rows + " offset 0) l" : rows;
    }

    /** Offset paging. */
    public Sql page(int limit, int offset) {
        List<Object> all = allParams();
        all.add(limit);
        all.add(offset);
        return new Sql(from("") + order() + " limit ? offset ?", all);
    }

    /** The exact number of matches. */
    public Sql count() {
        return new Sql("select count(*) from lead l where " + allWhere(), allParams());
    }

    /**
     * The number of matches, counting no further than {@code cap}: the cost stays bounded however many leads the
     * agency has. A result equal to {@code cap} means "at least that many".
     */
    public Sql boundedCount(int cap) {
        List<Object> all = allParams();
        all.add(cap);
        return new Sql("select count(*) from (select 1 from lead l where " + allWhere() + " limit ?) matches", all);
    }

    /** The planner's estimate of the number of matches (read from EXPLAIN), for totals too large to count. */
    public Sql estimate() {
        return new Sql("explain (format json) select 1 from lead l where " + allWhere(), allParams());
    }

    /** Keyset paging: rows strictly after {@code after} in the sort order (one extra row tells whether more exist). */
    public Sql keyset(Cursor after, int limit) {
        List<Object> all = allParams();
        String keyset = keysetPredicate(after, all);
        all.add(limit);
        return new Sql(from(keyset) + order() + " limit ?", all);
    }

    private String keysetPredicate(Cursor after, List<Object> into) {
        if (after == null) {
            return "";
        }
        into.add(sortValue(after.value()));
        into.add(after.id());
        return " and (l." + sortColumn + ", l.id) " + (descending ? "<" : ">") + " (?, ?)";
    }

    /**
     * A search answered from a window: the first {@code window} leads in the sort order (walked on the sort's index,
     * the other filters applied), and among them the ones matching the term, skipping {@code offset} and returning at
     * most {@code limit}. The matches inside a prefix of the order are a prefix of all matches, so whenever the window
     * holds {@code offset + limit} matches the answer is exactly the full search's — found in a few milliseconds for
     * a common term, where sorting every match of the GIN indexes takes seconds. Fewer: the caller runs the full
     * search. {@code after} continues a keyset listing (offset 0 then).
     */
    public Sql windowed(int window, Cursor after, int limit, int offset) {
        List<Object> all = new ArrayList<>(params);
        String keyset = keysetPredicate(after, all);
        all.add(window);
        all.addAll(searchParams);
        all.add(limit);
        all.add(offset);
        String prefix = "select l.* from lead l where " + where + keyset + order() + " limit ?";
        return new Sql("select " + COLUMNS + " from (" + prefix + ") l where " + searchPredicate + order()
                + " limit ? offset ?", all);
    }

    /** Everything that matches, in the sort order: the export streams this with a bounded fetch size. */
    public Sql all() {
        return new Sql(from("") + order(), allParams());
    }

    private Object sortValue(String value) {
        try {
            return "score".equals(sortColumn) ? (Object) Short.valueOf(value)
                    : OffsetDateTime.parse(value).withOffsetSameInstant(ZoneOffset.UTC);
        } catch (RuntimeException e) {
            throw ContactNormaliser.invalid("cursor", "is not a cursor of this listing");
        }
    }

    public static String sortValueOf(LeadResponse lead, String sortBy) {
        return switch (sortBy) {
            case "score" -> Integer.toString(lead.score());
            case "updated_at" -> lead.updatedAt().toString();
            default -> lead.createdAt().toString();
        };
    }

    public static String encode(Cursor cursor) {
        String raw = String.join("|", cursor.sortBy(), cursor.order(), cursor.value(), cursor.id().toString());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** Decodes and checks that the cursor belongs to the requested order (a cursor is only valid for its listing). */
    public static Cursor decode(String token, String sortBy, String order) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split("\\|");
            if (parts.length != 4 || !parts[0].equals(sortBy) || !parts[1].equals(order)) {
                throw new IllegalArgumentException();
            }
            return new Cursor(parts[0], parts[1], parts[2], UUID.fromString(parts[3]));
        } catch (IllegalArgumentException e) {
            throw ContactNormaliser.invalid("cursor", "is not a cursor of this listing");
        }
    }

}
