"""Protection routes (指引 7-2-3): which legal protection the victim may seek, from the offender's
relationship to the victim and whether there is stalking. Plain Python, no Django.

- Domestic Violence Prevention Act (家庭暴力防治法) civil protection order: the offender is a family
  member (art. 3, which includes a current or former cohabiting partner), or a current or former
  intimate partner who does not live with the victim (art. 63-1). 指引 7-2-3a.
- Stalking and Harassment Prevention Act (跟蹤騷擾防制法): when there is stalking and the DV Act does not
  apply: report it, the police issue a written warning (art. 4), then a protection order (art. 5).
  指引 7-2-3b.
- Crime Victim Protection Act (犯罪被害人權益保障法): protection through the prosecutor, open to every
  victim whatever the relationship. 指引 7-2-3c.
"""

from __future__ import annotations

import datetime as dt

# Relationships (the values of SafetyPlan.Relationship).
FAMILY = "family"
INTIMATE_NOT_COHABITING = "intimate"
ACQUAINTANCE = "acquaintance"
STRANGER = "stranger"
UNKNOWN = "unknown"

# Route codes, in the order they are proposed.
DV_ORDER = "dv_order"
STALKING_ACT = "stalking_act"
CRIME_VICTIM = "crime_victim"

DV_RELATIONSHIPS = frozenset({FAMILY, INTIMATE_NOT_COHABITING})

ROUTE_LABELS = {
    DV_ORDER: "家庭暴力防治法：聲請民事保護令（緊急、暫時、通常保護令）",
    STALKING_ACT: "跟蹤騷擾防制法：向警察機關報案，由警察機關核發書面告誡；再有跟騷行為可聲請保護令",
    CRIME_VICTIM: "犯罪被害人權益保障法：向檢察官申請保護措施",
}

ROUTE_NOTES = {
    DV_ORDER: (
        "家庭成員（家暴法第3條，含現有或曾有同居關係），或現有或曾有親密關係之未同居伴侶（第63條之1）。"
    ),
    STALKING_ACT: "加害人非家暴法適用對象，但有跟蹤騷擾行為（指引 7-2-3b）。",
    CRIME_VICTIM: "任何關係皆可向檢察官申請（指引 7-2-3c）。",
}


def protection_routes(relationship: str, stalking: bool) -> list[str]:
    """The route codes open to the victim, in the order to propose them."""
    routes = []
    if relationship in DV_RELATIONSHIPS:
        routes.append(DV_ORDER)
    elif stalking:
        routes.append(STALKING_ACT)
    routes.append(CRIME_VICTIM)
    return routes


# Extension of an order before it lapses (the deadline's note).
EXTENSION_NOTES = {
    "ordinary": (
        "通常保護令有效期間最長2年；期間屆滿前，被害人得向原核發法院聲請延長，"
        "每次延長最長2年（家庭暴力防治法第15條）。請於到期前協助聲請。"
    ),
    "stalking": (
        "跟蹤騷擾保護令有效期間最長2年；期間屆滿前，得聲請法院延長，每次延長最長2年"
        "（跟蹤騷擾防制法第12條）。請於到期前協助聲請。"
    ),
}
DEFAULT_EXTENSION_NOTE = "暫時或緊急保護令於法院核發通常保護令或駁回聲請時失效；請確認通常保護令的審理進度。"


def extension_note(kind: str) -> str:
    return EXTENSION_NOTES.get(kind, DEFAULT_EXTENSION_NOTE)


def review_covers_flag(
    *,
    reviewed_on: dt.date | None,
    recorded_at: dt.datetime | None,
    flagged_at: dt.datetime | None,
    flagged_on: dt.date | None,
) -> bool:
    """Was the safety plan gone over since the case was flagged 有立即危險?

    The flag is set when the contact is saved, often after the call in which the victim said it (and in
    which the worker went over the plan), so the review's own time may be a little earlier than the
    flag. A review counts when it was logged after the flag was raised and took place on the flag's day
    or later; a review logged before the flag, or an old one entered late, does not.
    """
    if flagged_at is None:
        return recorded_at is not None
    if recorded_at is None or reviewed_on is None or flagged_on is None:
        return False
    return recorded_at >= flagged_at and reviewed_on >= flagged_on
