-- Rebuild by replay (docs/operations.md "Rebuilding analytics"): the tables that are projections of events, and can
-- therefore be recomputed from the topics, say so in their comment; the rebuild discovers what it rebuilds by it.
comment on table agency_overview is 'leadforge:read-model';
comment on table agency_daily_leads is 'leadforge:read-model';
comment on table lead_state is 'leadforge:read-model';
comment on table campaign_state is 'leadforge:read-model';
comment on table data_source_state is 'leadforge:read-model';
comment on table scraping_job_state is 'leadforge:read-model';

-- Whether the source's created event has been applied. A source first seen through a later event is assumed to have
-- been counted in the total already (it was, by the code before data_source_state existed); when its creation turns
-- up after all (out-of-order delivery, or a replay whose live consumer ran ahead), the total is corrected then. Rows
-- written before this column existed had their creation applied or predate it: either way nothing is owed.
alter table data_source_state add column created_seen boolean not null default true;

-- One row per rebuild ever started. At most one is 'building' (the index), across every replica; while one is, the
-- live consumer applies each poll to the fresh set too. The replica running it holds a session advisory lock for as
-- long as it runs: a 'building' row whose lock nobody holds belongs to a dead replica and is abandoned.
create table read_model_rebuild (
    id              uuid         primary key,
    state           varchar(20)  not null,
    requested_by    varchar(100) not null,
    cancel_requested boolean     not null default false,
    tables          text         not null default '',
    applied         bigint       not null default 0,
    skipped         bigint       not null default 0,
    error           varchar(1000),
    started_at      timestamptz  not null,
    switched_at     timestamptz,
    finished_at     timestamptz,
    heartbeat_at    timestamptz  not null,
    constraint read_model_rebuild_state_check
        check (state in ('building', 'completed', 'failed', 'cancelled', 'abandoned'))
);
create unique index read_model_rebuild_one_building on read_model_rebuild ((true)) where state = 'building';
create index read_model_rebuild_started_idx on read_model_rebuild (started_at desc);

-- Progress per topic: the records to replay (between each partition's first offset and its end when the rebuild
-- captured it) and how many of them were read so far.
create table read_model_rebuild_topic (
    rebuild_id  uuid         not null references read_model_rebuild (id) on delete cascade,
    topic       varchar(200) not null,
    total       bigint       not null,
    replayed    bigint       not null default 0,
    primary key (rebuild_id, topic)
);
