"""Status and direction of a trigger, from the words around it (`measure_words.json`)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from pipeline.components.measures.lexicon import WORD, MeasureRules, normal_form
from pipeline.components.measures.triggers import Trigger

# how many words before a trigger its status cues are looked for in ("said it would impose new tariffs")
BEFORE = 7
# and after it, for the cues a passive or a clause puts there ("tariffs were lifted", "controls took effect")
AFTER = 7
AFTER_STATUSES = ("revoked", "suspended", "in_force")
# a list trigger after one of these words ("to the Entity List", "from its control list") has its cue
# ("added", "removed") before the firms listed, up to this many words back
LIST_PREPS = frozenset({"to", "from", "on", "off"})
LIST_BEFORE = 16
LIST_STATUSES = ("in_force", "revoked")
# at most this many words between a trigger and a participle cue after it ("tariffs announced by")
PARTICIPLE_GAP = 1


def _participle_by(text: str, trig: Trigger, cue: re.Match[str]) -> bool:
    """The cue is a participle right after the trigger with its agent: 'curbs proposed by Brussels'."""
    if len(WORD.findall(text, trig.end, cue.start())) > PARTICIPLE_GAP:
        return False
    nxt = WORD.match(text, cue.end() + 1) if text[cue.end() : cue.end() + 1] == " " else None
    return nxt is not None and nxt.group().lower() == "by"


# adjectives that make a bare trigger a report of an action ("new export restrictions")
NEW_WORDS = frozenset({"new", "additional", "fresh", "further", "retaliatory", "reciprocal", "sweeping", "higher"})


@dataclass(frozen=True)
class StatusCue:
    status: str
    start: int
    end: int
    text: str


def find_status(text: str, trig: Trigger, rules: MeasureRules) -> StatusCue | None:
    """The cue that sets the trigger's status, or None when the words around it give none."""
    words = trig.sentence.words
    lo = max(trig.first_word - BEFORE, 0)
    before_start = words[lo][0] if lo < trig.first_word else trig.start
    hi = min(trig.last_word + AFTER, len(words))
    after_end = words[hi - 1][1] if hi > trig.last_word else trig.end
    found: dict[str, StatusCue] = {}
    if rules.status_re is None:
        return None
    # one scan of the words before the trigger (and inside it: "banned exports"); the nearest cue of each
    # status wins, so a later match replaces an earlier one
    for m in rules.status_re.finditer(text, before_start, trig.end):
        status = rules.status_of[normal_form(m.group())]
        found[status] = StatusCue(status, m.start(), m.end(), m.group())
    far = max(trig.first_word - LIST_BEFORE, 0)
    if (
        trig.entry.type == "entity_listing"
        and far < lo
        and any(w in LIST_PREPS for _, _, w in words[max(trig.first_word - 2, 0) : trig.first_word])
    ):
        # "added China's Huawei Technologies and SMIC to its export control list": the firms stand between
        # the listing verb and the list; only the verbs of listing and delisting reach that far
        for m in rules.status_re.finditer(text, words[far][0], before_start):
            status = rules.status_of[normal_form(m.group())]
            if status in LIST_STATUSES and status not in found:
                found[status] = StatusCue(status, m.start(), m.end(), m.group())
    if any(s not in found for s in AFTER_STATUSES):
        # else a cue right after it, of the statuses a passive or a clause puts there
        for m in rules.status_re.finditer(text, trig.end, after_end):
            status = rules.status_of[normal_form(m.group())]
            # "similar tariffs announced by the U.S.": a participle with its agent, of any status
            agent = status not in AFTER_STATUSES and _participle_by(text, trig, m)
            if (status in AFTER_STATUSES or agent) and status not in found:
                found[status] = StatusCue(status, m.start(), m.end(), m.group())
    for status in rules.words.status_order:
        cue = found.get(status)
        if cue is None:
            continue
        if rules.conditional_re is not None and rules.conditional_re.search(text, before_start, cue.start):
            # "even if Beijing eased its licensing regime": a supposition, not a report
            return None
        # "would impose ... if", "will raise tariffs unless": a threat
        if (
            status == "announced"
            and rules.conditional_re is not None
            and rules.conditional_re.search(text, cue.end, trig.sentence.end)
        ):
            return StatusCue("threatened", cue.start, cue.end, cue.text)
        return cue
    return None


def reports_action(trig: Trigger, rules: MeasureRules) -> bool:
    """A bare trigger still reports an action when an adjective says it is new ("new U.S. export curbs") or
    it names the change itself ("tariff hikes", "a tariff cut")."""
    words = trig.sentence.words
    return any(w in NEW_WORDS for _, _, w in words[max(trig.first_word - 3, 0) : trig.first_word]) or any(
        w in rules.action_nouns for _, _, w in words[trig.first_word : trig.last_word]
    )


def find_direction(trig: Trigger, status: str, rules: MeasureRules) -> str | None:
    """Restrictive or liberalising: the nearest word before the trigger (or in it) that says which, else
    what the status implies, else the trigger's own."""
    if trig.entry.type == "negotiation":
        return None
    if trig.entry.type == "licence_decision" and status in ("revoked", "suspended"):
        # a licence revoked is a barrier raised, though "revoked" lowers one anywhere else
        return "restrictive"
    words = trig.sentence.words
    for k in range(trig.last_word - 1, max(trig.first_word - BEFORE, 0) - 1, -1):
        w = words[k][2]
        if w in rules.liberalising:
            return "liberalising"
        if w in rules.restrictive:
            return "restrictive"
    if status in ("revoked", "suspended"):
        return "liberalising"
    return trig.entry.direction


# an action announced this many days or more before the article is reported as one in force: news recalls
# old measures ("the rules the U.S. announced in October last year") by the words of their announcement
STALE_DAYS = 30


def _day_range(value: str | None) -> tuple[dt.date, dt.date] | None:
    """The first and last day an ISO date of any precision (`2025`, `2025-04`, `2025-04-02`) covers."""
    if not value:
        return None
    try:
        parts = [int(p) for p in value.split("-")]
        if len(parts) == 1:
            return dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31)
        if len(parts) == 2:
            first = dt.date(parts[0], parts[1], 1)
            nxt = dt.date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1)
            return first, nxt - dt.timedelta(days=1)
        day = dt.date(parts[0], parts[1], parts[2])
        return day, day
    except ValueError:
        return None


def dated_status(status: str, announced: str | None, effective: str | None, published: str | None) -> str:
    """The status the measure's dates settle against the publication day: announced with an effective day
    already past, or announced long before it, is in force; in force from a day still to come is announced."""
    pub = _day_range(published[:10] if published else None)
    if pub is None or status not in ("announced", "in_force"):
        return status
    day = pub[0]
    eff = _day_range(effective)
    if eff is not None:
        if eff[0] > day:
            return "announced"
        if eff[1] < day:
            return "in_force"
    ann = _day_range(announced)
    if status == "announced" and ann is not None and (day - ann[1]).days >= STALE_DAYS:
        return "in_force"
    return status
