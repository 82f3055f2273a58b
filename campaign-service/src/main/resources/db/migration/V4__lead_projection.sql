-- Latest known state of every lead, from the `lead` snapshot (com.leadforge.shared.events.LeadSnapshot) that each
-- lead event carries. A snapshot replaces the stored one only when its version is greater, so duplicate and
-- out-of-order deliveries cannot change the result; the campaign counters are recomputed from this table.
create table lead_projection (
    lead_id               uuid         primary key,
    agency_id             varchar(64)  not null,
    campaign_id           uuid,
    status                varchar(30)  not null,
    qualification_status  varchar(30)  not null,
    contacted             boolean      not null,
    responded             boolean      not null,
    deleted               boolean      not null,
    version               bigint       not null,
    changed_at            timestamptz
);
-- Counters of one campaign are a count over its live leads.
create index lead_projection_campaign_idx on lead_projection (campaign_id) where not deleted;
create index lead_projection_agency_idx on lead_projection (agency_id);

alter table lead_projection enable row level security;
alter table lead_projection force row level security;
create policy lead_projection_agency_isolation on lead_projection
    using (agency_id = current_setting('leadforge.agency_id', true))
    with check (agency_id = current_setting('leadforge.agency_id', true));
