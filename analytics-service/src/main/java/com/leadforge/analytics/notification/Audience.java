package com.leadforge.analytics.notification;

import java.util.ArrayList;
import java.util.List;

import com.leadforge.shared.tenancy.Roles;

import io.quarkus.security.identity.SecurityIdentity;

/**
 * Whom a caller is, as an addressee: its token {@code sub} (notifications to it) and the roles whose audience it belongs
 * to in its agency (notifications to every agency admin). A super_admin acting on an agency is one of its admins.
 */
public record Audience(String userId, List<String> roles) {

    public static Audience of(SecurityIdentity identity, String userId) {
        List<String> roles = new ArrayList<>();
        if (identity.hasRole(Roles.AGENCY_ADMIN) || identity.hasRole(Roles.SUPER_ADMIN)) {
            roles.add(Roles.AGENCY_ADMIN);
        }
        if (identity.hasRole(Roles.RESEARCHER)) {
            roles.add(Roles.RESEARCHER);
        }
        if (identity.hasRole(Roles.CLIENT)) {
            roles.add(Roles.CLIENT);
        }
        if (roles.isEmpty()) {
            // "in ()" is not SQL; no role is named this.
            roles.add("-");
        }
        return new Audience(userId, List.copyOf(roles));
    }

    public boolean addressedBy(String user, String role) {
        return user != null ? user.equals(userId) : role != null && roles.contains(role);
    }
}
