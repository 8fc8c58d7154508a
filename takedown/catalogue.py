"""The takedown catalogues as data (指引 G-3): the resources of 1-3c (with 2-2d, 4-3-2C, 5-3-R), the StopNCII
partners of 5-2-1 and the privacy-settings checklist of 5-3-1…5-3-3B. Loaded by a data migration, editable in
the admin with history; `load_catalogues` is idempotent (rows are matched on their code).
"""

from __future__ import annotations

LAW = "law"
TAKEDOWN = "takedown"
SUPPORT = "support"

# (code, category, title, url, phone, hours, note, sort_order)
RESOURCES = [
    (
        "ncii-centre",
        TAKEDOWN,
        "性影像處理中心（申訴下架）",
        "https://tw-ncii.win.org.tw/",
        "",
        "",
        "可線上申訴下架；兒少案件24小時、成人案件72小時內處理。",
        10,
    ),
    (
        "ncii-privacy",
        TAKEDOWN,
        "性影像處理中心「應對私密」：提高隱私權設定",
        "https://tw-ncii.win.org.tw/",
        "",
        "",
        "網頁中「應對私密」分頁。",
        20,
    ),
    (
        "stopncii",
        TAKEDOWN,
        "StopNCII（預防成年人的私密影像被散布）",
        "https://stopncii.org/",
        "",
        "",
        "影像留在自己的設備，只有代碼會傳送；請牢記案件編號與密碼，遺失無法回復。",
        30,
    ),
    (
        "police-video",
        TAKEDOWN,
        "婦幼警察隊教學影片「網路性影像-教你蒐證下架」",
        "https://www.youtube.com/watch?v=BUQ7EIfwerU",
        "",
        "",
        "",
        40,
    ),
    (
        "taipei-centre",
        LAW,
        "臺北市家庭暴力暨性侵害防治中心",
        "",
        "(02)23615295 分機226",
        "24小時",
        "可協助報案、法律諮詢與陪同。",
        10,
    ),
    ("private-me", SUPPORT, "私ME服務熱線", "", "(02)66057373", "09:00-22:00", "", 10),
    (
        "mohw-counselling",
        SUPPORT,
        "衛生福利部心理諮商服務機構名單",
        "https://dep.mohw.gov.tw/DOMHAOH/cp-6608-74985-107.html",
        "",
        "",
        "",
        20,
    ),
    (
        "bsrs",
        SUPPORT,
        "簡式健康量表（心情溫度計）",
        "https://www.depression.org.tw/detection/",
        "",
        "",
        "",
        30,
    ),
    ("ptsd-check", SUPPORT, "PTSD 自我檢測", "https://www.ihealth.com.tw/article/ptsd/", "", "", "", 40),
]

# (code, name, sort_order) — 5-2-1
PARTNERS = [
    ("facebook", "facebook", 10),
    ("tiktok", "TikTok", 20),
    ("reddit", "reddit", 30),
    ("instagram", "Instagram", 40),
    ("bumble", "bumble", 50),
    ("onlyfans", "OnlyFans", 60),
    ("threads", "Threads", 70),
]

# (code, platform, text, guideline_ref, sort_order) — 5-3
PRIVACY_ITEMS = [
    ("fb-audience", "facebook", "隱私設定：分享內容的對象", "5-3-1", 10),
    ("fb-findable", "facebook", "隱私設定：其他人可以在 facebook 上找到你的方式", "5-3-1", 20),
    ("ig-strangers", "Instagram", "隱私設定：阻擋陌生訊息", "5-3-2", 30),
    ("line-id", "LINE", "隱私設定：關閉「允許利用 ID 加入好友」", "5-3-3A", 40),
    ("line-block", "LINE", "隱私設定：打開「阻擋訊息」", "5-3-3A", 50),
    ("line-auto-add", "LINE", "設定：關閉「自動加入好友」", "5-3-3B", 60),
    ("line-allow-add", "LINE", "設定：關閉「允許被加入好友」", "5-3-3B", 70),
]


def load_catalogues(ResourceLink, StopNCIIPartner, PrivacySettingItem) -> None:
    """Create or refresh the rows (models passed in, so a migration can use its historical models)."""
    for code, category, title, url, phone, hours, note, order in RESOURCES:
        ResourceLink.objects.update_or_create(
            code=code,
            defaults={
                "category": category,
                "title": title,
                "url": url,
                "phone": phone,
                "hours": hours,
                "note": note,
                "sort_order": order,
            },
        )
    for code, name, order in PARTNERS:
        StopNCIIPartner.objects.update_or_create(code=code, defaults={"name": name, "sort_order": order})
    for code, platform, text, ref, order in PRIVACY_ITEMS:
        PrivacySettingItem.objects.update_or_create(
            code=code,
            defaults={"platform": platform, "text": text, "guideline_ref": ref, "sort_order": order},
        )
