"""Measure clusters checked by hand: sample a run's multi-member clusters, score judgements on a later run.

`tradex dedupe` joins measures of several articles into one `measure_cluster` (pipeline/corpus/
measure_clusters.py). Whether a join is right needs a reader, so this module gives the reader a fixed,
seeded sample to judge and keeps the judgements stand-off (`corpus/gold/reuters-measure-clusters.jsonl`):
each member is its doc id, the sha256 of its text and its evidence offsets, never the text itself. The
scorer re-finds each judged cluster in a new run by those keys, so the precision can be measured again
after the clustering or the measure stage changes, and it lists what the judgements no longer cover.

    python -m pipeline.eval.measure_clusters sample RUN_DIR -n 30 --seed 0 [--draft FILE]
    python -m pipeline.eval.measure_clusters score RUN_DIR corpus/gold/reuters-measure-clusters.jsonl

RUN_DIR is a `tradex run` folder (its `deduped.jsonl` is read) or a deduplicated records file.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

import typer
from pydantic import BaseModel, ConfigDict, Field, model_validator

from models.records import ArticleRecord, Measure, MeasureType

DEDUPED = "deduped.jsonl"
Offsets = tuple[tuple[int, int], ...]
# what a cluster's members come from: one article; copies with one text; near copies dedupe put in one
# dup_cluster; or articles dedupe holds distinct (the joins that need the clustering rule to be right)
Articles = Literal["one_article", "exact_copies", "near_copies", "distinct"]


class JudgedMember(BaseModel):
    """One measure of a judged cluster, keyed stand-off: the article and the measure's evidence offsets."""

    model_config = ConfigDict(extra="forbid")

    doc_id: str
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="sha256 of the article's exact UTF-8 text")
    evidence: list[tuple[int, int]] = Field(min_length=1, description="[start, end] of each evidence sentence")
    trigger: tuple[int, int] = Field(description="[start, end] of the trigger: tells apart measures of one sentence")

    @model_validator(mode="after")
    def _spans_ordered(self) -> JudgedMember:
        for start, end in [*self.evidence, self.trigger]:
            if not 0 <= start < end:
                raise ValueError(f"evidence span {start}:{end} is empty or reversed")
        return self


class ClusterJudgement(BaseModel):
    """A reader's verdict on one measure cluster: are all its members the same action?"""

    model_config = ConfigDict(extra="forbid")

    cluster: str = Field(description="the cluster's id in the run it was judged on (a reference, not a key)")
    text_path: str = Field(description="the members' articles, relative to the shared folder")
    type: MeasureType
    jurisdiction: str = Field(description="the actor jurisdiction all members share")
    members: list[JudgedMember] = Field(min_length=2)
    articles: Articles = Field(description="what the members come from, as the judged run's dedupe saw it")
    verdict: Literal["same", "not_same"]
    reason: str = Field(min_length=10, description="why, in the reader's own words")

    @model_validator(mode="after")
    def _articles_fit_members(self) -> ClusterJudgement:
        docs, texts = len({m.doc_id for m in self.members}), len({m.sha256 for m in self.members})
        fits = {"one_article": docs == 1, "exact_copies": docs > 1 and texts == 1,
                "near_copies": texts > 1, "distinct": texts > 1}[self.articles]
        if not fits:
            raise ValueError(f"articles {self.articles!r} does not fit {docs} doc ids with {texts} distinct texts")
        return self


@dataclass(frozen=True)
class ClusterMember:
    record: ArticleRecord
    measure: Measure

    @property
    def key(self) -> tuple[str, Offsets]:
        """What a judgement keys a member by (measures of one sentence share it)."""
        return self.record.doc_id, evidence_offsets(self.measure)

    @property
    def ident(self) -> tuple[str, str]:
        """The member within one run: measure ids are unique in a record."""
        return self.record.doc_id, self.measure.id


def evidence_offsets(m: Measure) -> Offsets:
    return tuple((s.start, s.end) for s in m.evidence) or ((m.trigger.start, m.trigger.end),)


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_run(path: Path) -> list[ArticleRecord]:
    """The deduplicated records of a run folder (or of a records file)."""
    file = path / DEDUPED if path.is_dir() else path
    if not file.exists():
        raise FileNotFoundError(f"{file} not found: run `tradex run ... -o {path}` (or `tradex dedupe`) first")
    with file.open(encoding="utf-8") as fh:
        return [ArticleRecord.model_validate_json(line) for line in fh if line.strip()]


