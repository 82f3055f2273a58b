-- Second line of tenant isolation, as in the other services: rows are visible only to the agency named by the
-- per-connection setting leadforge.agency_id (set by RowLevelSecurityConnections). FORCE binds the owner role the
-- service connects as. outbox_event and processed_event stay without policies: the relay and inbox work across
-- agencies.
--
-- The lead table deliberately has no policy. Under row-level security PostgreSQL evaluates the policy before any
-- qual whose operator is not LEAKPROOF, so such quals cannot be index conditions; full text (@@) and LIKE are not
-- leakproof (marking them needs a superuser), and with a policy the search plan becomes a sequential scan over every
-- lead (seen in LeadQueryPlanTest). Lead isolation therefore rests on the @TenantId filter for HQL and on the
-- explicitly bound agency predicate that LeadQuery puts first in every native statement.

alter table contact_point enable row level security;
alter table contact_point force row level security;
create policy contact_point_agency_isolation on contact_point
    using (agency_id = current_setting('leadforge.agency_id', true))
    with check (agency_id = current_setting('leadforge.agency_id', true));

alter table lead_activity enable row level security;
alter table lead_activity force row level security;
create policy lead_activity_agency_isolation on lead_activity
    using (agency_id = current_setting('leadforge.agency_id', true))
    with check (agency_id = current_setting('leadforge.agency_id', true));
