"""The services app's catalogues as first loaded by its data migration (and by tests after a flush).

Supervisors and administrators edit them afterwards in the admin, with history: a checklist change is a
new version (records keep the version they were made with), a programme change a changed row.
Loading only adds what is missing, so edits made since are left alone.
"""

from __future__ import annotations

import datetime as dt

# 指引 3-1-1 … 3-1-3: interview escort (陪同偵訊), before / during / after.
INTERVIEW_ITEMS = [
    {"code": "3-1-1A", "phase": "before", "text": "報案時將證據交由警員，並建議被害人自己保留一份證據"},
    {"code": "3-1-1B", "phase": "before", "text": "與被害人確認報案時間，約定時間至警局或婦幼隊製作筆錄"},
    {"code": "3-1-1C", "phase": "before", "text": "注意警方是否留意被害人隱私（隔離空間、偵訊代號）"},
    {"code": "3-1-1D", "phase": "before", "text": "詢問被害人是否需要同性別警員製作筆錄"},
    {
        "code": "3-1-1E",
        "phase": "before",
        "text": (
            "提醒蒐證重點：不刪除帳號／好友／對話；"
            "保留對話或訊息截圖、張貼內容、張貼者帳號ID、IP位置、圖像連結網址"
        ),
    },
    {"code": "3-1-1F", "phase": "before", "text": "說明偵訊重點與被害人相關權益"},
    {
        "code": "3-1-2A",
        "phase": "during",
        "text": "協助被害人與警方溝通；有陳述障礙時連結專業人士詢訊問服務或通譯",
    },
    {"code": "3-1-2B", "phase": "during", "text": "適時安撫、同理；留意警方不當態度、言語批判或重複詢問"},
    {"code": "3-1-2C", "phase": "during", "text": "出現創傷反應時，詢問被害人意願或要求暫停筆錄"},
    {"code": "3-1-2D", "phase": "during", "text": "與警方合作回應被害人疑慮，降低恐懼與焦慮"},
    {"code": "3-1-2E", "phase": "during", "text": "協助被害人理解警方詢問，並尊重被害人自決"},
    {"code": "3-1-2F", "phase": "during", "text": "處理報案現場的衝突（被害人、陪同親屬、警方）"},
    {"code": "3-1-3A", "phase": "after", "text": "協助被害人確認筆錄內容，必要時請員警修改"},
    {"code": "3-1-3B", "phase": "after", "text": "涉及責任通報時，提醒承辦警員完成通報"},
    {
        "code": "3-1-3C",
        "phase": "after",
        "text": "說明日後訴訟流程（告訴乃論或非告訴乃論、偵辦之地方檢察署）",
    },
    {"code": "3-1-3D", "phase": "after", "text": "陪偵後3日內完成出勤服務工作紀錄表"},
]

# 指引 3-2-1 … 3-2-3: court escort (陪同出庭).
COURT_ITEMS = [
    {
        "code": "3-2-1A",
        "phase": "before",
        "text": "確認開庭時間、被害人是否出庭，及是否申請隔離訊問、隔離訊問庭或溫馨會談室",
    },
    {
        "code": "3-2-1B",
        "phase": "before",
        "text": "說明本中心司法服務：法律諮詢、委任律師或撰狀、相關費用補助",
    },
    {"code": "3-2-1C", "phase": "before", "text": "說明法庭空間與人員配置、開庭流程、交互詰問制度"},
    {
        "code": "3-2-1D",
        "phase": "before",
        "text": "確認開庭前碰面地點及應攜帶證件（被告同時到庭時提早至法警室）",
    },
    {"code": "3-2-1E", "phase": "before", "text": "社工攜帶職員證、名片，以服務機關地址作為通訊住址"},
    {"code": "3-2-1F", "phase": "before", "text": "提供被害人情緒支持"},
    {"code": "3-2-2", "phase": "during", "text": "除事先安排或法官、檢察官請社工陳述意見外，社工不主動發言"},
    {"code": "3-2-3A", "phase": "after", "text": "給予被害人情緒支持，並肯定被害人在法庭中的表現"},
    {"code": "3-2-3B", "phase": "after", "text": "評估是否需要進一步法律諮詢或委任律師"},
    {"code": "3-2-3C", "phase": "after", "text": "詢問被害人是否還有需要社工協助的地方"},
    {"code": "3-2-3D", "phase": "after", "text": "撰寫陪同出庭服務紀錄表"},
]

