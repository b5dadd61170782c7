"""The measure stage's output on a Doc to the record's `measures` and each quote's `about`."""

from __future__ import annotations

from typing import Any

from spacy.tokens import Doc

from models.records import MAST_CHAPTER, Item, Measure, MeasureProvenance, MeasureType, Party, Rate, Span


def _span(text: str, start: int, end: int) -> Span:
    return Span(text=text[start:end], start=start, end=end)


def _party(p: dict[str, Any] | None) -> Party | None:
    if p is None:
        return None
    idx = p.get("mention_index")
    return Party(
        entity_id=f"e{idx + 1}" if idx is not None else None,
        canonical_id=p.get("canonical_id"),
        name=p["name"],
        label=p.get("label"),
        jurisdiction=p.get("jurisdiction"),
    )


def record_measures(doc: Doc, text: str) -> tuple[list[Measure], dict[tuple[int, int], list[str]]]:
    """Measures `m1..mN` (the stage sorts them by first evidence) and, by quote content span, the ids its
    `about` lists. Quote references are indexes into the start-sorted quotes, ids `q{k+1}`."""
    measures: list[Measure] = []
    for k, m in enumerate(doc._.trade_measures or [], 1):
        mtype = MeasureType(m["type"])
        rate = m.get("rate")
        pol = m.get("policy")
        measures.append(
            Measure(
                id=f"m{k}",
                type=mtype,
                mast_chapter=MAST_CHAPTER[mtype],
                status=m["status"],
                direction=m.get("direction"),
                actor=_party(m.get("actor")),
                targets=[p for p in (_party(t) for t in m.get("targets", [])) if p is not None],
                items=[
                    Item(
                        entity_id=f"e{it['mention_index'] + 1}" if it.get("mention_index") is not None else None,
                        canonical_id=it.get("canonical_id"),
                        text=_span(text, it["start"], it["end"]),
                    )
                    for it in m.get("items", [])
                ],
                policy=f"e{pol + 1}" if pol is not None else None,
                rate=None
                if rate is None
                else Rate(text=_span(text, rate["start"], rate["end"]), value=rate.get("value"), unit=rate["unit"]),
                announced=m.get("announced"),
                effective=m.get("effective"),
                trigger=_span(text, *m["trigger"]),
                evidence=[_span(text, s, e) for s, e in m.get("evidence", [])],
                quote_ids=[f"q{q + 1}" for q in m.get("quote_indexes", [])],
                provenance=MeasureProvenance(method=m["rule"], score=m["score"]),
            )
        )
    about: dict[tuple[int, int], list[str]] = {}
    for a in doc._.trade_quote_about or []:
        about[(a["start"], a["end"])] = [*(f"e{i + 1}" for i in a["mentions"]), *(f"m{i + 1}" for i in a["measures"])]
    return measures, about
