"""The regression guard: run every evaluation set, reduce it to headline scores, compare with the baseline.

`corpus/gold/baseline.json` holds the headline scores of a deliberate run (`tradex eval --all
--update-baseline`), with the command, date, model and the hash of each gold file. `check` flags every
headline score that dropped by more than the tolerance below it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from models.records import ArticleRecord
from pipeline.eval.gold import (
    DEFAULT_GOLD_DIR,
    GOLD_SPLITS,
    REPO_ROOT,
    GoldSet,
    SharedMissing,
    load_gold,
    pair_predictions,
    predict_texts,
    read_predictions,
)
from pipeline.eval.metrics import PRF, GoldScores, score_gold
from pipeline.eval.polnear import AnnStats, PolnearDoc, PolnearScores, load_polnear, score_polnear

DEFAULT_BASELINE = DEFAULT_GOLD_DIR / "baseline.json"
MODERN_GOLD_DIR = DEFAULT_GOLD_DIR / "modern"  # the 80 real 2023-2026 articles, stand-off
TOLERANCE = 0.01
POLNEAR_SPLIT = "dev"
BASELINE_COMMAND = "tradex eval --all --shared ../shared --update-baseline"


@dataclass
class EvalRequest:
    """What to evaluate: gold files by set name, an optional PolNeAR split, and how to predict."""

    gold: dict[str, Path] = field(default_factory=dict)
    polnear: Path | None = None
    split: str = POLNEAR_SPLIT
    shared: Path = Path("../shared")
    pred: Path | None = None
    model: str | None = None
    workers: int | None = None
    batch_size: int | None = None
    limit: int | None = None
    diff: bool = False
    skip_missing_gold: bool = False  # --all: a gold file that does not exist yet is skipped, not an error

    @classmethod
    def all_sets(cls, *, shared: Path, **kw: Any) -> EvalRequest:
        """Gold dev and test (`corpus/gold/`), modern dev and test (`corpus/gold/modern/`) and PolNeAR dev
        (`<shared>/polnear`): what `make eval` runs."""
        gold = {f"gold_{s}": DEFAULT_GOLD_DIR / f"{s}.jsonl" for s in GOLD_SPLITS}
        gold |= {f"modern_{s}": MODERN_GOLD_DIR / f"{s}.jsonl" for s in GOLD_SPLITS}
        return cls(gold=gold, polnear=Path(shared) / "polnear", split=POLNEAR_SPLIT, shared=Path(shared),
                   skip_missing_gold=True, **kw)


@dataclass
class EvalRun:
    """Scores per set, the sets skipped (with the reason), and facts about the run."""

    results: dict[str, GoldScores | PolnearScores] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)
    sets: dict[str, dict[str, Any]] = field(default_factory=dict)
    model: str | None = None
    rules_version: str | None = None
    seconds: float = 0.0


def display_path(path: Path) -> str:
    """A path relative to the repo root when it lies inside (so the baseline holds no machine paths)."""
    try:
        return Path(path).resolve().relative_to(REPO_ROOT).as_posix()
    except ValueError:
        return str(path)


def run_eval(req: EvalRequest) -> EvalRun:
    """Load every set, predict all texts in one pipeline run (unless `req.pred`), score each set.

    Raises `GoldError` for a gold file that is wrong (bad line, text hash mismatch, missing prediction).
    """
    t0 = time.perf_counter()
    run = EvalRun()
    gold_sets: list[GoldSet] = []
    for name, path in req.gold.items():
        if not Path(path).is_file():
            if req.skip_missing_gold:
                run.skipped[name] = f"{path} does not exist (yet)"
                continue
            raise FileNotFoundError(f"gold file {path} not found")
        try:
            gset = load_gold(Path(path), shared=req.shared, name=name, limit=req.limit)
        except SharedMissing as e:
            run.skipped[name] = str(e)
            continue
        gold_sets.append(gset)
        run.sets[name] = {"kind": "gold", "path": display_path(path), "articles": len(gset.docs),
                          "standoff": gset.standoff, "gold_sha256": gset.sha256}
    pol_docs: list[PolnearDoc] = []
    pol_stats = AnnStats()
    pol_name = f"polnear_{req.split}"
    if req.polnear is not None:
        try:
            pol_docs, pol_stats = load_polnear(req.polnear, req.split, limit=req.limit)
            run.sets[pol_name] = {"kind": "polnear", "path": display_path(req.polnear), "articles": len(pol_docs)}
        except FileNotFoundError as e:
            run.skipped[pol_name] = str(e)
    texts = [d.text for g in gold_sets for d in g.docs] + [d.text for d in pol_docs]
    published = [d.published for g in gold_sets for d in g.docs] + [None] * len(pol_docs)
    if req.pred is not None:
        records = read_predictions(req.pred)
        per_set = [pair_predictions(g.docs, records) for g in gold_sets]
        pol_records: list[ArticleRecord] = pair_predictions_polnear(pol_docs, records)
    else:
        predicted = (predict_texts(texts, model=req.model, workers=req.workers, batch_size=req.batch_size,
                                   published=published)
                     if texts else [])
        per_set, k = [], 0
        for g in gold_sets:
            per_set.append(predicted[k : k + len(g.docs)])
            k += len(g.docs)
        pol_records = predicted[k:]
    for g, recs in zip(gold_sets, per_set, strict=True):
        triples = ((d.gold, d.text, r) for d, r in zip(g.docs, recs, strict=True))
        run.results[g.name] = score_gold(triples, diff=req.diff)
    if pol_docs:
        run.results[pol_name] = score_polnear(pol_docs, pol_records, stats=pol_stats, diff=req.diff)
    first = next((r for recs in [*per_set, pol_records] for r in recs), None)
    if first is not None:
        run.model = first.pipeline.model
        run.rules_version = first.pipeline.rules_version
    run.seconds = time.perf_counter() - t0
    return run


def pair_predictions_polnear(docs: list[PolnearDoc], records: list[ArticleRecord]) -> list[ArticleRecord]:
    """Records for PolNeAR texts from a --pred file, found by the text itself."""
    by_text = {r.text: r for r in records}
    missing = [d.stem for d in docs if d.text not in by_text]
    if missing:
        raise FileNotFoundError(f"no prediction for {len(missing)} PolNeAR text(s), e.g. {missing[0]}")
    return [by_text[d.text] for d in docs]


# ------------------------------------------------------------------------------------------ headline
def headline(run: EvalRun) -> dict[str, float]:
    """The scores the guard watches, as `<set>.<metric>` -> value (accuracies over nothing are left out)."""
    out: dict[str, float | None] = {}

    def f1(prf: PRF) -> float | None:
        return prf.f1 if prf.tp + prf.fp + prf.fn else None  # nothing in gold nor predicted: no score

    for name, res in run.results.items():
        if isinstance(res, GoldScores):
            ent, q = res.entities, res.quotes
            out[f"{name}.entity_strict_micro_f1"] = f1(ent.micro("strict"))
            out[f"{name}.entity_lenient_micro_f1"] = f1(ent.micro("lenient"))
            out[f"{name}.canonical_id_acc"] = ent.canonical.value
            out[f"{name}.same_entity_pair_f1"] = f1(ent.same_entity)
            out[f"{name}.quote_f1_exact"] = f1(q.rules["exact"])
            out[f"{name}.quote_f1_0.3"] = f1(q.rules["0.3"])
            out[f"{name}.quote_f1_0.5both"] = f1(q.rules["0.5both"])
            out[f"{name}.speaker_acc"] = q.speaker.value
            out[f"{name}.kind_acc"] = q.kind.value
            out[f"{name}.named_speaker_e2e"] = q.named_end_to_end.value
            if res.measures.articles:  # only sets whose measure layer is annotated
                out[f"{name}.measure_f1"] = f1(res.measures.match)
                out[f"{name}.measure_f1_typefree"] = f1(res.measures.typeless)
                out[f"{name}.measure_status_acc"] = res.measures.status.value
        else:
            for sub in ("speech", "all", "quoted"):
                out[f"{name}.{sub}_f1_0.3"] = f1(res.subsets[sub].rules["0.3"])
            out[f"{name}.speech_f1_exact"] = f1(res.subsets["speech"].rules["exact"])
            out[f"{name}.speech_speaker_acc"] = res.subsets["speech"].speaker.value
            out[f"{name}.speech_cue_acc"] = res.subsets["speech"].cue.value
    return {k: round(v, 4) for k, v in out.items() if v is not None}


@dataclass
class Check:
    key: str
    baseline: float | None
    current: float | None
    status: str  # ok | drop | not run | new

    def as_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


@dataclass
class CheckResult:
    checks: list[Check]
    notes: list[str]

    @property
    def failed(self) -> bool:
        return any(c.status == "drop" for c in self.checks)

    @property
    def drops(self) -> list[Check]:
        return [c for c in self.checks if c.status == "drop"]

    def as_dict(self) -> dict[str, Any]:
        return {"failed": self.failed, "checks": [c.as_dict() for c in self.checks], "notes": self.notes}


def is_test_set(name: str) -> bool:
    """A held-out split (`gold_test`, `modern_test`): reported, never tuned on."""
    return name.endswith("_test")


def blinded(result: CheckResult) -> CheckResult:
    """The check with the figures of held-out splits removed: only their status (ok, drop) stays."""
    checks = [
        Check(c.key, None, None, c.status) if is_test_set(c.key.split(".", 1)[0]) else c for c in result.checks
    ]
    return CheckResult(checks, result.notes)


class BaselineMissing(Exception):
    pass


def read_baseline(path: Path = DEFAULT_BASELINE) -> dict[str, Any]:
    if not Path(path).is_file():
        raise BaselineMissing(f"no baseline at {path}; create it deliberately with `{BASELINE_COMMAND}`")
    data: dict[str, Any] = json.loads(Path(path).read_text(encoding="utf-8"))
    return data


def check(run: EvalRun, baseline: dict[str, Any], *, tolerance: float | None = None) -> CheckResult:
    """Compare the run's headline scores with the baseline; a drop of more than `tolerance` fails."""
    tol = float(baseline.get("tolerance", TOLERANCE) if tolerance is None else tolerance)
    current = headline(run)
    base: dict[str, float] = baseline.get("scores", {})
    notes: list[str] = []
    checks: list[Check] = []
    for key in sorted(set(base) | set(current)):
        b, c = base.get(key), current.get(key)
        if b is None:
            status = "new"
        elif c is None:
            status = "not run"
        else:
            status = "drop" if round(b - c, 6) > tol else "ok"
        checks.append(Check(key, b, c, status))
    for name, reason in run.skipped.items():
        notes.append(f"{name} not checked: {reason}")
    for name, facts in run.sets.items():
        old = baseline.get("sets", {}).get(name, {})
        if old.get("gold_sha256") and facts.get("gold_sha256") and old["gold_sha256"] != facts["gold_sha256"]:
            notes.append(f"{name}: the gold file changed since the baseline ({old.get('articles')} -> "
                         f"{facts['articles']} articles); re-baseline deliberately when the change is right")
    if baseline.get("model") and run.model and baseline["model"] != run.model:
        notes.append(f"model differs from the baseline's: {run.model} vs {baseline['model']}")
    return CheckResult(checks, notes)


def write_baseline(run: EvalRun, path: Path = DEFAULT_BASELINE, *, command: str = BASELINE_COMMAND) -> dict[str, Any]:
    """Write the run's headline scores as the new baseline (atomically); refuses a run that skipped a set."""
    if run.skipped:
        raise ValueError("refusing to write a baseline from a partial run; skipped: " + "; ".join(
            f"{k} ({v})" for k, v in run.skipped.items()))
    data = {
        "command": command,
        "date": dt.date.today().isoformat(),
        "model": run.model,
        "rules_version": run.rules_version,
        "tolerance": TOLERANCE,
        "sets": run.sets,
        "scores": headline(run),
    }
    path = Path(path)
    tmp = path.with_name(path.name + f".tmp{os.getpid()}")
    with tmp.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    return data
