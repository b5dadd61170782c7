"""Entity and quote metrics, and the span matchers shared with the PolNeAR scorer.

A quote (gold or predicted) is reduced to `Pieces`: sorted, non-overlapping character ranges
into the article text (one piece for a tradex quote, several for a discontinuous PolNeAR
Content or for predicted quotes joined on a shared cue). Three matching rules, applied one to
one and greedily per article:

* `exact`: equal pieces once each piece is trimmed of white space, quotation marks and
  punctuation at both ends;
* `0.8` / `0.3`: word overlap `|P ∩ G| / max(|P|, |G|)` at or above the threshold, where words
  are `\\w+` runs of the article and the words in the gaps between the pieces of either side
  are ignored;
* `0.5both`: at least half of the predicted words are gold words and at least half of the gold words
  are predicted (`|P ∩ G| / |P| >= 0.5` and `|P ∩ G| / |G| >= 0.5`), the rule the modern gold's
  quote targets are stated in.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations, pairwise
from typing import Any

from models.gold import GoldArticle, GoldEntity, GoldQuote, GoldSpan
from models.records import ArticleRecord, Entity, Quote, Span
from pipeline.eval.counts import PRF, Acc
from pipeline.eval.measure_metrics import MeasureScores, score_measures

Piece = tuple[int, int]
Pieces = tuple[Piece, ...]

RULES: tuple[str, ...] = ("exact", "0.8", "0.5both", "0.3")
BOTH_WAYS = "0.5both"
ATTRIBUTE_RULE = "0.3"  # quote attributes (kind, speaker, cue ...) are judged on pairs matched at this rule
CONTEXT_CHARS = 40
_WORD = re.compile(r"\w+")
_EXTRA_TRIM = frozenset("`´")


# --------------------------------------------------------------------------------------- span tools
class Words:
    """The `\\w+` runs of one text, for quick lookup of the words a range touches."""

    def __init__(self, text: str) -> None:
        runs = [m.span() for m in _WORD.finditer(text)]
        self.starts = [s for s, _ in runs]
        self.ends = [e for _, e in runs]

    def between(self, start: int, end: int) -> range:
        """Indexes of the words that overlap `[start, end)`."""
        lo = bisect_right(self.ends, start)  # first word ending after start
        hi = bisect_left(self.starts, end)  # first word starting at or after end
        return range(lo, max(lo, hi))

    def of(self, pieces: Pieces) -> set[int]:
        out: set[int] = set()
        for s, e in pieces:
            out.update(self.between(s, e))
        return out

    def in_gaps(self, pieces: Pieces) -> set[int]:
        """Words between the pieces that no piece touches."""
        gaps: set[int] = set()
        for (_, e1), (s2, _) in pairwise(pieces):
            if s2 > e1:
                gaps.update(self.between(e1, s2))
        return gaps - self.of(pieces)


def _trimmable(ch: str) -> bool:
    return ch.isspace() or unicodedata.category(ch).startswith("P") or ch in _EXTRA_TRIM


def trim_piece(text: str, start: int, end: int) -> Piece | None:
    """The piece without white space, quotation marks and punctuation at either end; None when nothing is left."""
    while start < end and _trimmable(text[start]):
        start += 1
    while end > start and _trimmable(text[end - 1]):
        end -= 1
    return (start, end) if end > start else None


def trimmed(text: str, pieces: Pieces) -> Pieces:
    return tuple(p for p in (trim_piece(text, s, e) for s, e in pieces) if p is not None)


def normalize_pieces(pieces: Iterable[Piece]) -> Pieces:
    """Sorted, with overlapping or touching pieces merged and empty ones dropped."""
    out: list[list[int]] = []
    for s, e in sorted(p for p in pieces if p[1] > p[0]):
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return tuple((s, e) for s, e in out)


def _word_sets(pred: Pieces, gold: Pieces, words: Words) -> tuple[set[int], set[int]]:
    ignored = words.in_gaps(pred) | words.in_gaps(gold)
    return words.of(pred) - ignored, words.of(gold) - ignored


def word_overlap(pred: Pieces, gold: Pieces, words: Words) -> float:
    """`|P ∩ G| / max(|P|, |G|)` over word positions, ignoring the words in either side's gaps."""
    p, g = _word_sets(pred, gold, words)
    if not p or not g:
        return 0.0
    return len(p & g) / max(len(p), len(g))


