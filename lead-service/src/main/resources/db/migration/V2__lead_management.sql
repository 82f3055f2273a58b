-- Lead management: consent and contactability, full-text and trigram search, one index per list filter and sort,
-- contact points and the activity log. Every list index is partial on live rows (deleted_at is null) and leads with
-- agency_id, because every query is scoped to one agency and soft-deleted rows are never listed.

alter table lead
    add column consent_given   boolean     not null default false,
    add column consent_at      timestamptz,
    add column do_not_contact  boolean     not null default false,
    add column merged_into_id  uuid,
    add column erased_at       timestamptz,
    -- Full text over the identifying fields. 'simple' (no stemming): names and e-mail parts are not English words.
    add column search_vector   tsvector generated always as (to_tsvector('simple',
        coalesce(first_name, '') || ' ' || coalesce(last_name, '') || ' ' || coalesce(email, '') || ' ' ||
        coalesce(company, '') || ' ' || coalesce(title, ''))) stored,
    -- The same text lower-cased for trigram matching of partial words ("nalyt" finds "Analytical").
    add column search_text     text generated always as (lower(
        coalesce(first_name, '') || ' ' || coalesce(last_name, '') || ' ' || coalesce(email, '') || ' ' ||
        coalesce(company, '') || ' ' || coalesce(title, ''))) stored;

-- V1's two-column filter indexes are superseded by the ones below, which also serve the default order.
drop index if exists lead_agency_campaign_idx;
drop index if exists lead_agency_status_idx;

-- Filters (each followed by the default order, so "filter + newest first + limit" reads only the rows it returns).
create index lead_agency_campaign_created_idx on lead (agency_id, campaign_id, created_at desc, id desc) where deleted_at is null;
create index lead_agency_status_created_idx on lead (agency_id, status, created_at desc, id desc) where deleted_at is null;
create index lead_agency_qualification_created_idx on lead (agency_id, qualification_status, created_at desc, id desc) where deleted_at is null;
create index lead_agency_priority_created_idx on lead (agency_id, priority, created_at desc, id desc) where deleted_at is null;
create index lead_agency_assigned_created_idx on lead (agency_id, assigned_to, created_at desc, id desc) where deleted_at is null;
create index lead_agency_source_created_idx on lead (agency_id, source, created_at desc, id desc) where deleted_at is null;

-- Sorts from the whitelist (created_at is lead_agency_created_idx from V1). B-trees scan both ways.
create index lead_agency_updated_idx on lead (agency_id, updated_at, id) where deleted_at is null;
create index lead_agency_score_idx on lead (agency_id, score, id) where deleted_at is null;
create index lead_agency_last_name_idx on lead (agency_id, last_name, id) where deleted_at is null;
create index lead_agency_company_idx on lead (agency_id, company, id) where deleted_at is null;
create index lead_agency_last_contacted_idx on lead (agency_id, last_contacted_at, id) where deleted_at is null;

-- Search.
create index lead_search_vector_idx on lead using gin (search_vector) where deleted_at is null;
create index lead_search_trgm_idx on lead using gin (search_text gin_trgm_ops) where deleted_at is null;

-- Duplicate detection on normalised identifiers (values are normalised by the service before they are stored).
create index lead_agency_email_idx on lead (agency_id, email) where deleted_at is null and email is not null;
create index lead_agency_phone_idx on lead (agency_id, phone) where deleted_at is null and phone is not null;
create index lead_agency_linkedin_idx on lead (agency_id, linkedin_url) where deleted_at is null and linkedin_url is not null;

create table contact_point (
    id           uuid primary key,
    agency_id    varchar(64)  not null,
    lead_id      uuid         not null references lead (id),
    type         varchar(10)  not null,
    value        varchar(500) not null,
    is_primary   boolean      not null default false,
    is_verified  boolean      not null default false,
    created_at   timestamptz  not null,
    updated_at   timestamptz  not null,
    constraint contact_point_type_valid check (type in ('phone', 'email', 'address', 'social'))
);
create index contact_point_lead_idx on contact_point (agency_id, lead_id);
-- At most one primary contact point per lead and type.
create unique index contact_point_primary_idx on contact_point (lead_id, type) where is_primary;

-- Every mutation of a lead: who, from where, what changed (old and new values). Personal values in "changes" are
-- scrubbed when the person is erased.
create table lead_activity (
    id          uuid primary key,
    agency_id   varchar(64)  not null,
    lead_id     uuid         not null references lead (id),
    action      varchar(50)  not null,
    changes     jsonb        not null default '{}'::jsonb,
    actor       varchar(64)  not null,
    ip          varchar(64),
    user_agent  varchar(500),
    request_id  varchar(128),
    created_at  timestamptz  not null
);
create index lead_activity_lead_idx on lead_activity (agency_id, lead_id, created_at desc, id desc);
