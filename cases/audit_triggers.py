"""Database triggers of the audit trail (issue 21; docs/privacy.md 「稽核軌跡」).

On every audit table (cases.audit_chain.chained_models(): the history table of every model, the read
log, the audit events):

- both databases: an INSERT trigger sets `chain_seq` and `chain_hash` from the table's
  `cases_auditchainhead` row, which is updated in the same statement. On PostgreSQL a statement trigger
  locks and reads that row before the rows and writes it once after them (row triggers carry the link
  in transaction-local settings); the lock is held until commit, so concurrent writers are chained in
  commit order. On SQLite (development) the
  trigger calls Django's SHA256() connection function, so rows inserted outside Django fail loudly.
- PostgreSQL only: UPDATE and DELETE raise, for every role, except an UPDATE that only blanks PII
  columns while the transaction-local setting `app.redaction` is on (cases.retention), or that only
  changes PII columns while `app.key_rotation` is on (rotate_keys: a new token of the same clear value,
  which the chain's keyed PII digest checks); TRUNCATE raises
  unless the session role is a superuser (the maintenance path: pytest-django's flush, a restore).
  A superuser or the tables' owner can still switch triggers off (session_replication_role = replica,
  ALTER TABLE … DISABLE TRIGGER): that is what the hash chain and `manage.py audit_verify` are for.

Installed by the cases migration that adds the chain and again after every `migrate` (post_migrate), so
a history table added later by any app gets them too.
"""

from __future__ import annotations

from django.db import connections

HEAD_TABLE = "cases_auditchainhead"

_PG_FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION audit_chain_begin() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    head_seq bigint;
    head_hash text;
BEGIN
    SELECT seq, last_hash INTO head_seq, head_hash FROM {HEAD_TABLE}
        WHERE chain = TG_TABLE_NAME FOR UPDATE;
    IF NOT FOUND THEN
        INSERT INTO {HEAD_TABLE} (chain, seq, last_hash) VALUES (TG_TABLE_NAME, 0, '')
            ON CONFLICT (chain) DO NOTHING;
        SELECT seq, last_hash INTO head_seq, head_hash FROM {HEAD_TABLE}
            WHERE chain = TG_TABLE_NAME FOR UPDATE;
    END IF;
    PERFORM set_config('audit_chain.start_' || TG_TABLE_NAME, head_seq::text, true);
    PERFORM set_config('audit_chain.seq_' || TG_TABLE_NAME, head_seq::text, true);
    PERFORM set_config('audit_chain.hash_' || TG_TABLE_NAME, head_hash, true);
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION audit_chain_row() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    head_seq bigint;
    head_hash text;
BEGIN
    -- The statement's running link, set by audit_chain_begin; unset (an error) if that trigger is missing.
    head_seq := current_setting('audit_chain.seq_' || TG_TABLE_NAME)::bigint + 1;
    head_hash := encode(sha256(convert_to(
        current_setting('audit_chain.hash_' || TG_TABLE_NAME) || coalesce(NEW.chain_digest, ''),
        'UTF8')), 'hex');
    PERFORM set_config('audit_chain.seq_' || TG_TABLE_NAME, head_seq::text, true);
    PERFORM set_config('audit_chain.hash_' || TG_TABLE_NAME, head_hash, true);
    NEW.chain_seq := head_seq;
    NEW.chain_hash := head_hash;
    RETURN NEW;
END
$$;

CREATE OR REPLACE FUNCTION audit_chain_end() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    head_seq bigint;
BEGIN
    head_seq := current_setting('audit_chain.seq_' || TG_TABLE_NAME)::bigint;
    IF head_seq <> current_setting('audit_chain.start_' || TG_TABLE_NAME)::bigint THEN
        UPDATE {HEAD_TABLE}
            SET seq = head_seq, last_hash = current_setting('audit_chain.hash_' || TG_TABLE_NAME)
            WHERE chain = TG_TABLE_NAME;
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    col text;
    new_row jsonb;
    old_row jsonb;
