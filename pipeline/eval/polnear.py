"""PolNeAR: the brat reader and the attribution scorer of `../shared/polnear/README.md`.

Reading: `T` lines are spans (`;` separates the pieces of a discontinuous span), `E` lines tie an
attribution together (`Attribution` or `Attribution-no-source` trigger, `Content`, `Content2`, `Cue`,
optional `Source`), `#` lines are notes, and any other line continues the previous one. Two quirks are
repaired as the README says: events whose Source and Cue are swapped (Source `said`, Cue `Hester`)
are swapped back, and events that share one cue span are merged into one attribution.

Scoring: predicted quotes with the same cue span that sit next to each other are joined, then matched
one to one per article under the three rules of `metrics` (exact, word overlap >= 0.8 and >= 0.3);
speaker and cue are judged on the pairs matched at 0.3; numbers come for all attributions, the
speech-verb subset and the subset whose Content holds a double quotation mark.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from models.records import ArticleRecord, Quote
from pipeline.eval.metrics import (
    ATTRIBUTE_RULE,
    PRF,
    RULES,
    Acc,
    DiffItem,
    Pieces,
    Words,
    context,
    last_word,
    match_pieces,
    normalize_pieces,
    spans_overlap,
    word_in,
)

SUBSETS = ("all", "speech", "quoted")
# Verbs of saying from the PolNeAR README, plus the two phrases it names.
SPEECH_LEMMAS = (
    "say", "tell", "state", "add", "write", "ask", "note", "announce", "tweet", "argue", "explain", "declare",
    "acknowledge", "recall", "claim", "respond", "reply", "insist", "warn", "admit", "confirm", "deny", "report",
)
_IRREGULAR = {"say": ("said",), "tell": ("told",), "write": ("wrote", "written"), "admit": ("admitted", "admitting")}
_PHRASES = (re.compile(r"\baccording to\b"), re.compile(r"\bpoint(?:s|ed|ing)? out\b"))
DOUBLE_MARKS = frozenset('"“”„‟«»')
_LETTERS = re.compile(r"[a-z]+")
_T_LINE = re.compile(r"^(T\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)(?:\t|$)")
_E_LINE = re.compile(r"^(E\d+)\t(.*)$")
_NOTE_LINE = re.compile(r"^#\d*\t")


def inflections(lemma: str) -> set[str]:
    """The simple inflections of a regular English verb (plus the irregular forms we know)."""
    forms = {lemma, *_IRREGULAR.get(lemma, ())}
    if lemma.endswith("e"):
        forms |= {lemma + "s", lemma + "d", lemma[:-1] + "ing"}
    elif len(lemma) > 1 and lemma.endswith("y") and lemma[-2] not in "aeiou":
        forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied", lemma + "ing"}
    else:
        forms |= {lemma + "s", lemma + "ed", lemma + "ing"}
    return forms


SPEECH_FORMS = frozenset(f for lemma in SPEECH_LEMMAS for f in inflections(lemma))


def is_speech_cue(cue: str) -> bool:
    """Whether a cue text holds a verb of saying (any inflection) or `according to` / `point out`."""
    low = " ".join(_LETTERS.findall(cue.lower()))
    return any(w in SPEECH_FORMS for w in low.split()) or any(p.search(low) for p in _PHRASES)


def _is_cue_phrase(text: str) -> bool:
    """The whole text is a speech cue (`said`, `According to`), as in the Source/Cue-swapped events."""
    words = _LETTERS.findall(text.lower())
    if len(words) == 1:
        return words[0] in SPEECH_FORMS
    return any(p.fullmatch(" ".join(words)) for p in _PHRASES)


def has_double_mark(text: str) -> bool:
    return any(ch in DOUBLE_MARKS for ch in text)


# ------------------------------------------------------------------------------------------- reader
@dataclass
class Attribution:
    """One gold attribution: Content pieces, Cue pieces and Source pieces (None when source-less)."""

    eid: str
    content: Pieces
    cue: Pieces
    source: Pieces | None


@dataclass
class AnnStats:
    events: int = 0
    swapped: int = 0
    merged: int = 0
    dropped: int = 0  # events left without a Content after merging

    def add(self, other: AnnStats) -> None:
        for k in self.__dict__:
            setattr(self, k, getattr(self, k) + getattr(other, k))


def _ranges(spec: str) -> Pieces:
    pieces = []
    for part in spec.split(";"):
        start, end = part.split()
        pieces.append((int(start), int(end)))
    return normalize_pieces(pieces)


def _piece_text(text: str, pieces: Pieces) -> str:
    return " ".join(text[s:e] for s, e in pieces)


def parse_ann(ann: str, text: str) -> tuple[list[Attribution], AnnStats]:
    """The attributions of one `.ann` file over its `text` (offsets are checked against the text)."""
    spans: dict[str, Pieces] = {}
    events: list[tuple[str, dict[str, list[str]]]] = []
    for line in ann.split("\n"):
        if m := _T_LINE.match(line):
            pieces = _ranges(m.group(3))
            if pieces and pieces[-1][1] > len(text):
                raise ValueError(f"{m.group(1)} {m.group(3)} runs past the text ({len(text)} characters)")
            spans[m.group(1)] = pieces
        elif m := _E_LINE.match(line):
            roles: dict[str, list[str]] = {}
            for arg in m.group(2).split():
                role, _, tid = arg.partition(":")
                role = role.rstrip("0123456789")  # Content2 is a second Content
                roles.setdefault("Trigger" if role.startswith("Attribution") else role, []).append(tid)
            events.append((m.group(1), roles))
        # `#` notes and continuation lines carry no offsets
    stats = AnnStats(events=len(events))
    # cue span -> [eid, content pieces, cue pieces, source pieces]
    merged: dict[Pieces, list[Any]] = {}
    for eid, roles in events:

        def get(role: str, roles: dict[str, list[str]] = roles) -> Pieces | None:
            found = [p for tid in roles.get(role, []) for p in spans.get(tid, ())]
            return normalize_pieces(found) if found else None

        cue = get("Cue") or get("Trigger")
        source = get("Source")
        content = get("Content") or ()
        if cue is None:
            stats.dropped += 1
            continue
        swapped = source is not None and _is_cue_phrase(_piece_text(text, source))
        if swapped and source is not None and not is_speech_cue(_piece_text(text, cue)):
            cue, source = source, cue
            stats.swapped += 1
        if cue in merged:
            stats.merged += 1
            slot = merged[cue]
            slot[1] = normalize_pieces((*slot[1], *content))
            slot[3] = slot[3] or source
        else:
            merged[cue] = [eid, content, cue, source]
    out = []
    for eid, content, cue, source in merged.values():
        if not content:
            stats.dropped += 1
            continue
        out.append(Attribution(eid, content, cue, source))
    out.sort(key=lambda a: (a.content[0][0], a.eid))
    return out, stats


@dataclass
class PolnearDoc:
    stem: str
    text: str
    attributions: list[Attribution]


def load_polnear(root: Path, split: str = "dev", *, limit: int | None = None) -> tuple[list[PolnearDoc], AnnStats]:
    """Texts and attributions of one split, sorted by file stem; FileNotFoundError when the split is absent."""
    text_dir = Path(root) / split / "text"
    ann_dir = Path(root) / split / "attributions"
    if not text_dir.is_dir() or not ann_dir.is_dir():
        raise FileNotFoundError(f"no PolNeAR {split} split under {root} "
                                f"(expected {split}/text and {split}/attributions)")
    stems = sorted(p.stem for p in text_dir.glob("*.txt"))
    if limit is not None:
        stems = stems[:limit]
    docs: list[PolnearDoc] = []
    total = AnnStats()
    for stem in stems:
        # newline="" keeps \r\n: the offsets count every character of the UTF-8 text
        with (text_dir / f"{stem}.txt").open(encoding="utf-8", newline="") as fh:
            text = fh.read()
        ann_path = ann_dir / f"{stem}.ann"
        with ann_path.open(encoding="utf-8", newline="") as fh:
            ann = fh.read()
        try:
            attrs, stats = parse_ann(ann, text)
        except ValueError as e:
            raise ValueError(f"{ann_path}: {e}") from e
        total.add(stats)
        docs.append(PolnearDoc(stem, text, attrs))
    return docs, total


# ------------------------------------------------------------------------------------------- scorer
@dataclass
class PredUnit:
    """A predicted attribution: one quote, or neighbours joined on a shared cue."""

    pieces: Pieces
    cue: Pieces | None
    quotes: list[Quote]

    @property
    def speaker_quote(self) -> Quote | None:
        return next((q for q in self.quotes if q.speaker is not None), None)


def join_on_cue(quotes: Sequence[Quote]) -> list[PredUnit]:
    """Neighbouring quotes (in text order) with the same cue span become one unit, like `“A,” he said, “B.”`."""
    units: list[PredUnit] = []
    for q in sorted(quotes, key=lambda q: (q.start, q.end)):
        cue = ((q.cue.start, q.cue.end),) if q.cue is not None else None
        if units and cue is not None and units[-1].cue == cue:
            last = units[-1]
            last.pieces = normalize_pieces((*last.pieces, (q.start, q.end)))
            last.quotes.append(q)
        else:
            units.append(PredUnit(((q.start, q.end),), cue, [q]))
    return units


def polnear_speaker_right(gold: Attribution, unit: PredUnit, text: str) -> bool:
    """Mention overlaps the Source, or the name's last word is in the Source text; no Source wants no speaker."""
    q = unit.speaker_quote
    if gold.source is None:
        return q is None
    if q is None or q.speaker is None:
        return False
    sp = q.speaker
    if sp.mention is not None and spans_overlap(((sp.mention.start, sp.mention.end),), gold.source):
        return True
    return word_in(last_word(sp.name), _piece_text(text, gold.source))


