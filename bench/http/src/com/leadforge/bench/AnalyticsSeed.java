package com.leadforge.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * Seeds analytics-service's read models for an agency as if it had consumed the events of {@code leads} leads: the
 * seeded leads of lead-service were never events, so without this the dashboard would be measured on an empty agency.
 * {@code lead_state} gets one row per lead (50 campaigns, eight sources, statuses, qualified/contacted/responded times,
 * created_at spread over the last year, as LeadSeed spreads them), and every table derived from it is computed from
 * it by the same rules the projector applies (quarter-hour buckets per campaign and source and per agency, campaign
 * counts, the agency's counters); campaigns and 200 jobs get their state rows. Runs as the superuser (no row-level
 * security) in the analytics database, before any load.
 */
final class AnalyticsSeed {

    static final int CAMPAIGNS = 50;
    static final int JOBS = 200;

    private AnalyticsSeed() {
    }

    static String seed(Connection c, String agency, int leads) throws SQLException {
        long start = System.nanoTime();
        String a = "'" + agency + "'";
        try (Statement s = c.createStatement()) {
            s.execute("""
                    insert into campaign_state (campaign_id, agency_id, status, deleted, changed_at)
                    select md5(%1$s || 'c' || i)::uuid, %1$s, case when i %% 5 = 0 then 'paused' else 'active' end,
                        false, now() - interval '400 days'
                    from generate_series(1, %2$d) i on conflict do nothing""".formatted(a, CAMPAIGNS));
            s.execute("""
                    insert into campaign_profile (campaign_id, agency_id, name, name_changed_at, created_at)
                    select md5(%1$s || 'c' || i)::uuid, %1$s, 'Bench campaign ' || i, now() - interval '400 days',
                        now() - interval '400 days'
                    from generate_series(1, %2$d) i on conflict do nothing""".formatted(a, CAMPAIGNS));
            // Skewed campaigns (a few hold many leads); created_at spread over the year; a third contacted a day
            // after creation, half of those responded two days after; 12% qualified three days after.
            s.execute("""
                    insert into lead_state (lead_id, agency_id, campaign_id, status, qualification_status, contacted,
                        responded, deleted, version, changed_at, created_at, source, first_qualified_at,
                        first_contacted_at, first_responded_at)
                    select md5(%1$s || 'l' || i)::uuid, %1$s,
                        md5(%1$s || 'c' || (1 + (i::bigint * i) %% %3$d))::uuid,
                        (array['new','contacted','responded','qualified','nurturing','converted','disqualified'])
                            [1 + i %% 7],
                        case when i %% 25 < 3 then 'qualified' when i %% 25 = 3 then 'disqualified' else 'pending' end,
                        i %% 3 = 0, i %% 6 = 0, false, 3, t + interval '3 days', t,
                        (array['csv','api','linkedin','apollo','manual','referral','event','zoominfo'])[1 + i %% 8],
                        case when i %% 25 < 3 then t + interval '3 days' end,
                        case when i %% 3 = 0 then t + interval '1 day' end,
                        case when i %% 6 = 0 then t + interval '2 days' end
                    from (select i, now() - (i::double precision / %2$d) * interval '365 days' as t
                          from generate_series(1, %2$d) i) g
                    on conflict do nothing""".formatted(a, leads, CAMPAIGNS));
            String columns = "created, qualified, contacted, responded, created_contacted, created_responded, "
                    + "status_new, status_contacted, status_responded, status_qualified, status_nurturing, "
                    + "status_converted, status_disqualified, qualification_pending, qualification_qualified, "
                    + "qualification_disqualified";
            String contributions = """
                    select campaign_id, source, to_timestamp(floor(extract(epoch from created_at) / 900) * 900) slot,
                        1 created, 0 qualified, 0 contacted, 0 responded,
                        (first_contacted_at is not null)::int created_contacted,
                        (first_responded_at is not null)::int created_responded,
                        (status = 'new')::int s1, (status = 'contacted')::int s2, (status = 'responded')::int s3,
                        (status = 'qualified')::int s4, (status = 'nurturing')::int s5, (status = 'converted')::int s6,
                        (status = 'disqualified')::int s7, (qualification_status = 'pending')::int q1,
                        (qualification_status = 'qualified')::int q2, (qualification_status = 'disqualified')::int q3
                    from lead_state where agency_id = %1$s
                    union all
                    select campaign_id, source, to_timestamp(floor(extract(epoch from first_qualified_at) / 900) * 900),
                        0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
                    from lead_state where agency_id = %1$s and first_qualified_at is not null
                        and qualification_status = 'qualified'
                    union all
                    select campaign_id, source, to_timestamp(floor(extract(epoch from first_contacted_at) / 900) * 900),
                        0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
                    from lead_state where agency_id = %1$s and first_contacted_at is not null
                    union all
                    select campaign_id, source, to_timestamp(floor(extract(epoch from first_responded_at) / 900) * 900),
                        0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
                    from lead_state where agency_id = %1$s and first_responded_at is not null""".formatted(a);
            String sums = "sum(created), sum(qualified), sum(contacted), sum(responded), sum(created_contacted), "
                    + "sum(created_responded), sum(s1), sum(s2), sum(s3), sum(s4), sum(s5), sum(s6), sum(s7), "
                    + "sum(q1), sum(q2), sum(q3)";
            s.execute("insert into lead_activity_bucket (agency_id, campaign_id, source, slot, " + columns + ") "
                    + "select " + a + ", campaign_id, source, slot, " + sums + " from (" + contributions + ") x "
                    + "group by campaign_id, source, slot on conflict do nothing");
            s.execute("insert into agency_activity_bucket (agency_id, slot, " + columns + ") select " + a
                    + ", slot, " + sums + " from (" + contributions + ") x group by slot on conflict do nothing");
            s.execute("""
                    insert into campaign_lead_counts (campaign_id, agency_id, leads, qualified, contacted, responded,
                        converted)
                    select campaign_id, %1$s, count(*), count(*) filter (where qualification_status = 'qualified'),
                        count(*) filter (where contacted), count(*) filter (where responded),
                        count(*) filter (where status = 'converted')
                    from lead_state where agency_id = %1$s group by campaign_id on conflict do nothing""".formatted(a));
            s.execute("""
                    insert into scraping_job_state (job_id, agency_id, status, records_processed, changed_at,
                        data_source_id, source_type, progress, records_imported, created_at)
                    select md5(%1$s || 'j' || i)::uuid, %1$s, case when i %% 10 = 0 then 'running' else 'completed' end,
                        5000, now() - i * interval '1 hour', md5(%1$s || 'd')::uuid, 'csv', 100, 4900,
                        now() - i * interval '1 hour' - interval '10 minutes'
                    from generate_series(1, %2$d) i on conflict do nothing""".formatted(a, JOBS));
            s.execute("""
                    insert into agency_overview (agency_id, leads_total, leads_qualified, leads_contacted,
                        leads_responded, leads_converted, campaigns_total, campaigns_active, jobs_total,
                        jobs_successful, jobs_running, updated_at)
                    select %1$s, count(*), count(*) filter (where qualification_status = 'qualified'),
                        count(*) filter (where contacted), count(*) filter (where responded),
                        count(*) filter (where status = 'converted'), %2$d, %2$d - %2$d / 5, %3$d, %3$d - %3$d / 10,
                        %3$d / 10, now()
                    from lead_state where agency_id = %1$s
                    on conflict (agency_id) do update set leads_total = agency_overview.leads_total
                        + excluded.leads_total, leads_qualified = agency_overview.leads_qualified
                        + excluded.leads_qualified, leads_contacted = agency_overview.leads_contacted
                        + excluded.leads_contacted, leads_responded = agency_overview.leads_responded
                        + excluded.leads_responded, leads_converted = agency_overview.leads_converted
                        + excluded.leads_converted, campaigns_total = agency_overview.campaigns_total
                        + excluded.campaigns_total, campaigns_active = agency_overview.campaigns_active
                        + excluded.campaigns_active, jobs_total = agency_overview.jobs_total + excluded.jobs_total,
                        jobs_successful = agency_overview.jobs_successful + excluded.jobs_successful,
                        jobs_running = agency_overview.jobs_running + excluded.jobs_running""".formatted(a,
                    CAMPAIGNS, JOBS));
            s.execute("vacuum analyze lead_state, lead_activity_bucket, agency_activity_bucket, campaign_lead_counts, "
                    + "scraping_job_state");
            try (ResultSet rs = s.executeQuery("select (select count(*) from lead_state where agency_id = " + a
                    + "), (select count(*) from lead_activity_bucket where agency_id = " + a + "), "
                    + "(select count(*) from agency_activity_bucket where agency_id = " + a + ")")) {
                rs.next();
                return String.format(Locale.ROOT, "analytics read models of agency %s: %,d leads, %,d campaign x "
                        + "source buckets, %,d agency buckets, seeded in %.0f s", agency.substring(0, 8),
                        rs.getLong(1), rs.getLong(2), rs.getLong(3), (System.nanoTime() - start) / 1e9);
            }
        }
    }
}