def read_judgements(path: Path) -> list[ClusterJudgement]:
    out = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if line.strip():
                try:
                    out.append(ClusterJudgement.model_validate_json(line))
                except ValueError as exc:
                    raise ValueError(f"{path}:L{n}: {exc}") from exc
    return out


def multi_member_clusters(records: Iterable[ArticleRecord]) -> dict[str, list[ClusterMember]]:
    """Every measure cluster with two or more members, members in record order, clusters by id."""
    clusters: dict[str, list[ClusterMember]] = defaultdict(list)
    for rec in records:
        for m in rec.measures:
            if m.measure_cluster:
                clusters[m.measure_cluster].append(ClusterMember(rec, m))
    return {cid: members for cid, members in sorted(clusters.items()) if len(members) > 1}


def sample_clusters(clusters: dict[str, list[ClusterMember]], n: int, seed: int) -> list[str]:
    """`n` cluster ids (all when there are fewer) drawn with `seed`, in id order."""
    ids = sorted(clusters)
    return sorted(random.Random(seed).sample(ids, min(n, len(ids))))


def _party(p: Any) -> str:
    return f"{p.name} ({p.jurisdiction or '?'})"


def articles_of(members: Sequence[ClusterMember]) -> Articles:
    """What the members come from; near copies are the articles dedupe put in one `dup_cluster`."""
    if len({m.record.doc_id for m in members}) == 1:
        return "one_article"
    if len({text_sha256(m.record.text) for m in members}) == 1:
        return "exact_copies"
    if len({m.record.dup_cluster or m.record.doc_id for m in members}) == 1:
        return "near_copies"
    return "distinct"


def describe(cid: str, members: Sequence[ClusterMember]) -> str:
    """What a reviewer needs to judge a cluster: per member its article, fields and evidence sentences."""
    texts = {m.record.doc_id: text_sha256(m.record.text) for m in members}
    lines = [f"{cid}  {len(members)} members, {len({*texts.values()})} distinct texts: {articles_of(members)}"]
    for k, mem in enumerate(members):
        rec, m = mem.record, mem.measure
        dup = f" duplicate_of={rec.duplicate_of}" if rec.duplicate_of else ""
        lines.append(f"  [{k}] {rec.doc_id} published={rec.source.published}{dup} title={rec.source.title!r}")
        lines.append(f"      {m.type.value} status={m.status.value} actor={_party(m.actor) if m.actor else None} "
                     f"trigger={m.trigger.text!r} announced={m.announced} effective={m.effective}")
        lines.append(f"      items={[i.text.text for i in m.items]} targets={[_party(t) for t in m.targets]}")
        for s in m.evidence:
            lines.append(f"      evidence {s.start}:{s.end} {' '.join(s.text.split())}")
    lines.extend(_joins(members))
    return "\n".join(lines)


MAX_PAIRS = 12


def _joins(members: Sequence[ClusterMember]) -> list[str]:
    """Per member pair, what the clustering rule saw: the keys they share and the days between their dates
    (an empty share means the pair is joined only through other members)."""
    from pipeline.corpus.measure_clusters import _date, _keys  # the rule's own keys, not a copy of them

    keys = [_keys(m.measure, m.record.dup_cluster or f"record:{m.record.doc_id}") for m in members]
    dates = [_date(m.record, m.measure) for m in members]
    pairs = [(a, b) for a in range(len(members)) for b in range(a + 1, len(members))]
    out = []
    for a, b in pairs[:MAX_PAIRS]:
        da, db = dates[a], dates[b]
        gap = abs((db - da).days) if da and db else None
        out.append(f"  pair [{a}]-[{b}]: shares {sorted(keys[a] & keys[b]) or 'nothing'}, {gap} days apart")
    if len(pairs) > MAX_PAIRS:
        out.append(f"  ... {len(pairs) - MAX_PAIRS} more pairs")
    return out


