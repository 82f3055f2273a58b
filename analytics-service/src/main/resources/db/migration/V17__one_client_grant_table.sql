-- Client grants were kept twice: client_campaign_grant by the overview projection (V8) and campaign_client_grant by the
-- live-updates consumer (V12), the same facts under the same rule. Both consumers now write client_campaign_grant
-- (the upsert is idempotent and commutative, so two writers converge). What only the live consumer had seen is carried
-- over by the same rule: the higher version wins.
--
-- Both tables force row-level security, which would hide every row from this agency-less session; the owner reads and
-- writes them unrestricted only while the force is lifted, inside this migration's transaction.
alter table client_campaign_grant no force row level security;
alter table campaign_client_grant no force row level security;

insert into client_campaign_grant (campaign_id, user_id, agency_id, granted, version)
select campaign_id, user_id, agency_id, granted, version from campaign_client_grant
on conflict (campaign_id, user_id) do update set granted = excluded.granted, version = excluded.version
    where client_campaign_grant.version < excluded.version;

drop table campaign_client_grant;

alter table client_campaign_grant force row level security;
