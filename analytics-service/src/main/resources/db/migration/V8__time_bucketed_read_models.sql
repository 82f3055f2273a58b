-- Time-bucketed read models behind GET /api/v1/analytics/campaigns/{id}, /leads and /dashboard.
--
-- Buckets are UTC quarter hours (`slot`, the quarter's start). Answers are cut on local day, ISO week and month
-- boundaries of any IANA time zone; every zone offset in use is a whole number of quarter hours (India +05:30, Nepal
-- +05:45, Chatham +12:45), so a local boundary always falls between two slots and a local day is an exact sum of
-- slots, across daylight-saving changes too. Hourly slots would split the quarter- and half-hour zones' days.
--
-- Every figure is derived from per-lead state (lead_state, below), never from counting events: a lead's contribution
-- to the buckets is a function of its state, and each applied snapshot moves the buckets by the difference between the
-- contribution before and after, in the snapshot's transaction. That keeps them exact under duplicate and
-- out-of-order delivery.

-- Per lead, what the buckets need besides the newest snapshot: when it was created and from which source (from
-- lead.created), and when it was first seen qualified, contacted and responded (the earliest change time over every
-- snapshot that showed it: a minimum, so the arrival order does not matter).
alter table lead_state
    add column created_at          timestamptz,
    add column source              varchar(100),
    add column first_qualified_at  timestamptz,
    add column first_contacted_at  timestamptz,
    add column first_responded_at  timestamptz;

-- Per agency x campaign x source x quarter hour. campaign_id 00000000-0000-0000-0000-000000000000 stands for leads of
-- no campaign; source '' for a lead whose lead.created has not arrived (yet).
-- created, created_contacted, created_responded, status_*, qualification_*: the leads created in the slot, how many of
-- them were ever contacted / ever responded, and their current status and qualification (the cohort of the slot).
-- qualified, contacted, responded: the leads first qualified (and qualified now), first contacted, first responded in
-- the slot. Deleted leads count nowhere.
create table lead_activity_bucket (
    agency_id                   varchar(64)  not null,
    campaign_id                 uuid         not null,
    source                      varchar(100) not null,
    slot                        timestamptz  not null,
    created                     bigint       not null default 0,
    qualified                   bigint       not null default 0,
    contacted                   bigint       not null default 0,
    responded                   bigint       not null default 0,
    created_contacted           bigint       not null default 0,
    created_responded           bigint       not null default 0,
    status_new                  bigint       not null default 0,
    status_contacted            bigint       not null default 0,
    status_responded            bigint       not null default 0,
    status_qualified            bigint       not null default 0,
    status_nurturing            bigint       not null default 0,
    status_converted            bigint       not null default 0,
    status_disqualified         bigint       not null default 0,
    qualification_pending       bigint       not null default 0,
    qualification_qualified     bigint       not null default 0,
    qualification_disqualified  bigint       not null default 0,
    primary key (agency_id, campaign_id, source, slot)
);
create index lead_activity_bucket_agency_slot_idx on lead_activity_bucket (agency_id, slot);

-- The same figures per agency x quarter hour only, moved in the same statement batch: the whole agency's answers (the
-- dashboard, /leads without a campaign) read one row per slot however many campaigns and sources it has.
create table agency_activity_bucket (
    agency_id                   varchar(64)  not null,
    slot                        timestamptz  not null,
    created                     bigint       not null default 0,
    qualified                   bigint       not null default 0,
    contacted                   bigint       not null default 0,
    responded                   bigint       not null default 0,
    created_contacted           bigint       not null default 0,
    created_responded           bigint       not null default 0,
    status_new                  bigint       not null default 0,
    status_contacted            bigint       not null default 0,
    status_responded            bigint       not null default 0,
    status_qualified            bigint       not null default 0,
    status_nurturing            bigint       not null default 0,
    status_converted            bigint       not null default 0,
    status_disqualified         bigint       not null default 0,
    qualification_pending       bigint       not null default 0,
    qualification_qualified     bigint       not null default 0,
    qualification_disqualified  bigint       not null default 0,
    primary key (agency_id, slot)
);

-- Each campaign's live leads now (top campaigns of the dashboard and of /leads): moved with the buckets.
create table campaign_lead_counts (
    campaign_id  uuid        primary key,
    agency_id    varchar(64) not null,
    leads        bigint      not null default 0,
    qualified    bigint      not null default 0,
    contacted    bigint      not null default 0,
    responded    bigint      not null default 0,
    converted    bigint      not null default 0
);
create index campaign_lead_counts_top_idx on campaign_lead_counts (agency_id, leads desc, campaign_id);

