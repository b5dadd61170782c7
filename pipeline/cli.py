"""The `tradex` command line. Thin: every command calls the Python API."""

from __future__ import annotations

import functools
import inspect
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, get_type_hints

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from pipeline.errors import TradexError
from pipeline.settings import STAGES, Settings

app = typer.Typer(
    name="tradex",
    help="Turn trade-news articles into entities, quotes and speakers (JSONL, Parquet, DuckDB).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        from pipeline import __version__

        typer.echo(f"tradex {__version__}")
        raise typer.Exit(0)


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Turn trade-news articles into entities, quotes and speakers (JSONL, Parquet, DuckDB)."""


rules_app = typer.Typer(help="Inspect, test and validate the entity rule packs.", no_args_is_help=True)
app.add_typer(rules_app, name="rules")

# soft_wrap: a line is never folded at the console width (80 when piped), so logs and scripts see it whole
err = Console(stderr=True, soft_wrap=True)
out = Console(soft_wrap=True)

_DEFAULTS = Settings()


def _dflt(name: str) -> str:
    """The settings default, for help texts (the options default to None so that --config can set them)."""
    return f"  \\[default: {getattr(_DEFAULTS, name)}]"


ModelOpt = Annotated[
    str | None, typer.Option("--model", help="spaCy pipeline to load, or 'none' for rules only." + _dflt("model"))
]
WorkersOpt = Annotated[
    int | None,
    typer.Option("--workers", "-w", help="Worker processes (partitions run in parallel)." + _dflt("workers")),
]
BatchOpt = Annotated[
    int | None, typer.Option("--batch-size", help="Documents per nlp.pipe batch." + _dflt("batch_size"))
]
PartOpt = Annotated[
    int | None, typer.Option("--partition-size", help="Documents per output partition." + _dflt("partition_size"))
]
ConfigOpt = Annotated[
    Path | None, typer.Option("--config", help="TOML file with settings: a \\[tradex] table (or top-level keys).")
]
RulesOpt = Annotated[
    list[Path] | None, typer.Option("--rules", help="Extra rule-pack folder; extends/overrides built-in entries by id.")
]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or summary on stderr.")]
JsonLogOpt = Annotated[bool, typer.Option("--json-log", help="Log progress and the summary as JSON lines on stderr.")]
ResumeOpt = Annotated[bool, typer.Option("--resume", help="Reuse partitions a previous, interrupted run finished.")]
FormatOpt = Annotated[
    str | None,
    typer.Option("--format", help="Input format: auto (by name, or by content on stdin), txt, jsonl, csv, html, "
                 "warc, json (NewsAPI / news-please / a list), newsapi, news-please, gz (stdin).  \\[default: auto]"),
]
LangOpt = Annotated[
    str | None, typer.Option("--lang", help="Keep only articles in this language (ISO 639-1, e.g. en); the others "
                             "become TX121 lines.  \\[default: off]")
]
MaxCharsOpt = Annotated[
    int | None, typer.Option("--max-chars", help="Longer articles become TX105 errors." + _dflt("max_chars"))
]
BackendOpt = Annotated[str | None, typer.Option("--backend", help="local (processes) or dask." + _dflt("backend"))]
SchedulerOpt = Annotated[
    str | None, typer.Option("--scheduler", help="Dask scheduler address (default: a local cluster).")
]


def _settings(config: Path | None = None, **overrides: Any) -> Settings:
    try:
        return Settings.load(config, **overrides)
    except Exception as e:  # pydantic and TOML errors are usage errors
        err.print(f"[red]TX300 invalid settings:[/red] {e}")
        raise typer.Exit(2) from e


@dataclass
class ExtractOptions:
    """The option set `extract` and `run` share, declared once: each field's annotation is its typer option
    (`extract_options` adds them to a command)."""

    model: ModelOpt = None
    workers: WorkersOpt = None
    batch_size: BatchOpt = None
    partition_size: PartOpt = None
    config: ConfigOpt = None
    rules: RulesOpt = None
    input_format: FormatOpt = None
    lang: LangOpt = None
    max_chars: MaxCharsOpt = None
    backend: BackendOpt = None
    scheduler: SchedulerOpt = None
    resume: ResumeOpt = False
    quiet: QuietOpt = False
    json_log: JsonLogOpt = False

    def settings(self, **more: Any) -> Settings:
        """The settings: `--config` (or defaults), then every option given on the command line."""
        return _settings(
            self.config, model=self.model, workers=self.workers, batch_size=self.batch_size,
            partition_size=self.partition_size, rules_dirs=self.rules, input_format=self.input_format,
            lang=self.lang, max_chars=self.max_chars, backend=self.backend, scheduler=self.scheduler, **more,
        )


# option name -> its typer annotation, read off the fields
_EXTRACT_OPTIONS: dict[str, Any] = get_type_hints(ExtractOptions, include_extras=True)


def extract_options(command: Callable[..., None]) -> Callable[..., None]:
    """Give a command the shared option set after its own parameters, handed to it as `opts`."""
    own = [p for p in inspect.signature(command, eval_str=True).parameters.values() if p.name != "opts"]
    defaults = ExtractOptions()
    shared = [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=ann, default=getattr(defaults, name))
        for name, ann in _EXTRACT_OPTIONS.items()
    ]

    @functools.wraps(command)
    def with_options(**kwargs: Any) -> None:
        opts = ExtractOptions(**{name: kwargs.pop(name) for name in _EXTRACT_OPTIONS})
        command(**kwargs, opts=opts)

    # typer reads the signature and the type hints: both name every option, with real annotation objects
    with_options.__signature__ = inspect.Signature([*own, *shared])  # type: ignore[attr-defined]
    hints = get_type_hints(command, include_extras=True)
    with_options.__annotations__ = {**{p.name: hints[p.name] for p in own}, **_EXTRACT_OPTIONS}
    return with_options


def _progress_runner(quiet: bool, json_log: bool, total: int | None) -> tuple[Any, Any]:
    """A rich progress bar when stderr is a terminal, JSON lines with --json-log, else nothing."""
    if json_log:

        def log(done: int, words: int, parts: int) -> None:
            sys.stderr.write(
                json.dumps({"event": "partition", "articles": done, "words": words, "partitions": parts}) + "\n"
            )

        return None, log
    if quiet or not sys.stderr.isatty():
        return None, None
    progress = Progress(
        TextColumn("[bold]extract"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[wps]} words/s"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=False,
    )
    task = progress.add_task("extract", total=total, wps="-")
    import time

    t0 = time.perf_counter()

    def update(done: int, words: int, parts: int) -> None:
        rate = words / max(time.perf_counter() - t0, 1e-9)
        progress.update(task, completed=done, wps=f"{rate:,.0f}")

    return progress, update


def _rules_problem(dirs: list[Path]) -> str | None:
    """One line naming what is wrong with the user's rule folders, or None when they validate."""
    from pipeline.rules.packs import PackError, cached_packs

    try:
        # the cached load: the pipeline built next in this process reuses it instead of loading again
        cached_packs(tuple(str(p) for p in dirs))
    except PackError as e:
        more = f" (+{len(e.problems) - 1} more: tradex rules validate lists them)" if len(e.problems) > 1 else ""
        return f"TX304 rule packs do not validate: {e.problems[0]}{more}"
    return None


def _do_extract(
    inputs: list[str], output: Path, settings: Settings, *, resume: bool, quiet: bool, json_log: bool
) -> int:
    from pipeline.guard import check_outputs
    from pipeline.ingest import walk_inputs
    from pipeline.runner import Terminated, errors_path_for, estimate_total, run_extract

    bad_rules = _rules_problem(settings.rules_dirs) if settings.rules_dirs else None
    if bad_rules:
        sys.stderr.write(bad_rules + "\n")  # one line, never wrapped
        return 2
    # an input that does not exist is a usage error before any work (a stray `true` after a flag included)
    missing = [raw for raw in inputs if raw != "-" and not any(ch in raw for ch in "*?[") and not Path(raw).exists()]
    if missing:
        hint = ("; options such as --quiet and --resume are flags: write --quiet, not --quiet true"
                if any(m.lower() in ("true", "false") for m in missing) else "")
        sys.stderr.write(f"TX300 input not found: {', '.join(missing)}{hint}\n")  # one line, never wrapped
        return 2
    # a folder or glob that names no article file is a usage error, not a silent empty run
    empty = [raw for raw in inputs if raw != "-" and not list(walk_inputs([raw]))]
    if empty:
        err.print(f"[red]TX300 no input files (txt, jsonl, csv, html, json, warc, .gz) in: {', '.join(empty)}[/red]")
        return 2
    try:
        # before any work (the estimate reads the inputs); the run checks again under its lock
        check_outputs([output, errors_path_for(output)], inputs)
        total = None if quiet else estimate_total(inputs)
        progress, update = _progress_runner(quiet, json_log, total)
        if progress is not None:
            with progress:
                summary = _run(inputs, output, settings, resume, update, run_extract)
        else:
            summary = _run(inputs, output, settings, resume, update, run_extract)
    except TradexError as e:
        sys.stderr.write(f"{e}\n")  # one line, never wrapped
        return 2
    except (Terminated, KeyboardInterrupt) as e:
        what = "terminated" if isinstance(e, Terminated) else "interrupted"
        sys.stderr.write(f"{what}: finished partitions are kept; rerun with --resume to continue\n")
        return 143 if isinstance(e, Terminated) else 130
    for note in summary.notes:
        sys.stderr.write(note + "\n")
    if json_log:
        sys.stderr.write(json.dumps({"event": "summary", **summary.as_dict()}) + "\n")
    elif not quiet:
        codes = ", ".join(f"{k}×{v}" for k, v in summary.error_codes.items())
        # plain write: the summary line is grepped by scripts, so rich must not wrap it
        sys.stderr.write(summary.line() + (f" ({codes}; see {summary.errors_file})" if codes else "") + "\n")
    return summary.exit_code


def _run(inputs: list[str], output: Path, settings: Settings, resume: bool, update: Any, run_extract: Any) -> Any:
    if settings.backend == "dask":
        from pipeline.distributed import run_extract_dask

        return run_extract_dask(inputs, output, settings=settings, resume=resume, on_progress=update)
    return run_extract(inputs, output, settings=settings, resume=resume, on_progress=update)


@app.command()
@extract_options
def extract(
    inputs: Annotated[
        list[str], typer.Argument(help="Files, folders, globs, or - for stdin (txt, jsonl, csv, html, .gz).")
    ],
    output: Annotated[Path, typer.Option("--output", "-o", help="Records JSONL file to write.")] = Path(
        "output/records.jsonl"
    ),
    *,
    opts: ExtractOptions,
) -> None:
    """Extract entities and quotes: one record per article, bad inputs to OUTPUT's .errors.jsonl.

    Exit status: 0 all inputs became records, 1 some inputs are in the errors file, 2 usage error.
    """
    code = _do_extract(inputs, output, opts.settings(), resume=opts.resume, quiet=opts.quiet, json_log=opts.json_log)
    raise typer.Exit(code)


@app.command()
@extract_options
def run(
    inputs: Annotated[list[str], typer.Argument(help="Files, folders, globs, or - for stdin.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Output folder.")] = Path("output"),
    stages: Annotated[
        str | None, typer.Option("--stages", help=f"Comma-separated stages to run, from {','.join(STAGES)}.")
    ] = None,
    append: Annotated[bool, typer.Option("--append", help="Add INPUTS to the articles already in OUTPUT: "
                                         "deduplicated and normalized against them, tables upserted.")] = False,
    *,
    opts: ExtractOptions,
) -> None:
    """Run every stage: extract -> normalize -> dedupe -> export, into the OUTPUT folder."""
    stage_list = [s.strip() for s in stages.split(",")] if stages else None
    if stage_list:
        unknown = [s for s in stage_list if s not in STAGES]
        if unknown:
            err.print(f"[red]TX300 unknown stage(s) {unknown}; choose from {list(STAGES)}[/red]")
            raise typer.Exit(2)
    settings = opts.settings(stages=stage_list)
    raise typer.Exit(
        _do_run(inputs, output, settings, resume=opts.resume, quiet=opts.quiet, json_log=opts.json_log, append=append)
    )


# What `tradex run` writes into its output folder besides the records; none of it may be an input.
_RUN_OUTPUTS = ("normalized.jsonl", "entities.jsonl", "deduped.jsonl", "tradex.duckdb")


def _do_run(
    inputs: list[str], output: Path, settings: Settings, *, resume: bool, quiet: bool, json_log: bool, append: bool
) -> int:
    from pipeline.corpus.append import BATCH_DIR, merge_batch
    from pipeline.guard import check_not_inputs, output_lock
    from pipeline.ingest import expand_inputs
    from pipeline.runner import errors_path_for

    if output.exists() and not output.is_dir():
        err.print(f"[red]TX301 the output {output} is not a folder; `tradex run -o` takes a folder[/red]")
        return 2
    records = output / "records.jsonl"
    try:
        output.mkdir(parents=True, exist_ok=True)
        written = [records, errors_path_for(records), *(output / n for n in _RUN_OUTPUTS)]
        written += sorted((output / "parquet").rglob("*.parquet"))
        check_not_inputs(written, expand_inputs(inputs))
        with output_lock(output):  # the folder: one `tradex run` at a time writes its stage files
            status = 0
            if "extract" in settings.stages:
                # --append: the batch is extracted on its own, then merged into the folder's records
                target = output / BATCH_DIR / "records.jsonl" if append and records.exists() else records
                status = _do_extract(inputs, target, settings, resume=resume, quiet=quiet, json_log=json_log)
                if status not in (0, 1):
                    return status
                if target != records:
                    merged = merge_batch(records, target, errors_path_for(records), errors_path_for(target))
                    if not quiet:
                        err.print(merged.line())
            from pipeline.corpus import run_corpus_stages

            for line in run_corpus_stages(records, output, settings=settings):
                if not quiet:
                    err.print(line)
            return status
    except TradexError as e:
        sys.stderr.write(f"{e}\n")  # one line, never wrapped
        return 2
    except OSError as e:
        sys.stderr.write(f"TX303 writing {output} failed: {e.strerror or e}\n")
        return 2


@app.command()
def schema(
    which: Annotated[str, typer.Argument(help="record (default), error, or gold")] = "record",
    tables: Annotated[bool, typer.Option("--tables", help="Print the warehouse data dictionary instead: every "
                                         "table and column with type, key and meaning (Markdown).")] = False,
) -> None:
    """Print the JSON Schema of the record format (or of the errors file / gold files), or the data dictionary."""
    if tables:
        from pipeline.corpus.dictionary import markdown

        sys.stdout.write(markdown())
        return
    from models.schema import json_schema

    out.print_json(json.dumps(json_schema(which)))


@app.command()
def version(
    model: ModelOpt = None,
    rules: RulesOpt = None,
) -> None:
    """Print the package, rules and model versions."""
    from pipeline.nlp import package_version
    from pipeline.rules.packs import cached_packs

    settings = _settings(None, model=model, rules_dirs=rules)
    packs = cached_packs(tuple(str(p) for p in settings.rules_dirs))
    model_info = "none (rules only)"
    if settings.model_name:
        try:
            import spacy

            meta = spacy.info(settings.model_name)
            model_info = f"{settings.model_name} {meta.get('version')}"  # type: ignore[union-attr]
        except Exception:
            model_info = f"{settings.model_name} (not installed)"
    out.print(f"tradex {package_version()}\nrules {packs.version} ({len(packs.entries)} entries)\nmodel {model_info}")


# ---------------------------------------------------------------------------------------------- rules
def _load_packs(dirs: list[Path] | None, builtin: bool = True, *, strict: bool = False, exit_code: int = 1) -> Any:
    from pipeline.rules.packs import PackError, load_rule_packs

    try:
        packs = load_rule_packs(extra_dirs=dirs or [], include_builtin=builtin, strict=strict)
    except PackError as e:
        for p in e.problems:
            sys.stderr.write(f"{p}\n")  # file:line:field lines stay whole, whatever the terminal width
        sys.stderr.write(f"{len(e.problems)} problem(s)\n")
        raise typer.Exit(exit_code) from e
    for w in packs.warnings:
        sys.stderr.write(f"warning: {w}\n")
    return packs


@rules_app.command("validate")
def rules_validate(
    dirs: Annotated[list[Path] | None, typer.Argument(help="Rule folders to validate with the built-in packs.")] = None,
    strict: Annotated[bool, typer.Option("--strict", help="An entry that replaces a built-in id is an error, "
                                         "not a warning.")] = False,
) -> None:
    """Validate the packs (folder/file:line:field for every problem); exit 1 when any is wrong."""
    packs = _load_packs(dirs, strict=strict)
    out.print(
        f"OK: {len(packs.entries)} entries, {len(packs.cues)} cues, {len(packs.titles)} titles, rules {packs.version}"
    )


@rules_app.command("list")
def rules_list(
    label: Annotated[str | None, typer.Option("--label", help="Only this label, e.g. CHIP.")] = None,
    rules: RulesOpt = None,
) -> None:
    """List the entries in use: id, name, aliases."""
    packs = _load_packs(rules)
    table = Table("id", "name", "aliases", "from")
    for le in sorted(packs.entries.values(), key=lambda x: x.entry.id):
        if label and le.label.value != label.upper():
            continue
        table.add_row(le.entry.id, le.entry.name, ", ".join(le.entry.aliases), le.origin)
    out.print(table)


@rules_app.command("show")
def rules_show(
    entry_id: Annotated[str, typer.Argument(help="Entry id, e.g. company:nvidia")], rules: RulesOpt = None
) -> None:
    """Show one entry with where it is defined."""
    packs = _load_packs(rules)
    le = packs.entries.get(entry_id)
    if le is None:
        err.print(f"[red]no entry {entry_id!r}[/red]")
        raise typer.Exit(1)
    out.print_json(json.dumps({"origin": le.origin, "label": le.label.value, **le.entry.model_dump(exclude_none=True)}))


@rules_app.command("test")
def rules_test(
    text: Annotated[str, typer.Argument(help="Text to run the pipeline on.")],
    model: ModelOpt = "none",
    rules: RulesOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line: each mention, then each "
                                          "quote with its speaker chain, then each measure.")] = False,
) -> None:
    """Show the mentions (with the rule that found each), the quotes (rule, cue, and the chain that resolved the
    speaker: mention -> entity -> canonical id) and the measures found in TEXT."""
    from pipeline import extract as api_extract

    bad = _rules_problem(rules) if rules else None
    if bad:
        sys.stderr.write(bad + "\n")
        raise typer.Exit(2)
    rec = api_extract([text], model=model, rules_dirs=rules or [])[0]
    by_id = {e.id: e for e in rec.entities}
    chains = {q.id: _speaker_chain(q, by_id) for q in rec.quotes}
    if as_json:
        for e in rec.entities:
            typer.echo(json.dumps({"type": "mention", **e.model_dump(mode="json")}, ensure_ascii=False))
        for q in rec.quotes:
            typer.echo(json.dumps({"type": "quote", **q.model_dump(mode="json"), "speaker_chain": chains[q.id]},
                                  ensure_ascii=False))
        for m in rec.measures:
            typer.echo(json.dumps({"type": "measure", **m.model_dump(mode="json")}, ensure_ascii=False))
        return
    table = Table("text", "label", "canonical_id", "method", "rule", "attrs", title="mentions")
    for col in table.columns:
        col.overflow = "fold"
    for e in rec.entities:
        table.add_row(
            e.text,
            e.label.value,
            e.canonical_id or "-",
            e.provenance.method.value,
            e.provenance.rule,
            json.dumps(e.attrs, ensure_ascii=False) if e.attrs else "",
        )
    out.print(table)
    quotes = Table("quote", "kind", "rule", "cue", "speaker: mention -> entity -> id", "channel", "via",
                   title="quotes")
    for col in quotes.columns:
        col.overflow = "fold"
    for q in rec.quotes:
        quotes.add_row(q.text, q.kind.value, q.provenance.method, q.cue.text if q.cue else "-",
                       " -> ".join(chains[q.id]) or "-", q.channel or "-", q.via or "-")
    out.print(quotes)
    if rec.measures:
        measures = Table("trigger", "type", "status", "actor", "items", "rule", title="measures")
        for m in rec.measures:
            measures.add_row(m.trigger.text, m.type.value, m.status.value, m.actor.name if m.actor else "-",
                             ", ".join(i.text.text for i in m.items) or "-", m.provenance.method)
        out.print(measures)


