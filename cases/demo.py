"""Fictional demo people and stories (no real person); shared by seed_demo and the benchmark seeder."""

from __future__ import annotations

import random

from cases.validators import _LETTER_VALUES, _WEIGHTS

SURNAMES = "陳林黃張李王吳劉蔡楊許鄭謝郭洪曾邱廖賴周"
GIVEN = [
    "怡君",
    "雅婷",
    "佳穎",
    "宜庭",
    "婉婷",
    "詩涵",
    "家豪",
    "冠宇",
    "欣怡",
    "承恩",
    "品妤",
    "郁婷",
    "柏翰",
    "子晴",
]

STORIES = [
    "前男友在分手後將交往時合意拍攝的私密影片傳到社群平台，朋友看到後告知被害人。已截圖貼文網址。",
    "網友以私密照片恐嚇，要求匯款新臺幣三萬元，否則寄給被害人的同事。對方帳號為 IG 私訊。",
    "發現自己的臉被合成到色情影片中，在論壇被轉貼，不知道是誰製作。",
    "在租屋處浴室發現針孔攝影機，房東已被警方帶回。擔心影像已被散布。",
    "前伴侶威脅若不復合就公開影片，被害人很害怕，晚上不敢一個人回家。",
    "同事告知在 Telegram 群組看到被害人的私密影像，訊息連結已保存。",
]

AGENCIES = [
    "臺北市政府警察局婦幼警察隊",
    "臺北市政府警察局大安分局",
    "臺北市政府警察局信義分局",
    "臺北市立聯合醫院",
]


def fictional_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def fictional_mobile(rng: random.Random) -> str:
    return "09" + "".join(str(rng.randint(0, 9)) for _ in range(8))


def fictional_national_id(rng: random.Random) -> str:
    """A checksum-valid ID number that belongs to nobody in particular (demo and benchmark data)."""
    letter = rng.choice(sorted(_LETTER_VALUES))
    body = [rng.choice("12")] + [str(rng.randint(0, 9)) for _ in range(7)]
    code = _LETTER_VALUES[letter]
    total = code // 10 + (code % 10) * 9 + sum(int(d) * w for d, w in zip(body, _WEIGHTS, strict=True))
    check = (10 - total % 10) % 10
    return letter + "".join(body) + str(check)


CONTACT_NOTES = [
    "電話關心近況，被害人情緒較穩定，說明下架申訴進度與可用資源。",
    "被害人表示仍擔心影像再被轉傳，討論保存證據的方式與隱私設定。",
    "未接聽，留下一般性簡訊（中心統一版本）。",
    "面訪，陪同整理證據清單，提醒不要刪除對話紀錄。",
]


def add_contacts_and_closures(*, users: dict, cases: list, rng) -> None:
    """Contacts on every dispatched case (one in immediate danger), one case closed, one awaiting approval.

    Registered from CasesConfig.ready() to run after the satellites' demo data, so the closures can
    settle what those opened.
    """
    import datetime as dt

    from django.utils import timezone

    from cases import services, tracker
    from cases.models import Case, Contact, Deadline

    now = timezone.now()
    assigned = [c for c in cases if c.assigned_worker_id and c.status == Case.Status.ASSIGNED]
    for n, case in enumerate(assigned):
        worker = case.assigned_worker
        for k in range(2 + n % 3):
            reached = (n + k) % 4 != 2
            services.contact_record(
                actor=worker,
                case=case,
                contacted_at=now - dt.timedelta(days=12 - 3 * k, hours=rng.randint(1, 8)),
                mode=rng.choice(
                    [Contact.Mode.PHONE, Contact.Mode.PHONE, Contact.Mode.VIDEO, Contact.Mode.VISIT]
                ),
                result=Contact.Result.REACHED if reached else Contact.Result.NOT_REACHED,
                immediate_danger=Contact.Danger.NO if reached else "",
                duration_minutes=rng.choice([10, 20, 30, 45]) if reached else None,
                notes=CONTACT_NOTES[(n + k) % len(CONTACT_NOTES)],
                next_contact_on=(now + dt.timedelta(days=3 + n)).date() if k == 1 else None,
            )
    if assigned:
        services.contact_record(
            actor=assigned[0].assigned_worker,
            case=assigned[0],
            contacted_at=now - dt.timedelta(hours=2),
            mode=Contact.Mode.PHONE,
            result=Contact.Result.REACHED,
            immediate_danger=Contact.Danger.YES,
            duration_minutes=25,
            notes="被害人表示前伴侶今天在住處樓下等候，很害怕；已建議先報警（110）並請親友陪同。",
        )
    _appointments_sms_and_reminders(users=users, assigned=assigned, now=now)
    for case, approve in ((assigned[-1], True), (assigned[-2], False)) if len(assigned) >= 3 else ():
        worker = case.assigned_worker
        for deadline in case.deadlines.filter(state=Deadline.State.OPEN):
            tracker.deadline_close(
                actor=worker,
                deadline=deadline,
                state=Deadline.State.NOT_APPLICABLE,
                reason="被害人決定不提告，轉由律師協助（示範資料）",
            )
        services.case_close_request(
            actor=worker,
            case=case,
            closing_reason="goals_met" if approve else "no_wish",
            note="影像已下架，被害人表示目前不需要其他服務。" if approve else "被害人表示暫時不想再談。",
        )
        if approve:
            services.case_close_decide(
                actor=users["supervisor"], case=case, approve=True, comment="同意結案。"
            )


def _appointments_sms_and_reminders(*, users: dict, assigned: list, now) -> None:
    """A service booked on a case and one from a waiting call; a contact that did not reach the victim
    with the generic resource SMS (printed to the console in development); the deadline reminders."""
    import datetime as dt

    from cases import services, tracker
    from cases.models import Contact, Intake

    if assigned:
        case = assigned[1] if len(assigned) > 1 else assigned[0]
        services.appointment_book(
            actor=case.assigned_worker,
            case=case,
            service="counselling",
            scheduled_at=(now + dt.timedelta(days=4)).replace(hour=6, minute=0, second=0, microsecond=0),
            place_code="B2",
            note="首次諮商，社工陪同。",
        )
        services.contact_record(
            actor=case.assigned_worker,
            case=case,
            contacted_at=now - dt.timedelta(hours=5),
            mode=Contact.Mode.PHONE,
            result=Contact.Result.NOT_REACHED,
            notes="兩次撥打未接聽。",
            send_resource_sms=bool(case.victim.phone),
        )
    waiting = Intake.objects.filter(status=Intake.Status.PENDING).order_by("received_at").first()
    if waiting is not None:
        services.appointment_book(
            actor=users["hotline"],
            intake=waiting,
            service="legal",
            scheduled_at=(now + dt.timedelta(days=6)).replace(hour=2, minute=0, second=0, microsecond=0),
            place_code="A3",
        )
    tracker.send_due_reminders()
