-- Notifications (reference table `notifications`), produced from events by the live-updates consumer. A row is addressed
-- either to one user (user_id, a token `sub`) or to every holder of a role in the agency (audience_role), whom this
-- service cannot list: it never sees users, only events. Read state is therefore per user and per notification in
-- notification_read, which makes "unread" exact for each reader of a role-addressed notification too.
-- Not a read model (no leadforge:read-model comment): read state is user input, not derivable from events.
create table notification (
    id                   uuid         primary key,
    agency_id            varchar(64)  not null,
    user_id              varchar(64),
    audience_role        varchar(30),
    type                 varchar(10)  not null check (type in ('info', 'success', 'warning', 'error')),
    title                varchar(200) not null,
    message              varchar(2000) not null,
    related_entity_type  varchar(30),
    related_entity_id    uuid,
    action_url           varchar(500),
    action_label         varchar(100),
    created_at           timestamptz  not null,
    -- The event that produced it, and for whom: a redelivered or replayed event finds its row and adds none, even
    -- after the inbox row that normally stops it has been purged.
    source_event_id      varchar(100) not null,
    recipient_key        varchar(100) not null,
    check ((user_id is null) <> (audience_role is null)),
    unique (source_event_id, recipient_key)
);
create index notification_user_idx on notification (agency_id, user_id, created_at desc, id) where user_id is not null;
create index notification_role_idx on notification (agency_id, audience_role, created_at desc, id)
    where audience_role is not null;
create index notification_created_idx on notification (created_at);

create table notification_read (
    notification_id  uuid        not null references notification (id) on delete cascade,
    user_id          varchar(64) not null,
    agency_id        varchar(64) not null,
    read_at          timestamptz not null,
    primary key (user_id, notification_id)
);
create index notification_read_notification_idx on notification_read (notification_id);

-- Which client users each campaign is shared with (campaign-service's client_granted/client_revoked events), kept by
-- version so a grant and a revoke are right in either arrival order; revokes stay as granted = false rows so an
-- older grant never revives one. Campaign status notifications go to the granted clients; the live stream shows a
-- client the changes of its granted campaigns only.
create table campaign_client_grant (
    campaign_id  uuid        not null,
    user_id      varchar(64) not null,
    agency_id    varchar(64) not null,
    granted      boolean     not null,
    version      bigint      not null,
    changed_at   timestamptz not null,
    primary key (campaign_id, user_id)
);
create index campaign_client_grant_user_idx on campaign_client_grant (agency_id, user_id) where granted;

alter table notification enable row level security;
alter table notification force row level security;
create policy notification_agency_isolation on notification
    using (agency_id = current_setting('leadforge.agency_id', true))
    with check (agency_id = current_setting('leadforge.agency_id', true));

alter table notification_read enable row level security;
alter table notification_read force row level security;
create policy notification_read_agency_isolation on notification_read
    using (agency_id = current_setting('leadforge.agency_id', true))
    with check (agency_id = current_setting('leadforge.agency_id', true));

alter table campaign_client_grant enable row level security;
alter table campaign_client_grant force row level security;
create policy campaign_client_grant_agency_isolation on campaign_client_grant
    using (agency_id = current_setting('leadforge.agency_id', true))
    with check (agency_id = current_setting('leadforge.agency_id', true));
