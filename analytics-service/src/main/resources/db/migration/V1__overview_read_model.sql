-- Per-agency counters built from every service's events. agency_id is the tenant discriminator.
create table agency_overview (
    agency_id            varchar(64) primary key,
    leads_total          bigint      not null default 0,
    campaigns_total      bigint      not null default 0,
    data_sources_total   bigint      not null default 0,
    updated_at           timestamptz not null
);

-- Leads created per agency and day, for trends over a date range.
create table agency_daily_leads (
    agency_id  varchar(64) not null,
    day        date        not null,
    created    bigint      not null default 0,
    primary key (agency_id, day)
);

-- Inbox: ids of events already applied, written in the same transaction as their effect.
create table processed_event (
    consumer      varchar(100) not null,
    event_id      varchar(100) not null,
    processed_at  timestamptz  not null,
    primary key (consumer, event_id)
);

-- The shared outbox relay maps this table in every service; analytics publishes nothing yet.
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