def draft_line(cid: str, members: Sequence[ClusterMember], text_path: str) -> dict[str, Any]:
    """A judgement line to fill in by hand: the keys are set, `verdict` and `reason` are left empty."""
    first = members[0].measure
    return {
        "cluster": cid,
        "text_path": text_path,
        "type": first.type.value,
        "jurisdiction": first.actor.jurisdiction if first.actor else None,
        "members": [{"doc_id": m.record.doc_id, "sha256": text_sha256(m.record.text),
                     "evidence": [list(o) for o in evidence_offsets(m.measure)],
                     "trigger": [m.measure.trigger.start, m.measure.trigger.end]} for m in members],
        "articles": articles_of(members),
        "verdict": None,
        "reason": "",
    }


@dataclass
class ClusterScore:
    """Judgements re-found in a run: precision over those still present, and what they no longer cover."""

    judged: int = 0
    found: int = 0
    same: int = 0
    kinds: dict[str, int] = field(default_factory=dict)  # found clusters per `articles` value
    distinct_found: int = 0  # found clusters joining articles dedupe holds distinct
    distinct_same: int = 0
    moved: int = 0  # members re-found by overlapping evidence, not by equal offsets
    gone: list[tuple[str, str]] = field(default_factory=list)  # (judged cluster, why it is no longer there)
    false_merges: list[tuple[str, str]] = field(default_factory=list)  # (cluster in this run, reason)
    unjudged: list[str] = field(default_factory=list)  # multi-member clusters of the run nobody judged

    @property
    def precision(self) -> float | None:
        return self.same / self.found if self.found else None

    @property
    def distinct_precision(self) -> float | None:
        return self.distinct_same / self.distinct_found if self.distinct_found else None

    def as_dict(self) -> dict[str, Any]:
        return {"judged": self.judged, "found": self.found, "same": self.same, "not_same": self.found - self.same,
                "precision": self.precision, "articles": self.kinds, "distinct_found": self.distinct_found,
                "distinct_same": self.distinct_same, "distinct_precision": self.distinct_precision,
                "moved_members": self.moved, "gone": [list(g) for g in self.gone],
                "false_merges": [list(f) for f in self.false_merges], "unjudged": self.unjudged}


def _overlap(a: Sequence[tuple[int, int]], b: Sequence[tuple[int, int]]) -> int:
    return sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in a for s2, e2 in b)


class _RunIndex:
    """Measures of a run by (doc id, evidence offsets), and per doc for the overlap fallback."""

    def __init__(self, records: Sequence[ArticleRecord]) -> None:
        self.exact: dict[tuple[str, Offsets], list[ClusterMember]] = defaultdict(list)
        self.by_doc: dict[str, list[ClusterMember]] = defaultdict(list)
        self.sha: dict[str, str] = {}
        for rec in records:
            self.sha.setdefault(rec.doc_id, text_sha256(rec.text))
            for m in rec.measures:
                mem = ClusterMember(rec, m)
                self.exact[mem.key].append(mem)
                self.by_doc[rec.doc_id].append(mem)

    def find(self, j: JudgedMember, mtype: MeasureType) -> tuple[ClusterMember | None, bool, str]:
        """The run's measure for a judged member, whether it was found only by overlap, and why not found."""
        if j.doc_id not in self.sha:
            return None, False, f"{j.doc_id} not in the run"
        if self.sha[j.doc_id] != j.sha256:
            return None, False, f"{j.doc_id}: text differs from the judged one (sha256)"

        def rank(c: ClusterMember) -> tuple[bool, int]:  # the same trigger first, then the most shared evidence
            return ((c.measure.trigger.start, c.measure.trigger.end) == j.trigger,
                    _overlap(j.evidence, evidence_offsets(c.measure)))

        same = [c for c in self.exact.get((j.doc_id, tuple(j.evidence)), []) if c.measure.type == mtype]
        if same:
            return max(same, key=rank), False, ""
        # the measure stage may have widened or narrowed the evidence: take the same-type measure that overlaps most
        near = [c for c in self.by_doc[j.doc_id] if c.measure.type == mtype and rank(c)[1] > 0]
        if near:
            return max(near, key=rank), True, ""
        return None, False, f"{j.doc_id}: no {mtype.value} measure at {j.evidence}"


