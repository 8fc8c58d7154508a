"""Default catalogue rows, loaded by the data migration and by tests after a flush.

The guideline names the safety reminder sheet (指引 7-1b) but does not give its text. The default below
is written from public safety-planning advice (the Ministry of Health and Welfare's family-violence
safety-plan leaflets, the 113 hotline's advice, the police's stalking guidance) and the guideline's own
items 7-2-1 … 7-3; the centre replaces it with its own sheet in the admin (docs/safety.md). Loading
only adds what is missing, so an administrator's edits are never overwritten.
"""

from __future__ import annotations

from django.utils import timezone

DEFAULT_SHEET = {
    "version": "預設-1",
    "title": "安全提醒單",
    "intro": (
        "您的安全最重要。以下提醒可以和社工一起討論，依您的情況調整；"
        "任何時候覺得危險，請先離開現場並撥打110。"
    ),
    "body": "\n\n".join(
        [
            "緊急時\n"
            "感到立即危險時，立即撥打110報警，說清楚所在位置。\n"
            "先到人多、有監視器的地方（便利商店、派出所、捷運站）。\n"
            "和信任的親友約定暗號，需要時由他們代為報警。",
            "日常出入\n"
            "調整上下班、上下學的時間，更換不同路線。\n"
            "請親友接送或陪同出入，避免單獨前往加害人知道的地點。\n"
            "可請轄區派出所在住處或工作地點附近增設巡邏點。",
            "手機與網路\n"
            "檢查手機與帳號是否被設定定位分享、轉寄或不明裝置登入，並更改密碼、開啟兩步驟驗證。\n"
            "不要回應加害人的威脅或勒索，也不要付款。\n"
            "保存訊息、通話紀錄與網址截圖（含日期時間），作為報案與聲請保護令的證據；不要轉傳影像本身。",
            "住處\n"
            "加害人知道您的住處時，可與社工討論暫時轉移到安全住所（緊急安置）。\n"
            "更換門鎖，告知管理員或鄰居留意可疑人士。\n"
            "準備一個隨時可帶走的包包：證件、健保卡、存摺、鑰匙、藥品、充電器、重要電話。",
            "法律保護\n"
            "加害人是家人、同居人或現在或曾經交往的伴侶：可聲請民事保護令（家庭暴力防治法）。\n"
            "加害人一再跟蹤、監視、騷擾：可向警察報案，由警察核發書面告誡，之後可聲請保護令（跟蹤騷擾防制法）。\n"
            "也可以向檢察官申請保護（犯罪被害人權益保障法）。社工可以陪您了解與申請。",
        ]
    ),
    "hotlines": "\n".join(
        [
            "報警｜110",
            "保護專線（24小時）｜113",
            "安心專線（心理諮詢，24小時）｜1925",
            "承辦社工｜＿＿＿＿＿＿＿＿",
        ]
    ),
    "is_current": True,
}

DEFAULT_SCHEMES = [
    {
        "name": "112年臺北市家庭暴力及性侵害被害緊急安置住宿服務",
        "roc_year": 112,
        "max_nights": None,
        "nightly_cap": None,
        "note": (
            "指引 7-3：提供性影像被害人短期庇護於本市友善旅館。每年度方案名稱、晚數與補助上限依當年度修訂，"
            "請督導於年度開始時新增當年方案並停用舊方案。"
        ),
        "is_active": True,
    },
]

SOURCE_NOTE = "指引 7-1b、7-3 初始資料（safety/catalogue.py）"


def _create(model, historical, fields: dict):
    row = model.objects.create(**fields)
    if historical is not None:
        historical.objects.create(
            id=row.pk,
            history_date=timezone.now(),
            history_type="+",
            history_change_reason=SOURCE_NOTE,
            **fields,
        )
    return row


def load_catalogues(sheet_model, scheme_model, historical_sheet=None, historical_scheme=None) -> int:
    """Create the default sheet (when no sheet exists) and the missing schemes; works in migrations."""
    created = 0
    if not sheet_model.objects.exists():
        _create(sheet_model, historical_sheet, dict(DEFAULT_SHEET))
        created += 1
    existing = set(scheme_model.objects.values_list("name", flat=True))
    for fields in DEFAULT_SCHEMES:
        if fields["name"] not in existing:
            _create(scheme_model, historical_scheme, dict(fields))
            created += 1
    return created