def both_ways_overlap(pred: Pieces, gold: Pieces, words: Words) -> float:
    """`min(|P ∩ G| / |P|, |P ∩ G| / |G|)`: the share of the worse-covered side (0.5 = half both ways)."""
    p, g = _word_sets(pred, gold, words)
    if not p or not g:
        return 0.0
    inter = len(p & g)
    return min(inter / len(p), inter / len(g))


def spans_overlap(a: Pieces, b: Pieces) -> bool:
    return any(s1 < e2 and s2 < e1 for s1, e1 in a for s2, e2 in b)


def greedy_pairs(candidates: Iterable[tuple[float, int, int]]) -> list[tuple[int, int, float]]:
    """One-to-one pairs (gold index, pred index, score), best score first, ties by position."""
    used_g: set[int] = set()
    used_p: set[int] = set()
    out: list[tuple[int, int, float]] = []
    for score, gi, pi in sorted(candidates, key=lambda c: (-c[0], c[1], c[2])):
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        out.append((gi, pi, score))
    return sorted(out)


def match_pieces(gold: Sequence[Pieces], pred: Sequence[Pieces], text: str, rule: str,
                 words: Words | None = None) -> list[tuple[int, int, float]]:
    """Match one article's predicted quotes to its gold quotes under `rule` (`exact`, `0.8`, `0.3`)."""
    if rule == "exact":
        gt = [trimmed(text, g) for g in gold]
        pt = [trimmed(text, p) for p in pred]
        return greedy_pairs((1.0, gi, pi) for gi, g in enumerate(gt) for pi, p in enumerate(pt) if g and g == p)
    both = rule == BOTH_WAYS
    threshold = 0.5 if both else float(rule)
    overlap = both_ways_overlap if both else word_overlap
    words = words or Words(text)
    cands = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            if g and p and p[0][0] < g[-1][1] and g[0][0] < p[-1][1]:  # extents must meet
                score = overlap(p, g, words)
                if score >= threshold:
                    cands.append((score, gi, pi))
    return greedy_pairs(cands)


def context(text: str, start: int, end: int, chars: int = CONTEXT_CHARS) -> str:
    """`…left [span] right…` on one line, for the --diff view."""
    left = text[max(0, start - chars) : start]
    right = text[end : end + chars]
    flat = " ".join  # newlines would break the table rows
    return f"…{flat(left.split())} [{flat(text[start:end].split())}] {flat(right.split())}…"


def last_word(name: str | None) -> str | None:
    words = _WORD.findall(name or "")
    return words[-1].lower() if words else None


def word_in(word: str | None, *texts: str | None) -> bool:
    """Whether `word` (lower-cased) is one of the words of any of `texts`."""
    if not word:
        return False
    return any(word in {w.lower() for w in _WORD.findall(t or "")} for t in texts)


# ----------------------------------------------------------------------------------------- entities
def _union_find(n: int) -> tuple[Callable[[int], int], Callable[[int, int], None]]:
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    return find, union


def _pairs_of(groups: Iterable[Iterable[Piece]]) -> set[tuple[Piece, Piece]]:
    out: set[tuple[Piece, Piece]] = set()
    for g in groups:
        out.update(combinations(sorted(set(g)), 2))
    return out


def gold_same_entity_pairs(entities: Sequence[GoldEntity]) -> set[tuple[Piece, Piece]]:
    """Mention pairs (by span) whose `group or canonical_id` is equal and not null."""
    groups: dict[str, list[Piece]] = {}
    for e in entities:
        key = e.group or e.canonical_id
        if key:
            groups.setdefault(key, []).append((e.start, e.end))
    return _pairs_of(groups.values())


def pred_entity_clusters(entities: Sequence[Entity]) -> list[int]:
    """For each mention, the index of the first mention of its entity: mentions are joined by an equal
    canonical_id or an `attrs.antecedent` link, transitively (two mentions with one antecedent meet through it)."""
    find, union = _union_find(len(entities))
    by_id = {e.id: i for i, e in enumerate(entities)}
    first_with: dict[str, int] = {}
    for i, e in enumerate(entities):
        if e.canonical_id:
            union(i, first_with.setdefault(e.canonical_id, i))
        ante = e.attrs.get("antecedent")
        if isinstance(ante, str) and ante in by_id:
            union(i, by_id[ante])
    return [find(i) for i in range(len(entities))]


def pred_same_entity_pairs(entities: Sequence[Entity]) -> set[tuple[Piece, Piece]]:
    """Mention pairs (by span) of the same predicted entity (see `pred_entity_clusters`)."""
    groups: dict[int, list[Piece]] = {}
    for root, e in zip(pred_entity_clusters(entities), entities, strict=True):
        groups.setdefault(root, []).append((e.start, e.end))
    return _pairs_of(groups.values())


