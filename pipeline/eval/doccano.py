"""doccano JSONL, the second annotation format: one line per article, spans and relations as doccano's
sequence-labelling-with-relations projects import and export them.

Built on the Label Studio tasks (`pipeline.eval.labelstudio`): a task's regions become doccano `entities`
with labels `COMPANY` ... (mentions), `QUOTE:<kind>`, `CUE`, `SPEAKER`, `MEASURE:<type>` and `EVIDENCE`,
its relations keep their types (`speaker`, `cue`, `evidence`). doccano has no per-span fields, so the
canonical ids, groups, speaker names, channel, via and measure status go into the line's `tradex` field,
keyed by `start-end-label`: a span left as it was keeps them, a relabelled or redrawn span comes back
without them. Offsets are code points, as doccano stores them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pipeline.eval.labelstudio import ExportError, Imported, Offsets, gold_from_task

_PREFIX = {"quote": "QUOTE:", "measure": "MEASURE:"}
_ROLE = {"cue": "CUE", "speaker": "SPEAKER", "evidence": "EVIDENCE"}


def _label(control: str, label: str) -> str:
    if control == "role":
        return _ROLE.get(label, label.upper())
    return _PREFIX.get(control, "") + label


def _control(label: str) -> tuple[str, str]:
    for control, prefix in _PREFIX.items():
        if label.startswith(prefix):
            return control, label[len(prefix):]
    for role, name in _ROLE.items():
        if label == name:
            return "role", role
    return "entity", label


def line_from_task(task: dict[str, Any]) -> dict[str, Any]:
    """A doccano line from a Label Studio task (its pre-annotations, else its latest annotation)."""
    data = task["data"]
    text = data["text"]
    offsets = Offsets(text)
    source = (task.get("predictions") or task.get("annotations") or [{}])[-1].get("result") or []
    ids: dict[str, int] = {}
    entities: list[dict[str, Any]] = []
    relations: list[dict[str, Any]] = []
    fields: dict[str, dict[str, str]] = {}
    keys: dict[str, str] = {}
    for item in source:
        if item.get("type") != "labels":
            continue
        v = item["value"]
        start, end = offsets.to_py(v["start"]), offsets.to_py(v["end"])
        label = _label(item["from_name"], v["labels"][0])
        ids[item["id"]] = len(ids) + 1
        keys[item["id"]] = f"{start}-{end}-{label}"
        entities.append({"id": ids[item["id"]], "label": label, "start_offset": start, "end_offset": end})
    for item in source:
        if item.get("type") in ("textarea", "choices") and item["id"] in keys:
            value = (item["value"].get("text") or item["value"].get("choices") or [None])[0]
            if value:
                fields.setdefault(keys[item["id"]], {})[item["from_name"]] = value
        elif item.get("type") == "relation" and item["from_id"] in ids and item["to_id"] in ids:
            relations.append({"id": len(relations) + 1, "from_id": ids[item["from_id"]],
                              "to_id": ids[item["to_id"]], "type": (item.get("labels") or ["speaker"])[0]})
    return {"text": text, "title": data.get("title"), "entities": entities, "relations": relations,
            "tradex": {**data.get("tradex", {}), "fields": fields}}


def task_from_line(line: dict[str, Any]) -> dict[str, Any]:
    """The Label Studio task (with the line as its submitted annotation) that a doccano line stands for."""
    text = line.get("text")
    if not isinstance(text, str):
        raise ValueError("text is missing")
    meta = line.get("tradex") or (line.get("meta") or {}).get("tradex") or {}
    if isinstance(meta, str):  # doccano may hand metadata back as a JSON string
        meta = json.loads(meta)
    fields = meta.get("fields") or {}
    offsets = Offsets(text)
    rid: dict[Any, str] = {}
    result: list[dict[str, Any]] = []
    spans = line.get("entities")
    if spans is None:  # the plain sequence-labelling format: "label": [[start, end, label], ...]
        spans = [{"id": i, "start_offset": s, "end_offset": e, "label": lab}
                 for i, (s, e, lab) in enumerate(line.get("label") or [])]
    for ent in spans:
        start, end, label = ent["start_offset"], ent["end_offset"], ent["label"]
        control, value = _control(label)
        rid[ent["id"]] = f"r{ent['id']}"
        js = {"start": offsets.to_js(start), "end": offsets.to_js(end)}
        result.append({"id": rid[ent["id"]], "from_name": control, "to_name": "text", "type": "labels",
                       "value": {**js, "text": text[start:end], "labels": [value]}})
        for name, val in (fields.get(f"{start}-{end}-{label}") or {}).items():
            kind = "choices" if name in ("status", "direction") else "textarea"
            result.append({"id": rid[ent["id"]], "from_name": name, "to_name": "text", "type": kind,
                           "value": {**js, ("choices" if kind == "choices" else "text"): [val]}})
    for rel in line.get("relations") or []:
        if rel.get("from_id") in rid and rel.get("to_id") in rid:
            result.append({"type": "relation", "from_id": rid[rel["from_id"]], "to_id": rid[rel["to_id"]],
                           "labels": [rel["type"]] if rel.get("type") else []})
    data = {"text": text, "title": line.get("title"), "tradex": {k: v for k, v in meta.items() if k != "fields"}}
    return {"id": line.get("id"), "data": data, "annotations": [{"result": result, "was_cancelled": False}]}


def write_lines(path: Path, tasks: Sequence[dict[str, Any]]) -> None:
    from pipeline.files import atomic_write_lines

    atomic_write_lines(path, (json.dumps(line_from_task(t), ensure_ascii=False) for t in tasks))


def read_lines(path: Path, *, split: str = "dev") -> Imported:
    """Gold articles of a doccano JSONL export; ExportError lists every bad line."""
    out = Imported()
    problems: list[str] = []
    with Path(path).open(encoding="utf-8") as fh:
        for n, raw in enumerate(fh, 1):
            if not raw.strip():
                continue
            where = f"{path}:L{n}"
            try:
                line = json.loads(raw)
                out.articles.append(gold_from_task(task_from_line(line), split=split))
            except (ValueError, KeyError, TypeError) as e:  # JSON and pydantic errors are ValueErrors
                problems.append(f"{where}: {str(e)[:300]}")
    if problems:
        raise ExportError(problems)
    return out
