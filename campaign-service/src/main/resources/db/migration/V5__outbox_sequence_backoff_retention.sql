-- Outbox, production-grade: rows are relayed in the order of a database sequence (not the application clock), a row
-- the broker refuses backs off (next_attempt_at) and is eventually parked (parked_at) without blocking other
-- aggregates, and published rows / processed-event ids are purged after their retention (RetentionPurge).
alter table outbox_event add column seq bigint generated always as identity;
alter table outbox_event add column next_attempt_at timestamptz;
alter table outbox_event add column parked_at timestamptz;
drop index if exists outbox_event_pending_idx;
create index outbox_event_pending_idx on outbox_event (seq) where published_at is null;
create index outbox_event_aggregate_pending_idx on outbox_event (aggregate_type, aggregate_id, seq)
    where published_at is null;
create index outbox_event_published_idx on outbox_event (published_at) where published_at is not null;
create index processed_event_processed_at_idx on processed_event (processed_at);
