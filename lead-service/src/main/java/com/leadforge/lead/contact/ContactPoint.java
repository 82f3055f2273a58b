package com.leadforge.lead.contact;

import java.time.Instant;
import java.util.UUID;

import org.hibernate.annotations.TenantId;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One way to reach a lead (phone, email, address, social profile). Values are normalised like the lead's own. */
@Entity
@Table(name = "contact_point")
public class ContactPoint extends PanacheEntityBase {

    @Id
    public UUID id;

    @TenantId
    @Column(name = "agency_id", nullable = false, updatable = false)
    public String agencyId;

    @Column(name = "lead_id", nullable = false)
    public UUID leadId;

    @Column(nullable = false)
    public String type;

    @Column(nullable = false)
    public String value;

    @Column(name = "is_primary", nullable = false)
    public boolean primary;

    @Column(name = "is_verified", nullable = false)
    public boolean verified;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public static long verifiedCount(UUID leadId) {
        return count("leadId = ?1 and verified = true", leadId);
    }
}
