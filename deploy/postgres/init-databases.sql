-- Creates one database per LeadForge service (see docs/conventions.md).
-- Run once by the postgres image on an empty data directory
-- (/docker-entrypoint-initdb.d), as POSTGRES_USER, who therefore owns them.
CREATE DATABASE leads;
CREATE DATABASE campaigns;
CREATE DATABASE scraping;
CREATE DATABASE analytics;
