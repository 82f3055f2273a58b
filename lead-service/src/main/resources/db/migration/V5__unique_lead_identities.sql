-- A live lead's normalised e-mail, phone and LinkedIn URL are unique within its agency. The service checks first
-- (to answer 409 with a link to the existing lead); these indexes make the rule hold when two requests race.
drop index if exists lead_agency_email_idx;
drop index if exists lead_agency_phone_idx;
drop index if exists lead_agency_linkedin_idx;
create unique index lead_agency_email_key on lead (agency_id, email) where deleted_at is null and email is not null;
create unique index lead_agency_phone_key on lead (agency_id, phone) where deleted_at is null and phone is not null;
create unique index lead_agency_linkedin_key on lead (agency_id, linkedin_url)
    where deleted_at is null and linkedin_url is not null;
