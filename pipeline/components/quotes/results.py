"""What the quote stage finds: speakers, finder hits and attributions, in character offsets.

`doc._.trade_quotes` is the stage's result: a list of `Attribution`, sorted by (start, end). Later stages
(and `pipeline/records.py`) read it as it is; nothing in it is a dict.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from models.records import Label, QuoteKind
from pipeline.components.quotes.rules import RULES, QuoteRule

CharSpan = tuple[int, int]


@dataclass(frozen=True)
class SpeakerRef:
    """Who is credited with a quote: an entity mention (`mention_index` into `doc._.trade_mentions`), or a
    pronoun, role, unknown name or unnamed source that points at no mention (`mention_index` None).

    `mention` is where the speaker is written (a pronoun's own characters when it was resolved)."""

    mention: CharSpan | None
    mention_index: int | None = None
    name: str | None = None
    canonical_id: str | None = None
    label: Label | None = None
    title: str | None = None

    def at(self, mention: CharSpan) -> SpeakerRef:
        """The same speaker, written at `mention`."""
        return replace(self, mention=mention)

    @property
    def key(self) -> str:
        """What identifies the speaker within an article: its canonical id, else its name."""
        return self.canonical_id or self.name or ""


@dataclass
class Hit:
    """What a finder settled for one quote: the rule that fired, the cue, the speaker, channel and outlet."""

    rule: QuoteRule
    cue: CharSpan | None
    speaker: SpeakerRef | None
    channel: str | None = None
    via: str | None = None

    def at(self, start: int, end: int, kind: QuoteKind) -> Attribution:
        return Attribution(start, end, kind, self.rule, self.cue, self.speaker, self.channel, self.via)


@dataclass
class Attribution:
    """One quote or reported statement: `text[start:end]` is its content."""

    start: int
    end: int
    kind: QuoteKind
    rule: QuoteRule
    cue: CharSpan | None = None
    speaker: SpeakerRef | None = None
    channel: str | None = None
    via: str | None = None

    @property
    def score(self) -> float:
        return RULES[self.rule].score

    def moved(self, start: int, end: int, rule: QuoteRule) -> Attribution:
        """This attribution credited to another quoted stretch (a continued paragraph, a floating quote)."""
        return replace(self, start=start, end=end, rule=rule)