def _speaker_chain(q: Any, by_id: dict[str, Any]) -> list[str]:
    """How the speaker was resolved: the words in the text, the mention they point at, its canonical id."""
    sp = q.speaker
    if sp is None:
        return []
    chain = [repr(sp.mention.text)] if sp.mention else []
    ent = by_id.get(sp.entity_id) if sp.entity_id else None
    if ent is not None:
        chain.append(f"{ent.id} {ent.text!r} ({ent.label.value}, {ent.provenance.method.value} {ent.provenance.rule})")
    if sp.name and (ent is None or sp.name != ent.text):
        chain.append(sp.name)
    if sp.canonical_id:
        chain.append(sp.canonical_id)
    return chain


@rules_app.command("suggest")
def rules_suggest(
    run_dir: Annotated[Path, typer.Argument(help="Output folder of a `tradex run` (its entities.jsonl).")],
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Folder to write one pack file per label "
                                                "into (default: print to stdout).")] = None,
    min_mentions: Annotated[int, typer.Option("--min-mentions", help="Only entities seen this often.")] = 1,
) -> None:
    """Propose pack entries from the entities a run discovered (`~` ids): id, name, aliases seen, with counts and
    two example contexts as `//` comments, ready to edit and `tradex rules validate`."""
    from pipeline.rules.suggest import suggest, suggestion_lines, write_suggestions

    if not (run_dir / "entities.jsonl").is_file():
        sys.stderr.write(f"TX300 no entities.jsonl in {run_dir}: give the output folder of tradex run\n")
        raise typer.Exit(2)
    found = suggest(run_dir, min_mentions=min_mentions)
    if output is None:
        for line in suggestion_lines(found):
            typer.echo(line)
        return
    counts = write_suggestions(output, found)
    sys.stderr.write(f"{len(found)} suggestions -> {output} ({', '.join(f'{k} {v}' for k, v in counts.items())})\n")


