"""The evidence catalogues as data (指引 G-3: they change yearly): the platform table of 8-1-3D and the
teaching checklists of 4-3-2B, 6-1-2, 6-1-3A and 6-1-3B (a)–(g). Loaded by a data migration and
editable in the admin with history; `load_catalogues` is idempotent (rows are matched on their code).
"""

from __future__ import annotations

from evidence import rules

# (code, type, name, needs, requires_recording, shows_ip, sort_order)
PLATFORMS = [
    ("instagram-dm", "社群平台（私人訊息）", "Instagram（私訊）", rules.NEEDS_ACCOUNT, True, False, 10),
    ("messenger", "社群平台（私人訊息）", "Messenger", rules.NEEDS_ACCOUNT, False, False, 20),
    ("facebook", "社群平台", "facebook", rules.NEEDS_VIDEO_POST_URL, False, False, 30),
    ("instagram", "社群平台", "Instagram", rules.NEEDS_VIDEO_POST_URL, True, False, 40),
    ("twitter", "社群平台", "Twitter（X）", rules.NEEDS_VIDEO_POST_URL, False, False, 50),
    ("telegram", "通訊軟體", "Telegram", rules.NEEDS_MESSAGE_POST_URL, True, False, 60),
    ("line", "通訊軟體", "LINE", rules.NEEDS_PRIVATE_ACCOUNT_REPORT, False, False, 70),
    ("tiktok", "影音平台", "TikTok", rules.NEEDS_VIDEO_URL, False, False, 80),
    ("youtube", "影音平台", "Youtube", rules.NEEDS_VIDEO_URL, False, False, 90),
    ("porn-site", "影音平台", "各種色情網站", rules.NEEDS_VIDEO_URL, False, False, 100),
    ("ptt", "論壇", "Ptt", rules.NEEDS_ARTICLE_POST_URL, False, True, 110),
    ("dcard", "論壇", "Dcard", rules.NEEDS_ARTICLE_POST_URL, False, False, 120),
]

CHECKLIST_VERSION = "115"  # the guideline edition the texts below come from (依當年度修訂)

# (code, group, text, guideline_ref, sort_order)
DONT_DELETE = "dont_delete"
REMINDER = "reminder"
CHECKLIST = "checklist"
ROOM = "room"
CHECKLIST_ITEMS = [
    (
        "4-3-2B",
        DONT_DELETE,
        "請勿自行刪除 LINE 或 facebook 帳號、好友及對話內容（刪除後業者亦無法提供資料）",
        "4-3-2B",
        10,
    ),
    ("4-3-2B-block", DONT_DELETE, "請勿封鎖對方", "4-3-2B", 20),
    ("6-1-3A-1", REMINDER, "先不要刪除帳號、好友、對話等證據", "6-1-3A", 10),
    ("6-1-3A-2", REMINDER, "保留對話或訊息截圖", "6-1-3A", 20),
    ("6-1-3A-3", REMINDER, "保留張貼內容", "6-1-3A", 30),
    ("6-1-3A-4", REMINDER, "保留張貼者帳號 ID", "6-1-3A", 40),
    ("6-1-3A-5", REMINDER, "保留張貼者 IP 位置", "6-1-3A", 50),
    ("6-1-3A-6", REMINDER, "保留圖像連結網址", "6-1-3A", 60),
    ("6-1-3B-a", CHECKLIST, "(a) 行為時間、影像攝錄時間", "6-1-3B(a)", 10),
    (
        "6-1-3B-b",
        CHECKLIST,
        "(b) 對方帳號名稱、ID，如有顯示張貼者 IP（如 PTT），記錄下 IP 位址",
        "6-1-3B(b)",
        20,
    ),
    ("6-1-3B-c", CHECKLIST, "(c) 張貼之內容及連結網址", "6-1-3B(c)", 30),
    ("6-1-3B-d", CHECKLIST, "(d) 以全螢幕截圖方式記錄（含日期）", "6-1-3B(d)", 40),
    ("6-1-3B-e", CHECKLIST, "(e) 限時動態或一次性觀看訊息務必隨時截圖", "6-1-3B(e)", 50),
    ("6-1-3B-f", CHECKLIST, "(f) 避免封鎖對方或刪除任何手機內之紀錄", "6-1-3B(f)", 60),
    (
        "6-1-3B-g",
        CHECKLIST,
        "(g) 注意電磁紀錄的保存，避免在傳遞過程中造成資料外流（自備隨身碟加密保存，本中心不另存）",
        "6-1-3B(g)",
        70,
    ),
    ("6-1-3B-rec", CHECKLIST, "Instagram、Telegram 須另行錄影保留蒐證過程", "6-1-3B", 80),
    ("6-1-2-laptop", ROOM, "筆電（可上網）", "6-1-2", 10),
    ("6-1-2-phone", ROOM, "可側錄手機", "6-1-2", 20),
    ("6-1-2-room", ROOM, "具備隱私之會談空間", "6-1-2", 30),
]

TEACHING_VIDEO = "https://www.youtube.com/watch?v=BUQ7EIfwerU"  # 婦幼隊「網路性影像-教你蒐證下架」


def load_catalogues(Platform, ChecklistItem) -> None:
    """Create or refresh the rows (models passed in, so a migration can use its historical models)."""
    for code, kind, name, needs, recording, shows_ip, order in PLATFORMS:
        Platform.objects.update_or_create(
            code=code,
            defaults={
                "kind": kind,
                "name": name,
                "needs": needs,
                "requires_recording": recording,
                "shows_ip": shows_ip,
                "sort_order": order,
            },
        )
    for code, group, text, ref, order in CHECKLIST_ITEMS:
        ChecklistItem.objects.update_or_create(
            code=code,
            version=CHECKLIST_VERSION,
            defaults={"group": group, "text": text, "guideline_ref": ref, "sort_order": order},
        )
