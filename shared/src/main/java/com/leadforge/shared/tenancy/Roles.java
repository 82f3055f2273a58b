package com.leadforge.shared.tenancy;

/** Keycloak realm roles, carried in {@code realm_access.roles}. */
public final class Roles {

    public static final String SUPER_ADMIN = "super_admin";
    public static final String AGENCY_ADMIN = "agency_admin";
    public static final String RESEARCHER = "researcher";
    /** Read-only access to what the agency shares with the client. */
    public static final String CLIENT = "client";

    /** Claim holding the caller's agency; mapped from the user attribute of the same name. */
    public static final String AGENCY_CLAIM = "agency_id";
    /** The only way to choose an agency, and only for super_admin tokens. */
    public static final String ACTING_AGENCY_HEADER = "X-Agency-Id";

    private Roles() {
    }
}
