package com.leadforge.lead.lead;

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
import jakarta.persistence.Version;

/** A prospective customer contact owned by one agency. Deletion is soft ({@code deletedAt}). */
@Entity
@Table(name = "lead")
public class Lead extends PanacheEntityBase {

    @Id
    public UUID id;

    /** Set by Hibernate from the current tenant on insert, and added to every query's predicate. */
    @TenantId
    @Column(name = "agency_id", nullable = false, updatable = false)
    public String agencyId;

    @Column(name = "campaign_id")
    public UUID campaignId;

    @Column(name = "first_name")
    public String firstName;

    @Column(name = "last_name")
    public String lastName;

    public String email;
    public String phone;
    public String company;
    public String title;

    @Column(name = "linkedin_url")
    public String linkedinUrl;

    public String source;

    @Column(nullable = false)
    public LeadStatus status = LeadStatus.NEW;

    @Column(name = "qualification_status", nullable = false)
    public QualificationStatus qualificationStatus = QualificationStatus.PENDING;

    @Column(name = "qualification_reason")
    public String qualificationReason;

    @Column(nullable = false)
    public LeadPriority priority = LeadPriority.MEDIUM;

    @Column(nullable = false)
    public short score;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, columnDefinition = "jsonb")
    public Map<String, Object> metadata = Map.of();

    @Column(name = "created_by", nullable = false, updatable = false)
    public String createdBy;

    @Column(name = "assigned_to")
    public String assignedTo;

    @Column(name = "last_contacted_at")
    public Instant lastContactedAt;

    @Column(name = "last_responded_at")
    public Instant lastRespondedAt;

    @Column(name = "qualified_at")
    public Instant qualifiedAt;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Column(name = "deleted_at")
    public Instant deletedAt;

    @Column(name = "consent_given", nullable = false)
    public boolean consentGiven;

    @Column(name = "consent_at")
    public Instant consentAt;

    @Column(name = "do_not_contact", nullable = false)
    public boolean doNotContact;

    /** Set when the lead was merged into another one (and soft-deleted). */
    @Column(name = "merged_into_id")
    public UUID mergedIntoId;

    /** Set when the person's data was anonymised; the row stays for aggregates. */
    @Column(name = "erased_at")
    public Instant erasedAt;

    @Version
    public long version;
}