def gold_subsets(a: Attribution, text: str) -> set[str]:
    out = {"all"}
    if is_speech_cue(_piece_text(text, a.cue)):
        out.add("speech")
    if has_double_mark(_piece_text(text, a.content)):
        out.add("quoted")
    return out


def pred_subsets(u: PredUnit, text: str) -> set[str]:
    """Subsets an unmatched prediction counts against: speech unless its cue names no verb of saying,
    quoted when a double mark sits inside or right around it (tradex excludes the marks)."""
    out = {"all"}
    if u.cue is None or is_speech_cue(_piece_text(text, u.cue)):
        out.add("speech")
    if any(has_double_mark(text[max(0, s - 1) : e + 1]) for s, e in u.pieces):
        out.add("quoted")
    return out


@dataclass
class SubsetScores:
    gold: int = 0
    rules: dict[str, PRF] = field(default_factory=lambda: {r: PRF() for r in RULES})
    speaker: Acc = field(default_factory=Acc)
    cue: Acc = field(default_factory=Acc)

    def as_dict(self) -> dict[str, Any]:
        return {"gold": self.gold, "match": {r: p.as_dict() for r, p in self.rules.items()},
                f"speaker_at_{ATTRIBUTE_RULE}": self.speaker.as_dict(), f"cue_at_{ATTRIBUTE_RULE}": self.cue.as_dict()}


