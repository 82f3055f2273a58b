-- Scraping figures of the overview, from scraping-service's events: the latest known state of every data source and
-- every job (newest event wins, by its time), and the agency's counters moved by the difference between old and new.
create table data_source_state (
    data_source_id  uuid        primary key,
    agency_id       varchar(64) not null,
    status          varchar(20) not null,
    deleted         boolean     not null,
    changed_at      timestamptz not null
);
create index data_source_state_agency_idx on data_source_state (agency_id);

create table scraping_job_state (
    job_id             uuid        primary key,
    agency_id          varchar(64) not null,
    status             varchar(20) not null,
    records_processed  bigint      not null,
    changed_at         timestamptz not null
);
create index scraping_job_state_agency_idx on scraping_job_state (agency_id);

alter table data_source_state enable row level security;
alter table data_source_state force row level security;
create policy data_source_state_agency_isolation on data_source_state
    using (agency_id = current_setting('leadforge.agency_id', true))
    with check (agency_id = current_setting('leadforge.agency_id', true));

alter table scraping_job_state enable row level security;
alter table scraping_job_state force row level security;
create policy scraping_job_state_agency_isolation on scraping_job_state
    using (agency_id = current_setting('leadforge.agency_id', true))
    with check (agency_id = current_setting('leadforge.agency_id', true));

alter table agency_overview add column data_sources_active bigint not null default 0;
alter table agency_overview add column jobs_total bigint not null default 0;
alter table agency_overview add column jobs_successful bigint not null default 0;
alter table agency_overview add column jobs_running bigint not null default 0;
alter table agency_overview add column jobs_pending bigint not null default 0;
alter table agency_overview add column records_scraped bigint not null default 0;
