"""Is a key random enough? Plain functions with no Django, used by the settings before anything starts.

A key can be long and still guessable (32 × 'a', 'abcabcabc…', 'abcdefghijklmnop…'). These tests are a
screen for such placeholders, not a proof of randomness: a value from `secrets` or `Fernet.generate_key()`
passes with a wide margin, a typed or patterned one does not.
"""

from __future__ import annotations

import base64
import binascii
import math
import zlib
from collections import Counter

# Shannon entropy of the character distribution, in bits per character. token_urlsafe(48) (64 chars)
# scores about 5.5; 'aaaa…' scores 0 and 'abab…' 1.
MIN_BITS_PER_CHAR = 3.5
# Total estimated bits: 128 is the usual floor for a symmetric key.
MIN_TOTAL_BITS = 128


def _entropy_per_char(value: str | bytes) -> float:
    counts = Counter(value)
    total = len(value)
    return -sum(n / total * math.log2(n / total) for n in counts.values())


def _has_pattern(value: str | bytes) -> bool:
    """Repeats compress; ascending or descending runs ('abcdef', '123456') are typed, not drawn."""
    raw = value.encode() if isinstance(value, str) else bytes(value)
    if len(zlib.compress(raw, 9)) < len(raw) * 0.75:
        return True
    codes = list(raw)
    steps = sum(1 for a, b in zip(codes, codes[1:], strict=False) if abs(a - b) == 1)
    return steps > len(codes) / 4


def text_key_problem(value: str, *, min_length: int) -> str | None:
    """Why a text key (SECRET_KEY, BLIND_INDEX_KEY) is not acceptable, or None when it is."""
    if len(value) < min_length:
        return f"must be at least {min_length} characters"
    per_char = _entropy_per_char(value)
    if per_char < MIN_BITS_PER_CHAR or per_char * len(value) < MIN_TOTAL_BITS or _has_pattern(value):
        return "is long but not random (generate one: see docs/configuration.md)"
    return None


def fernet_key_problem(value: str) -> str | None:
    """Why a Fernet key is not acceptable: not a key at all, or 32 bytes that were not drawn at random."""
    try:
        raw = base64.urlsafe_b64decode(value.encode())
    except (binascii.Error, ValueError):
        return "is not a Fernet key"
    if len(raw) != 32:
        return "is not a Fernet key"
    # 32 random bytes have about 30 distinct values; fewer than 16 is astronomically unlikely.
    if len(set(raw)) < 16 or _has_pattern(raw):
        return "is a Fernet key whose bytes are not random (generate one: see docs/configuration.md)"
    return None