BEGIN
    IF TG_OP = 'UPDATE' AND coalesce(current_setting('app.redaction', true), '') = 'on' THEN
        new_row := to_jsonb(NEW);
        old_row := to_jsonb(OLD);
        IF (new_row - TG_ARGV) = (old_row - TG_ARGV) THEN
            FOREACH col IN ARRAY TG_ARGV LOOP
                IF coalesce(new_row ->> col, '') <> ''
                        AND (new_row -> col) IS DISTINCT FROM (old_row -> col) THEN
                    RAISE EXCEPTION 'audit rows of % may only have PII columns blanked (%)',
                        TG_TABLE_NAME, col USING ERRCODE = 'insufficient_privilege';
                END IF;
            END LOOP;
            RETURN NEW;
        END IF;
    END IF;
    IF TG_OP = 'UPDATE' AND coalesce(current_setting('app.key_rotation', true), '') = 'on'
            AND (to_jsonb(NEW) - TG_ARGV) = (to_jsonb(OLD) - TG_ARGV) THEN
        RETURN NEW;  -- rotate_keys: a new token of the PII columns only; the PII digest shows any change
    END IF;
    RAISE EXCEPTION 'audit rows of % are append-only (% refused)', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE OR REPLACE FUNCTION audit_no_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'audit table % cannot be truncated by %', TG_TABLE_NAME, current_user
        USING ERRCODE = 'insufficient_privilege';
END
$$;
"""


# The head row is locked and read once per INSERT statement and written once after it; each row's link is
# kept in transaction-local settings in between. A 50-row read-log insert (a list page) used to update
# the head row 50 times: 50 dead versions of one hot row per page, which every later insert walked.
_PG_CHAIN_TRIGGERS = (
    ("audit_chain_begin", "BEFORE", "STATEMENT", "audit_chain_begin"),
    ("audit_chain", "BEFORE", "ROW", "audit_chain_row"),
    ("audit_chain_end", "AFTER", "STATEMENT", "audit_chain_end"),
)


def _quote_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _has_chain_columns(connection, table: str) -> bool:
    with connection.cursor() as cursor:
        if table not in connection.introspection.table_names(cursor):
            return False
        columns = {c.name for c in connection.introspection.get_table_description(cursor, table)}
    return {"chain_seq", "chain_hash", "chain_digest"} <= columns


def install(*, using: str = "default", models=None) -> list[str]:
    """(Re)create the triggers on every audit table that has its chain columns; returns the tables."""
    from cases.audit_chain import chained_models, pii_fields

    connection = connections[using]
    models = chained_models() if models is None else models
    if HEAD_TABLE not in connection.introspection.table_names():
        return []
    q = connection.ops.quote_name
    done = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_PG_FUNCTIONS)
        for model in models:
            table = model._meta.db_table
            if not _has_chain_columns(connection, table):
                continue
            if connection.vendor == "postgresql":
                pii = ", ".join(_quote_literal(f.column) for f in pii_fields(model))
                for name, when, each, function in _PG_CHAIN_TRIGGERS:
                    cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {q(table)}")
                    cursor.execute(
                        f"CREATE TRIGGER {name} {when} INSERT ON {q(table)} "
                        f"FOR EACH {each} EXECUTE FUNCTION {function}()"
                    )
                cursor.execute(f"DROP TRIGGER IF EXISTS audit_append_only ON {q(table)}")
                cursor.execute(
                    f"CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON {q(table)} "
                    f"FOR EACH ROW EXECUTE FUNCTION audit_append_only({pii})"
                )
                cursor.execute(f"DROP TRIGGER IF EXISTS audit_no_truncate ON {q(table)}")
                cursor.execute(
                    f"CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON {q(table)} "
                    "FOR EACH STATEMENT EXECUTE FUNCTION audit_no_truncate()"
                )
            elif connection.vendor == "sqlite":
                name = q(f"{table}_audit_chain")
                pk = q(model._meta.pk.column)
                literal = _quote_literal(table)
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
                cursor.execute(
                    f"CREATE TRIGGER {name} AFTER INSERT ON {q(table)} FOR EACH ROW BEGIN "
                    f"INSERT OR IGNORE INTO {HEAD_TABLE} (chain, seq, last_hash) VALUES ({literal}, 0, ''); "
                    f"UPDATE {HEAD_TABLE} SET seq = seq + 1, "
                    "last_hash = SHA256(last_hash || coalesce(NEW.chain_digest, '')) "
                    f"WHERE chain = {literal}; "
                    f"UPDATE {q(table)} SET "
                    f"chain_seq = (SELECT seq FROM {HEAD_TABLE} WHERE chain = {literal}), "
                    f"chain_hash = (SELECT last_hash FROM {HEAD_TABLE} WHERE chain = {literal}) "
                    f"WHERE {pk} = NEW.{pk}; "
                    "END"
                )
            else:
                continue
            done.append(table)
    return done


def install_after_migrate(sender, using="default", **kwargs) -> None:
    """post_migrate of the cases app: every app's tables exist by then."""
    install(using=using)