@rules_app.command("fields")
def rules_fields() -> None:
    """Print which fields each pack file takes (Markdown, generated from the pack models)."""
    from pipeline.rules.packs import field_table

    sys.stdout.write(field_table())


@rules_app.command("stats")
def rules_stats(rules: RulesOpt = None) -> None:
    """Entries and surface forms per label."""
    packs = _load_packs(rules)
    table = Table("label", "entries", "surface forms")
    counts: dict[str, list[int]] = {}
    for le in packs.entries.values():
        c = counts.setdefault(le.label.value, [0, 0])
        c[0] += 1
        c[1] += len(le.entry.surface_forms())
    for label, (n, f) in sorted(counts.items()):
        table.add_row(label, str(n), str(f))
    table.add_row("cues", str(len(packs.cues)), "")
    table.add_row("titles", str(len(packs.titles)), "")
    out.print(table)
    out.print(f"rules_version {packs.version}")


def _register_stage_commands() -> None:
    """Corpus-stage and eval commands live beside their code; they add themselves to `app`."""
    from pipeline.corpus.commands import register as register_corpus
    from pipeline.eval.commands import register as register_eval
    from pipeline.report.commands import register as register_report

    register_corpus(app)
    register_eval(app)
    register_report(app)


_register_stage_commands()


def main() -> None:
    """Console-script entry point. An uncaught crash (a bug) exits 3 with its traceback: 1 means some inputs
    are in the errors file, 2 a usage error, and scripts must be able to tell a crash from both."""
    try:
        app()
    except SystemExit:
        raise
    except KeyboardInterrupt:
        sys.exit(130)
    except BaseException:
        import traceback

        traceback.print_exc()
        sys.stderr.write("tradex crashed (exit 3): this is a bug; please report the traceback above\n")
        sys.exit(3)


if __name__ == "__main__":
    main()
