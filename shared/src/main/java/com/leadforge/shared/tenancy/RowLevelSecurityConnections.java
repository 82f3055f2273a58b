package com.leadforge.shared.tenancy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

import io.agroal.api.AgroalPoolInterceptor;
import io.quarkus.arc.Arc;
import io.quarkus.arc.InjectableContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Second line of tenant isolation, under Hibernate's {@code @TenantId} filter: every pooled connection carries the
 * current agency in the PostgreSQL setting {@value #SETTING} while it is in use, and row-level security policies on
 * agency-owned tables (Flyway migrations {@code *row_level_security.sql}) admit only that agency's rows. A native
 * query that forgets its agency predicate still sees one agency; with no agency it sees nothing.
 */
@ApplicationScoped
public class RowLevelSecurityConnections implements AgroalPoolInterceptor {

    public static final String SETTING = "leadforge.agency_id";
    private static final String SET = "select set_config('" + SETTING + "', ?, false)";

    @Override
    public void onConnectionAcquire(Connection connection) {
        apply(connection, currentAgency());
    }

    @Override
    public void onConnectionReturn(Connection connection) {
        // A connection back in the pool belongs to no agency.
        apply(connection, "");
    }

    private static String currentAgency() {
        InjectableContext requestContext = Arc.container().requestContext();
        if (!requestContext.isActive()) {
            return "";
        }
        return Arc.container().instance(TenantContext.class).get().agencyId().orElse("");
    }

    private static void apply(Connection connection, String agencyId) {
        try (PreparedStatement statement = connection.prepareStatement(SET)) {
            statement.setString(1, agencyId);
            statement.execute();
        } catch (SQLException e) {
            throw new IllegalStateException("Could not scope the connection to the current agency", e);
        }
    }
}
