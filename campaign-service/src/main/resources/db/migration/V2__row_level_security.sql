-- Second line of tenant isolation: rows are visible only to the agency named by the per-connection setting
-- leadforge.agency_id (set by RowLevelSecurityConnections). FORCE makes the policy bind the table owner too, which
-- is the role the service connects as (never a superuser: superusers bypass row-level security).

alter table campaign enable row level security;
alter table campaign force row level security;
create policy campaign_agency_isolation on campaign
    using (agency_id = current_setting('leadforge.agency_id', true))
    with check (agency_id = current_setting('leadforge.agency_id', true));
