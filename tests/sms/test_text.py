"""What an SMS may say and how long it is (cases/sms/text.py): pure functions, no database."""

import datetime as dt
from pathlib import Path

import pytest

from cases.sms.defaults import DEFAULT_TEMPLATES, TEMPLATE_PLACEHOLDERS
from cases.sms.schedule import (
    appointment_reminder_time,
    parse_clock,
    quiet_hours_end,
    quiet_hours_start,
    retry_delay,
)
from cases.sms.text import (
    GUIDELINE_GENERIC_TEXT,
    SmsTextError,
    check_place_code,
    check_rendered,
    check_template,
    format_time,
    offence_words_in,
    render,
    sms_length,
)

# Guideline 1-3 as the guideline PDF gives it (lines starting with # are the fixture's own comments).
EXCERPT = Path(__file__).with_name("guideline_1_3_excerpt.txt")
SAMPLE = {
    "time": "12月5日（四）14:30",
    "place_code": "A3",
    "hotline": "(02)23615295分機226",
    "callback": "(02)2700-1234",
}


def check(body, available=None, max_segments=5):
    return check_template(body, max_segments=max_segments, sample=SAMPLE, available=available)


class TestGuidelineText:
    def test_default_generic_text_is_the_guideline_1_3_text_verbatim(self):
        raw = "\n".join(
            line for line in EXCERPT.read_text(encoding="utf-8").splitlines() if not line.startswith("#")
        )
        start = raw.index("親愛的市民您好")
        end = raw.index("諮詢。", start) + len("諮詢。")
        # A PDF extraction: the text runs over several lines with blank lines between.
        from_guideline = "".join(line.strip() for line in raw[start:end].splitlines())
        assert from_guideline == GUIDELINE_GENERIC_TEXT
        generic = next(row for row in DEFAULT_TEMPLATES if row["key"] == "generic_resource")
        assert generic["body"] == from_guideline

    def test_the_generic_text_passes_although_it_names_the_matter(self):
        assert "散布性影像" in GUIDELINE_GENERIC_TEXT
        length = check(GUIDELINE_GENERIC_TEXT, available=TEMPLATE_PLACEHOLDERS["generic_resource"])
        assert (length.encoding, length.units, length.segments) == ("UCS-2", 156, 3)

    def test_the_generic_text_passes_with_other_spacing(self):
        spaced = GUIDELINE_GENERIC_TEXT.replace("tw/", "tw/ ").replace("私 ME", "私ME")
        assert offence_words_in(spaced) == []

    def test_an_edited_generic_text_is_checked_like_any_other(self):
        edited = GUIDELINE_GENERIC_TEXT.replace("如有遇到遭散布性影像情事", "您遭散布性影像一事")
        with pytest.raises(SmsTextError) as exc:
            check(edited)
        assert "性影像" in exc.value.messages[0] and "散布" in exc.value.messages[0]

    def test_words_added_around_the_approved_text_are_checked(self):
        with pytest.raises(SmsTextError, match="案件"):
            check("您的案件已受理。" + GUIDELINE_GENERIC_TEXT)
        # and a harmless addition passes
        assert check(GUIDELINE_GENERIC_TEXT + "（本簡訊由系統發送）").segments == 3

    def test_the_approved_text_cannot_glue_words_together(self):
        # 「散」 + approved text + 「布」 must not be read as 散布 after the approved text is taken out, and
        # must not hide an offence word either: 散 and 布 alone are not offence words.
        assert offence_words_in("散" + GUIDELINE_GENERIC_TEXT + "布") == []

    def test_every_default_template_passes_its_own_check(self):
        for row in DEFAULT_TEMPLATES:
            check(row["body"], available=TEMPLATE_PLACEHOLDERS[row["key"]])


