"""Reference text shown on the law-explanation form (guideline 4-A): what to tell the victim about the
Sexual Assault Crime Prevention Act (性侵害犯罪防治法, as amended in 2023).

Kept deliberately short and general, without article numbers of that Act: the worker explains the
victim's own case and a lawyer answers what this text does not. The Criminal Code offences are on the
offence catalogue card (legal/fixtures/offences.json) and not repeated here. Change it when the law
changes; cite the guideline where a point rests on it rather than on the Act's text.
"""

from __future__ import annotations

# (heading, text) pairs, in the order to go through them with the victim.
SEXUAL_ASSAULT_ACT_REFERENCE: tuple[tuple[str, str], ...] = (
    (
        "適用",
        "性影像案件（刑法第319條之1至第319條之4）可準用性侵害被害人之保護扶助，"
        "但不適用減少被害人重複陳述的作業（指引備註）。",
    ),
    (
        "身分保密",
        "被害人的姓名、出生年月日、住居所及其他足以識別身分的資料，除法律另有規定外應予保密；"
        "行政及司法機關須公示的文書不得揭露，媒體與網際網路亦不得報導或記載足以識別被害人身分的資訊。",
    ),
    (
        "陪同偵訊與出庭",
        "偵查或審判中，社工人員（以及法定代理人、配偶、親屬、醫師、心理師、輔導人員等）得陪同被害人在場，"
        "並得陳述意見；社工在庭上只在事先安排或法官、檢察官詢問時發言（指引 3-2-2）。",
    ),
    (
        "網路平臺下架",
        "網際網路平臺提供者等知有性侵害犯罪嫌疑情事，應先行限制瀏覽或移除與犯罪有關的網頁資料，"
        "並保留相關資料180日供司法及警察機關調查；依指引，經性影像處理中心申訴後，"
        "兒少案件24小時、成人案件72小時內下架影像（指引 8-1）。",
    ),
    (
        "服務與補助",
        "本中心可提供陪同報案、陪同偵訊、陪同出庭、法律諮詢、媒合委任律師，"
        "並依本市性侵害被害人補助辦法申請委任律師與法律訴訟費用補助（指引 4-1-2、4-2-2）。",
    ),
)
