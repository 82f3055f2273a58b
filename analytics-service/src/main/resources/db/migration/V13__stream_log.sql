-- The live stream's log: what GET /api/v1/stream delivers, written by the live-updates consumer in the transaction of
-- the effect it reports. Every analytics replica delivers from this table (woken by NOTIFY leadforge_stream), so no
-- replica needs its own consumer group, and Last-Event-ID resumes from it within the retention window.
--
-- Order without gaps: ids come from a sequence, but transactions commit in another order, so a reader that has seen id
-- 12 may later see 11 commit. Rows are therefore delivered only once their writing transaction (xid) is below the
-- oldest transaction still running (pg_snapshot_xmin of the reader's snapshot): every row of such a transaction is
-- final, and any row written later has a larger xid. The cursor is (xid, id), delivered in that order.
-- Not a read model (no leadforge:read-model comment): it is a delivery log, not recomputed by a rebuild.
create table stream_event (
    id             bigint       generated always as identity primary key,
    xid            xid8         not null default pg_current_xact_id(),
    agency_id      varchar(64)  not null,
    kind           varchar(30)  not null,
    -- Who may see it: staff_only rows never reach a client; campaign_id limits a client to its granted campaigns;
    -- user_id / audience_role address a notification; job_id is the job a job_log row belongs to.
    staff_only     boolean      not null,
    campaign_id    uuid,
    job_id         uuid,
    user_id        varchar(64),
    audience_role  varchar(30),
    payload        jsonb        not null,
    created_at     timestamptz  not null default now()
);
create index stream_event_cursor_idx on stream_event (agency_id, xid, id);
create index stream_event_created_idx on stream_event (created_at);

-- Agencies that have live rows, and per agency the newest (xid, id) the retention purge removed: a reader resuming
-- from before it has missed rows and is told so. No row-level security: it holds agency ids and positions only, and
-- the purge (which runs for no agency) needs it to visit each agency's rows under that agency's policy.
create table stream_agency (
    agency_id   varchar(64) primary key,
    purged_xid  xid8,
    purged_id   bigint
);

alter table stream_event enable row level security;
alter table stream_event force row level security;
create policy stream_event_agency_isolation on stream_event
    using (agency_id = current_setting('leadforge.agency_id', true))
    with check (agency_id = current_setting('leadforge.agency_id', true));
