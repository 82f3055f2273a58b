#!/bin/bash
# Run once by the postgres image on an empty data directory (/docker-entrypoint-initdb.d), as the superuser.
# Creates the role the services connect as and one database per service, owned by that role. The role is NOT a
# superuser on purpose: superusers bypass PostgreSQL row-level security, the services' second line of tenant isolation.
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
     -v app_password="$LEADFORGE_DB_PASSWORD" <<'SQL'
CREATE ROLE leadforge LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'app_password';
CREATE DATABASE leads OWNER leadforge;
CREATE DATABASE campaigns OWNER leadforge;
CREATE DATABASE scraping OWNER leadforge;
CREATE DATABASE analytics OWNER leadforge;
SQL
