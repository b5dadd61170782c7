"""CLI commands of evaluation and annotation (eval, annotate)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the eval/annotate commands to the `tradex` app."""
