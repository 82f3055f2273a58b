-- lead-service's own copy of each campaign's status, built from campaign events (no call to campaign-service), so a
-- lead can only join a draft or active campaign of its own agency.
create table campaign_replica (
    id          uuid        primary key,
    agency_id   varchar(64) not null,
    status      varchar(20) not null,
    deleted     boolean     not null default false,
    changed_at  timestamptz not null
);

alter table campaign_replica enable row level security;
alter table campaign_replica force row level security;
create policy campaign_replica_agency_isolation on campaign_replica
    using (agency_id = current_setting('leadforge.agency_id', true))
    with check (agency_id = current_setting('leadforge.agency_id', true));
