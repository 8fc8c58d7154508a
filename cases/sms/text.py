"""What an SMS to a victim may say, and how long it is. Pure functions, no Django.

An SMS can be read by anyone holding the phone (guideline 1-3 說明), so a template may only fill in
a time, a place code and the hotline number, and may not name the matter. The one exception is the
center's own generic resource text (guideline 1-3, 中心統一版本), which does mention 遭散布性影像情事
but reads as a message to any citizen; it is accepted verbatim (whitespace aside), and everything
around it is checked like any other text. docs/sms.md has the rules and the reasons.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from dataclasses import dataclass

# Guideline 1-3, the center's generic resource SMS, as printed in the guideline (112.10.18).
GUIDELINE_GENERIC_TEXT = (
    "親愛的市民您好，如有遇到遭散布性影像情事，可以透過下列網址 https://tw-ncii.win.org.tw/"
    "瞭解法律權益及影像下架管道；或致電衛福部「私 ME服務熱線(02)66057373」（09：00-22：00）"
    "或「臺北市家庭暴力暨性侵害防治中心(02)23615295分機226」（24小時）諮詢。"
)

# The only placeholders a template may use, with the label staff see.
SAFE_PLACEHOLDERS = {
    "time": "時間",
    "place_code": "地點代碼",
    "hotline": "專線電話",
    # Reminders give this number, never the hotline's: the centre's public number tells whoever reads
    # the phone where the message is from (issue 21).
    "callback": "回電號碼",
}

# Words that would tell a reader of the phone what the message is about, or that the holder is a
# victim or a party to a case. Checked on everything outside the approved generic text, after
# NFKC folding and with spaces and separators removed (so 「性 影 像」 is caught too).
OFFENCE_WORDS = (
    # the images and the acts
    "性影像",
    "影像",
    "私密",
    "裸照",
    "裸露",
    "色情",
    "不雅",
    "偷拍",
    "針孔",
    "散布",
    "散佈",
    "散播",
    "外流",
    "外洩",
    "深偽",
    "合成",
    "性侵",
    "性騷",
    "猥褻",
    "恐嚇",
    "勒索",
    "威脅",
    "跟騷",
    "跟蹤",
    "家暴",
    "家庭暴力",
    # the person as a party
    "被害",
    "受害",
    "加害",
    "相對人",
    "嫌疑",
    # the process
    "案件",
    "案號",
    "告訴",
    "告發",
    "提告",
    "報案",
    "報警",
    "筆錄",
    "偵訊",
    "偵查",
    "開庭",
    "出庭",
    "法院",
    "地檢",
    "檢察",
    "警察",
    "警局",
    "派出所",
    "婦幼",
    "保護令",
    "訴訟",
    "律師",
    # who is helping
    "社工",
    "家防",
    "防治中心",
    "庇護",
    "性影像處理中心",
    # simplified forms of the commonest ones
    "影象",
    "报案",
    "报警",
    "诉讼",
    "检察",
    "性骚",
    "恐吓",
)

UCS2_SINGLE, UCS2_PART = 70, 67  # a concatenated segment loses 3 UCS-2 units to the UDH header
GSM_SINGLE, GSM_PART = 160, 153

_GSM_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM_EXTENDED = set("^{}\\[~]|€\f")

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_SEPARATORS = re.compile(r"[\s\u200b-\u200f\u2060\ufeff·・．.\-_*~|/\\]+")
_PLACE_CODE = re.compile(r"^[A-Za-z0-9-]{1,10}$")
_WEEKDAYS = "一二三四五六日"


class SmsTextError(ValueError):
    """A template or a rendered text that may not be sent; `messages` are for staff, in zh-Hant."""

    def __init__(self, messages: list[str]):
        super().__init__(" ".join(messages))
        self.messages = messages


@dataclass(frozen=True)
class Length:
    """How the gateway will count a text: encoding, units (UCS-2 code units or GSM septets), segments."""

    encoding: str  # "UCS-2" or "GSM-7"
    units: int
    segments: int
    per_segment: int

    @property
    def label(self) -> str:
        unit = "字" if self.encoding == "UCS-2" else "個字元"
        if self.segments <= 1:
            return f"{self.units} {unit}，1 則簡訊"
        return f"{self.units} {unit}，分 {self.segments} 則簡訊傳送（每則 {self.per_segment} {unit}）"


def _char_units(ch: str, encoding: str) -> int:
    if encoding == "GSM-7":
        return 2 if ch in _GSM_EXTENDED else 1
    return 2 if ord(ch) > 0xFFFF else 1  # outside the BMP: a UTF-16 surrogate pair


def sms_length(text: str) -> Length:
    """Segments as the network counts them.

    Any character outside the GSM 03.38 alphabet (every Chinese character) makes the whole message
    UCS-2: one SMS holds 70 UTF-16 units, and each part of a longer, concatenated one 67. A
    character never straddles two parts, so the split is done character by character.
    """
    gsm = all(ch in _GSM_BASIC or ch in _GSM_EXTENDED for ch in text)
    encoding, single, part = ("GSM-7", GSM_SINGLE, GSM_PART) if gsm else ("UCS-2", UCS2_SINGLE, UCS2_PART)
    sizes = [_char_units(ch, encoding) for ch in text]
    units = sum(sizes)
    if units <= single:
        return Length(encoding, units, 1 if units else 0, single)
    segments, used = 1, 0
    for size in sizes:
        if used + size > part:
            segments, used = segments + 1, 0
        used += size
    return Length(encoding, units, max(segments, math.ceil(units / part)), part)


def _compact(text: str) -> str:
    return "".join(text.split())


def _folded(text: str) -> str:
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", text)).lower()


def outside_approved_text(text: str) -> str:
    """The text with every verbatim copy of the guideline's generic text taken out (spaces ignored)."""
    # A NUL, not a space, stands in for the approved text, so the words on either side never join up.
    return _compact(text).replace(_compact(GUIDELINE_GENERIC_TEXT), "\x00")


