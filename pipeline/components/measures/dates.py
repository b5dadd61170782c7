"""Dates of a measure: the date expressions of its sentence ("on Monday", "last Tuesday", "from August 1",
"in May", "July 14, 2025"), resolved against the article's publication date.

A small resolver rather than a library: dateparser costs milliseconds per call, far over the stage's
budget, and dateutil parses absolute dates but not "last Tuesday" against a reference. The rules:
a weekday is the latest such day on or before the publication date ("on Monday" in news is past), the
one before that after "last", and the next one after the publication date after "next", "from",
"starting", "effective", "until" or a "will"/"would" not followed by "said"; a month without a year is
the nearest such month in the past, or in the future in the same contexts; "in May" gives the month
only (`2025-05`), as the record allows. Without a publication date nothing relative is resolved
(explicit dates with a year still are). "This week" and the like fix no day and give nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from pipeline.components.measures.lexicon import WORD

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = (
    r"(January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)"
)
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_DATE_RE = re.compile(
    r"\b(?P<iso>(?P<iy>\d{4})-(?P<im>\d{2})-(?P<id>\d{2}))\b"
    rf"|\b{_MONTH.replace('(', '(?P<md_m>', 1)}\.?\s+(?P<md_d>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<md_y>\d{{4}})\b)?"
    rf"|\b(?P<dm_d>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH.replace('(', '(?P<dm_m>', 1)}\b(?:\s+(?P<dm_y>\d{{4}})\b)?"
    rf"|\b{_MONTH.replace('(', '(?P<my_m>', 1)}\s+(?P<my_y>\d{{4}})\b"
    rf"|\b(?:in|since|by|until|from|during|early|late|mid-?|last|next|this|end\s+of)\s+"
    rf"{_MONTH.replace('(', '(?P<m_m>', 1)}\b(?!\.?\s+\d)"
    r"|\b(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
    r"|\b(?P<rel>today|yesterday|tomorrow)\b",
)
_FUTURE_WORDS = frozenset({"next", "from", "starting", "effective", "beginning", "until", "by", "as"})
# "due to take effect on Thursday", "scheduled for Monday": what is due is still to come
_FUTURE_VERBS = frozenset({"will", "would", "shall", "'ll", "due", "scheduled", "expected"})
_SPEECH = frozenset({"said", "says", "told", "announced", "stated", "added", "wrote", "confirmed"})
# "takes effect on Dec 1", "come into force in January": the present of taking effect speaks of a day to come
_COMING_EFFECT = re.compile(r"\b(?:takes?|comes?|kicks?)\s+(?:effect|into\s+(?:force|effect)|in)\b", re.IGNORECASE)
# how many words before a date a verb of saying makes it the day of saying
SPEECH_WORDS = 5
_DATELINE = re.compile(r"^[A-Z][A-Z .'’/-]+(?:,\s*[A-Z][A-Za-z .'-]+)?,\s*$")


@dataclass(frozen=True)
class DateRef:
    start: int
    end: int
    value: str  # ISO, at the precision the text gives
    effective: bool  # after an effective cue ("from", "takes effect", "implemented")
    of_speech: bool = False  # right after a verb of saying ("said on Tuesday"): when it was said


def find_dates(
    text: str, start: int, end: int, published: str | None, effective_re: re.Pattern[str] | None
) -> list[DateRef]:
    """Resolved date expressions of `text[start:end]`, in text order."""
    pub = _parse_iso(published)
    out: list[DateRef] = []
    for m in _DATE_RE.finditer(text, start, end):
        if _DATELINE.match(text, start, m.start()):
            continue
        before = [w.lower() for w in WORD.findall(text, max(start, m.start() - 60), m.start())]
        future = _future(before, m) or bool(_COMING_EFFECT.search(text, max(start, m.start() - 40), m.start()))
        value = _resolve(m, pub, future)
        if value is None:
            continue
        # "from January" holds its own cue
        lead = text[max(start, m.start() - 80) : m.start()] + " " + m.group(0).split()[0]
        eff = bool(effective_re and any(True for _ in effective_re.finditer(lead[-70:])))
        # "said on Monday", "said in a statement on Monday"
        speech = bool(set(before[-SPEECH_WORDS:]) & _SPEECH)
        out.append(DateRef(m.start(), m.end(), value, eff and not speech, speech))
    return out


def _future(before: list[str], m: re.Match[str]) -> bool:
    if "next" in (m.group(0).lower().split()[:1]):
        return True
    near = before[-2:]
    if set(near) & _FUTURE_WORDS:
        return True
    tail = before[-6:]
    for k in range(len(tail) - 1, -1, -1):
        if tail[k] in _SPEECH:
            return False
        if tail[k] in _FUTURE_VERBS:
            return True
    return False


def _parse_iso(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _month(name: str) -> int:
    return _MONTHS[name[:4].lower() if name.lower().startswith("sept") else name[:3].lower()]


def _resolve(m: re.Match[str], pub: dt.date | None, future: bool) -> str | None:
    g = m.groupdict()
    if g["iso"]:
        try:
            return dt.date(int(g["iy"]), int(g["im"]), int(g["id"])).isoformat()
        except ValueError:
            return None
    if g["md_m"] or g["dm_m"]:
        month = _month(g["md_m"] or g["dm_m"])
        day = int(g["md_d"] or g["dm_d"])
        year = g["md_y"] or g["dm_y"]
        return _day(int(year) if year else None, month, day, pub, future)
    if g["my_m"]:
        return f"{int(g['my_y']):04d}-{_month(g['my_m']):02d}"
    if g["m_m"]:
        if pub is None:
            return None
        month = _month(g["m_m"])
        word = m.group(0).split()[0].lower()
        year = pub.year
        if (future or word == "next") and month < pub.month:
            year += 1
        elif not (future or word == "next") and month > pub.month:
            year -= 1
        return f"{year:04d}-{month:02d}"
    if pub is None:
        return None
    if g["wd"]:
        wd = _WEEKDAYS.index(g["wd"].lower())
        prev = m.string[max(0, m.start() - 6) : m.start()].lower().split()
        if prev[-1:] == ["last"]:
            delta = (pub.weekday() - wd) % 7 or 7
            return (pub - dt.timedelta(days=delta)).isoformat()
        if future:
            delta = (wd - pub.weekday()) % 7 or 7
            return (pub + dt.timedelta(days=delta)).isoformat()
        return (pub - dt.timedelta(days=(pub.weekday() - wd) % 7)).isoformat()
    rel = g["rel"].lower()
    shift = {"today": 0, "yesterday": -1, "tomorrow": 1}[rel]
    return (pub + dt.timedelta(days=shift)).isoformat()


def _day(year: int | None, month: int, day: int, pub: dt.date | None, future: bool) -> str | None:
    if year is None:
        if pub is None:
            return None
        year = pub.year
        try:
            cand = dt.date(year, month, day)
        except ValueError:
            return None
        if future and cand < pub - dt.timedelta(days=1):
            year += 1
        elif not future and cand > pub + dt.timedelta(days=31):
            year -= 1
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None
