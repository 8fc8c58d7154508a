"""Fictional evidence records for `seed_demo`: teaching with its checklist, items on several platforms,
one re-posted image recognised by its fingerprint. No image anywhere: the digests are made up."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.utils import timezone

from evidence import services
from evidence.models import EvidenceItem, EvidenceTeaching, Platform

_ITEMS = [
    (
        "facebook",
        {"url": "https://www.facebook.com/permalink.php?story_fbid=1000{n}", "capture_fullscreen": True},
    ),
    (
        "ptt",
        {
            "url": "https://www.ptt.cc/bbs/Gossiping/M.17000{n}.A.1B2.html",
            "poster_ip": "140.112.{n}.8",
            "capture_fullscreen": True,
        },
    ),
    (
        "instagram-dm",
        {
            "poster_account_name": "示範帳號{n}",
            "poster_account_id": "demo_acct_{n}",
            "capture_recording": True,
        },
    ),
    ("telegram", {"url": "https://t.me/demo_channel_{n}/42", "capture_recording": True, "ephemeral": True}),
]


def _digests(seed: str) -> tuple[str, str]:
    sha = hashlib.sha256(seed.encode()).hexdigest()
    return sha, sha[:16]


def add_demo_data(*, users: dict, cases: list, rng) -> None:
    today = timezone.localdate()
    platforms = {p.code: p for p in Platform.objects.all()}
    items = services.checklist_items()
    assigned = [c for c in cases if c.assigned_worker_id and not c.is_closed]
    for i, case in enumerate(assigned):
        actor = case.assigned_worker
        ticked = [it.code for it in items if it.group != "room"]
        if i % 3 == 2:
            ticked = ticked[:4]  # a teaching still under way
        services.teaching_save(
            actor=actor,
            case=case,
            taught_on=today - dt.timedelta(days=10 + i),
            mode=EvidenceTeaching.Mode.PHONE if i % 2 else EvidenceTeaching.Mode.VIDEO,
            face_to_face_refused=True,
            video_link_sent_on=today - dt.timedelta(days=10 + i),
            advised_collect_now=True,
            told_center_keeps_no_copy=True,
            ticked=ticked,
        )
        for j in range(1 + i % 3):
            code, fields = _ITEMS[(i + j) % len(_ITEMS)]
            data = {k: (v.format(n=i * 10 + j) if isinstance(v, str) else v) for k, v in fields.items()}
            # The third item re-posts the first one's image: the panel tells so.
            seed = f"demo-image-{i}-{0 if j == 2 else j}"
            sha, phash = _digests(seed)
            services.evidence_item_add(
                actor=actor,
                case=case,
                platform=platforms[code],
                first_seen_on=today - dt.timedelta(days=rng.randint(5, 170)),
                act_on=today - dt.timedelta(days=rng.randint(171, 200)),
                kept_where=EvidenceItem.KeptWhere.USB if j % 2 == 0 else EvidenceItem.KeptWhere.NOT_YET,
                kept_encrypted=j % 2 == 0,
                copy_confirmed_on=today - dt.timedelta(days=2) if j % 2 == 0 else None,
                content_summary="對方張貼的貼文文字（示範）",
                sha256=sha,
                phash=phash,
                **data,
            )
