"""CLI commands of the corpus stages (normalize, dedupe, export). Thin: each calls its stage's file wrapper."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from pipeline.settings import Settings

_err = Console(stderr=True, soft_wrap=True)  # long paths and summary lines stay on one line in logs

ConfigOpt = Annotated[Path | None, typer.Option("--config", help="TOML file with settings (a \\[tradex] table).")]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress or summary on stderr.")]
InputArg = Annotated[Path, typer.Argument(help="Records JSONL file (from extract or an earlier stage).")]


def _settings(config: Path | None, **overrides: Any) -> Settings:
    try:
        return Settings.load(config, **overrides)
    except Exception as e:  # pydantic and TOML errors are usage errors
        _err.print(f"[red]TX300 invalid settings:[/red] {e}")
        raise typer.Exit(2) from e


def _need(path: Path) -> None:
    if not path.is_file():
        _err.print(f"[red]TX300 no such records file: {path}[/red]")
        raise typer.Exit(2)


@contextmanager
def _progress(stage: str, quiet: bool) -> Iterator[Callable[[int], None] | None]:
    """A rich spinner with a count when stderr is a terminal; nothing otherwise (logs stay clean)."""
    if quiet or not sys.stderr.isatty():
        yield None
        return
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(SpinnerColumn(), TextColumn(f"[bold]{stage}"), TextColumn("{task.completed:,} articles"),
                  TimeElapsedColumn(), console=_err, transient=True) as progress:
        task = progress.add_task(stage, total=None)
        yield lambda done: progress.update(task, completed=done)


def _run(stage: str, quiet: bool, fn: Callable[[Callable[[int], None] | None], Any]) -> Any:
    from pipeline.corpus import RecordFileError

    try:
        with _progress(stage, quiet) as update:
            return fn(update)
    except RecordFileError as e:
        _err.print(f"[red]{e}[/red]")
        raise typer.Exit(1) from e


def register(app: typer.Typer) -> None:
    """Add the corpus-stage commands to the `tradex` app."""

    @app.command()
    def normalize(
        input_path: InputArg,
        output: Annotated[Path, typer.Option("--output", "-o", help="Normalized records JSONL to write.")] = Path(
            "output/normalized.jsonl"
        ),
        entities: Annotated[
            Path | None, typer.Option("--entities", help="Entity table to write (default: entities.jsonl next to -o).")
        ] = None,
        config: ConfigOpt = None,
        quiet: QuietOpt = False,
    ) -> None:
        """Fill every mention's canonical id (discovering new entities) and write the entity table."""
        from pipeline.corpus.normalize import entities_path_for, normalize_file

        settings = _settings(config)
        _need(input_path)
        ent = entities or entities_path_for(output)
        summary = _run("normalize", quiet, lambda update: normalize_file(
            input_path, output, settings=settings, entities_path=ent, on_progress=update))
        if not quiet:
            _err.print(f"normalize: {summary.line()} -> {output}, {ent}")

    @app.command()
    def dedupe(
        input_path: InputArg,
        output: Annotated[Path, typer.Option("--output", "-o", help="Deduplicated records JSONL to write.")] = Path(
            "output/deduped.jsonl"
        ),
        threshold: Annotated[
            float | None,
            typer.Option("--threshold", help="Jaccard similarity (0-1] of word shingles for near duplicates "
                                             "(default: settings' dedupe_threshold, 0.8)."),
        ] = None,
        config: ConfigOpt = None,
        quiet: QuietOpt = False,
    ) -> None:
        """Mark exact and near-duplicate articles (duplicate_of, dup_cluster) and quote clusters."""
        from pipeline.corpus.dedupe import dedupe_file

        settings = _settings(config, dedupe_threshold=threshold)
        _need(input_path)
        summary = _run("dedupe", quiet, lambda update: dedupe_file(
            input_path, output, settings=settings, on_progress=update))
        if not quiet:
            _err.print(f"dedupe: {summary.line()} -> {output}")

    @app.command()
    def export(
        input_path: InputArg,
        to: Annotated[Path, typer.Option("--to", help="Output folder: parquet/*.parquet and tradex.duckdb.")] = Path(
            "output"
        ),
        entities: Annotated[
            Path | None,
            typer.Option("--entities", help="Entity table from normalize (default: entities.jsonl next to the "
                                            "input when present, else rebuilt from the mentions)."),
        ] = None,
        config: ConfigOpt = None,
        quiet: QuietOpt = False,
    ) -> None:
        """Upsert records into DuckDB (tables, keys, views) and rewrite the Parquet tables from it."""
        from pipeline.corpus.export import export_file

        settings = _settings(config)
        _need(input_path)
        ent = entities if entities is not None else input_path.with_name("entities.jsonl")
        if entities is not None and not entities.is_file():
            _err.print(f"[red]TX300 no such entity table: {entities}[/red]")
            raise typer.Exit(2)
        from pipeline.errors import TradexError

        try:
            summary = _run("export", quiet, lambda update: export_file(
                input_path, to, settings=settings, entities_path=ent if ent.is_file() else None))
        except TradexError as e:
            sys.stderr.write(f"{e}\n")  # one line, never wrapped
            raise typer.Exit(2) from e
        if not quiet:
            _err.print(f"export: {summary.line()} -> {summary.parquet_dir}, {summary.database}")