def _char_jaccard(a: Piece, b: Piece) -> float:
    inter = min(a[1], b[1]) - max(a[0], b[0])
    return inter / (max(a[1], b[1]) - min(a[0], b[0])) if inter > 0 else 0.0


@dataclass
class EntityScores:
    """Entity metrics accumulated over articles."""

    strict: dict[str, PRF] = field(default_factory=dict)
    lenient: dict[str, PRF] = field(default_factory=dict)
    canonical: Acc = field(default_factory=Acc)
    same_entity: PRF = field(default_factory=PRF)
    confusions: Counter[str] = field(default_factory=Counter)

    def micro(self, which: str) -> PRF:
        total = PRF()
        for prf in (self.strict if which == "strict" else self.lenient).values():
            total.add(prf)
        return total

    def as_dict(self) -> dict[str, Any]:
        labels = sorted(set(self.strict) | set(self.lenient))
        return {
            "per_label": {
                lab: {"strict": self.strict.get(lab, PRF()).as_dict(),
                      "lenient": self.lenient.get(lab, PRF()).as_dict()}
                for lab in labels
            },
            "micro": {"strict": self.micro("strict").as_dict(), "lenient": self.micro("lenient").as_dict()},
            "canonical_id": self.canonical.as_dict(),
            "same_entity_pairs": self.same_entity.as_dict(),
        }


@dataclass
class DiffItem:
    """A missed or spurious span, shown in context by --diff."""

    doc_id: str
    what: str  # "missed" | "spurious"
    kind: str  # "entity COMPANY", "quote direct"
    start: int
    end: int
    context: str

    def as_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


def _label_prf(table: dict[str, PRF], label: str) -> PRF:
    return table.setdefault(label, PRF())


def _surface(text: str, start: int, end: int) -> str:
    return " ".join(text[start:end].split())


def score_entities(gold: Sequence[GoldEntity], pred: Sequence[Entity], text: str, scores: EntityScores,
                   *, doc_id: str = "", diff: list[DiffItem] | None = None) -> None:
    """Add one article's entity counts, confusions and (when `diff` is a list) its missed/spurious spans."""
    g_spans = [(g.start, g.end) for g in gold]
    p_spans = [(p.start, p.end) for p in pred]
    for table in (scores.strict, scores.lenient):
        for g in gold:
            _label_prf(table, g.label.value)
        for p in pred:
            _label_prf(table, p.label.value)

    def pairs(strict: bool) -> list[tuple[int, int, float]]:
        cands = []
        for gi, g in enumerate(gold):
            for pi, p in enumerate(pred):
                if g.label != p.label:
                    continue
                if strict and g_spans[gi] == p_spans[pi]:
                    cands.append((1.0, gi, pi))
                elif not strict and (j := _char_jaccard(g_spans[gi], p_spans[pi])) > 0:
                    cands.append((j, gi, pi))
        return greedy_pairs(cands)

    strict_pairs = pairs(True)
    lenient_pairs = pairs(False)
    for table, found in ((scores.strict, strict_pairs), (scores.lenient, lenient_pairs)):
        got_g = {gi for gi, _, _ in found}
        got_p = {pi for _, pi, _ in found}
        for gi, g in enumerate(gold):
            prf = table[g.label.value]
            if gi in got_g:
                prf.tp += 1
            else:
                prf.fn += 1
        for pi, p in enumerate(pred):
            if pi not in got_p:
                table[p.label.value].fp += 1
    for gi, pi, _ in strict_pairs:
        ok = gold[gi].canonical_id == pred[pi].canonical_id
        scores.canonical.judge(ok)
        if not ok:
            scores.confusions[f"canonical_id {gold[gi].canonical_id} -> {pred[pi].canonical_id}"] += 1

    g_pairs = gold_same_entity_pairs(gold)
    p_pairs = pred_same_entity_pairs(pred)
    scores.same_entity.add(PRF(tp=len(g_pairs & p_pairs), fp=len(p_pairs - g_pairs), fn=len(g_pairs - p_pairs)))

    # Confusions: an unmatched gold span is a boundary error when a same-label prediction overlaps it,
    # a label error when a prediction with another label overlaps it, else missed.
    s_g = {gi for gi, _, _ in strict_pairs}
    s_p = {pi for _, pi, _ in strict_pairs}
    lenient_of = {gi: pi for gi, pi, _ in lenient_pairs if gi not in s_g and pi not in s_p}
    explained_p: set[int] = set(lenient_of.values())
    for gi, g in enumerate(gold):
        if gi in s_g:
            continue
        lab = g.label.value
        if gi in lenient_of:
            p = pred[lenient_of[gi]]
            was, now = _surface(text, g.start, g.end), _surface(text, p.start, p.end)
            scores.confusions[f"boundary {lab} '{was}' -> '{now}'"] += 1
            continue
        other = next((pi for pi in range(len(pred)) if pi not in s_p and pi not in explained_p
                      and pred[pi].label != g.label and _char_jaccard(g_spans[gi], p_spans[pi]) > 0), None)
        if other is not None:
            explained_p.add(other)
            scores.confusions[f"label {lab}->{pred[other].label.value}"] += 1
        else:
            scores.confusions[f"missed {lab} '{_surface(text, g.start, g.end)}'"] += 1
    for pi, p in enumerate(pred):
        if pi not in s_p and pi not in explained_p:
            scores.confusions[f"spurious {p.label.value} '{_surface(text, p.start, p.end)}'"] += 1
    if diff is not None:
        for gi, g in enumerate(gold):
            if gi not in s_g:
                diff.append(DiffItem(doc_id, "missed", f"entity {g.label.value}", g.start, g.end,
                                     context(text, g.start, g.end)))
        for pi, p in enumerate(pred):
            if pi not in s_p:
                diff.append(DiffItem(doc_id, "spurious", f"entity {p.label.value}", p.start, p.end,
                                     context(text, p.start, p.end)))


