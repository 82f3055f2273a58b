-- Which client users (token `sub`) may read the leads of which campaign: lead-service's own copy of campaign-service's
-- grants, built from campaign.client_granted / client_revoked events (no call to campaign-service). A revoke is kept
-- as a row with granted = false, so that an older grant arriving after it (a re-driven dead letter, a replay) loses
-- against its higher version instead of reviving the grant. agency_id is the tenant discriminator (Hibernate
-- @TenantId) and the row-level security key; it leads the primary key, so that one agency's event can never collide
-- with another agency's row, and the key answers "the campaigns granted to this client" for the lead reads.
create table client_campaign_grant (
    agency_id    varchar(64) not null,
    user_id      varchar(64) not null,
    campaign_id  uuid        not null,
    granted      boolean     not null,
    version      bigint      not null,
    changed_at   timestamptz not null,
    primary key (agency_id, user_id, campaign_id)
);

alter table client_campaign_grant enable row level security;
alter table client_campaign_grant force row level security;
create policy client_campaign_grant_agency_isolation on client_campaign_grant
    using (agency_id = current_setting('leadforge.agency_id', true))
    with check (agency_id = current_setting('leadforge.agency_id', true));
