package com.leadforge.lead.activity;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.annotations.TenantId;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One mutation of a lead: action, old and new values per field, and who did it from where. Append-only. */
@Entity
@Table(name = "lead_activity")
public class LeadActivity extends PanacheEntityBase {

    @Id
    public UUID id;

    @TenantId
    @Column(name = "agency_id", nullable = false, updatable = false)
    public String agencyId;

    @Column(name = "lead_id", nullable = false)
    public UUID leadId;

    @Column(nullable = false)
    public String action;

    /** {@code {"field": {"old": ..., "new": ...}}} plus action details (e.g. {@code {"channel": ...}}). */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, columnDefinition = "jsonb")
    public Map<String, Object> changes = Map.of();

    @Column(nullable = false)
    public String actor;

    public String ip;

    @Column(name = "user_agent")
    public String userAgent;

    @Column(name = "request_id")
    public String requestId;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
