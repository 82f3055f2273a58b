-- Second line of tenant isolation: rows are visible only to the agency named by the per-connection setting
-- leadforge.agency_id (set by RowLevelSecurityConnections). FORCE makes the policy bind the table owner too, which
-- is the role the service connects as (never a superuser: superusers bypass row-level security).

alter table agency_overview enable row level security;
alter table agency_overview force row level security;
create policy agency_overview_agency_isolation on agency_overview
    using (agency_id = current_setting('leadforge.agency_id', true))
    with check (agency_id = current_setting('leadforge.agency_id', true));

alter table agency_daily_leads enable row level security;
alter table agency_daily_leads force row level security;
create policy agency_daily_leads_agency_isolation on agency_daily_leads
    using (agency_id = current_setting('leadforge.agency_id', true))
    with check (agency_id = current_setting('leadforge.agency_id', true));
