"""`PackBacked`: a stage built from the rule packs, which it saves with the pipeline and reads back.

Like spaCy's own rulers, the stages carry their data: `nlp.to_disk` writes the packs each was built from
(`packs.json`, the validated entries with their provenance and the lexicons), and `spacy.load` of that
folder rebuilds the stage from them, so a saved pipeline loads on a machine without the rules folders its
config names. A stage reads the folders only when it is first used without having been loaded from disk.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import srsly
from spacy.util import ensure_path

from pipeline.rules.packs import RulePacks, cached_packs, packs_from_json, packs_to_json

PACKS_FILE = "packs.json"


class PackBacked:
    """Mixin of the entity, quote and measure stages: `build(packs)` makes the stage's lookups."""

    rules_dirs: tuple[str, ...] = ()
    _packs: RulePacks | None = None

    def build(self, packs: RulePacks) -> None:
        raise NotImplementedError

    def use_packs(self, packs: RulePacks) -> None:
        self._packs = packs
        self.build(packs)

    def ensure_packs(self) -> None:
        """Build from the configured folders, unless built already (from them, or from disk)."""
        if self._packs is None:
            self.use_packs(cached_packs(self.rules_dirs))

    def to_disk(self, path: str | Path, *, exclude: Any = ()) -> None:
        self.ensure_packs()
        assert self._packs is not None
        folder = ensure_path(path)
        folder.mkdir(parents=True, exist_ok=True)
        srsly.write_json(folder / PACKS_FILE, packs_to_json(self._packs))

    def from_disk(self, path: str | Path, *, exclude: Any = ()) -> PackBacked:
        self.use_packs(packs_from_json(srsly.read_json(ensure_path(path) / PACKS_FILE)))
        return self
