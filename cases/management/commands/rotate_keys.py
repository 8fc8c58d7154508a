"""Re-encrypt every encrypted column under the newest key in FIELD_ENCRYPTION_KEYS.

Key rotation, step by step:

1. Generate a new key and put it FIRST in FIELD_ENCRYPTION_KEYS, keeping the old key(s) after it
   (new writes use the new key at once, old values still read).
2. Run ``python manage.py rotate_keys`` (``--dry-run`` first to see the counts).
3. When it reports nothing left to rotate, the old key can be removed from the list.

What it covers: every installed concrete model with a field whose ``encrypted`` is true
(``cases.privacy.encrypted_fields``), which includes the django-simple-history ``Historical*``
models and the models of any app added later; nothing has to be registered.

How it works:

* Check pass (also the whole of ``--dry-run``): every non-empty stored token is read raw, in
  primary-key order, and must decrypt with one of the configured keys. If any does not, the command
  stops with an error before anything is written (fail closed: it never overwrites or skips a value
  it cannot read).
* Rotate pass: batches of ``--batch-size`` rows in primary-key order (keyset pagination), each batch
  in its own transaction; only tokens not readable with the newest key are re-encrypted
  (``MultiFernet.rotate``) and written back with one UPDATE per row. The UPDATE also requires the
  column to still hold the token that was read, so a row the application re-saved meanwhile (already
  under the newest key) is left alone.
* Resumable: committed batches stay rotated; running again after an interruption skips every value
  that already decrypts with the newest key and finishes the rest.

Raw column text is read and written with SQL through ``connection.cursor()``: going through the
ORM would decrypt on read (``from_db_value``) and encrypt again on write (``get_prep_value``).
No clear text is ever printed; errors name the model, column and primary key only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cryptography.fernet import Fernet
from django.apps import apps as global_apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections, router, transaction

from cases.privacy import DecryptionError, decrypt_text, encrypted_fields, needs_rotation, rotate_token

DEFAULT_BATCH_SIZE = 500
MAX_REPORTED_FAILURES = 3


def encrypted_models(app_registry=None) -> list:
    """Concrete models owning at least one encrypted column, in a stable order (by label)."""
    app_registry = app_registry or global_apps
    found = []
    for model in app_registry.get_models():
        opts = model._meta
        if opts.proxy or opts.swapped or opts.concrete_model is not model:
            continue
        if _local_encrypted_fields(model):
            found.append(model)
    return sorted(found, key=lambda m: m._meta.label_lower)


def _local_encrypted_fields(model) -> list:
    """Encrypted fields stored in this model's own table (a multi-table parent handles its own)."""
    local = set(model._meta.local_concrete_fields)
    return [f for f in encrypted_fields(model) if f in local]


@dataclass
class _Plan:
    model: type
    columns: list[str]
    rows: int = 0
    values: int = 0  # non-empty encrypted values
    stale: int = 0  # of those, not readable with the newest key
    failures: list[str] = field(default_factory=list)
    failure_count: int = 0

    @property
    def label(self) -> str:
        return self.model._meta.label


