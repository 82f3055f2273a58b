-- Orders the grant changes of a campaign for consumers (campaign.client_granted / client_revoked carry it as
-- `version`): every grant and revoke takes the next value while it holds the campaign's row lock, so within one
-- campaign the values increase in commit order, and lead-service keeps only the newest change per (campaign, user)
-- whatever order the events arrive in. CACHE 1 (the default) is required: with a per-session cache two sessions could
-- take values out of commit order.
create sequence campaign_client_grant_version_seq cache 1;
