"""The regression guard: gold dev + test and PolNeAR dev must not drop more than 0.01 below
`corpus/gold/baseline.json` (create or raise it deliberately with
`tradex eval --all --shared ../shared --update-baseline`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.eval.baseline import BASELINE_COMMAND, DEFAULT_BASELINE, EvalRequest, check, read_baseline, run_eval
from pipeline.eval.gold import DEFAULT_GOLD_DIR, GOLD_SPLITS

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
GOLD = [DEFAULT_GOLD_DIR / f"{s}.jsonl" for s in GOLD_SPLITS]


def _missing() -> list[str]:
    out = [] if SHARED.is_dir() else [f"the shared folder {SHARED} (texts and PolNeAR live there)"]
    out += [f"{p.relative_to(p.parents[2])}" for p in GOLD if not p.is_file()]
    if not DEFAULT_BASELINE.is_file():
        out.append(f"corpus/gold/baseline.json (create it with `{BASELINE_COMMAND}`)")
    return out


@pytest.mark.slow
@pytest.mark.shared
@pytest.mark.skipif(bool(_missing()), reason="absent: " + "; ".join(_missing()))
def test_no_headline_score_drops_below_the_baseline() -> None:
    run = run_eval(EvalRequest.all_sets(shared=SHARED))
    assert run.skipped == {}, run.skipped
    result = check(run, read_baseline(DEFAULT_BASELINE))
    drops = [f"{c.key}: {c.baseline} -> {c.current}" for c in result.drops]
    assert not drops, "headline scores dropped more than the tolerance: " + "; ".join(drops)
    assert not [c.key for c in result.checks if c.status == "not run"], "baseline scores that this run did not produce"
