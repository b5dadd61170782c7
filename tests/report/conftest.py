"""A report built once from the stored synthetic records plus hand-made records (measures, hostile text)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO

GOLDEN_RECORDS = REPO / "tests" / "golden" / "synthetic.model.jsonl"

HOSTILE_TEXT = ('Acme & Sons said on Monday: "We will not pay <b>any</b> tariff & duty." '
                'A spokesperson for the ministry said the <script>window.__pwned = 1;</script> ban starts in May.')
MEASURE_TEXT = ("Beijing on Tuesday imposed export controls on gallium and germanium, the Commerce Ministry said. "
                "The curbs take effect on Aug. 1, and Nyberg Metals said \"the controls will hurt buyers\".")


def _span(text: str, sub: str, nth: int = 0) -> dict[str, Any]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(sub, start + 1)
    return {"text": sub, "start": start, "end": start + len(sub)}


def _entity(text: str, sub: str, eid: str, label: str, cid: str | None, name: str, **attrs: Any) -> dict[str, Any]:
    return {**_span(text, sub), "id": eid, "label": label, "canonical_id": cid, "canonical_name": name,
            "attrs": attrs, "provenance": {"method": "rule", "rule": f"{label.lower()}.jsonl:7", "score": 1.0}}


def _source(path: str, title: str, published: str) -> dict[str, Any]:
    return {"path": path, "url": None, "publisher": "hand-made", "published": published, "title": title,
            "repairs": []}


PIPELINE = {"version": "test", "rules_version": "test", "model": None}


def hostile_record() -> dict[str, Any]:
    t = HOSTILE_TEXT
    acme = _entity(t, "Acme & Sons", "e1", "COMPANY", "company:~acme-sons", "Acme & Sons")
    return {
        "schema_version": "1", "doc_id": "hostile-<1>&\"x\"", "source": _source("hand/hostile.txt",
                                                                                  "Tags <i>and</i> & ampersands",
                                                                                  "2025-05-02"),
        "text": t, "entities": [acme],
        "quotes": [
            {**_span(t, "We will not pay <b>any</b> tariff & duty."), "id": "q1", "kind": "direct",
             "cue": _span(t, "said"),
             "speaker": {"mention": {k: acme[k] for k in ("text", "start", "end")}, "entity_id": "e1",
                         "name": "Acme & Sons", "canonical_id": "company:~acme-sons", "label": "COMPANY",
                         "title": None},
             "channel": None, "via": None, "provenance": {"method": "direct:pre", "score": 0.9}},
            {**_span(t, "the <script>window.__pwned = 1;</script> ban starts in May"), "id": "q2", "kind": "indirect",
             "cue": _span(t, "said", 1),
             "speaker": {"mention": _span(t, "A spokesperson for the ministry"), "entity_id": None,
                         "name": "a spokesperson for the ministry", "canonical_id": None, "label": None,
                         "title": "spokesperson"},
             "channel": "a statement", "via": "Reuters", "provenance": {"method": "indirect:parse", "score": 0.75}},
        ],
        "pipeline": PIPELINE,
    }


def measure_record() -> dict[str, Any]:
    t = MEASURE_TEXT
    ents = [
        _entity(t, "Beijing", "e1", "COUNTRY", "country:cn", "China", iso="CN"),
        _entity(t, "gallium", "e2", "MATERIAL", "material:gallium", "gallium"),
        _entity(t, "germanium", "e3", "MATERIAL", "material:germanium", "germanium"),
        _entity(t, "Commerce Ministry", "e4", "AGENCY", "agency:mofcom", "Ministry of Commerce of China"),
        _entity(t, "Nyberg Metals", "e5", "COMPANY", None, "Nyberg Metals"),
    ]
    sentence1 = _span(t, t[: t.index(". ") + 1])
    sentence2 = _span(t, t[t.index(". ") + 2:])
    quote = {**_span(t, "the controls will hurt buyers"), "id": "q1", "kind": "direct", "cue": _span(t, "said", 1),
             "speaker": {"mention": {k: ents[4][k] for k in ("text", "start", "end")}, "entity_id": "e5",
                         "name": "Nyberg Metals", "canonical_id": None, "label": "COMPANY", "title": None},
             "channel": None, "via": None, "about": ["m1"], "provenance": {"method": "direct:post", "score": 0.9}}
    party = {"entity_id": "e1", "canonical_id": "country:cn", "name": "China", "label": "COUNTRY",
             "jurisdiction": "CN"}
    measure = {
        "id": "m1", "type": "export_control", "mast_chapter": "P", "status": "in_force", "direction": "restrictive",
        "actor": party, "targets": [],
        "items": [{"entity_id": "e2", "canonical_id": "material:gallium", "text": _span(t, "gallium")},
                  {"entity_id": "e3", "canonical_id": "material:germanium", "text": _span(t, "germanium")}],
        "policy": None, "rate": None, "announced": "2025-07-08", "effective": "2025-08-01",
        "trigger": _span(t, "export controls"), "evidence": [sentence1, sentence2], "quote_ids": ["q1"],
        "provenance": {"method": "measure:export_control:1", "score": 0.8},
    }
    return {"schema_version": "1", "doc_id": "measure-001",
            "source": _source("hand/measure.txt", "China curbs gallium exports", "2025-07-08"),
            "text": t, "entities": ents, "quotes": [quote], "measures": [measure], "pipeline": PIPELINE,
            "duplicate_of": None, "dup_cluster": "dc:measure-001"}


def duplicate_record() -> dict[str, Any]:
    rec = measure_record()
    rec["doc_id"] = "measure-002"
    rec["source"]["published"] = "2025-07-09"
    rec["duplicate_of"] = "measure-001"
    return rec


@pytest.fixture(scope="session")
def report_input(tmp_path_factory) -> tuple[Path, list[dict[str, Any]]]:
    """records.jsonl (stored synthetic records + hand-made ones + one broken line) and its errors file."""
    folder = tmp_path_factory.mktemp("report-input")
    golden = [json.loads(line) for line in GOLDEN_RECORDS.read_text(encoding="utf-8").splitlines()]
    records = [hostile_record(), measure_record(), duplicate_record(), *golden]
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    lines.insert(3, '{"doc_id": "broken", "text": ')  # not JSON: a problem on the errors page, not a crash
    (folder / "records.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    errors = [{"source": "news/a.txt", "error_code": "TX101", "message": "empty text"},
              {"source": "news/b.jsonl#L4", "error_code": "TX103", "message": "bad <json> & worse"}]
    (folder / "records.errors.jsonl").write_text("".join(json.dumps(e) + "\n" for e in errors), encoding="utf-8")
    return folder / "records.jsonl", records


@pytest.fixture(scope="session")
def report_site(report_input, tmp_path_factory):
    """(site folder, summary, records) of the report built from `report_input`."""
    from pipeline.report import build_report

    path, records = report_input
    out = tmp_path_factory.mktemp("report-site") / "report"
    summary = build_report(path, out)
    return out, summary, records


def page_of(site: Path, doc_id: str) -> Path:
    from pipeline.report.site import slug

    return site / "articles" / f"{slug(doc_id)}.html"
