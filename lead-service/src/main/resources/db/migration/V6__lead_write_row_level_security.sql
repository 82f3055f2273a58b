-- Row-level security on the lead table for every write. Reads keep a permissive policy (see V3: a read policy would
-- stop the search operators from using their GIN indexes); inserts, updates and deletes are admitted only for the
-- agency named by leadforge.agency_id, so no statement — HQL or native, with or without an agency predicate — can
-- create, change or remove another agency's lead.
alter table lead enable row level security;
alter table lead force row level security;

create policy lead_read on lead for select using (true);
create policy lead_agency_insert on lead for insert
    with check (agency_id = current_setting('leadforge.agency_id', true));
create policy lead_agency_update on lead for update
    using (agency_id = current_setting('leadforge.agency_id', true))
    with check (agency_id = current_setting('leadforge.agency_id', true));
create policy lead_agency_delete on lead for delete
    using (agency_id = current_setting('leadforge.agency_id', true));
