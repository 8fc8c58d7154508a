"""Reading printed PDFs back in tests: their text, their fonts, and glyphs the font lacks ("tofu")."""

from __future__ import annotations

import io
from functools import cache

from pypdf import PdfReader

NOTO_CJK = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def pdf_page_count(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


def pdf_fonts(data: bytes) -> set[str]:
    """Base names of the fonts embedded in the PDF (subset prefixes removed)."""
    reader = PdfReader(io.BytesIO(data))
    names = set()
    for page in reader.pages:
        fonts = (page.get("/Resources") or {}).get("/Font") or {}
        for ref in fonts.values():
            font = ref.get_object()
            base = str(font.get("/BaseFont", ""))
            names.add(base.split("+", 1)[-1].lstrip("/"))
    return names


@cache
def _noto_cmap() -> frozenset[int]:
    from fontTools.ttLib import TTCollection

    collection = TTCollection(NOTO_CJK)
    for font in collection.fonts:
        if "TC" in font["name"].getDebugName(1):
            return frozenset(font.getBestCmap())
    return frozenset(collection.fonts[0].getBestCmap())


def missing_glyphs(text: str) -> set[str]:
    """Characters of `text` that Noto Sans CJK TC cannot draw (they would print as boxes)."""
    cmap = _noto_cmap()
    return {ch for ch in text if not ch.isspace() and ord(ch) not in cmap}


def assert_printed_in_cjk(data: bytes) -> str:
    """Every font embedded is Noto Sans CJK (no fallback font drew anything) and every character of the
    text has a glyph in it. Returns the text for further checks."""
    fonts = pdf_fonts(data)
    assert fonts and all(name.replace("-", "").startswith("NotoSansCJK") for name in fonts), fonts
    text = pdf_text(data)
    assert missing_glyphs(text) == set(), missing_glyphs(text)
    return text