# ------------------------------------------------------------------------------------------- quotes
def _pieces(span: GoldSpan | Span) -> Pieces:
    return ((span.start, span.end),)


def _norm(value: str | None) -> str | None:
    return value.strip().lower() if value else None


def speaker_right(gq: GoldQuote, pq: Quote, text: str) -> bool:
    """Gold canonical_id when it has one, else the last word of the predicted name in the gold name or mention."""
    gs, ps = gq.speaker, pq.speaker
    if gs is None or (gs.mention is None and gs.name is None and gs.canonical_id is None):
        return ps is None  # the text names nobody
    if ps is None:
        return False
    if gs.canonical_id:
        return ps.canonical_id == gs.canonical_id
    mention = text[gs.mention.start : gs.mention.end] if gs.mention else None
    name = ps.name or (ps.mention.text if ps.mention else None)
    return word_in(last_word(name), gs.name, mention)


def cue_right(gold_cue: Pieces | None, pred_cue: Pieces | None) -> bool:
    """Cue spans overlap; a quote without a cue is right only against gold without one."""
    if gold_cue is None or pred_cue is None:
        return gold_cue is None and pred_cue is None
    return spans_overlap(gold_cue, pred_cue)


@dataclass
class QuoteScores:
    """Quote metrics accumulated over articles."""

    rules: dict[str, PRF] = field(default_factory=lambda: {r: PRF() for r in RULES})
    kind: Acc = field(default_factory=Acc)
    speaker: Acc = field(default_factory=Acc)
    cue: Acc = field(default_factory=Acc)
    channel: Acc = field(default_factory=Acc)
    via: Acc = field(default_factory=Acc)
    # Over every gold quote whose text names its speaker: found (at the attribute rule) with the right speaker.
    named_end_to_end: Acc = field(default_factory=Acc)
    # Over matched quotes whose text names the speaker: the prediction has no speaker at all (lower is better).
    speakerless: Acc = field(default_factory=Acc)
    confusions: Counter[str] = field(default_factory=Counter)

    def as_dict(self) -> dict[str, Any]:
        return {
            "match": {r: prf.as_dict() for r, prf in self.rules.items()},
            f"attributes_at_{ATTRIBUTE_RULE}": {
                k: getattr(self, k).as_dict() for k in ("kind", "speaker", "cue", "channel", "via")
            },
            "named_speaker_end_to_end": self.named_end_to_end.as_dict(),
            "speakerless_where_named": self.speakerless.as_dict(),
        }


def names_speaker(gq: GoldQuote) -> bool:
    """The text names who said it (gold has a speaker with a name or an id, not only a pronoun left unresolved)."""
    sp = gq.speaker
    return sp is not None and bool(sp.name or sp.canonical_id)


