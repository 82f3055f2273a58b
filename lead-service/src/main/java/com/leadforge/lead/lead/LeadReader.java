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

    public LeadReader(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public record CursorMeta(@com.fasterxml.jackson.annotation.JsonProperty("pageSize") int pageSize,
            @com.fasterxml.jackson.annotation.JsonProperty("hasMore") boolean hasMore, String nextCursor) {
    }

    /** {@code {data, meta:{pageSize, hasMore, next_cursor}}}: keyset pages carry no total (it would cost a count). */
    public record CursorPage(List<LeadResponse> data, CursorMeta meta) {
    }

    public Page<LeadResponse> page(LeadQuery query, PageRequest page) {
        List<LeadResponse> data = list(query.page(page.pageSize(), page.offset()));
        long total = count(query.count());
        return Page.of(data, total, page);
    }

    public CursorPage keyset(LeadQuery query, LeadSort sort, int pageSize) {
        LeadQuery.Cursor after = sort.cursor == null ? null
                : LeadQuery.decode(sort.cursor, sort.sortBy, sort.sortOrder);
        List<LeadResponse> rows = list(query.keyset(after, pageSize + 1));
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

    List<LeadResponse> list(LeadQuery.Sql sql) {
        List<LeadResponse> rows = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = prepare(connection, sql);
                ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                rows.add(map(rs));
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("Lead list query failed", e);
        }
    }

    long count(LeadQuery.Sql sql) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = prepare(connection, sql);
                ResultSet rs = statement.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("Lead count query failed", e);
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
