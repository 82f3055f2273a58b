-- Scraping jobs: one import of records from a data source into the agency's leads (docs/scraping.md).

-- A data source with jobs is never hard-deleted (its jobs' history names it): DELETE marks it.
alter table data_source add column deleted_at timestamptz;

create table scraping_job (
    id                  uuid primary key,
    agency_id           varchar(64)   not null,
    data_source_id      uuid          not null references data_source (id),
    source_type         varchar(20)   not null,
    campaign_id         uuid,
    status              varchar(20)   not null,
    search_criteria     jsonb         not null default '{}'::jsonb,
    config              jsonb         not null default '{}'::jsonb,
    -- Where the reader stands (row offset, page, cursor...): advanced in the transaction that writes the batch it
    -- read, so a restarted job continues exactly after the last batch it sent.
    checkpoint          jsonb         not null default '{}'::jsonb,
    -- Share of the source read so far (0..1), as the connector estimates it; 1 once the reader is exhausted.
    read_fraction       double precision not null default 0,
    reader_done         boolean       not null default false,
    batches_sent        integer       not null default 0,
    batches_reported    integer       not null default 0,
    records_read        bigint        not null default 0,
    -- Counted from lead-service's per-batch results (and rows the reader itself could not parse).
    records_processed   bigint        not null default 0,
    records_imported    bigint        not null default 0,
    records_duplicate   bigint        not null default 0,
    records_rejected    bigint        not null default 0,
    progress            integer       not null default 0 check (progress between 0 and 100),
    error_count         integer       not null default 0,
    errors              jsonb         not null default '[]'::jsonb,
    last_error          varchar(2000),
    upload_bytes        bigint,
    started_at          timestamptz,
    -- When the current running stretch began (null while not running): duration excludes paused time.
    running_since       timestamptz,
    completed_at        timestamptz,
    -- Seconds spent running (paused time excluded); set when the job ends.
    duration_seconds    integer,
    created_by          varchar(64)   not null,
    created_at          timestamptz   not null,
    updated_at          timestamptz   not null,
    version             bigint        not null default 0,
    constraint scraping_job_status_valid
        check (status in ('pending', 'running', 'paused', 'completed', 'failed', 'cancelled')),
    constraint scraping_job_counts_valid check (records_read >= 0 and records_processed >= 0
        and records_imported >= 0 and records_duplicate >= 0 and records_rejected >= 0)
);
create index scraping_job_agency_created_idx on scraping_job (agency_id, created_at desc, id desc);
create index scraping_job_agency_source_idx on scraping_job (agency_id, data_source_id, created_at desc);
create index scraping_job_agency_status_idx on scraping_job (agency_id, status);
create index scraping_job_agency_campaign_idx on scraping_job (agency_id, campaign_id);

-- The log a job's worker writes as it goes (and the per-record rejections lead-service reports).
create table scraping_job_log (
    id          bigint generated always as identity primary key,
    agency_id   varchar(64)   not null,
    job_id      uuid          not null references scraping_job (id) on delete cascade,
    level       varchar(10)   not null,
    message     varchar(2000) not null,
    details     jsonb,
    created_at  timestamptz   not null,
    constraint scraping_job_log_level_valid check (level in ('debug', 'info', 'warning', 'error'))
);
create index scraping_job_log_job_idx on scraping_job_log (job_id, id);

-- An uploaded CSV file, in chunks of at most 1 MiB, read back as a stream by the CSV connector (any replica).
create table scraping_job_upload (
    job_id      uuid          not null references scraping_job (id) on delete cascade,
    agency_id   varchar(64)   not null,
    chunk_no    integer       not null,
    data        bytea         not null,
    primary key (job_id, chunk_no)
);

-- Campaigns as campaign-service announces them: a job may only import into a draft or active campaign of its agency.
create table campaign_replica (
    id          uuid primary key,
    agency_id   varchar(64)   not null,
    status      varchar(20)   not null,
    deleted     boolean       not null default false,
    changed_at  timestamptz   not null
);

-- Runnable jobs and who runs them. Not agency data (ids only), so it has no row-level security: a worker claims the
-- next runnable job of any agency here, then reads and writes the job itself inside that job's agency. A claim is a
-- lease, renewed while the worker runs the job; once it expires any replica may take the job over, and a worker
-- whose lease was taken over can no longer commit a batch (the lease is re-checked, locked, in that transaction).
create table scraping_job_run (
    job_id            uuid primary key references scraping_job (id) on delete cascade,
    agency_id         varchar(64)  not null,
    runnable_since    timestamptz  not null,
    lease_owner       varchar(100),
    lease_expires_at  timestamptz
);
create index scraping_job_run_claimable_idx on scraping_job_run (lease_expires_at nulls first, runnable_since);
create index scraping_job_run_agency_idx on scraping_job_run (agency_id);

alter table scraping_job enable row level security;
alter table scraping_job force row level security;
create policy scraping_job_agency_isolation on scraping_job
    using (agency_id = current_setting('leadforge.agency_id', true))
    with check (agency_id = current_setting('leadforge.agency_id', true));

alter table scraping_job_log enable row level security;
alter table scraping_job_log force row level security;
create policy scraping_job_log_agency_isolation on scraping_job_log
    using (agency_id = current_setting('leadforge.agency_id', true))
    with check (agency_id = current_setting('leadforge.agency_id', true));

alter table scraping_job_upload enable row level security;
alter table scraping_job_upload force row level security;
create policy scraping_job_upload_agency_isolation on scraping_job_upload
    using (agency_id = current_setting('leadforge.agency_id', true))
    with check (agency_id = current_setting('leadforge.agency_id', true));

alter table campaign_replica enable row level security;
alter table campaign_replica force row level security;
create policy campaign_replica_agency_isolation on campaign_replica
    using (agency_id = current_setting('leadforge.agency_id', true))
    with check (agency_id = current_setting('leadforge.agency_id', true));
