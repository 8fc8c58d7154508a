"""Shared by the privacy tests: raw column reads and one case file full of distinctive PII."""

from __future__ import annotations

import datetime as dt
import random

from django.db import connection
from django.utils import timezone

from cases import services
from cases.demo import fictional_national_id
from cases.management.commands.rotate_keys import _local_encrypted_fields, encrypted_models
from cases.models import Intake
from cases.roles import Role
from cases.writes import model_save
from tests.factories import make_referral, make_user

_ids = random.Random(4242)

# Distinctive strings that must never be stored in clear. Digits-only phones are checked as well.
PII = {
    "victim_name": "鍾離雪霏",
    "caller_name": "歐陽靜瑤",
    "victim_phone": "+886 933-271-846",
    "victim_national_id": fictional_national_id(_ids),
    "address": "臺北市信義區松壽路九十九號七樓之三",
    "birth_date": dt.date(1994, 7, 23),
    "narrative": "前男友在論壇貼出代號紫藤花園的影片",
    "wishes_note": "只希望週三晚上以簡訊聯絡青鳥",
    "dispatch_reason": "由熟悉琉璃瓦案型的社工承辦",
    "redispatch_reason": "原承辦社工長假改派珊瑚礁",
    "closed_note": "來電者僅需諮詢資訊白鷺洲",
    "ref_victim_name": "司徒晴嵐",
    "ref_victim_phone": "0958 114 227",
    "ref_victim_national_id": fictional_national_id(_ids),
    "ref_narrative": "被害人至分局報案稱遭偷拍於藍鵲湖畔",
    "other_victim_name": "上官映雪",
    "contact_notes": "被害人說前男友常在天鵝湖站出口等她",
    "danger_reason": "通話中被害人的室友紫丁香在旁無法詢問",
    "danger_flag_reason": "警方確認已到場處理銀杏大道",
    "closing_note": "影像已於雪松平台下架結案",
}


def pii_needles() -> list[str]:
    """Every form in which the PII above could leak into a dump."""
    needles = []
    for value in PII.values():
        if isinstance(value, dt.date):
            needles += [value.isoformat(), value.strftime("%Y%m%d")]
            continue
        needles.append(value)
    for phone in (PII["victim_phone"], PII["ref_victim_phone"]):
        digits = "".join(ch for ch in phone if ch.isdigit())
        local = "0" + digits[3:] if digits.startswith("886") else digits
        needles += [digits, local, local[1:]]
    for national_id in (PII["victim_national_id"], PII["ref_victim_national_id"]):
        needles += [national_id.upper(), national_id.lower()]
    return sorted(set(needles))


def build_case_file(prefix: str = "priv") -> dict:
    """Users, a called-in case (dispatched twice, address added), a police referral case, a closed intake.

    Needs the role groups (call cases.roles.sync_role_groups() first after a flush).
    """
    hotline = make_user(f"{prefix}_hotline", Role.HOTLINE)
    worker = make_user(f"{prefix}_worker", Role.SOCIAL_WORKER)
    worker2 = make_user(f"{prefix}_worker2", Role.SOCIAL_WORKER)
    police = make_user(f"{prefix}_police", Role.POLICE)

    intake = services.intake_record(
        actor=hotline,
        source=Intake.Source.CALL,
        caller_name=PII["caller_name"],
        victim_name=PII["victim_name"],
        victim_phone=PII["victim_phone"],
        victim_national_id=PII["victim_national_id"],
        victim_birth_date=PII["birth_date"],
        narrative=PII["narrative"],
        wishes_note=PII["wishes_note"],
    )
    case = services.case_open_from_intake(actor=hotline, intake=intake)
    victim = case.victim
    victim.address = PII["address"]
    model_save(actor=hotline, instance=victim, update_fields=["address"])
    services.dispatch_case(actor=hotline, case=case, worker=worker, reason=PII["dispatch_reason"])
    services.dispatch_case(actor=hotline, case=case, worker=worker2, reason=PII["redispatch_reason"])
    case.refresh_from_db()

    referral = make_referral(
        police=police,
        victim_name=PII["ref_victim_name"],
        victim_phone=PII["ref_victim_phone"],
        victim_national_id=PII["ref_victim_national_id"],
        narrative=PII["ref_narrative"],
    )
    ref_case = services.case_open_from_intake(actor=hotline, intake=referral.intake)

    # Contacts (notes, a reason the danger question could not be asked), the danger flag and closing.
    supervisor = make_user(f"{prefix}_supervisor", Role.SUPERVISOR)
    now = timezone.now()
    services.contact_record(
        actor=worker2,
        case=case,
        contacted_at=now - dt.timedelta(hours=3),
        mode="phone",
        result="reached",
        immediate_danger="yes",
        notes=PII["contact_notes"],
    )
    services.contact_record(
        actor=worker2,
        case=case,
        contacted_at=now - dt.timedelta(hours=2),
        mode="phone",
        result="reached",
        immediate_danger="not_asked",
        danger_not_asked_reason=PII["danger_reason"],
    )
    services.case_clear_danger(actor=supervisor, case=case, note=PII["danger_flag_reason"])
    services.case_close_request(
        actor=worker2, case=case, closing_reason="goals_met", note=PII["closing_note"]
    )
    case.refresh_from_db()

    other = services.intake_record(
        actor=hotline, source=Intake.Source.CALL, victim_name=PII["other_victim_name"], narrative="詢問流程"
    )
    services.intake_close(actor=hotline, intake=other, note=PII["closed_note"])
    return {"case": case, "ref_case": ref_case, "referral": referral, "victim": victim}


def raw_tokens() -> dict[tuple[str, str, str], str]:
    """(model label, column, pk) -> the raw stored text of every non-empty encrypted column.

    Read with plain SQL, so the fields' from_db_value (which decrypts) never runs.
    """
    qn = connection.ops.quote_name
    tokens = {}
    existing = set(connection.introspection.table_names())
    for model in encrypted_models():
        opts = model._meta
        if opts.db_table not in existing:
            continue
        columns = [f.column for f in _local_encrypted_fields(model)]
        sql = "SELECT {}, {} FROM {}".format(
            qn(opts.pk.column), ", ".join(qn(c) for c in columns), qn(opts.db_table)
        )
        with connection.cursor() as cursor:
            cursor.execute(sql)
            for pk, *values in cursor.fetchall():
                for column, value in zip(columns, values, strict=True):
                    if value not in (None, ""):
                        tokens[(opts.label, column, str(pk))] = value
    return tokens