def score_clusters(judgements: Sequence[ClusterJudgement], records: Sequence[ArticleRecord]) -> ClusterScore:
    """Re-find each judged cluster in `records`; a cluster is still there when its judged members, and only
    they, share one `measure_cluster`."""
    index = _RunIndex(records)
    clusters = multi_member_clusters(records)
    score = ClusterScore(judged=len(judgements))
    covered: set[str] = set()
    for j in judgements:
        found: list[ClusterMember] = []
        why = ""
        for jm in j.members:
            mem, moved, why = index.find(jm, j.type)
            if mem is None:
                break
            score.moved += moved
            found.append(mem)
        if why:
            score.gone.append((j.cluster, f"member not found: {why}"))
            continue
        ids = {mem.measure.measure_cluster for mem in found}
        if len(ids) > 1 or None in ids:
            score.gone.append((j.cluster, f"split into {len(ids)} clusters"))
            continue
        cid = next(iter(ids))
        assert cid is not None
        run_members = {m.ident for m in clusters.get(cid, [])}
        if run_members != {m.ident for m in found}:
            score.gone.append((j.cluster, f"now {cid} with {len(run_members)} members, judged with {len(found)}"))
            continue
        covered.add(cid)
        score.found += 1
        score.same += j.verdict == "same"
        score.kinds[j.articles] = score.kinds.get(j.articles, 0) + 1
        if j.articles == "distinct":
            score.distinct_found += 1
            score.distinct_same += j.verdict == "same"
        if j.verdict == "not_same":
            score.false_merges.append((cid, j.reason))
    score.unjudged = [cid for cid in clusters if cid not in covered]
    return score


def _fmt(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.3f}"


def report(score: ClusterScore) -> str:
    kinds = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in sorted(score.kinds.items()))
    lines = [
        f"judged clusters: {score.judged}; found in this run: {score.found} "
        f"({score.moved} members re-found by overlapping evidence)",
        f"precision: {_fmt(score.precision)} ({score.same} same / {score.found}; "
        f"{score.found - score.same} not_same; members from: {kinds or 'n/a'})",
        f"precision over clusters joining distinct articles: {_fmt(score.distinct_precision)} "
        f"({score.distinct_same} / {score.distinct_found})",
        f"judged clusters no longer present: {len(score.gone)}",
        *(f"  {cid}: {why}" for cid, why in score.gone),
        f"false merges still present: {len(score.false_merges)}",
        *(f"  {cid}: {why}" for cid, why in score.false_merges),
        f"multi-member clusters not judged: {len(score.unjudged)}",
    ]
    return "\n".join(lines)


app = typer.Typer(add_completion=False, help=__doc__.split("\n\n")[0])
RunArg = Annotated[Path, typer.Argument(help="A `tradex run` folder (its deduped.jsonl) or a records file.")]


@app.command()
def sample(
    run: RunArg,
    n: Annotated[int, typer.Option("-n", help="Clusters to draw (all when there are fewer).")] = 30,
    seed: Annotated[int, typer.Option("--seed", help="Random seed of the draw.")] = 0,
    draft: Annotated[Path | None, typer.Option("--draft", help="Also write judgement lines to fill in.")] = None,
    text_path: Annotated[str, typer.Option("--text-path", help="The articles' file, relative to the shared "
                                           "folder (written into the draft).")] = "corpus/reuters21578-trade.jsonl",
) -> None:
    """Print a seeded sample of multi-member measure clusters for a reviewer."""
    clusters = multi_member_clusters(read_run(run))
    chosen = sample_clusters(clusters, n, seed)
    typer.echo(f"{len(clusters)} measure clusters with 2+ members; {len(chosen)} sampled (seed {seed})\n")
    for k, cid in enumerate(chosen, 1):
        typer.echo(f"#{k} " + describe(cid, clusters[cid]) + "\n")
    if draft is not None:
        if draft.exists():
            raise typer.BadParameter(f"{draft} exists: judgements are not overwritten")
        draft.write_text("".join(json.dumps(draft_line(cid, clusters[cid], text_path)) + "\n" for cid in chosen),
                         encoding="utf-8")
        typer.echo(f"draft judgements: {draft}")


@app.command()
def score(
    run: RunArg,
    judgements: Annotated[Path, typer.Argument(help="The judgements (corpus/gold/reuters-measure-clusters.jsonl).")],
    as_json: Annotated[bool, typer.Option("--json", help="One JSON document instead of text.")] = False,
) -> None:
    """Precision of the judged clusters re-found in RUN, what is gone, and what is not judged yet."""
    result = score_clusters(read_judgements(judgements), read_run(run))
    typer.echo(json.dumps(result.as_dict(), indent=2) if as_json else report(result))


if __name__ == "__main__":
    app()
