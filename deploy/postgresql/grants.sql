-- What the application role may do in the app's database: read and write rows, nothing more.
-- docs/runbook.md "PostgreSQL". Run as a superuser (or the owner role), connected to the app's database,
-- after the first `migrate` and again after every restore:
--
--   psql -v ON_ERROR_STOP=1 -v owner_role=ncii_owner -v app_role=ncii_app -d ncii -f deploy/postgresql/grants.sql
--
-- The owner role owns the tables (it runs `migrate`); the app role (web, worker, beat) is neither the
-- owner nor a superuser, so it cannot ALTER TABLE … DISABLE TRIGGER, TRUNCATE, DROP, or set
-- session_replication_role: the audit tables' triggers (cases/audit_triggers.py) hold for it, and only
-- their narrow exceptions (app.redaction, app.key_rotation) apply.

REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO :"app_role";
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO :"app_role";
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO :"app_role";
-- Tables and sequences that later migrations create (as the owner) are the app's to use at once.
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner_role" IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"app_role";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner_role" IN SCHEMA public
    GRANT USAGE, SELECT ON SEQUENCES TO :"app_role";
