"""Bytes to text: UTF-8 first, charset detection as fallback, mojibake repair; every change is recorded."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import charset_normalizer
import ftfy


class DecodeError(ValueError):
    """The bytes are not text in any encoding we can detect."""


@dataclass
class Decoded:
    text: str
    repairs: list[str] = field(default_factory=list)


# control characters (but tab, newlines, form feed), replacement chars, surrogates and private-use code points
_JUNK = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd\ud800-\udfff\ue000-\uf8ff]")


def _junk_ratio(text: str) -> float:
    """Share of characters that are control, replacement, surrogate or private-use code points."""
    if not text:
        return 0.0
    return len(_JUNK.findall(text)) / len(text)


def decode_bytes(data: bytes, *, max_junk: float = 0.01) -> Decoded:
    """Decode `data`; raise `DecodeError` when it is not text.

    UTF-8 (a BOM is removed and noted) is tried first; otherwise charset-normalizer picks the encoding.
    ftfy then repairs mojibake only (quotes, widths and normalisation are left alone so that offsets
    stay true to what the author wrote).
    """
    repairs: list[str] = []
    try:
        text = data.decode("utf-8")
        if text.startswith("\ufeff"):
            text = text[1:]
            repairs.append("removed UTF-8 byte-order mark")
    except UnicodeDecodeError:
        best = charset_normalizer.from_bytes(data).best()
        if best is None or best.encoding is None:
            raise DecodeError("not UTF-8 and no other encoding fits") from None
        text = str(best)
        repairs.append(f"decoded as {best.encoding} (not valid UTF-8)")
    if "\x00" in text or _junk_ratio(text) > max_junk:
        raise DecodeError(f"{_junk_ratio(text):.0%} of the characters are control or unassigned code points")
    fixed = repair_text(text)
    return Decoded(fixed.text, repairs + fixed.repairs)


def repair_text(text: str) -> Decoded:
    """Repair mojibake only (`donâ€™t` -> `don’t`) and say what was done."""
    fixed, explanation = ftfy.fix_encoding_and_explain(text)
    if fixed == text:
        return Decoded(text)
    steps = ", ".join(f"{kind}:{arg}" for kind, arg in (explanation or []))
    return Decoded(fixed, [f"repaired mojibake ({steps})" if steps else "repaired mojibake"])
