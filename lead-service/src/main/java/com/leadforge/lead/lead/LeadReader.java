package com.leadforge.lead.lead;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadforge.shared.api.Page;
import com.leadforge.shared.api.PageRequest;
import com.leadforge.shared.tenancy.RowLevelSecurityConnections;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Runs {@link LeadQuery} SQL over plain JDBC: reads only, no entities to manage, and the export can stream a cursor
 * with a bounded fetch size (pgjdbc streams only with auto-commit off and a fetch size set).
 */
@ApplicationScoped
public class LeadReader {

    /** Rows per round trip when streaming; bounds the memory an export holds at any time. */
    public static final int EXPORT_FETCH_SIZE = 500;

    private final DataSource dataSource;
    private final ObjectMapper json = new ObjectMapper();
    private final QueryLimits limits;

    public LeadReader(AgroalDataSource dataSource, QueryLimits limits) {
        this.dataSource = dataSource;
        this.limits = limits;
    }

    public record CursorMeta(@com.fasterxml.jackson.annotation.JsonProperty("page_size") int pageSize,
            @com.fasterxml.jackson.annotation.JsonProperty("has_more") boolean hasMore, String nextCursor) {
    }

    /** {@code {data, meta:{page_size, has_more, next_cursor}}}: keyset pages carry no total (it would cost a count). */
    public record CursorPage(List<LeadResponse> data, CursorMeta meta) {
    }

    /**
     * An offset page. One row more than the page tells whether more exist; the total is exact when the page is the
     * last one or when the matches are at most {@code leadforge.leads.total.exact-up-to}, and otherwise the planner's
     * estimate (never below that cap), flagged {@code total_is_exact: false}: an exact count of a million leads costs
     * more than the page itself.
     */
    public Page<LeadResponse> page(LeadQuery query, PageRequest page) {
        int wanted = page.pageSize() + 1;
        List<LeadResponse> rows = null;
        if (query.windowable()) {
            rows = list(query.windowed(limits.searchWindow(), null, wanted, page.offset()), limits.listTimeout());
            if (rows.size() < wanted) {
                rows = null; // the window held too few matches: the full search decides
            }
            limits.windowed(rows != null);
        }
        if (rows == null) {
            LeadQuery.Sql sql = query.page(wanted, page.offset());
            rows = query.windowable() ? limits.search(() -> list(sql, limits.searchTimeout()))
                    : list(sql, limits.listTimeout());
        }
        boolean more = rows.size() > page.pageSize();
        List<LeadResponse> data = List.copyOf(more ? rows.subList(0, page.pageSize()) : rows);
        if (!more && (!data.isEmpty() || page.offset() == 0)) {
            return Page.of(data, page.offset() + data.size(), true, false, page);
        }
        long counted = count(query.boundedCount(limits.exactTotalUpTo() + 1), limits.countTimeout(), -1);
        if (counted >= 0 && counted <= limits.exactTotalUpTo()) {
            return Page.of(data, counted, true, more, page);
        }
        long estimated = Math.max(estimate(query.estimate()), limits.exactTotalUpTo() + 1L);
        return Page.of(data, Math.max(estimated, page.offset() + data.size() + (more ? 1 : 0)), false, more, page);
    }

    public CursorPage keyset(LeadQuery query, LeadSort sort, int pageSize) {
        LeadQuery.Cursor after = sort.cursor == null ? null
                : LeadQuery.decode(sort.cursor, sort.sortBy, sort.sortOrder);
        List<LeadResponse> rows = null;
        if (query.windowable()) {
            rows = list(query.windowed(limits.searchWindow(), after, pageSize + 1, 0), limits.listTimeout());
            if (rows.size() <= pageSize) {
                rows = null;
            }
            limits.windowed(rows != null);
        }
        if (rows == null) {
            LeadQuery.Sql sql = query.keyset(after, pageSize + 1);
            rows = query.windowable() ? limits.search(() -> list(sql, limits.searchTimeout()))
                    : list(sql, limits.listTimeout());
        }
        boolean more = rows.size() > pageSize;
        List<LeadResponse> data = more ? rows.subList(0, pageSize) : rows;
        String next = null;
        if (more) {
            LeadResponse last = data.get(data.size() - 1);
            next = LeadQuery.encode(new LeadQuery.Cursor(sort.sortBy, sort.sortOrder,
                    LeadQuery.sortValueOf(last, sort.sortBy), last.id()));
        }
        return new CursorPage(List.copyOf(data), new CursorMeta(pageSize, more, next));
    }

