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