@dataclass
class PolnearScores:
    """Everything `tradex eval --polnear` reports for one split."""

    articles: int = 0
    predicted: int = 0
    subsets: dict[str, SubsetScores] = field(default_factory=lambda: {s: SubsetScores() for s in SUBSETS})
    confusions: Counter[str] = field(default_factory=Counter)
    diff: list[DiffItem] = field(default_factory=list)
    stats: AnnStats = field(default_factory=AnnStats)

    def as_dict(self, *, top: int = 20, with_diff: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "articles": self.articles,
            "predicted_units": self.predicted,
            "gold_repairs": self.stats.__dict__.copy(),
            "subsets": {k: v.as_dict() for k, v in self.subsets.items()},
            "confusions": [{"error": k, "count": v}
                           for k, v in sorted(self.confusions.items(), key=lambda kv: (-kv[1], kv[0]))[:top]],
        }
        if with_diff:
            out["diff"] = [d.as_dict() for d in self.diff]
        return out


def _cue_key(text: str, cue: Pieces | None) -> str:
    return " ".join(_piece_text(text, cue).lower().split()) if cue else "no cue"


def score_polnear_doc(doc: PolnearDoc, rec: ArticleRecord, scores: PolnearScores, *, diff: bool = False) -> None:
    """Add one article: join predictions, match under every rule, count per subset."""
    if rec.text != doc.text:
        raise ValueError(f"{doc.stem}: the prediction was made on a different text")
    text = doc.text
    words = Words(text)
    units = join_on_cue(rec.quotes)
    gold = doc.attributions
    g_sub = [gold_subsets(a, text) for a in gold]
    p_sub = [pred_subsets(u, text) for u in units]
    scores.articles += 1
    scores.predicted += len(units)
    for a_sub in g_sub:
        for name in a_sub:
            scores.subsets[name].gold += 1
    for rule in RULES:
        found = match_pieces([a.content for a in gold], [u.pieces for u in units], text, rule, words)
        got_g = {gi for gi, _, _ in found}
        got_p = {pi for _, pi, _ in found}
        for name, sub in scores.subsets.items():
            tp = sum(1 for gi, _, _ in found if name in g_sub[gi])
            fn = sum(1 for gi in range(len(gold)) if gi not in got_g and name in g_sub[gi])
            # a prediction matched to an attribution outside the subset is neither right nor wrong there
            fp = sum(1 for pi in range(len(units)) if pi not in got_p and name in p_sub[pi])
            sub.rules[rule].add(PRF(tp=tp, fp=fp, fn=fn))
        if rule != ATTRIBUTE_RULE:
            continue
        for gi, pi, _ in found:
            sp_ok = polnear_speaker_right(gold[gi], units[pi], text)
            cue_ok = units[pi].cue is not None and spans_overlap(units[pi].cue or (), gold[gi].cue)
            for name in g_sub[gi]:
                scores.subsets[name].speaker.judge(sp_ok)
                scores.subsets[name].cue.judge(cue_ok)
            if not sp_ok:
                scores.confusions["wrong speaker" if units[pi].speaker_quote else "missed speaker"] += 1
            if not cue_ok:
                scores.confusions["wrong cue"] += 1
        for gi, a in enumerate(gold):
            if gi not in got_g:
                scores.confusions[f"missed (cue '{_cue_key(text, a.cue)}')"] += 1
                if diff:
                    s, e = a.content[0][0], a.content[-1][1]
                    scores.diff.append(DiffItem(doc.stem, "missed", "attribution", s, e, context(text, s, e)))
        for pi, u in enumerate(units):
            if pi not in got_p:
                kinds = "+".join(sorted({q.kind.value for q in u.quotes}))
                scores.confusions[f"spurious {kinds} (cue '{_cue_key(text, u.cue)}')"] += 1
                if diff:
                    s, e = u.pieces[0][0], u.pieces[-1][1]
                    scores.diff.append(DiffItem(doc.stem, "spurious", f"quote {kinds}", s, e, context(text, s, e)))


def score_polnear(docs: Sequence[PolnearDoc], records: Sequence[ArticleRecord], *, stats: AnnStats | None = None,
                  diff: bool = False) -> PolnearScores:
    """Score predictions (in the order of `docs`) against the PolNeAR attributions."""
    scores = PolnearScores(stats=stats or AnnStats())
    for doc, rec in zip(docs, records, strict=True):
        score_polnear_doc(doc, rec, scores, diff=diff)
    return scores
