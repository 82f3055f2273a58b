package com.leadforge.shared.tenancy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

import org.jboss.logging.Logger;

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

    private static final Logger LOG = Logger.getLogger(RowLevelSecurityConnections.class);
    public static final String SETTING = "leadforge.agency_id";
    private static final String SET = "select set_config('" + SETTING + "', ?, false)";

    @Override
    public void onConnectionAcquire(Connection connection) {
        if (!apply(connection, currentAgency())) {
            // Never throw from here: the pool would keep the broken connection checked out forever. A connection whose
            // setting failed is either dead (the pool's exception sorter discards it when it is returned) or keeps the
            // empty agency it was returned with, which row-level security matches with no row. Closing it makes sure
            // it is one or the other: the caller's first statement fails and the pool replaces it.
            abort(connection);
        }
    }

    @Override
    public void onConnectionReturn(Connection connection) {
        // A connection back in the pool belongs to no agency; one that cannot be reset must not be reused at all.
        if (!apply(connection, "")) {
            abort(connection);
        }
    }

    private static String currentAgency() {
        InjectableContext requestContext = Arc.container().requestContext();
        if (!requestContext.isActive()) {
            return "";
        }
        return Arc.container().instance(TenantContext.class).get().agencyId().orElse("");
    }

    private static boolean apply(Connection connection, String agencyId) {
        try (PreparedStatement statement = connection.prepareStatement(SET)) {
            statement.setString(1, agencyId);
            statement.execute();
            return true;
        } catch (SQLException e) {
            LOG.debugf("Could not set %s on a pooled connection (SQLSTATE %s); discarding it", SETTING, e.getSQLState());
            return false;
        }
    }

    private static void abort(Connection connection) {
        try {
            connection.abort(Runnable::run);
        } catch (SQLException | RuntimeException e) {
            LOG.debugf("Aborting a broken pooled connection failed: %s", e.getMessage());
        }
    }
}
