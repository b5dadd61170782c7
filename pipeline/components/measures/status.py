"""Status and direction of a trigger, from the words around it (`measure_words.json`)."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.components.measures.lexicon import MeasureRules, normal_form
from pipeline.components.measures.triggers import Trigger

# how many words before a trigger its status cues are looked for in ("said it would impose new tariffs")
BEFORE = 7
# and after it, for the cues a passive or a clause puts there ("tariffs were lifted", "controls took effect")
AFTER = 7
AFTER_STATUSES = ("revoked", "suspended", "in_force")
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
    if any(s not in found for s in AFTER_STATUSES):
        # else a cue right after it, of the statuses a passive or a clause puts there
        for m in rules.status_re.finditer(text, trig.end, after_end):
            status = rules.status_of[normal_form(m.group())]
            if status in AFTER_STATUSES and status not in found:
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


def reports_action(trig: Trigger) -> bool:
    """A bare trigger still reports an action when an adjective says it is new ("new U.S. export curbs")."""
    words = trig.sentence.words
    return any(w in NEW_WORDS for _, _, w in words[max(trig.first_word - 3, 0) : trig.first_word])


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
