-- What lead-service did with each scraped record it was asked to import, keyed by the record's stable identity
-- (job_id, seq). The inbox makes one batch event apply once; this table makes one *record* apply once, whichever batch
-- event carries it: a re-sent batch (new event id, same records) finds every record here and gets the same outcome
-- (the same lead, the same duplicate match, the same rejection) instead of a second lead. agency_id is the tenant
-- discriminator (Hibernate @TenantId) and the row-level security key, and leads the primary key, so one agency's job
-- can never collide with another's and a batch's outcomes are one index range.
create table imported_record (
    agency_id    varchar(64)  not null,
    job_id       uuid         not null,
    seq          bigint       not null,
    outcome      varchar(10)  not null,
    lead_id      uuid,
    field        varchar(200),
    reason       varchar(100),
    imported_at  timestamptz  not null,
    primary key (agency_id, job_id, seq),
    constraint imported_record_outcome_valid check (outcome in ('imported', 'duplicate', 'rejected'))
);

alter table imported_record enable row level security;
alter table imported_record force row level security;
create policy imported_record_agency_isolation on imported_record
    using (agency_id = current_setting('leadforge.agency_id', true))
    with check (agency_id = current_setting('leadforge.agency_id', true));
