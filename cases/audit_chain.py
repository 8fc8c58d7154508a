"""Tamper evidence for the audit trail (issue 21; docs/privacy.md 「稽核軌跡」).

Every audit row — the history row of every model, every read-log row, every audit event — carries:

- `chain_digest`: SHA-256 of the row's non-PII columns (canonical JSON) plus `pii_digest`, computed here
  before the INSERT;
- `pii_digest`: a keyed HMAC of the row's PII columns in clear (encrypted fields and blind indexes), so
  retention may blank them (cases.retention) without breaking the chain, while an altered value that is
  not blank still shows;
- `chain_seq` and `chain_hash`: set by a database trigger at INSERT (cases.audit_triggers), under a row
  lock on the table's `AuditChainHead`: chain_hash = SHA-256(previous chain_hash + chain_digest). One
  trigger statement per row, no extra query from the app; concurrent writers of one table queue on the
  head row until commit, so the order of the chain is the order of commits.

`verify_table(model)` walks one table's chain and reports the first row that was altered, removed or
inserted out of order (`manage.py audit_verify`).
"""

from __future__ import annotations

import datetime as dt
import decimal
import functools
import hashlib
import hmac
import json
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, models

from cases.privacy import DecryptionError, decrypt_text

CHAIN_COLUMNS = ("chain_seq", "chain_hash", "chain_digest", "pii_digest")


class ChainedRow(models.Model):
    """Abstract base of every audit row (history rows through cases.history.AuditedHistoricalRecords)."""

    chain_seq = models.BigIntegerField("鏈序號", null=True, blank=True, editable=False, db_index=True)
    chain_hash = models.CharField("鏈雜湊", max_length=64, blank=True, default="", editable=False)
    chain_digest = models.CharField("內容摘要", max_length=64, blank=True, default="", editable=False)
    pii_digest = models.CharField("個資摘要", max_length=64, blank=True, default="", editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self._state.adding:
            seal(self)
        super().save(*args, **kwargs)


def is_chained(model) -> bool:
    return issubclass(model, ChainedRow) and not model._meta.abstract


def chained_models() -> list:
    """Every concrete audit table, found generically (history models of every app included)."""
    from django.apps import apps

    return sorted((m for m in apps.get_models() if is_chained(m)), key=lambda m: m._meta.db_table)


# --- which columns are PII -------------------------------------------------------------------------


@functools.cache
def pii_fields(model) -> tuple[models.Field, ...]:
    """Encrypted columns and blind indexes: what retention blanks and what the digest keeps apart.

    Cached per model class (a list page seals 50 read-log rows per request)."""
    return tuple(
        f
        for f in model._meta.concrete_fields
        if getattr(f, "encrypted", False)
        or (f.name.endswith("_index") and isinstance(f, models.CharField) and not f.editable)
    )


@functools.cache
def _content_fields(model) -> tuple[models.Field, ...]:
    skip = {f.attname for f in pii_fields(model)} | set(CHAIN_COLUMNS)
    auto = model._meta.pk if isinstance(model._meta.pk, models.AutoField) else None
    return tuple(f for f in model._meta.concrete_fields if f.attname not in skip and f is not auto)


# --- canonical digests -----------------------------------------------------------------------------


def _canonical(value):
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value.isoformat(timespec="microseconds")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, uuid.UUID):
        return value.hex
    if isinstance(value, dt.timedelta):
        return round(value.total_seconds() * 1_000_000)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dict | list | tuple):
        return json.loads(json.dumps(value, sort_keys=True, default=str))
    return str(value)


