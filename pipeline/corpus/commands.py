"""CLI commands of the corpus stages (normalize, dedupe, export)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the corpus-stage commands to the `tradex` app."""
