-- 010: reserved for the incident owner change, built on another branch; migration numbers have no
-- gaps (src/store/migrate.ts), so this placeholder holds the number and does nothing. At merge the
-- owner branch's 010_incident_owner.sql replaces it.
SELECT 1;