def score_quotes(gold: Sequence[GoldQuote], pred: Sequence[Quote], text: str, scores: QuoteScores,
                 *, doc_id: str = "", diff: list[DiffItem] | None = None) -> None:
    """Add one article's quote counts at every rule, the attribute accuracies and the confusions."""
    words = Words(text)
    g_pieces = [_pieces(g) for g in gold]
    p_pieces = [_pieces(p) for p in pred]
    for rule in RULES:
        found = match_pieces(g_pieces, p_pieces, text, rule, words)
        scores.rules[rule].add(PRF(tp=len(found), fp=len(pred) - len(found), fn=len(gold) - len(found)))
        if rule != ATTRIBUTE_RULE:
            continue
        got_g = {gi for gi, _, _ in found}
        got_p = {pi for _, pi, _ in found}
        right_speaker = {gi for gi, pi, _ in found if speaker_right(gold[gi], pred[pi], text)}
        for gi, g in enumerate(gold):
            if names_speaker(g):
                scores.named_end_to_end.judge(gi in right_speaker)
        for gi, pi, _ in found:
            if names_speaker(gold[gi]):
                scores.speakerless.judge(pred[pi].speaker is None)
        for gi, pi, _ in found:
            g, p = gold[gi], pred[pi]
            checks = {
                "kind": g.kind == p.kind,
                "speaker": speaker_right(g, p, text),
                "cue": cue_right(_pieces(g.cue) if g.cue else None, _pieces(p.cue) if p.cue else None),
                "channel": _norm(g.channel) == _norm(p.channel),
                "via": _norm(g.via) == _norm(p.via),
            }
            for name, ok in checks.items():
                getattr(scores, name).judge(ok)
            if not checks["kind"]:
                scores.confusions[f"quote kind {g.kind.value}->{p.kind.value}"] += 1
            if not checks["speaker"]:
                scores.confusions["quote " + _speaker_error(g, p)] += 1
            if not checks["cue"]:
                scores.confusions["quote wrong cue" if g.cue and p.cue else
                                  ("quote missed cue" if g.cue else "quote spurious cue")] += 1
            for name in ("channel", "via"):
                if not checks[name]:
                    scores.confusions[f"quote wrong {name}"] += 1
        for gi, g in enumerate(gold):
            if gi not in got_g:
                scores.confusions[f"quote missed {g.kind.value}"] += 1
                if diff is not None:
                    diff.append(DiffItem(doc_id, "missed", f"quote {g.kind.value}", g.start, g.end,
                                         context(text, g.start, g.end)))
        for pi, p in enumerate(pred):
            if pi not in got_p:
                scores.confusions[f"quote spurious {p.kind.value}"] += 1
                if diff is not None:
                    diff.append(DiffItem(doc_id, "spurious", f"quote {p.kind.value}", p.start, p.end,
                                         context(text, p.start, p.end)))


def _speaker_error(g: GoldQuote, p: Quote) -> str:
    if p.speaker is None:
        return "missed speaker"
    if g.speaker is None:
        return "spurious speaker"
    return "wrong speaker"


# -------------------------------------------------------------------------------------------- a set
@dataclass
class GoldScores:
    """Everything `tradex eval --gold` reports for one gold set."""

    articles: int = 0
    entities: EntityScores = field(default_factory=EntityScores)
    quotes: QuoteScores = field(default_factory=QuoteScores)
    measures: MeasureScores = field(default_factory=MeasureScores)
    diff: list[DiffItem] = field(default_factory=list)

    def confusions(self, top: int) -> list[tuple[str, int]]:
        both = self.entities.confusions + self.quotes.confusions + self.measures.confusions
        return sorted(both.items(), key=lambda kv: (-kv[1], kv[0]))[:top]

    def as_dict(self, *, top: int = 20, with_diff: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "articles": self.articles,
            "entities": self.entities.as_dict(),
            "quotes": self.quotes.as_dict(),
            # null when no article of the set has its measure layer annotated
            "measures": self.measures.as_dict() if self.measures.articles else None,
            "confusions": [{"error": k, "count": v} for k, v in self.confusions(top)],
        }
        if with_diff:
            out["diff"] = [d.as_dict() for d in self.diff]
        return out


def score_gold(pairs: Iterable[tuple[GoldArticle, str, ArticleRecord]], *, diff: bool = False) -> GoldScores:
    """Score (gold, text, prediction) triples; the prediction's text must be the gold text."""
    scores = GoldScores()
    for gold, text, rec in pairs:
        if rec.text != text:
            raise ValueError(f"{gold.doc_id}: the prediction was made on a different text")
        scores.articles += 1
        sink = scores.diff if diff else None
        score_entities(gold.entities, rec.entities, text, scores.entities, doc_id=gold.doc_id, diff=sink)
        score_quotes(gold.quotes, rec.quotes, text, scores.quotes, doc_id=gold.doc_id, diff=sink)
        score_measures(gold.measures, rec.measures, scores.measures)
    return scores
