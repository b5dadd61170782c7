"""The `tradex report` command. Thin: it calls `build_report`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

_err = Console(stderr=True, soft_wrap=True)


def register(app: typer.Typer) -> None:
    """Add `report` to the `tradex` app."""

    @app.command()
    def report(
        input_path: Annotated[Path, typer.Argument(help="Records JSONL (records, normalized or deduped) or a run's "
                                                   "output folder.")],
        output: Annotated[Path, typer.Option("--output", "-o", help="Folder to write the site into "
                                             "(replaced as a whole if it holds an earlier report).")],
        errors: Annotated[Path | None, typer.Option("--errors", help="Errors file to list (default: the one "
                                                    "beside the records).")] = None,
        quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No summary on stderr.")] = False,
    ) -> None:
        """Write a static review site (index, one page per article, speaker and entity, errors): open
        OUTPUT/index.html from the file system, no server or network needed.

        Exit status: 0 written, 1 written but some records lines could not be shown, 2 usage error.
        """
        from pipeline.report import ReportInputError, ReportOutputError, build_report

        try:
            summary = build_report(input_path, output, errors=errors)
        except (ReportInputError, ReportOutputError) as e:
            _err.print(f"[red]TX300 {e}[/red]", highlight=False)
            raise typer.Exit(2) from e
        if not quiet:
            _err.print(summary.line(), highlight=False)
        raise typer.Exit(1 if summary.problems else 0)
