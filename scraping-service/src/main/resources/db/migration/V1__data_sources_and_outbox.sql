-- Data sources: connectors an agency imports records through.
-- agency_id is the tenant discriminator (Hibernate @TenantId).
create table data_source (
    id                     uuid primary key,
    agency_id              varchar(64)   not null,
    name                   varchar(200)  not null,
    type                   varchar(20)   not null,
    status                 varchar(20)   not null default 'inactive',
    description            varchar(2000),
    config                 jsonb         not null default '{}'::jsonb,
    -- Secrets for the connector (API keys, logins). Written, never returned by the API; null when there are none.
    credentials            jsonb,
    last_test_at           timestamptz,
    last_test_status       varchar(50),
    last_test_error        varchar(2000),
    -- Counters kept from scraping jobs; never negative.
    total_jobs             integer       not null default 0 check (total_jobs >= 0),
    successful_jobs        integer       not null default 0 check (successful_jobs >= 0),
    failed_jobs            integer       not null default 0 check (failed_jobs >= 0),
    total_records_scraped  bigint        not null default 0 check (total_records_scraped >= 0),
    created_by             varchar(64)   not null,
    created_at             timestamptz   not null,
    updated_at             timestamptz   not null,
    version                bigint        not null default 0,
    constraint data_source_type_valid check (type in ('linkedin', 'apollo', 'zoominfo', 'custom', 'csv', 'api')),
    constraint data_source_status_valid check (status in ('active', 'inactive', 'error', 'testing')),
    constraint data_source_name_not_blank check (length(btrim(name)) > 0)
);

-- Default listing: newest first within an agency; filters by type and status.
create index data_source_agency_created_idx on data_source (agency_id, created_at desc, id desc);
create index data_source_agency_type_idx on data_source (agency_id, type);
create index data_source_agency_status_idx on data_source (agency_id, status);

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
