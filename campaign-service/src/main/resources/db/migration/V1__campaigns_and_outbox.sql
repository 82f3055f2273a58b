-- Campaigns: outreach campaigns of an agency. agency_id is the tenant discriminator (Hibernate @TenantId).
create table campaign (
    id                     uuid primary key,
    agency_id              varchar(64)   not null,
    name                   varchar(200)  not null,
    description            varchar(2000),
    status                 varchar(20)   not null default 'draft',
    start_date             date,
    end_date               date,
    target_audience        jsonb         not null default '{}'::jsonb,
    -- Counters kept from lead events; never negative.
    leads_count            integer       not null default 0 check (leads_count >= 0),
    qualified_leads_count  integer       not null default 0 check (qualified_leads_count >= 0),
    contacted_count        integer       not null default 0 check (contacted_count >= 0),
    responded_count        integer       not null default 0 check (responded_count >= 0),
    created_by             varchar(64)   not null,
    created_at             timestamptz   not null,
    updated_at             timestamptz   not null,
    version                bigint        not null default 0,
    constraint campaign_status_valid check (status in ('draft', 'active', 'paused', 'completed', 'archived')),
    constraint campaign_dates_ordered check (end_date is null or start_date is null or end_date >= start_date),
    constraint campaign_name_not_blank check (length(btrim(name)) > 0)
);

-- A name identifies a campaign inside its agency, whatever its case. The service maps a violation to 409.
create unique index campaign_agency_name_key on campaign (agency_id, lower(name));
-- Default listing: newest first within an agency.
create index campaign_agency_created_idx on campaign (agency_id, created_at desc, id desc);
create index campaign_agency_status_idx on campaign (agency_id, status);

-- Transactional outbox: written with the state change, relayed to Kafka by OutboxRelay.
create table outbox_event (
    id              uuid primary key,
    agency_id       varchar(64)  not null,
    aggregate_type  varchar(50)  not null,
    aggregate_id    varchar(64)  not null,
    event_type      varchar(100) not null,
    topic           varchar(200) not null,
    actor           varchar(64)  not null,
    payload         jsonb        not null,
    created_at      timestamptz  not null,
    published_at    timestamptz,
    attempts        integer      not null default 0,
    last_error      varchar(1000)
);
create index outbox_event_pending_idx on outbox_event (created_at, id) where published_at is null;

-- Inbox: ids of events this service already applied (idempotent consumers).
create table processed_event (
    consumer      varchar(100) not null,
    event_id      varchar(100) not null,
    processed_at  timestamptz  not null,
    primary key (consumer, event_id)
);
