-- Which client users (token `sub`) may read which campaign. The client role sees nothing else: a campaign is shared
-- with a client only by an agency_admin (PUT /api/v1/campaigns/{id}/clients/{userId}). Deleting the campaign drops
-- its grants. agency_id is the tenant discriminator (Hibernate @TenantId) and the row-level security key.
create table campaign_client_grant (
    campaign_id  uuid         not null references campaign (id) on delete cascade,
    user_id      varchar(64)  not null,
    agency_id    varchar(64)  not null,
    granted_by   varchar(64)  not null,
    granted_at   timestamptz  not null,
    primary key (campaign_id, user_id)
);
-- A client's visible campaigns: the list filter looks grants up by user.
create index campaign_client_grant_user_idx on campaign_client_grant (agency_id, user_id);

alter table campaign_client_grant enable row level security;
alter table campaign_client_grant force row level security;
create policy campaign_client_grant_agency_isolation on campaign_client_grant
    using (agency_id = current_setting('leadforge.agency_id', true))
    with check (agency_id = current_setting('leadforge.agency_id', true));

-- Listing sorts and searches (GET /api/v1/campaigns?sortBy=name&search=...).
create index campaign_agency_name_idx on campaign (agency_id, lower(name));
