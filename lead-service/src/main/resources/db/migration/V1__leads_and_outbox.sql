-- Leads: the system of record. agency_id is the tenant discriminator (Hibernate @TenantId).
create extension if not exists pg_trgm;

create table lead (
    id                    uuid primary key,
    agency_id             varchar(64)  not null,
    campaign_id           uuid,
    first_name            varchar(100),
    last_name             varchar(100),
    email                 varchar(320),
    phone                 varchar(32),
    company               varchar(200),
    title                 varchar(200),
    linkedin_url          varchar(500),
    source                varchar(100),
    status                varchar(20)  not null default 'new',
    qualification_status  varchar(20)  not null default 'pending',
    qualification_reason  varchar(1000),
    priority              varchar(10)  not null default 'medium',
    score                 smallint     not null default 0 check (score between 0 and 100),
    metadata              jsonb        not null default '{}'::jsonb,
    created_by            varchar(64)  not null,
    assigned_to           varchar(64),
    last_contacted_at     timestamptz,
    last_responded_at     timestamptz,
    qualified_at          timestamptz,
    created_at            timestamptz  not null,
    updated_at            timestamptz  not null,
    deleted_at            timestamptz,
    version               bigint       not null default 0,
    constraint lead_status_valid check (status in
        ('new', 'contacted', 'responded', 'qualified', 'nurturing', 'converted', 'disqualified')),
    constraint lead_qualification_valid check (qualification_status in ('pending', 'qualified', 'disqualified')),
    constraint lead_priority_valid check (priority in ('low', 'medium', 'high', 'urgent'))
);

-- Default listing: newest first within an agency, live rows only.
create index lead_agency_created_idx on lead (agency_id, created_at desc, id desc) where deleted_at is null;
create index lead_agency_campaign_idx on lead (agency_id, campaign_id) where deleted_at is null;
create index lead_agency_status_idx on lead (agency_id, status) where deleted_at is null;

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