class Command(BaseCommand):
    help = (
        "Re-encrypt all encrypted columns (live and history tables) under the newest key in "
        "FIELD_ENCRYPTION_KEYS. Resumable; fails closed if a value decrypts with no configured key."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Only check every value and count what would be re-encrypted; write nothing.",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=DEFAULT_BATCH_SIZE,
            help=f"Rows per batch and per transaction (default {DEFAULT_BATCH_SIZE}).",
        )
        parser.add_argument(
            "--model",
            action="append",
            dest="models",
            metavar="APP_LABEL.MODEL",
            help="Only this model (repeatable), e.g. cases.Victim or cases.HistoricalVictim.",
        )
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help="Database alias to rotate (default 'default').",
        )

    def handle(
        self,
        *args,
        dry_run=False,
        batch_size=DEFAULT_BATCH_SIZE,
        models=None,
        database=DEFAULT_DB_ALIAS,
        **options,
    ):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        if not settings.FIELD_ENCRYPTION_KEYS:
            raise CommandError(
                "FIELD_ENCRYPTION_KEYS is empty: configure the keys (newest first) and run again."
            )
        try:
            for key in settings.FIELD_ENCRYPTION_KEYS:
                Fernet(key)
        except (ValueError, TypeError) as exc:
            raise CommandError("FIELD_ENCRYPTION_KEYS holds a value that is not a Fernet key.") from exc
        if len(settings.FIELD_ENCRYPTION_KEYS) == 1:
            self.stdout.write(
                "Note: only one key is configured, so every readable value is already under it."
            )
        connection = connections[database]
        selected = self._select_models(models, database, connection)
        if not selected:
            self.stdout.write("No encrypted columns found.")
            return

        plans = [_Plan(model=m, columns=[f.column for f in _local_encrypted_fields(m)]) for m in selected]

        # Pass 1: every value must be readable before anything is written (fail closed).
        self.stdout.write("Checking that every encrypted value decrypts with a configured key...")
        for plan in plans:
            self._check(plan, connection, batch_size)
            self.stdout.write(
                f"{plan.label}: {plan.rows} rows, {plan.values} encrypted values, {plan.stale} to re-encrypt"
            )
        failed = [p for p in plans if p.failure_count]
        if failed:
            total = sum(p.failure_count for p in failed)
            lines = [
                f"{total} encrypted value(s) do not decrypt with any key in FIELD_ENCRYPTION_KEYS "
                "(was an old key removed too early, or a key mistyped?). Nothing was changed.",
            ]
            for plan in failed:
                lines.append(
                    f"  {plan.label}: {plan.failure_count} unreadable, e.g. " + "; ".join(plan.failures)
                )
            lines.append(
                "Put the missing key back in FIELD_ENCRYPTION_KEYS (after the newest) and run again."
            )
            raise CommandError("\n".join(lines))

        to_rotate = sum(p.stale for p in plans)
        if dry_run:
            self.stdout.write(f"Dry run: {to_rotate} value(s) would be re-encrypted; nothing was written.")
            return

        # Pass 2: re-encrypt what the newest key cannot read, batch by batch.
        total_rotated = 0
        try:
            for plan in plans:
                total_rotated += self._rotate(plan, connection, batch_size)
        except KeyboardInterrupt:
            raise CommandError(
                "Interrupted. Batches already committed stay re-encrypted; run rotate_keys again to finish."
            ) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Done: {total_rotated} value(s) re-encrypted under the newest key in {len(plans)} model(s)."
            )
        )

    # --- model selection -----------------------------------------------------------------------

    def _select_models(self, wanted, database, connection) -> list:
        candidates = [m for m in encrypted_models() if router.allow_migrate_model(database, m)]
        if wanted:
            by_label = {m._meta.label_lower: m for m in candidates}
            chosen = []
            for label in wanted:
                model = by_label.get(label.lower())
                if model is None:
                    known = ", ".join(m._meta.label for m in candidates) or "none"
                    raise CommandError(f"{label} is not a model with encrypted fields. Known: {known}.")
                if model not in chosen:
                    chosen.append(model)
            candidates = chosen
        existing = set(connection.introspection.table_names())
        selected = []
        for model in candidates:
            if model._meta.db_table not in existing:
                self.stderr.write(
                    f"{model._meta.label}: table {model._meta.db_table} missing (not migrated?), skipped"
                )
                continue
            selected.append(model)
        return selected

    # --- raw SQL --------------------------------------------------------------------------------

    @staticmethod
    def _batches(plan: _Plan, connection, batch_size: int):
        """Yield lists of (pk, token, token, ...) rows in primary-key order, raw from the table."""
        qn = connection.ops.quote_name
        opts = plan.model._meta
        pk = qn(opts.pk.column)
        cols = ", ".join(qn(c) for c in plan.columns)
        table = qn(opts.db_table)
        last = None
        while True:
            if last is None:
                sql = f"SELECT {pk}, {cols} FROM {table} ORDER BY {pk} LIMIT %s"
                params = [batch_size]
            else:
                sql = f"SELECT {pk}, {cols} FROM {table} WHERE {pk} > %s ORDER BY {pk} LIMIT %s"
                params = [last, batch_size]
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                rows = cursor.fetchall()
            if not rows:
                return
            yield rows
            if len(rows) < batch_size:
                return
            last = rows[-1][0]

    @staticmethod
    def _count(plan: _Plan, connection) -> int:
        qn = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {qn(plan.model._meta.db_table)}")
            return cursor.fetchone()[0]

    # --- passes ---------------------------------------------------------------------------------

    def _check(self, plan: _Plan, connection, batch_size: int) -> None:
        for rows in self._batches(plan, connection, batch_size):
            for row in rows:
                plan.rows += 1
                for column, token in zip(plan.columns, row[1:], strict=True):
                    if token is None or token == "":
                        continue
                    plan.values += 1
                    try:
                        decrypt_text(str(token))
                    except DecryptionError:
                        plan.failure_count += 1
                        if len(plan.failures) < MAX_REPORTED_FAILURES:
                            plan.failures.append(f"{column} of pk={row[0]}")
                        continue
                    if needs_rotation(str(token)):
                        plan.stale += 1

    def _rotate(self, plan: _Plan, connection, batch_size: int) -> int:
        qn = connection.ops.quote_name
        opts = plan.model._meta
        total = self._count(plan, connection)
        done = rotated = 0
        for rows in self._batches(plan, connection, batch_size):
            with transaction.atomic(using=connection.alias):
                if connection.vendor == "postgresql":
                    # Audit rows are append-only; their triggers let a new token of the same clear value
                    # through while this is on (the chain's PII digest would show any other change).
                    with connection.cursor() as cursor:
                        cursor.execute("SET LOCAL app.key_rotation = 'on'")
                for row in rows:
                    pk_value, tokens = row[0], row[1:]
                    changes = []
                    for column, token in zip(plan.columns, tokens, strict=True):
                        if token is None or token == "" or not needs_rotation(str(token)):
                            continue
                        try:
                            changes.append((column, str(token), rotate_token(str(token))))
                        except DecryptionError as exc:
                            # Written after the check pass by something holding an unknown key.
                            raise CommandError(
                                f"{plan.label}: {column} of pk={pk_value} does not decrypt with any key in "
                                f"FIELD_ENCRYPTION_KEYS. Batch rolled back; earlier batches are rotated. "
                                f"Fix the keys and run again."
                            ) from exc
                    if not changes:
                        continue
                    sets = ", ".join(f"{qn(c)} = %s" for c, _, _ in changes)
                    same = " AND ".join(f"{qn(c)} = %s" for c, _, _ in changes)
                    sql = f"UPDATE {qn(opts.db_table)} SET {sets} WHERE {qn(opts.pk.column)} = %s AND {same}"
                    params = [new for _, _, new in changes] + [pk_value] + [old for _, old, _ in changes]
                    with connection.cursor() as cursor:
                        cursor.execute(sql, params)
                        if cursor.rowcount == 1:
                            rotated += len(changes)
                        # rowcount 0: the row was re-saved meanwhile, so it is already under the newest key.
            done += len(rows)
            self.stdout.write(f"{plan.label}: {done}/{total} rows checked, {rotated} values rotated")
        if done == 0:
            self.stdout.write(f"{plan.label}: 0/0 rows checked, 0 values rotated")
        return rotated
