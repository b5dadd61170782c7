"""CLI commands of evaluation and annotation (eval, annotate)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from pipeline.eval.gold import DEFAULT_SHARED

err = Console(stderr=True, soft_wrap=True)  # messages name paths and docs: never wrap them
out = Console()
ModelOpt = Annotated[str | None, typer.Option("--model", help="spaCy pipeline, or 'none' (default: settings).")]


def _shared_default() -> Path:
    # shown relative when run from the repo root, as in `make eval`
    return Path("../shared") if Path("../shared").resolve() == DEFAULT_SHARED.resolve() else DEFAULT_SHARED


def register(app: typer.Typer) -> None:
    """Add the eval/annotate commands to the `tradex` app."""

    @app.command("eval")
    def eval_cmd(
        gold: Annotated[list[Path] | None, typer.Option("--gold", help="Gold JSONL file (repeatable).")] = None,
        pred: Annotated[Path | None, typer.Option("--pred", help="Records JSONL to score instead of running the "
                                                  "pipeline (with one --gold or --polnear).")] = None,
        polnear: Annotated[Path | None, typer.Option("--polnear", help="PolNeAR folder "
                                                     "(--all uses SHARED/polnear).")] = None,
        split: Annotated[str, typer.Option("--split", help="PolNeAR split.")] = "dev",
        all_sets: Annotated[bool, typer.Option("--all", help="Gold dev + test and PolNeAR dev "
                                               "(what `make eval` runs).")] = False,
        shared: Annotated[Path | None, typer.Option("--shared", help="The shared folder "
                                                    "(default ../shared of the repo).")] = None,
        model: ModelOpt = None,
        workers: Annotated[int | None, typer.Option("--workers", "-w", help="Processes for the pipeline run.")] = None,
        batch_size: Annotated[int | None, typer.Option("--batch-size", help="Documents per nlp.pipe batch.")] = None,
        limit: Annotated[int | None, typer.Option("--limit", min=1, help="Only the first N articles per set.")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="One JSON document on stdout instead of tables.")] = False,
        diff: Annotated[bool, typer.Option("--diff", help="Missed and spurious spans per article.")] = False,
        top: Annotated[int, typer.Option("--top", help="Rows of the most-frequent-errors list.")] = 20,
        check_baseline: Annotated[bool, typer.Option("--check-baseline", help="Exit 1 when a headline score drops "
                                                     "more than 0.01 below corpus/gold/baseline.json.")] = False,
        update_baseline: Annotated[bool, typer.Option("--update-baseline", help="Rewrite the baseline with this "
                                                      "run's scores (deliberately).")] = False,
        baseline: Annotated[Path | None, typer.Option("--baseline", help="Baseline file.")] = None,
        blind_test: Annotated[bool, typer.Option("--blind-test", help="Score and check the test splits but show "
                                                 "none of their figures or errors (tune on dev without seeing "
                                                 "test).")] = False,
    ) -> None:
        """Score the pipeline against gold files and/or PolNeAR.

        Exit status: 0 scored (and no drop), 1 a headline score dropped below the baseline, 2 usage or gold error.
        """
        from pipeline.eval import baseline as bl
        from pipeline.eval.gold import GoldError
        from pipeline.eval.report import check_table, print_run, run_json

        shared_dir = shared or _shared_default()
        if not (gold or polnear or all_sets):
            err.print("[red]give --gold FILE, --polnear DIR or --all[/red]")
            raise typer.Exit(2)
        if (check_baseline or update_baseline) and (not all_sets or gold or polnear or pred or limit):
            err.print("[red]--check-baseline/--update-baseline compare whole --all runs: "
                      "no --gold, --polnear, --pred or --limit with them[/red]")
            raise typer.Exit(2)
        if blind_test and update_baseline:
            err.print("[red]--blind-test hides the test scores that --update-baseline would write: give one[/red]")
            raise typer.Exit(2)
        if pred is not None and (all_sets or len(gold or []) + (polnear is not None) != 1):
            err.print("[red]--pred scores one prediction file against one --gold file or one --polnear split[/red]")
            raise typer.Exit(2)
        if all_sets:
            req = bl.EvalRequest.all_sets(shared=shared_dir)
        else:
            req = bl.EvalRequest(shared=shared_dir, pred=pred, split=split, polnear=polnear)
        req.model, req.workers, req.batch_size, req.limit, req.diff = model, workers, batch_size, limit, diff
        for g in gold or []:
            name = f"gold_{g.stem}"
            req.gold[name if name not in req.gold else f"{name}_{len(req.gold)}"] = g
        try:
            run = bl.run_eval(req)
        except GoldError as e:
            for p in e.problems:
                err.print(f"[red]{p}[/red]", highlight=False)
            err.print(f"[red]{len(e.problems)} gold problem(s): nothing scored[/red]")
            raise typer.Exit(2) from e
        except (FileNotFoundError, ValueError) as e:
            err.print(f"[red]{e}[/red]", highlight=False)
            raise typer.Exit(2) from e
        for name, reason in run.skipped.items():
            err.print(f"[yellow]skipped {name}: {reason}[/yellow]", highlight=False)

        checked = None
        status = 0
        if check_baseline:
            try:
                checked = bl.check(run, bl.read_baseline(baseline or bl.DEFAULT_BASELINE))
            except bl.BaselineMissing as e:
                err.print(f"[red]{e}[/red]", highlight=False)
                raise typer.Exit(2) from e
            status = 1 if checked.failed else 0
            if blind_test:
                checked = bl.blinded(checked)
        if blind_test:
            hidden = [name for name in run.results if bl.is_test_set(name)]
            run.results = {name: res for name, res in run.results.items() if name not in hidden}
            for name in hidden:
                err.print(f"{name}: scored, figures hidden (--blind-test)", highlight=False)
        if as_json:
            # plain JSON (no colour, no wrapping) so it pipes into other tools unchanged
            doc = run_json(run, top=top, diff=diff, checked=checked, headline=bl.headline(run))
            typer.echo(json.dumps(doc, ensure_ascii=False, indent=2))
        else:
            print_run(out, run, top=top, diff=diff)
            if checked is not None:
                out.print(check_table(checked))
        if checked is not None:
            for note in checked.notes:
                err.print(f"[yellow]{note}[/yellow]", highlight=False)
            if checked.failed:
                drops = ", ".join(f"{c.key} {c.baseline:.3f}->{c.current:.3f}"
                                  if c.baseline is not None and c.current is not None else c.key
                                  for c in checked.drops)
                err.print(f"[red]baseline check failed: {drops}[/red]", highlight=False)
            else:
                err.print(f"baseline check passed ({sum(c.status == 'ok' for c in checked.checks)} scores)")
        if update_baseline:
            try:
                path = baseline or bl.DEFAULT_BASELINE
                bl.write_baseline(run, path)
            except ValueError as e:
                err.print(f"[red]{e}[/red]", highlight=False)
                raise typer.Exit(2) from e
            err.print(f"baseline written to {path}")
        raise typer.Exit(status)

    @app.command("agreement")
    def agreement_cmd(
        first: Annotated[Path, typer.Argument(help="Gold JSONL of the first annotation pass.")],
        second: Annotated[Path, typer.Argument(help="Gold JSONL of the second, independent pass.")],
        shared: Annotated[Path | None, typer.Option("--shared", help="The shared folder "
                                                    "(default ../shared of the repo).")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="One JSON document on stdout instead of tables.")] = False,
        top: Annotated[int, typer.Option("--top", help="Rows of the most-frequent-disagreements list.")] = 20,
    ) -> None:
        """Inter-annotator agreement of two gold passes over the same articles (the second scored as a prediction)."""
        from pipeline.eval.agreement import agreement
        from pipeline.eval.gold import GoldError, SharedMissing
        from pipeline.eval.report import gold_tables

        try:
            agr = agreement(first, second, shared=shared or _shared_default())
        except (GoldError, SharedMissing, FileNotFoundError) as e:
            err.print(f"[red]{e}[/red]", highlight=False)
            raise typer.Exit(2) from e
        if as_json:
            doc = {"articles": agr.articles, "only_first": agr.only_first, "only_second": agr.only_second,
                   "scores": agr.scores.as_dict(top=top)}
            typer.echo(json.dumps(doc, ensure_ascii=False, indent=2))
        else:
            for t in gold_tables(f"agreement {first.name} ~ {second.name}", agr.scores, top=top):
                out.print(t)
            skipped = len(agr.only_first) + len(agr.only_second)
            out.print(f"{len(agr.articles)} articles in both passes" + (f"; {skipped} in one only" if skipped else ""))

    @app.command("annotate")
    def annotate_cmd(
        inputs: Annotated[list[str], typer.Argument(help="Files, folders or globs to pre-annotate.")],
        output: Annotated[Path, typer.Option("--output", "-o", help="Draft gold JSONL to write.")],
        split: Annotated[str, typer.Option("--split", help="dev or test.")] = "dev",
        shared: Annotated[Path | None, typer.Option("--shared", help="The shared folder (inputs in it become "
                                                    "stand-off gold).")] = None,
        ids: Annotated[list[str] | None, typer.Option("--id", help="Only this doc id (repeatable).")] = None,
        model: ModelOpt = None,
        force: Annotated[bool, typer.Option("--force", help="Overwrite OUTPUT if it exists.")] = False,
        fmt: Annotated[str, typer.Option("--format", help="gold (a draft gold JSONL), label-studio (tasks JSON "
                                         "with pre-annotations, and OUTPUT's .label_config.xml beside it) or "
                                         "doccano (JSONL); for the last two, inputs may also be records, a run "
                                         "folder or gold files.")] = "gold",
    ) -> None:
        """Pre-fill a gold file from the pipeline's predictions, for correction by hand (or Label Studio tasks)."""
        from pipeline.eval.annotate import draft_gold, write_gold
        from pipeline.settings import Settings

        if split not in ("dev", "test"):
            err.print(f"[red]--split must be dev or test, not {split!r}[/red]")
            raise typer.Exit(2)
        if fmt not in ("gold", "label-studio", "doccano"):
            err.print(f"[red]TX300 --format must be gold, label-studio or doccano, not {fmt!r}[/red]")
            raise typer.Exit(2)
        if output.exists() and not force:
            err.print(f"[red]{output} exists; it may hold corrected gold. Use --force to overwrite it.[/red]")
            raise typer.Exit(2)
        settings = Settings.load(model=model)
        if fmt != "gold":
            _label_studio_tasks(inputs, output, split=split, shared=shared or _shared_default(), settings=settings,
                                ids=set(ids) if ids else None, doccano=fmt == "doccano")
        try:
            draft = draft_gold(inputs, shared=shared or _shared_default(), split=split, settings=settings,
                               ids=set(ids) if ids else None)
        except ValueError as e:
            err.print(f"[red]{e}[/red]", highlight=False)
            raise typer.Exit(2) from e
        for bad in draft.errors:
            err.print(f"[yellow]{bad.source}: {bad.error_code} {bad.message}[/yellow]", highlight=False)
        write_gold(output, draft.articles)
        standoff = sum(1 for a in draft.articles if a.text_ref is not None)
        err.print(f"{len(draft.articles)} draft articles ({standoff} stand-off) -> {output}"
                  + (f"; {len(draft.errors)} inputs failed" if draft.errors else ""))
        raise typer.Exit(1 if draft.errors else 0)

    gold_app = typer.Typer(help="Gold files: import corrected annotations.", no_args_is_help=True)
    app.add_typer(gold_app, name="gold")

    @gold_app.command("import")
    def gold_import(
        export: Annotated[Path, typer.Argument(help="Label Studio JSON export (Export -> JSON) or doccano JSONL.")],
        output: Annotated[Path, typer.Option("--output", "-o", help="Gold JSONL to write.")],
        fmt: Annotated[str, typer.Option("--format", help="label-studio, doccano, or auto (doccano for .jsonl, "
                                         "else Label Studio).")] = "auto",
        split: Annotated[str, typer.Option("--split", help="Split of tasks that do not name one.")] = "dev",
        force: Annotated[bool, typer.Option("--force", help="Overwrite OUTPUT if it exists.")] = False,
    ) -> None:
        """Turn a Label Studio (or doccano) export into gold (stand-off for texts from the shared folder), validated.

        Exit status: 0 written, 2 usage error or an export that is not valid gold (nothing written).
        """
        from pipeline.eval import doccano
        from pipeline.eval.labelstudio import ExportError, gold_line, read_export
        from pipeline.files import atomic_write_lines

        if fmt == "auto":
            fmt = "doccano" if export.suffix == ".jsonl" else "label-studio"
        if fmt not in ("label-studio", "doccano"):
            err.print(f"[red]TX300 --format must be label-studio, doccano or auto, not {fmt!r}[/red]")
            raise typer.Exit(2)
        if split not in ("dev", "test"):
            err.print(f"[red]--split must be dev or test, not {split!r}[/red]")
            raise typer.Exit(2)
        if not export.is_file():
            err.print(f"[red]TX300 no such export file: {export}[/red]", highlight=False)
            raise typer.Exit(2)
        if output.exists() and not force:
            err.print(f"[red]{output} exists; it may hold gold. Use --force to overwrite it.[/red]")
            raise typer.Exit(2)
        try:
            reader = doccano.read_lines if fmt == "doccano" else read_export
            imported = reader(export, split=split)
        except ExportError as e:
            for p in e.problems:
                err.print(f"[red]{p}[/red]", highlight=False)
            err.print(f"[red]{len(e.problems)} task problem(s): nothing written[/red]")
            raise typer.Exit(2) from e
        for note in imported.skipped:
            err.print(f"[yellow]skipped {note}[/yellow]", highlight=False)
        atomic_write_lines(output, (gold_line(a) for a in imported.articles))
        standoff = sum(1 for a in imported.articles if a.text_ref is not None)
        err.print(f"{len(imported.articles)} gold articles ({standoff} stand-off) -> {output}"
                  + (f"; {len(imported.skipped)} tasks without a submitted annotation skipped"
                     if imported.skipped else ""), highlight=False)


