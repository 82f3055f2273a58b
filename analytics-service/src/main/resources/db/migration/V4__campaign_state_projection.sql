-- Latest known status of every campaign, so the overview can tell active from inactive campaigns and forget deleted
-- ones. The newest event (by its time) wins; counters move by the difference between old and new state.
create table campaign_state (
    campaign_id  uuid        primary key,
    agency_id    varchar(64) not null,
    status       varchar(20) not null,
    deleted      boolean     not null,
    changed_at   timestamptz not null
);
create index campaign_state_agency_idx on campaign_state (agency_id);

alter table campaign_state enable row level security;
alter table campaign_state force row level security;
create policy campaign_state_agency_isolation on campaign_state
    using (agency_id = current_setting('leadforge.agency_id', true))
    with check (agency_id = current_setting('leadforge.agency_id', true));

alter table agency_overview add column campaigns_active bigint not null default 0;
