-- Second line of tenant isolation: rows are visible only to the agency named by the per-connection setting
-- leadforge.agency_id (set by RowLevelSecurityConnections). FORCE makes the policy bind the table owner too, which
-- is the role the service connects as (never a superuser: superusers bypass row-level security).

alter table data_source enable row level security;
alter table data_source force row level security;
create policy data_source_agency_isolation on data_source
    using (agency_id = current_setting('leadforge.agency_id', true))
    with check (agency_id = current_setting('leadforge.agency_id', true));
