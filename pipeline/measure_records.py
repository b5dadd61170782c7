"""The measure stage's output on a Doc to the record's `measures` and each quote's `about`."""

from __future__ import annotations

from typing import Any

from spacy.tokens import Doc

from models.records import MAST_CHAPTER, Item, Measure, MeasureProvenance, MeasureType, Party, Rate, Span
from pipeline.record_ids import span_ids


def _span(text: str, start: int, end: int) -> Span:
    return Span(text=text[start:end], start=start, end=end)


def _party(p: dict[str, Any] | None, entity_ids: list[str]) -> Party | None:
    if p is None:
        return None
    idx = p.get("mention_index")
    return Party(
        entity_id=entity_ids[idx] if idx is not None else None,
        canonical_id=p.get("canonical_id"),
        name=p["name"],
        label=p.get("label"),
        jurisdiction=p.get("jurisdiction"),
    )


def record_measures(
    doc: Doc, text: str, entity_ids: list[str], quote_ids: list[str]
) -> tuple[list[Measure], dict[tuple[int, int], list[str]]]:
    """Measures (the stage sorts them by first evidence; ids from their triggers) and, by quote content span,
    the ids its `about` lists. Mention and quote references are indexes into `entity_ids` / `quote_ids`
    (the start-sorted quotes)."""
    measures: list[Measure] = []
    found = doc._.trade_measures or []
    measure_ids = span_ids("m", (tuple(m["trigger"]) for m in found))
    for k, m in enumerate(found):
        mtype = MeasureType(m["type"])
        rate = m.get("rate")
        pol = m.get("policy")
        measures.append(
            Measure(
                id=measure_ids[k],
                type=mtype,
                mast_chapter=MAST_CHAPTER[mtype],
                status=m["status"],
                direction=m.get("direction"),
                actor=_party(m.get("actor"), entity_ids),
                targets=[p for p in (_party(t, entity_ids) for t in m.get("targets", [])) if p is not None],
                items=[
                    Item(
                        entity_id=entity_ids[it["mention_index"]] if it.get("mention_index") is not None else None,
                        canonical_id=it.get("canonical_id"),
                        text=_span(text, it["start"], it["end"]),
                    )
                    for it in m.get("items", [])
                ],
                policy=entity_ids[pol] if pol is not None else None,
                rate=None
                if rate is None
                else Rate(text=_span(text, rate["start"], rate["end"]), value=rate.get("value"), unit=rate["unit"]),
                announced=m.get("announced"),
                effective=m.get("effective"),
                trigger=_span(text, *m["trigger"]),
                evidence=[_span(text, s, e) for s, e in m.get("evidence", [])],
                quote_ids=[quote_ids[q] for q in m.get("quote_indexes", [])],
                provenance=MeasureProvenance(method=m["rule"], score=m["score"]),
            )
        )
    about: dict[tuple[int, int], list[str]] = {}
    for a in doc._.trade_quote_about or []:
        refs = [*(entity_ids[i] for i in a["mentions"]), *(measure_ids[i] for i in a["measures"])]
        about[(a["start"], a["end"])] = refs
    return measures, about
