package com.leadforge.shared.tenancy;

import io.quarkus.hibernate.orm.PersistenceUnitExtension;
import io.quarkus.hibernate.orm.runtime.tenant.TenantResolver;
import jakarta.enterprise.context.RequestScoped;

/**
 * Feeds Hibernate's discriminator multitenancy ({@code @TenantId} columns) from {@link TenantContext}. Without an
 * agency the resolver answers a tenant id that matches no row, so a forgotten {@code enter(...)} shows nothing
 * rather than everything.
 */
@PersistenceUnitExtension
@RequestScoped
public class AgencyTenantResolver implements TenantResolver {

    /** Not a UUID, so no agency can ever own it. */
    public static final String NO_AGENCY = "no-agency";

    private final TenantContext tenantContext;

    public AgencyTenantResolver(TenantContext tenantContext) {
        this.tenantContext = tenantContext;
    }

    @Override
    public String getDefaultTenantId() {
        return NO_AGENCY;
    }

    @Override
    public String resolveTenantId() {
        return tenantContext.agencyId().orElse(NO_AGENCY);
    }
}
