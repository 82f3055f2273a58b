-- Grants made before they were announced as events (V8) would be unknown to lead-service, whose client reads follow
-- those events: announce every existing grant once, through the outbox, exactly as ClientGrantService does for a
-- new one (the relay publishes these rows like any other).
--
-- The grant table's row-level security admits no row to a connection without an agency (Flyway's), so the policy is
-- lifted for this transaction only (the table owner runs migrations) and restored before it commits.
alter table campaign_client_grant no force row level security;

insert into outbox_event (id, agency_id, aggregate_type, aggregate_id, event_type, topic, actor, payload, created_at)
select gen_random_uuid(), g.agency_id, 'campaign', g.campaign_id::text, 'leadforge.campaign.client_granted.v1',
       'leadforge.campaign-events', g.granted_by,
       jsonb_build_object('campaign_id', g.campaign_id, 'agency_id', g.agency_id, 'user_id', g.user_id,
                          'version', nextval('campaign_client_grant_version_seq'), 'actor', g.granted_by,
                          'occurred_at', to_char(g.granted_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')),
       now()
from campaign_client_grant g
order by g.campaign_id, g.granted_at, g.user_id;

alter table campaign_client_grant force row level security;
