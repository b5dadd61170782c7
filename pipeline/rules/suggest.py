"""`tradex rules suggest OUTPUT_DIR`: pack entries proposed from the entities a run discovered.

A run's normalize stage gives every mention the packs do not know a discovered id (`company:~harbor-ridge`)
and lists it in `entities.jsonl`. This turns those rows into pack entries to edit: the id without `~`, the
name, the aliases seen, and, as a `//` comment line above the entry (pack files skip such lines), how often
and in how many articles it was seen and two example contexts. Written one file per label into a folder, the
result can be checked with `tradex rules validate FOLDER` and used with `--rules FOLDER`; once it is, the
next normalize gives those mentions the pack id, and export's `id_map` maps the old `~` id to it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from models.records import Label
from pipeline.corpus import read_records
from pipeline.corpus.normalize import read_entities
from pipeline.files import atomic_write_lines

CONTEXT_CHARS = 60
EXAMPLES = 2


@dataclass
class Suggestion:
    entry: dict[str, object]
    label: Label
    mentions: int
    articles: int
    examples: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        shown = " | ".join(self.examples)
        head = f"// seen {self.mentions} times in {self.articles} articles: {shown}"
        return [head, json.dumps(self.entry, ensure_ascii=False)]


def _context(text: str, start: int, end: int) -> str:
    left = " ".join(text[max(0, start - CONTEXT_CHARS) : start].split())
    right = " ".join(text[end : end + CONTEXT_CHARS].split())
    gap = " " if text[end : end + 1].isspace() else ""
    return f"…{left} [{' '.join(text[start:end].split())}]{gap}{right}…"


def suggest(run_dir: Path, *, min_mentions: int = 1) -> list[Suggestion]:
    """Suggestions for the discovered entities of the run in `run_dir`, most mentioned first."""
    run_dir = Path(run_dir)
    rows = [r for r in read_entities(run_dir / "entities.jsonl") if r.discovered and r.mentions >= min_mentions]
    wanted = {r.id: r for r in rows}
    examples: dict[str, list[str]] = {r.id: [] for r in rows}
    vendors: dict[str, str] = {}
    records = run_dir / "normalized.jsonl"
    for rec in (read_records(records) if records.exists() else []):
        for e in rec.entities:
            if e.canonical_id in wanted:
                if len(examples[e.canonical_id]) < EXAMPLES:
                    examples[e.canonical_id].append(_context(rec.text, e.start, e.end))
                vendor = e.attrs.get("vendor")
                if isinstance(vendor, str):
                    vendors.setdefault(e.canonical_id, vendor)
    out = []
    for r in sorted(rows, key=lambda r: (-r.mentions, r.id)):
        entry: dict[str, object] = {"id": r.id.replace(":~", ":", 1), "name": r.name}
        aliases = [a for a in r.aliases if a != r.name]
        if aliases:
            entry["aliases"] = aliases
        if r.label is Label.CHIP:
            entry["vendor"] = vendors.get(r.id, "company:EDIT-ME")
        if r.label is Label.COUNTRY:
            entry["iso"] = "EDIT-ME"
        out.append(Suggestion(entry, r.label, r.mentions, r.articles, examples[r.id]))
    return out


def suggestion_lines(suggestions: list[Suggestion]) -> Iterator[str]:
    for s in suggestions:
        yield from s.lines()


def write_suggestions(folder: Path, suggestions: list[Suggestion]) -> dict[str, int]:
    """One pack file per label in `folder`; returns entries per file."""
    counts: dict[str, int] = {}
    for label in Label:
        mine = [s for s in suggestions if s.label is label]
        if mine:
            name = f"{label.value.lower()}.jsonl"
            atomic_write_lines(Path(folder) / name, suggestion_lines(mine))
            counts[name] = len(mine)
    return counts