def _label_studio_tasks(inputs: list[str], output: Path, *, split: str, shared: Path, settings: Any,
                        ids: set[str] | None, doccano: bool) -> None:
    from pipeline.eval import doccano as doccano_format
    from pipeline.eval.gold import GoldError
    from pipeline.eval.labelstudio import tasks_from_inputs, write_tasks

    try:
        made = tasks_from_inputs(inputs, shared=shared, split=split, settings=settings, ids=ids)
    except GoldError as e:
        for p in e.problems:
            err.print(f"[red]{p}[/red]", highlight=False)
        raise typer.Exit(2) from e
    except (ValueError, FileNotFoundError) as e:
        err.print(f"[red]{e}[/red]", highlight=False)
        raise typer.Exit(2) from e
    for bad in made.errors:
        err.print(f"[yellow]{bad.source}: {bad.error_code} {bad.message}[/yellow]", highlight=False)
    if doccano:
        doccano_format.write_lines(output, made.tasks)
        what = f"{len(made.tasks)} doccano lines -> {output}"
    else:
        config = write_tasks(output, made.tasks)
        what = f"{len(made.tasks)} Label Studio tasks -> {output} (labelling config {config})"
    err.print(what + (f"; {len(made.errors)} inputs failed" if made.errors else ""), highlight=False)
    raise typer.Exit(1 if made.errors else 0)