class TestPlaceholders:
    @pytest.mark.parametrize("name", ["name", "victim_name", "case_number", "narrative", "phone"])
    def test_placeholders_outside_the_safe_list_are_refused(self, name):
        with pytest.raises(SmsTextError) as exc:
            check(f"您好{{{name}}}，提醒您{{time}}的約定。")
        assert f"{{{name}}}" in exc.value.messages[0]
        assert "不可代入被害人姓名" in exc.value.messages[0]

    @pytest.mark.parametrize("body", ["{time.year}", "{0}", "{time!r}", "{time:%Y}", "{}"])
    def test_format_tricks_are_refused(self, body):
        with pytest.raises(SmsTextError):
            check(f"提醒您{body}有約。")

    def test_stray_braces_are_refused(self):
        with pytest.raises(SmsTextError, match="大括號"):
            check("提醒您{time}有約 }")

    def test_a_safe_placeholder_the_sender_cannot_fill_is_refused(self):
        with pytest.raises(SmsTextError, match="place_code"):
            check("提醒您{time}在{place_code}。", available=("time", "hotline"))

    def test_render_fills_only_safe_names_and_needs_every_value(self):
        assert (
            render("{time}在{place_code}，電話{hotline}", SAMPLE)
            == "12月5日（四）14:30在A3，電話(02)23615295分機226"
        )
        with pytest.raises(SmsTextError, match="缺少"):
            render("{time}", {})
        with pytest.raises(SmsTextError):
            render("{name}", {"name": "王小明"})

    def test_place_code_is_a_code_not_a_place_name(self):
        assert check_place_code(" B-12 ") == "B-12"
        for bad in ["臺北地方法院", "A3 法院", "A" * 11, "", "A3;"]:
            with pytest.raises(SmsTextError, match="地點代碼"):
                check_place_code(bad)


class TestOffenceWords:
    @pytest.mark.parametrize(
        "text",
        [
            "您的私密照片",
            "關於偷拍一事",
            "被害人您好",
            "性侵害案件",
            "請於期限內提出告訴",
            "性 影 像",
            "ｓ案件",
            "您的案號",
        ],
    )
    def test_offence_words_are_found(self, text):
        assert offence_words_in(text)

    def test_the_message_names_the_words_in_zh_hant(self):
        with pytest.raises(SmsTextError) as exc:
            check("提醒您{time}前提出告訴。")
        assert exc.value.messages == [
            "簡訊內容不可出現可能透露案情的字詞：告訴。簡訊可能被其他人看到，請改用一般性的文字（指引 1-3）。"
        ]

    def test_words_split_by_a_placeholder_are_caught(self):
        assert offence_words_in("性 影像")
        with pytest.raises(SmsTextError):
            check("性{time}影像")

    def test_values_are_checked_after_rendering(self):
        with pytest.raises(SmsTextError, match="法院"):
            check_rendered(
                render("請於{time}到{place_code}", {"time": "明天", "place_code": "臺北地方法院"}),
                max_segments=5,
            )

    def test_ordinary_text_passes(self):
        assert offence_words_in("您好，提醒您明天下午兩點的約定，如需更改請來電。") == []


class TestLength:
    def test_seventy_chinese_characters_are_one_sms(self):
        assert sms_length("好" * 70).segments == 1
        assert sms_length("好" * 70).label == "70 字，1 則簡訊"

    def test_seventy_one_need_two_parts_of_67(self):
        length = sms_length("好" * 71)
        assert (length.segments, length.per_segment) == (2, 67)
        assert sms_length("好" * 134).segments == 2
        assert sms_length("好" * 135).segments == 3

    def test_one_chinese_character_makes_ascii_text_ucs2(self):
        assert sms_length("a" * 160).segments == 1
        assert sms_length("a" * 161).segments == 2  # 153 per part
        assert sms_length("a" * 69 + "好").encoding == "UCS-2"
        assert sms_length("a" * 71 + "好").segments == 2

    def test_gsm_extension_characters_count_twice(self):
        assert sms_length("{" * 80).units == 160
        assert sms_length("{" * 81).segments == 2

    def test_characters_outside_the_bmp_take_two_units_and_never_straddle_parts(self):
        assert sms_length("😀" * 35).segments == 1
        assert sms_length("😀" * 36).segments == 2
        # 66 units then a surrogate pair: the pair moves whole to part two, so 134 units need 3 parts
        assert sms_length("好" * 66 + "😀" + "好" * 65).segments == 2
        assert sms_length("好" * 66 + "😀" + "好" * 66).units == 134 == 2 * 67
        assert sms_length("好" * 66 + "😀" + "好" * 66).segments == 3

    def test_too_many_segments_are_refused(self):
        with pytest.raises(SmsTextError, match="超過上限 2 則"):
            check_rendered("好" * 135, max_segments=2)

    def test_empty_template_is_refused(self):
        with pytest.raises(SmsTextError, match="空白"):
            check("  ")


