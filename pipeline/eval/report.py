"""Evaluation output: rich tables for people, one JSON document for machines."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from pipeline.eval.baseline import CheckResult, EvalRun
from pipeline.eval.metrics import PRF, Acc, DiffItem, GoldScores
from pipeline.eval.polnear import SUBSETS, PolnearScores

RULE_TITLES = {"exact": "exact", "0.8": "F1@0.8", "0.5both": "F1@0.5 both ways", "0.3": "F1@0.3"}
SUBSET_TITLES = {"all": "all", "speech": "speech verb", "quoted": "quoted (\")"}


def _f(x: float | None) -> str:
    return "-" if x is None else f"{x:.3f}"


def _prf_cells(prf: PRF) -> list[str]:
    return [_f(prf.p), _f(prf.r), _f(prf.f1)]


def _acc(a: Acc) -> str:
    return f"{_f(a.value)} ({a.correct}/{a.total})"


def gold_tables(name: str, s: GoldScores, *, top: int) -> list[Table]:
    """Entity table (per label, strict and lenient), quote table, attribute accuracies, confusions."""
    ent = Table(title=f"{name}: entities ({s.articles} articles)", title_justify="left")
    for col in ("label", "gold", "pred", "strict P", "R", "F1", "lenient P", "R", "F1"):
        ent.add_column(col, justify="left" if col == "label" else "right")
    for label in sorted(s.entities.strict):
        st, le = s.entities.strict[label], s.entities.lenient[label]
        ent.add_row(label, str(st.tp + st.fn), str(st.tp + st.fp), *_prf_cells(st), *_prf_cells(le))
    st, le = s.entities.micro("strict"), s.entities.micro("lenient")
    ent.add_row(Text("micro", style="bold"), str(st.tp + st.fn), str(st.tp + st.fp), *_prf_cells(st), *_prf_cells(le),
                end_section=True)
    same = s.entities.same_entity
    ent.caption = (f"canonical_id accuracy on strict matches {_acc(s.entities.canonical)}; same-entity pairs "
                   f"P {_f(same.p)} R {_f(same.r)} F1 {_f(same.f1)} ({same.tp + same.fn} gold pairs)")
    ent.caption_justify = "left"
    qt = Table(title=f"{name}: quotes", title_justify="left")
    for col in ("rule", "P", "R", "F1", "tp", "fp", "fn"):
        qt.add_column(col, justify="left" if col == "rule" else "right")
    for rule, prf in s.quotes.rules.items():
        qt.add_row(RULE_TITLES[rule], *_prf_cells(prf), str(prf.tp), str(prf.fp), str(prf.fn))
    q = s.quotes
    qt.caption = (f"on pairs matched at 0.3: kind {_acc(q.kind)}, speaker {_acc(q.speaker)}, cue {_acc(q.cue)}, "
                  f"channel {_acc(q.channel)}, via {_acc(q.via)}, no speaker where the text names one "
                  f"{_acc(q.speakerless)}; gold quotes with a named speaker found and attributed right "
                  f"{_acc(q.named_end_to_end)}")
    qt.caption_justify = "left"
    tables = [ent, qt]
    m = s.measures
    if m.articles:
        mt = Table(title=f"{name}: measures ({m.articles} articles with a measure layer)", title_justify="left")
        for col in ("match", "P", "R", "F1", "tp", "fp", "fn"):
            mt.add_column(col, justify="left" if col == "match" else "right")
        for title, prf in (("type+actor+evidence", m.match), ("type ignored", m.typeless),
                           ("targets (set)", m.targets), ("items (set)", m.items)):
            mt.add_row(title, _f(prf.p), _f(prf.r), _f(prf.f1), str(prf.tp), str(prf.fp), str(prf.fn))
        mt.caption = (f"on matched pairs: status {_acc(m.status)}, direction {_acc(m.direction)}, "
                      f"rate {_acc(m.rate)}, dates {_acc(m.dates)}")
        mt.caption_justify = "left"
        tables.append(mt)
    return [*tables, confusion_table(name, s.confusions(top))]


def polnear_tables(name: str, s: PolnearScores, *, top: int) -> list[Table]:
    """Per subset one row per rule; speaker and cue accuracy (pairs matched at 0.3) on its 0.3 row."""
    t = Table(title=f"{name}: attributions ({s.articles} articles, {s.predicted} predicted units)",
              title_justify="left")
    for col in ("subset", "gold", "rule", "P", "R", "F1", "speaker", "cue"):
        t.add_column(col, justify="left" if col in ("subset", "rule") else "right")
    for sub in SUBSETS:
        sc = s.subsets[sub]
        rules = list(sc.rules.items())
        for i, (rule, prf) in enumerate(rules):
            last = i == len(rules) - 1
            attrs = [_acc(sc.speaker), _acc(sc.cue)] if rule == "0.3" else ["", ""]
            t.add_row(SUBSET_TITLES[sub] if i == 0 else "", str(sc.gold) if i == 0 else "", RULE_TITLES[rule],
                      *_prf_cells(prf), *attrs, end_section=last)
    st = s.stats
    t.caption = (f"gold repairs: {st.swapped} Source/Cue swaps undone, {st.merged} duplicate-cue events merged, "
                 f"{st.dropped} events without Content dropped")
    t.caption_justify = "left"
    conf = sorted(s.confusions.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    return [t, confusion_table(name, conf)]


def confusion_table(name: str, rows: list[tuple[str, int]]) -> Table:
    t = Table(title=f"{name}: most frequent errors", title_justify="left")
    t.add_column("count", justify="right")
    t.add_column("error")
    for err, n in rows:
        t.add_row(str(n), Text(err))  # Text: error strings hold article words, never markup
    return t


def print_diff(console: Console, name: str, items: list[DiffItem]) -> None:
    """Per article, each missed and spurious span with 40 characters of context on either side."""
    console.print(Text(f"{name}: missed and spurious spans", style="bold"))
    doc = None
    for d in sorted(items, key=lambda d: (d.doc_id, d.start, d.what)):
        if d.doc_id != doc:
            doc = d.doc_id
            console.print(Text(doc, style="bold cyan"))
        line = Text("  ")
        line.append(f"{d.what:8}", style="red" if d.what == "missed" else "yellow")
        line.append(f" {d.kind}: ")
        line.append(d.context)  # Text: article words are never read as markup
        console.print(line)


def check_table(result: CheckResult) -> Table:
    t = Table(title="baseline check", title_justify="left")
    for col in ("score", "baseline", "now", "status"):
        t.add_column(col, justify="left" if col in ("score", "status") else "right")
    styles = {"ok": "green", "drop": "bold red", "not run": "yellow", "new": "cyan"}
    for c in result.checks:
        t.add_row(c.key, _f(c.baseline), _f(c.current), Text(c.status, style=styles[c.status]))
    return t


def print_run(console: Console, run: EvalRun, *, top: int = 20, diff: bool = False) -> None:
    """All tables of a run, set by set."""
    for name, res in run.results.items():
        tables = gold_tables(name, res, top=top) if isinstance(res, GoldScores) else polnear_tables(name, res, top=top)
        for t in tables:
            console.print(t)
        if diff:
            print_diff(console, name, res.diff)
        console.print()
    who = (f"model {run.model or 'none (rules only)'}, rules {run.rules_version or '-'}" if run.results
           else "nothing scored")
    console.print(f"{who}; {run.seconds:.1f}s")


def run_json(run: EvalRun, *, top: int = 20, diff: bool = False, checked: CheckResult | None = None,
             headline: dict[str, float] | None = None) -> dict[str, Any]:
    """The machine form of a run (`--json`)."""
    out: dict[str, Any] = {
        "model": run.model,
        "rules_version": run.rules_version,
        "seconds": round(run.seconds, 2),
        "sets": run.sets,
        "skipped": run.skipped,
        "results": {name: res.as_dict(top=top, with_diff=diff) for name, res in run.results.items()},
    }
    if headline is not None:
        out["headline"] = headline
    if checked is not None:
        out["baseline_check"] = checked.as_dict()
    return out
