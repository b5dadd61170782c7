"""One announcement is one measure: candidates from every trigger are merged into measures, and the
sentences that only mention a measure again ("the ban", "the tariffs") become its evidence."""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.components.measures.adapter import MentionRef
from pipeline.components.measures.dates import DateRef
from pipeline.components.measures.items import ItemRef, RateRef
from pipeline.components.measures.triggers import Trigger


@dataclass
class Candidate:
    """What one trigger says, before merging."""

    trigger: Trigger
    type: str
    status: str
    direction: str | None
    creates: bool  # reports an action (a status cue, "new"), rather than naming one again
    actor: MentionRef | None
    targets: list[MentionRef]
    items: list[ItemRef]
    rate: RateRef | None
    announced: DateRef | None
    effective: DateRef | None
    policy: MentionRef | None
    score: float


@dataclass
class Draft:
    """A measure being built: its first candidate and what later reports add."""

    first: Candidate
    evidence: list[tuple[int, int]] = field(default_factory=list)
    targets: list[MentionRef] = field(default_factory=list)
    items: list[ItemRef] = field(default_factory=list)
    actor: MentionRef | None = None
    rate: RateRef | None = None
    announced: DateRef | None = None
    effective: DateRef | None = None
    policy: MentionRef | None = None
    triggers: list[tuple[int, int]] = field(default_factory=list)  # every trigger that reports or names it
    quote_indexes: list[int] = field(default_factory=list)  # the quotes that speak about it

    @classmethod
    def start(cls, c: Candidate) -> Draft:
        d = cls(first=c, actor=c.actor, rate=c.rate, announced=c.announced, effective=c.effective, policy=c.policy)
        d.add(c)
        return d

    def cite(self, c: Candidate) -> None:
        """Take the candidate's sentence as evidence and its trigger as a reference to this measure."""
        sent = (c.trigger.sentence.start, c.trigger.sentence.end)
        if sent not in self.evidence:
            self.evidence.append(sent)
            self.evidence.sort()
        self.triggers.append((c.trigger.start, c.trigger.end))

    @property
    def jurisdiction(self) -> str | None:
        return self.actor.jurisdiction if self.actor else None

    def add(self, c: Candidate) -> None:
        self.cite(c)
        _extend(self.targets, c.targets, _party_key)
        actor = self.actor or c.actor
        if actor is not None:
            # a later report's actor is no target of the measure ("the U.S. and China cut the tariffs")
            self.targets = [
                m
                for m in self.targets
                if m.jurisdiction is None or m.jurisdiction != actor.jurisdiction or m.label != "COUNTRY"
            ]
        # each distinct good once, at its first mention ("EVs" in the lead and again in the body is one item)
        _extend(self.items, c.items, lambda i: i.key)
        self.actor = self.actor or c.actor
        self.rate = self.rate or c.rate
        if self.announced is None or (self.announced.of_speech and c.announced and not c.announced.of_speech):
            # a day the text gives the action ("on Friday, the government decided") beats the day a report of
            # it was made ("..., the ministry said on Sunday")
            self.announced = c.announced
        self.effective = self.effective or c.effective
        self.policy = self.policy or c.policy


def _party_key(m: MentionRef) -> object:
    return m.canonical_id or m.text.lower()


def _extend(into: list, more: list, key) -> None:  # type: ignore[no-untyped-def, type-arg]
    have = {key(x) for x in into}
    for x in more:
        if key(x) not in have:
            have.add(key(x))
            into.append(x)


def _item_keys(items: list[ItemRef]) -> set[str]:
    return {i.key for i in items}


# statuses of one measure on its way to being in force
STEPS_OF_ONE = frozenset({"proposed", "threatened", "announced", "in_force"})


def _compatible(d: Draft, c: Candidate) -> bool:
    """Same instrument, actor and status, and not about different goods or targets; a report that names no
    actor of its own ("the rule also restricts ...") may differ in status: it tells more of the same measure;
    so may one of the same goods at another step on the way to being in force."""
    if d.first.type != c.type:
        return False
    shared_goods = bool(_item_keys(d.items) & _item_keys(c.items))
    if d.first.status != c.status and c.actor is not None:
        # the same goods under the same government, reported once as planned and once as taken ("plans to
        # curb antimony exports" ... "the antimony export controls"), are one measure at two steps; a lifting
        # or a pause stays its own measure
        steps = {d.first.status, c.status}
        if not (shared_goods and steps <= STEPS_OF_ONE):
            return False
    cj = c.actor.jurisdiction if c.actor else None
    if d.jurisdiction and cj and d.jurisdiction != cj:
        return False
    if d.items and c.items and not shared_goods:
        return False
    dt_, ct = {_party_key(m) for m in d.targets}, {_party_key(m) for m in c.targets}
    return not (dt_ and ct and not dt_ & ct)


def merge(cands: list[Candidate]) -> list[Draft]:
    """Measures from candidates: reports of an action create or extend one; other mentions of an instrument
    become evidence of the measure of that type they refer to (the latest before them, else the first after;
    with shared goods or targets when not definite), or nothing."""
    drafts: list[Draft] = []
    for c in cands:
        if not c.creates:
            continue
        same = next((d for d in reversed(drafts) if _compatible(d, c)), None)
        if same is None and c.trigger.definite:
            # "the tariffs took effect on Monday": a later step of the measure named before
            same = next((d for d in reversed(drafts) if d.first.type == c.type), None)
        if same is None:
            drafts.append(Draft.start(c))
        else:
            same.add(c)
    for c in cands:
        if c.creates:
            continue
        of_type = [d for d in drafts if d.first.type == c.type]
        if not of_type:
            continue
        if not c.trigger.definite:
            keys = _item_keys(c.items)
            parties = {_party_key(m) for m in [*c.targets, *([c.actor] if c.actor else [])]}
            of_type = [
                d
                for d in of_type
                if (keys and keys & _item_keys(d.items))
                or (parties and parties & {_party_key(m) for m in [*d.targets, *([d.actor] if d.actor else [])]})
            ]
            if not of_type:
                continue
        before = [d for d in of_type if d.first.trigger.start <= c.trigger.start]
        (before[-1] if before else of_type[0]).cite(c)
    return drafts
