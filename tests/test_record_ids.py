"""Mention, quote and measure ids come from their spans: a pack entry added elsewhere in the article leaves
every other id, and every reference to it, as it was."""

from __future__ import annotations

import json
from pathlib import Path

from pipeline import extract
from pipeline.record_ids import span_ids

TEXT = ("Caldera Metals said on Monday it would stop shipping gallium to Kestrel Mining. "
        "\u201cWe have no choice,\u201d said Ana Ruiz, the chief executive of Caldera Metals. "
        "Washington imposed export controls on gallium in May, the Commerce Department said.")


def test_span_ids_are_offsets_and_a_repeat_gets_a_suffix() -> None:
    assert span_ids("e", [(0, 6), (10, 12), (0, 6)]) == ["e0-6", "e10-12", "e0-6.2"]


def test_adding_a_pack_entry_elsewhere_keeps_every_other_id(tmp_path: Path) -> None:
    (before,) = extract([TEXT], model="none")
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "company.jsonl").write_text(json.dumps(
        {"id": "company:kestrel-mining", "name": "Kestrel Mining", "country": "CA"}) + "\n", encoding="utf-8")
    (after,) = extract([TEXT], model="none", rules_dirs=[rules])
    ids_before = {e.id: (e.start, e.end) for e in before.entities}
    ids_after = {e.id: (e.start, e.end) for e in after.entities}
    assert all(ids_after.get(i) == span for i, span in ids_before.items() if "Kestrel" not in TEXT[span[0]:span[1]])
    assert all(e.id == f"e{e.start}-{e.end}" for e in after.entities)
    assert [q.id for q in after.quotes] == [q.id for q in before.quotes]
    assert [q.speaker.entity_id if q.speaker else None for q in after.quotes] == [
        q.speaker.entity_id if q.speaker else None for q in before.quotes]
    assert all(m.id == f"m{m.trigger.start}-{m.trigger.end}" for m in after.measures)