def offence_words_in(text: str) -> list[str]:
    """Offence words found outside the approved generic text, each once, in the order they appear."""
    folded = _folded(outside_approved_text(text))
    found = {word: folded.index(_folded(word)) for word in OFFENCE_WORDS if _folded(word) in folded}
    # Report the longest form only: 性影像 rather than 性影像 and 影像.
    words = [w for w in found if not any(w != other and w in other for other in found)]
    return sorted(words, key=found.__getitem__)


def placeholders_in(body: str) -> list[str]:
    return _PLACEHOLDER.findall(body)


def check_template(
    body: str, *, max_segments: int, sample: dict[str, str], available: tuple[str, ...] | None = None
) -> Length:
    """Refuse a template that could say more than a generic SMS may; return the length of a sample.

    `available`: the safe placeholders this template's sender fills in (all of them when None).
    """
    problems = []
    if not body.strip():
        raise SmsTextError(["簡訊內容不可空白。"])
    names = list(dict.fromkeys(placeholders_in(body)))
    unknown = [n for n in names if n not in SAFE_PLACEHOLDERS]
    if unknown:
        allowed = "、".join(f"{label} {{{name}}}" for name, label in SAFE_PLACEHOLDERS.items())
        problems.append(
            f"不可使用代入欄位 {'、'.join('{' + n + '}' for n in unknown)}：簡訊只能代入{allowed}，"
            "不可代入被害人姓名、案件內容或其他個人資料。"
        )
    unavailable = [
        n for n in names if n in SAFE_PLACEHOLDERS and available is not None and n not in available
    ]
    if unavailable:
        problems.append(
            f"這個範本不能使用 {'、'.join('{' + n + '}' for n in unavailable)}：傳送這類簡訊時沒有這項資料。"
        )
    if "{" in _PLACEHOLDER.sub("", body) or "}" in _PLACEHOLDER.sub("", body):
        problems.append("大括號只能用來標示代入欄位，例如 {time}。")
    words = offence_words_in(_PLACEHOLDER.sub(" ", body))
    if words:
        problems.append(_offence_message(words))
    if problems:
        raise SmsTextError(problems)
    return check_rendered(render(body, sample), max_segments=max_segments)


def check_rendered(text: str, *, max_segments: int) -> Length:
    """The final text: no offence words (values included) and not more segments than allowed."""
    problems = []
    words = offence_words_in(text)
    if words:
        problems.append(_offence_message(words))
    length = sms_length(text)
    if length.segments > max_segments:
        problems.append(f"簡訊長度 {length.label}，超過上限 {max_segments} 則，請縮短內容。")
    if problems:
        raise SmsTextError(problems)
    return length


def _offence_message(words: list[str]) -> str:
    return (
        f"簡訊內容不可出現可能透露案情的字詞：{'、'.join(words)}。"
        "簡訊可能被其他人看到，請改用一般性的文字（指引 1-3）。"
    )


def render(body: str, values: dict[str, str]) -> str:
    """Fill the placeholders (no str.format: a template cannot reach attributes or other values)."""

    def fill(match: re.Match) -> str:
        name = match.group(1)
        if name not in SAFE_PLACEHOLDERS:
            raise SmsTextError([f"不可使用代入欄位 {{{name}}}。"])
        if name not in values:
            raise SmsTextError([f"缺少代入欄位 {{{name}}}（{SAFE_PLACEHOLDERS[name]}）的內容。"])
        return str(values[name])

    return _PLACEHOLDER.sub(fill, body)


_PHONE_NUMBER = re.compile(r"\(?0\d{1,3}\)?[\d\- ]{5,}\d")


def phone_numbers_in(text: str) -> list[str]:
    """The digits of each phone number a text names, extensions left out: (02)23615295分機226 → 0223615295."""
    folded = unicodedata.normalize("NFKC", text or "")
    return ["".join(ch for ch in m.group(0) if ch.isdigit()) for m in _PHONE_NUMBER.finditer(folded)]


def names_number(text: str, number: str) -> bool:
    """Whether `text` names `number` (with or without an extension, in any punctuation or width)."""
    digits = "".join(ch for ch in unicodedata.normalize("NFKC", number or "") if ch.isdigit())
    if len(digits) < 6:
        return False
    return any(digits.startswith(named) or named.startswith(digits) for named in phone_numbers_in(text))


def check_place_code(value: str) -> str:
    """A place code agreed with the victim (A3, B-12), never a place name that tells what it is."""
    value = value.strip()
    if not _PLACE_CODE.match(value):
        raise SmsTextError(["地點代碼只能用英文字母、數字與連字號（最多 10 字），請勿填寫地點名稱。"])
    return value


def format_time(value: dt.datetime | dt.date) -> str:
    """12月5日（四）14:30 for a local datetime, 12月5日（四） for a date."""
    day = value.date() if isinstance(value, dt.datetime) else value
    text = f"{day.month}月{day.day}日（{_WEEKDAYS[day.weekday()]}）"
    if isinstance(value, dt.datetime):
        text += f"{value:%H:%M}"
    return text