class TestTimesAndQuietHours:
    tz = dt.timezone(dt.timedelta(hours=8))

    def at(self, h, m=0, day=5):
        return dt.datetime(2026, 12, day, h, m, tzinfo=self.tz)

    def test_format_time(self):
        assert format_time(self.at(14, 30)) == "12月5日（六）14:30"
        assert format_time(dt.date(2026, 12, 7)) == "12月7日（一）"

    @pytest.mark.parametrize(
        ("h", "m", "day", "expected"),
        [
            (21, 59, 5, None),
            (22, 0, 5, (6, 8)),
            (23, 30, 5, (6, 8)),
            (0, 0, 6, (6, 8)),
            (7, 59, 6, (6, 8)),
            (8, 0, 6, None),
            (12, 0, 6, None),
        ],
    )
    def test_quiet_hours_22_to_08_wrap_midnight(self, h, m, day, expected):
        end = quiet_hours_end(self.at(h, m, day), dt.time(22), dt.time(8))
        if expected is None:
            assert end is None
        else:
            assert end == dt.datetime(2026, 12, expected[0], expected[1], tzinfo=self.tz)

    def test_daytime_quiet_hours_and_none(self):
        assert quiet_hours_end(self.at(13), dt.time(12), dt.time(14)) == self.at(14)
        assert quiet_hours_end(self.at(14), dt.time(12), dt.time(14)) is None
        assert quiet_hours_end(self.at(23), dt.time(0), dt.time(0)) is None

    def test_quiet_hours_start_wraps_midnight(self):
        assert quiet_hours_start(self.at(23, 30, 5), dt.time(22), dt.time(8)) == self.at(22, 0, 5)
        assert quiet_hours_start(self.at(3, 0, 6), dt.time(22), dt.time(8)) == self.at(22, 0, 5)
        assert quiet_hours_start(self.at(12, 0, 6), dt.time(22), dt.time(8)) is None

    def test_an_appointment_reminder_is_not_held_past_the_appointment(self):
        quiet = (dt.time(22), dt.time(8))
        # Reminded at 07:30 the day before a 07:30 appointment: quiet hours move it to 08:00, still in time.
        assert appointment_reminder_time(self.at(7, 30, 5), self.at(7, 30, 6), *quiet) == self.at(7, 30, 5)
        # Reminded at 23:00 for a 07:30 appointment: 08:00 would be too late, so 21:30 the evening before.
        assert appointment_reminder_time(self.at(23, 0, 5), self.at(7, 30, 6), *quiet) == self.at(21, 30, 5)
        assert appointment_reminder_time(self.at(2, 0, 6), self.at(7, 30, 6), *quiet) == self.at(21, 30, 5)
        # Outside quiet hours nothing moves.
        assert appointment_reminder_time(self.at(14, 0, 5), self.at(14, 0, 6), *quiet) == self.at(14, 0, 5)

    def test_clock_setting_is_parsed_strictly(self):
        assert parse_clock("08:00") == dt.time(8)
        for bad in ["8", "8:0", "25:00", "aa:bb"]:
            with pytest.raises(ValueError):
                parse_clock(bad)

    def test_backoff_doubles_up_to_the_cap(self):
        assert [retry_delay(n, base=60, cap=600).seconds for n in (1, 2, 3, 4, 5)] == [60, 120, 240, 480, 600]
