package com.leadforge.shared.tenancy;

import java.util.regex.Pattern;

/** Agencies are identified by the UUID held in the Keycloak user attribute {@code agency_id}. */
public final class AgencyId {

    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    public static boolean isValid(String candidate) {
        return candidate != null && UUID_TEXT.matcher(candidate).matches();
    }

    /** Canonical form, so that the same agency never appears under two spellings. */
    public static String normalise(String candidate) {
        return candidate.toLowerCase(java.util.Locale.ROOT);
    }

    private AgencyId() {
    }
}