-- Campaign name (from created/updated, the newest by its own time: an update carries no status, so it must not share
-- campaign_state's ordering) and creation time. A row of its own, because an update may arrive before the creation.
create table campaign_profile (
    campaign_id      uuid         primary key,
    agency_id        varchar(64)  not null,
    name             varchar(200),
    name_changed_at  timestamptz,
    created_at       timestamptz
);

-- Which campaigns are shared with which client user: per (campaign, user) the change with the highest version wins,
-- revokes stay as granted = false so an older grant arriving late cannot revive one.
create table client_campaign_grant (
    campaign_id  uuid         not null,
    user_id      varchar(255) not null,
    agency_id    varchar(64)  not null,
    granted      boolean      not null,
    version      bigint       not null,
    primary key (campaign_id, user_id)
);
create index client_campaign_grant_user_idx on client_campaign_grant (agency_id, user_id) where granted;

-- Recent jobs of the dashboard: the job's figures from its own lifecycle events.
alter table scraping_job_state
    add column data_source_id    uuid,
    add column source_type       varchar(20),
    add column campaign_id       uuid,
    add column progress          integer,
    add column records_imported  bigint,
    add column created_at        timestamptz;
create index scraping_job_state_recent_idx on scraping_job_state (agency_id, changed_at desc, job_id);

alter table lead_activity_bucket enable row level security;
alter table lead_activity_bucket force row level security;
create policy lead_activity_bucket_agency_isolation on lead_activity_bucket
    using (agency_id = current_setting('leadforge.agency_id', true))
    with check (agency_id = current_setting('leadforge.agency_id', true));

alter table agency_activity_bucket enable row level security;
alter table agency_activity_bucket force row level security;
create policy agency_activity_bucket_agency_isolation on agency_activity_bucket
    using (agency_id = current_setting('leadforge.agency_id', true))
    with check (agency_id = current_setting('leadforge.agency_id', true));

alter table campaign_lead_counts enable row level security;
alter table campaign_lead_counts force row level security;
create policy campaign_lead_counts_agency_isolation on campaign_lead_counts
    using (agency_id = current_setting('leadforge.agency_id', true))
    with check (agency_id = current_setting('leadforge.agency_id', true));

alter table campaign_profile enable row level security;
alter table campaign_profile force row level security;
create policy campaign_profile_agency_isolation on campaign_profile
    using (agency_id = current_setting('leadforge.agency_id', true))
    with check (agency_id = current_setting('leadforge.agency_id', true));

alter table client_campaign_grant enable row level security;
alter table client_campaign_grant force row level security;
create policy client_campaign_grant_agency_isolation on client_campaign_grant
    using (agency_id = current_setting('leadforge.agency_id', true))
    with check (agency_id = current_setting('leadforge.agency_id', true));

-- Every projection that can be recomputed from the topics (the rebuild finds them by this comment), the overview's
-- older ones included.
comment on table lead_activity_bucket is 'leadforge:read-model';
comment on table agency_activity_bucket is 'leadforge:read-model';
comment on table campaign_lead_counts is 'leadforge:read-model';
comment on table client_campaign_grant is 'leadforge:read-model';
comment on table campaign_profile is 'leadforge:read-model';
comment on table lead_state is 'leadforge:read-model';
comment on table campaign_state is 'leadforge:read-model';
comment on table data_source_state is 'leadforge:read-model';
comment on table scraping_job_state is 'leadforge:read-model';
comment on table agency_overview is 'leadforge:read-model';
comment on table agency_daily_leads is 'leadforge:read-model';

-- Per agency, a value that changes in every transaction that applies the agency's events (the projections set it to
-- the commit's clock in microseconds, or one more than before): analytics answers are cached under it, so any
-- replica's consumption invalidates every replica's cached answers for that agency on their next request. A read
-- model like the rest: a rebuilt copy starts from the rebuild's clock, so no cached key of the old copy can recur.
create table analytics_version (
    agency_id  varchar(64) primary key,
    version    bigint      not null
);
alter table analytics_version enable row level security;
alter table analytics_version force row level security;
create policy analytics_version_agency_isolation on analytics_version
    using (agency_id = current_setting('leadforge.agency_id', true))
    with check (agency_id = current_setting('leadforge.agency_id', true));
comment on table analytics_version is 'leadforge:read-model';
