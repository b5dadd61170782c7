"""Corpus-level stages: normalize, dedupe, export."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from pipeline.settings import Settings


def run_corpus_stages(records: Path, out_dir: Path, *, settings: Settings) -> Iterator[str]:
    """Run the corpus stages named in `settings.stages` after extract; yield one summary line each."""
    return iter(())