    /**
     * Runs a list query, cancelled by the server after {@code timeoutSeconds} (its class's budget): a query that
     * runs away answers 503 with Retry-After (SQLSTATE 57014, see DatabaseUnavailable) instead of holding a
     * connection every other request needs.
     */
    List<LeadResponse> list(LeadQuery.Sql sql, int timeoutSeconds) {
        List<LeadResponse> rows = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = prepare(connection, sql)) {
            statement.setQueryTimeout(timeoutSeconds);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    rows.add(map(rs));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("Lead list query failed", e);
        }
    }

    /** A count within its budget, or {@code whenTooSlow} if the server cancelled it (the caller then estimates). */
    long count(LeadQuery.Sql sql, int timeoutSeconds, long whenTooSlow) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = prepare(connection, sql)) {
            statement.setQueryTimeout(timeoutSeconds);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            if ("57014".equals(e.getSQLState())) {
                return whenTooSlow;
            }
            throw new IllegalStateException("Lead count query failed", e);
        }
    }

    /** The planner's row estimate for the query ({@code Plan Rows} of its top node). */
    long estimate(LeadQuery.Sql sql) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = prepare(connection, sql);
                ResultSet rs = statement.executeQuery()) {
            rs.next();
            return json.readTree(rs.getString(1)).path(0).path("Plan").path("Plan Rows").asLong(0);
        } catch (SQLException | java.io.IOException e) {
            throw new IllegalStateException("Lead count estimate failed", e);
        }
    }

    /**
     * Streams every row to {@code sink} inside one read-only transaction with a server-side cursor. Runs outside the
     * request's CDI context (the response is written later), so it scopes the connection to the agency itself.
     */
    public void stream(LeadQuery.Sql sql, String agencyId, Consumer<LeadResponse> sink) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
            try (PreparedStatement scope = connection.prepareStatement("select set_config(?, ?, true)")) {
                scope.setString(1, RowLevelSecurityConnections.SETTING);
                scope.setString(2, agencyId);
                scope.execute();
            }
            try (PreparedStatement statement = prepare(connection, sql)) {
                statement.setFetchSize(EXPORT_FETCH_SIZE);
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        sink.accept(map(rs));
                    }
                }
            } finally {
                connection.rollback();
                connection.setReadOnly(false);
                connection.setAutoCommit(true);
            }
        }
    }

    private static PreparedStatement prepare(Connection connection, LeadQuery.Sql sql) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql.sql());
        int i = 1;
        for (Object param : sql.params()) {
            statement.setObject(i++, param);
        }
        return statement;
    }

    private LeadResponse map(ResultSet rs) throws SQLException {
        return new LeadResponse(rs.getObject("id", UUID.class), rs.getString("agency_id"),
                rs.getObject("campaign_id", UUID.class), rs.getString("first_name"), rs.getString("last_name"),
                rs.getString("email"), rs.getString("phone"), rs.getString("company"), rs.getString("title"),
                rs.getString("linkedin_url"), rs.getString("source"),
                new LeadStatus.Converter().convertToEntityAttribute(rs.getString("status")),
                new QualificationStatus.Converter().convertToEntityAttribute(rs.getString("qualification_status")),
                rs.getString("qualification_reason"),
                new LeadPriority.Converter().convertToEntityAttribute(rs.getString("priority")), rs.getInt("score"),
                metadata(rs.getString("metadata")), rs.getString("created_by"), rs.getString("assigned_to"),
                instant(rs, "last_contacted_at"), instant(rs, "last_responded_at"), instant(rs, "qualified_at"),
                rs.getBoolean("consent_given"), instant(rs, "consent_at"), rs.getBoolean("do_not_contact"),
                instant(rs, "erased_at"), instant(rs, "created_at"), instant(rs, "updated_at"));
    }

    private Map<String, Object> metadata(String value) {
        if (value == null) {
            return Map.of();
        }
        try {
            return json.readValue(value, new TypeReference<Map<String, Object>>() {
            });
        } catch (java.io.IOException e) {
            return Map.of();
        }
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
