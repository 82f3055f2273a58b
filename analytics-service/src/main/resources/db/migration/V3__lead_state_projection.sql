-- Latest known state of every lead (from the `lead` snapshot each lead event carries). A snapshot is applied only if
-- its version is newer than the stored one, so duplicates and out-of-order deliveries cannot skew the counters, which
-- are adjusted by the difference between the old and the new state in the same transaction.
create table lead_state (
    lead_id               uuid        primary key,
    agency_id             varchar(64) not null,
    campaign_id           uuid,
    status                varchar(20) not null,
    qualification_status  varchar(20) not null,
    contacted             boolean     not null,
    responded             boolean     not null,
    deleted               boolean     not null,
    version               bigint      not null,
    changed_at            timestamptz
);
create index lead_state_agency_idx on lead_state (agency_id);

alter table lead_state enable row level security;
alter table lead_state force row level security;
create policy lead_state_agency_isolation on lead_state
    using (agency_id = current_setting('leadforge.agency_id', true))
    with check (agency_id = current_setting('leadforge.agency_id', true));

alter table agency_overview
    add column leads_qualified bigint not null default 0,
    add column leads_contacted bigint not null default 0,
    add column leads_responded bigint not null default 0,
    add column leads_converted bigint not null default 0;