def content_json(model, values: dict) -> str:
    """The row's non-PII columns as canonical JSON; `values` maps attname to the Python value."""
    out = {}
    for f in _content_fields(model):
        value = values.get(f.attname)
        if value is None:
            continue  # a column added later (null in old rows) leaves old digests valid
        try:
            value = f.to_python(value) if not isinstance(f, models.JSONField) else value
        except Exception:  # noqa: BLE001 - an odd value is hashed as it is
            pass
        out[f.attname] = _canonical(value)
    return json.dumps(out, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def pii_digest(model, clear: dict) -> str:
    """Keyed HMAC of the PII in clear ('' when the row has none). Keyed, so it reveals nothing."""
    fields = pii_fields(model)
    if not fields:
        return ""
    payload = json.dumps(
        {f.attname: _canonical(clear.get(f.attname)) for f in fields},
        sort_keys=True,
        ensure_ascii=False,
    )
    key = ("audit-pii:" + settings.BLIND_INDEX_KEY).encode()
    return hmac.new(key, payload.encode(), hashlib.sha256).hexdigest()


def chain_digest(content: str, pii: str) -> str:
    return hashlib.sha256(f"{content}|{pii}".encode()).hexdigest()


def next_hash(previous: str, digest: str) -> str:
    """The trigger computes the same: SHA-256 of the previous hash (hex, '' first) and the digest."""
    return hashlib.sha256((previous + digest).encode()).hexdigest()


def seal(instance) -> None:
    """Fill the row's digests before its INSERT (the trigger adds seq and hash)."""
    model = type(instance)
    values = {f.attname: getattr(instance, f.attname, None) for f in model._meta.concrete_fields}
    instance.pii_digest = pii_digest(model, values)
    instance.chain_digest = chain_digest(content_json(model, values), instance.pii_digest)


def sealed(rows: list) -> list:
    """For bulk_create, which skips save()."""
    for row in rows:
        seal(row)
    return rows


# --- verification ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    table: str
    seq: int | None
    pk: object
    problem: str  # zh-Hant, for the operator

    def __str__(self) -> str:
        where = f"序號 {self.seq}" if self.seq is not None else "未編序"
        return f"{self.table}：{where}（主鍵 {self.pk}）{self.problem}"


@dataclass(frozen=True)
class ChainReport:
    table: str
    rows: int
    unsealed: int  # rows written before the chain existed (legacy), reported, never trusted
    head_hash: str
    finding: Finding | None


def _raw_pii(model, pks: list) -> dict:
    """Ciphertext of the PII columns, read without the fields' decryption (a broken token is a finding)."""
    fields = pii_fields(model)
    if not fields or not pks:
        return {}
    table = connection.ops.quote_name(model._meta.db_table)
    pk_col = connection.ops.quote_name(model._meta.pk.column)
    cols = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    out = {}
    with connection.cursor() as cursor:
        for start in range(0, len(pks), 500):
            chunk = pks[start : start + 500]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"SELECT {pk_col}, {cols} FROM {table} WHERE {pk_col} IN ({marks})",  # noqa: S608
                [model._meta.pk.get_db_prep_value(pk, connection) for pk in chunk],
            )
            for row in cursor.fetchall():
                out[model._meta.pk.to_python(row[0])] = dict(
                    zip([f.attname for f in fields], row[1:], strict=True)
                )
    return out


def _clear_pii(model, raw: dict) -> tuple[dict | None, bool]:
    """(clear values, redacted?). None when a token does not decrypt (altered ciphertext)."""
    clear = {}
    redacted = all(value in (None, "") for value in raw.values())
    for f in pii_fields(model):
        value = raw.get(f.attname)
        if value in (None, "") or not getattr(f, "encrypted", False):
            clear[f.attname] = value
            continue
        try:
            clear[f.attname] = f.from_clear(decrypt_text(value))
        except DecryptionError:
            return None, redacted
    return clear, redacted


def verify_table(model, *, batch: int = 2000) -> ChainReport:
    """Walk the table's chain in seq order; the first broken link is the finding."""
    from cases.models import AuditChainHead

    table = model._meta.db_table
    content_names = [f.attname for f in _content_fields(model)]
    pk_name = model._meta.pk.attname
    names = list(dict.fromkeys([pk_name, *content_names, *CHAIN_COLUMNS]))
    unsealed = model._base_manager.filter(chain_seq__isnull=True).count()
    previous, expected_seq, rows = "", 1, 0
    finding = None
    last_seq = 0
    sealed_rows = model._base_manager.filter(chain_seq__isnull=False).order_by("chain_seq", pk_name)
    chunk: list[dict] = []
    has_pii = bool(pii_fields(model))

    def check(chunk: list[dict]):
        nonlocal previous, expected_seq, rows, last_seq
        raw = _raw_pii(model, [r[pk_name] for r in chunk])
        for values in chunk:
            rows += 1
            seq, pk = values["chain_seq"], values[pk_name]
            if seq != expected_seq:
                if seq < expected_seq:
                    return Finding(table, seq, pk, "序號重複或順序錯置（可能被插入）")
                return Finding(table, expected_seq, pk, f"缺少序號 {expected_seq}–{seq - 1}（可能被刪除）")
            pii = values["pii_digest"]
            if has_pii:
                clear, redacted = _clear_pii(model, raw.get(pk, {}))
                if clear is None:
                    return Finding(table, seq, pk, "個資欄位無法解密（密文被更改）")
                if not redacted and pii_digest(model, clear) != pii:
                    return Finding(table, seq, pk, "個資欄位與摘要不符（被更改）")
            if chain_digest(content_json(model, values), pii) != values["chain_digest"]:
                return Finding(table, seq, pk, "內容與摘要不符（被更改）")
            expected = next_hash(previous, values["chain_digest"])
            if expected != values["chain_hash"]:
                return Finding(table, seq, pk, "鏈雜湊不符（此列或前一列被更改、刪除或插入）")
            previous, expected_seq, last_seq = expected, expected_seq + 1, seq
        return None

    for values in sealed_rows.values(*names).iterator(chunk_size=batch):
        chunk.append(values)
        if len(chunk) >= batch:
            finding = check(chunk)
            chunk = []
            if finding:
                break
    if finding is None and chunk:
        finding = check(chunk)
    if finding is None:
        head = AuditChainHead.objects.filter(chain=table).first()
        if head is not None and (head.seq != last_seq or head.last_hash != previous):
            finding = Finding(
                table, last_seq + 1, None, f"鏈尾不符：應有 {head.seq} 列，最後幾列可能被刪除或更改"
            )
    return ChainReport(table=table, rows=rows, unsealed=unsealed, head_hash=previous, finding=finding)