CHECKLISTS = [
    {"kind": "interview", "version": 1, "items": INTERVIEW_ITEMS, "record_due_days": 3},
    # The guideline gives no due period for the court record: 3 days until the centre sets its own.
    {"kind": "court", "version": 1, "items": COURT_ITEMS, "record_due_days": 3},
]

PROVIDER_LIST_URL = "https://dep.mohw.gov.tw/DOMHAOH/cp-6608-74985-107.html"

PROGRAMMES = [
    {
        "code": "taipei_rehab",
        "name": "臺北市性侵害被害人心理復健補助",
        "min_age": None,
        "max_age": None,
        "free_sessions_per_year": None,
        "valid_from": None,
        "valid_to": None,
        "provider_list_url": "",
        "note": "指引 2-2b：由本中心協助申請，核定次數與金額依補助辦法。",
        "sort_order": 10,
        "is_active": True,
    },
    {
        "code": "mohw_young",
        "name": "衛生福利部年輕族群心理健康支持方案",
        "min_age": 15,
        "max_age": 30,
        "free_sessions_per_year": 3,
        "valid_from": None,
        "valid_to": dt.date(2024, 7, 31),
        "provider_list_url": PROVIDER_LIST_URL,
        "note": "指引 2-2c 原文：15-30歲每人3次免費心理諮商；113.08.01 起改為青壯世代心理健康支持方案。",
        "sort_order": 30,
        "is_active": False,
    },
    {
        "code": "mohw_adult",
        "name": "衛生福利部青壯世代心理健康支持方案",
        "min_age": 15,
        "max_age": 45,
        "free_sessions_per_year": 3,
        "valid_from": dt.date(2024, 8, 1),
        "valid_to": None,
        "provider_list_url": PROVIDER_LIST_URL,
        "note": "113.08.01 起：15-45歲，每年3次免費心理諮商（依衛福部當年度公告修訂）。",
        "sort_order": 20,
        "is_active": True,
    },
]

PTSD_INSTRUMENTS = [
    {
        "code": "ihealth",
        "name": "ihealth PTSD 自我檢測",
        "source_url": "https://www.ihealth.com.tw/article/ptsd/",
        # The guideline names neither questions nor cut-off; PC-PTSD-5 wording and 3 of 5 until the centre
        # confirms its own (REQUIREMENTS 2-1-1b).
        "questions": [
            "曾做過與該事件有關的惡夢，或在不願意時想起該事件",
            "努力不去想該事件，或刻意避開會讓你想起該事件的情境",
            "經常處於警戒、警覺或容易受到驚嚇的狀態",
            "對他人、活動或周遭環境感到麻木或疏離",
            "對該事件或其後果感到愧疚或無法停止責怪自己或他人",
        ],
        "cutoff": 3,
        "is_active": True,
    },
]


def load_catalogues(apps_or_models) -> int:
    """Create what is missing; `apps_or_models` is a migration `apps` registry or django.apps.apps."""
    checklist = apps_or_models.get_model("services", "EscortChecklist")
    programme = apps_or_models.get_model("services", "CounsellingProgramme")
    instrument = apps_or_models.get_model("services", "PtsdInstrument")
    created = 0
    for row in CHECKLISTS:
        if not checklist.objects.filter(kind=row["kind"]).exists():
            checklist.objects.create(**row, note="指引 3-1、3-2 初始版本")
            created += 1
    for row in PROGRAMMES:
        if not programme.objects.filter(code=row["code"]).exists():
            programme.objects.create(**row)
            created += 1
    for row in PTSD_INSTRUMENTS:
        if not instrument.objects.filter(code=row["code"]).exists():
            instrument.objects.create(**row)
            created += 1
    return created
