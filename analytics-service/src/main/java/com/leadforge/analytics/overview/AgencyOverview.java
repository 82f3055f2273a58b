package com.leadforge.analytics.overview;

import java.time.Instant;

import org.hibernate.annotations.TenantId;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One agency's counters; written only by {@link OverviewProjector}, read by the overview endpoint. */
@Entity
@Table(name = "agency_overview")
public class AgencyOverview extends PanacheEntityBase {

    @Id
    @TenantId
    @Column(name = "agency_id")
    public String agencyId;

    @Column(name = "leads_total")
    public long leadsTotal;

    @Column(name = "leads_qualified")
    public long leadsQualified;

    @Column(name = "leads_contacted")
    public long leadsContacted;

    @Column(name = "leads_responded")
    public long leadsResponded;

    @Column(name = "leads_converted")
    public long leadsConverted;

    @Column(name = "campaigns_total")
    public long campaignsTotal;

    @Column(name = "campaigns_active")
    public long campaignsActive;

    @Column(name = "data_sources_total")
    public long dataSourcesTotal;

    @Column(name = "data_sources_active")
    public long dataSourcesActive;

    @Column(name = "jobs_total")
    public long jobsTotal;

    @Column(name = "jobs_successful")
    public long jobsSuccessful;

    @Column(name = "jobs_running")
    public long jobsRunning;

    @Column(name = "jobs_pending")
    public long jobsPending;

    @Column(name = "records_scraped")
    public long recordsScraped;

    @Column(name = "updated_at")
    public Instant updatedAt;
}
