"""Label Studio round trip: tradex records or gold -> tasks with pre-annotations -> an export -> gold.

A task is one article. Its `data` holds the text (what Label Studio shows), the title and, under `tradex`,
what the gold file needs back: doc id, split, origin, notes and, for a text from the shared folder, its
`text_ref` (path, id, sha256) so the import writes stand-off gold again. The results use the controls of
`label_config()`:

- `entity` (Labels, one value per tradex label) on every mention; per-region text areas `canonical_id` and
  `group`;
- `quote` (Labels: direct, partial, mixed, indirect) on every quote; per-region text areas `speaker_name`,
  `speaker_id`, `channel`, `via`;
- `role` (Labels: cue, speaker) on a cue, and on a speaker mention that is no entity mention;
- relations from a quote to its speaker's mention (`speaker`) and to its cue (`cue`);
- `measure` (Labels, one value per measure type) on a measure's trigger, per-region choices `status` and
  `direction`, and `role` `evidence` regions linked from the trigger by `evidence` relations.

Label Studio counts offsets in UTF-16 code units (JavaScript strings), Python in code points: `Offsets`
converts both ways, so a text with characters outside the BMP keeps its spans.
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from models.gold import GoldArticle
from models.records import ArticleRecord, Entity, ErrorRecord, Quote, Speaker
from pipeline.eval.annotate import gold_from_record
from pipeline.eval.gold import sha256_text
from pipeline.report.style import LABEL_COLOURS, MEASURE_TYPES, QUOTE_COLOURS

STATUSES = ["in_force", "announced", "proposed", "threatened", "suspended", "revoked"]
DIRECTIONS = ["restrictive", "liberalising"]
ROLES = {"cue": "#0f172a", "speaker": "#64748b", "evidence": "#fca5a5"}
TEXT_AREAS = {"canonical_id": "entity", "group": "entity", "speaker_name": "quote", "speaker_id": "quote",
              "speaker_label": "quote", "speaker_title": "quote", "channel": "quote", "via": "quote",
              "measure_fields": "measure"}


class ExportError(ValueError):
    """A Label Studio export that cannot become gold; `problems` names the task of each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems[:5]))
        self.problems = problems


def label_config() -> str:
    """The labelling config (XML) that matches the tasks' results."""
    def labels(name: str, values: Iterable[tuple[str, str]]) -> str:
        inner = "\n".join(f'    <Label value="{escape(v)}" background="{c}"/>' for v, c in values)
        return f'  <Labels name="{name}" toName="text">\n{inner}\n  </Labels>'

    def area(name: str, placeholder: str) -> str:
        return (f'    <TextArea name="{name}" toName="text" perRegion="true" editable="true" maxSubmissions="1" '
                f'rows="1" placeholder="{placeholder}"/>')

    def choices(name: str, values: list[str]) -> str:
        inner = "".join(f'<Choice value="{v}"/>' for v in values)
        return f'    <Choices name="{name}" toName="text" perRegion="true" choice="single">{inner}</Choices>'

    return "\n".join([
        "<View>",
        '  <Header value="$title"/>',
        labels("entity", ((lab, LABEL_COLOURS[lab][1]) for lab in LABEL_COLOURS)),
        labels("quote", QUOTE_COLOURS.items()),
        labels("role", ROLES.items()),
        labels("measure", ((t, "#dc2626") for t in MEASURE_TYPES)),
        '  <Text name="text" value="$text" granularity="symbol"/>',
        '  <Relations>\n    <Relation value="speaker"/>\n    <Relation value="cue"/>\n'
        '    <Relation value="evidence"/>\n  </Relations>',
        '  <View visibleWhen="region-selected" whenTagName="entity">',
        area("canonical_id", "canonical id (e.g. company:nvidia), empty when the packs do not know it"),
        area("group", "same-entity key for mentions without a canonical id"),
        "  </View>",
        '  <View visibleWhen="region-selected" whenTagName="quote">',
        area("speaker_name", "speaker's resolved full name"),
        area("speaker_id", "speaker's canonical id"),
        area("speaker_label", "speaker's entity label (PERSON, AGENCY ...)"),
        area("speaker_title", "speaker's title as the article gives it"),
        area("channel", "channel (told CNBC, a statement)"),
        area("via", "outlet the article cites"),
        "  </View>",
        '  <View visibleWhen="region-selected" whenTagName="measure">',
        choices("status", STATUSES),
        choices("direction", DIRECTIONS),
        area("measure_fields", "actor, targets, items, policy, rate, dates (JSON)"),
        "  </View>",
        "</View>",
        "",
    ])


class Offsets:
    """Code-point offsets <-> UTF-16 offsets of one text (identity when it has no astral characters)."""

    def __init__(self, text: str) -> None:
        self.astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]

    def to_js(self, i: int) -> int:
        return i + bisect.bisect_left(self.astral, i)

    def to_py(self, j: int) -> int:
        lo, hi = 0, len(self.astral)
        # the code-point index i with to_js(i) == j: i = j - (astral characters before i)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.astral[mid] + mid < j:
                lo = mid + 1
            else:
                hi = mid
        return j - lo


# --------------------------------------------------------------------------------------------- export
@dataclass
class _Results:
    text: str
    offsets: Offsets
    items: list[dict[str, Any]] = field(default_factory=list)
    by_span: dict[tuple[str, int, int], str] = field(default_factory=dict)
    regions: dict[str, dict[str, Any]] = field(default_factory=dict)

    def region(self, rid: str, control: str, label: str, start: int, end: int, score: float | None = None,
               *, shared: bool = True) -> str:
        """A labelled region; one per (control, span) when `shared` (a cue or speaker that several quotes
        point at), a region of its own otherwise (two measures may share a trigger)."""
        key = (control, start, end)
        if shared and key in self.by_span:
            return self.by_span[key]
        self.by_span.setdefault(key, rid)
        item: dict[str, Any] = {"id": rid, "from_name": control, "to_name": "text", "type": "labels",
                                "value": {"start": self.offsets.to_js(start), "end": self.offsets.to_js(end),
                                          "text": self.text[start:end], "labels": [label]}}
        if score is not None:
            item["score"] = score
        self.items.append(item)
        self.regions[rid] = item
        return rid

    def extra(self, rid: str, control: str, kind: str, value: str | None) -> None:
        if value in (None, ""):
            return
        region = self.regions[rid]
        v = {"start": region["value"]["start"], "end": region["value"]["end"],
             ("text" if kind == "textarea" else "choices"): [value]}
        self.items.append({"id": rid, "from_name": control, "to_name": "text", "type": kind, "value": v})

    def relation(self, a: str, b: str, label: str) -> None:
        self.items.append({"type": "relation", "from_id": a, "to_id": b, "direction": "right", "labels": [label]})


def _results(gold: GoldArticle, text: str, measures: Sequence[dict[str, Any]] = (),
             scores: dict[tuple[str, int, int], float] | None = None) -> list[dict[str, Any]]:
    res = _Results(text, Offsets(text))
    scores = scores or {}
    entity_at: dict[tuple[int, int], str] = {}
    for i, e in enumerate(gold.entities):
        rid = res.region(f"e{i}", "entity", e.label.value, e.start, e.end, scores.get(("entity", e.start, e.end)))
        entity_at.setdefault((e.start, e.end), rid)
        res.extra(rid, "canonical_id", "textarea", e.canonical_id)
        res.extra(rid, "group", "textarea", e.group)
    for i, q in enumerate(gold.quotes):
        rid = res.region(f"q{i}", "quote", q.kind.value, q.start, q.end, scores.get(("quote", q.start, q.end)))
        if q.cue is not None:
            res.relation(rid, res.region(f"c{i}", "role", "cue", q.cue.start, q.cue.end), "cue")
        sp = q.speaker
        if sp is not None:
            if sp.mention is not None:
                span = (sp.mention.start, sp.mention.end)
                target = entity_at.get(span) or res.region(f"s{i}", "role", "speaker", *span)
                res.relation(rid, target, "speaker")
            res.extra(rid, "speaker_name", "textarea", sp.name)
            res.extra(rid, "speaker_id", "textarea", sp.canonical_id)
            res.extra(rid, "speaker_label", "textarea", sp.label.value if sp.label else None)
            res.extra(rid, "speaker_title", "textarea", sp.title)
        res.extra(rid, "channel", "textarea", q.channel)
        res.extra(rid, "via", "textarea", q.via)
    for i, m in enumerate(measures):
        trig = m.get("trigger") or {}
        if not isinstance(trig.get("start"), int) or not isinstance(trig.get("end"), int):
            continue
        score = (m.get("provenance") or {}).get("score")
        rid = res.region(f"m{i}", "measure", str(m.get("type")), trig["start"], trig["end"], score, shared=False)
        res.extra(rid, "status", "choices", m.get("status"))
        res.extra(rid, "direction", "choices", m.get("direction"))
        if m.get("provenance") is None:  # gold: the fields the regions do not carry travel as JSON
            rest = {k: v for k, v in m.items() if k not in _SPAN_FIELDS}
            res.extra(rid, MEASURE_FIELDS, "textarea", json.dumps(rest, ensure_ascii=False, sort_keys=True))
        for j, ev in enumerate(m.get("evidence") or []):
            res.relation(rid, res.region(f"m{i}v{j}", "role", "evidence", ev["start"], ev["end"]), "evidence")
    return res.items


MEASURE_FIELDS = "measure_fields"  # the text area holding a measure's other fields as JSON (editable)
_SPAN_FIELDS = ("type", "status", "direction", "trigger", "evidence")  # carried by the region itself


def gold_measure_dicts(gold: GoldArticle) -> list[dict[str, Any]]:
    """A gold article's measures in the record shape `_results` reads (trigger and evidence as spans)."""
    return [m.model_dump(mode="json", exclude_none=False) for m in gold.measures or []]


def _measure_from(region: dict[str, Any], extras: dict[str, str], evidence: list[dict[str, Any]],
                  span: Any) -> dict[str, Any]:
    fields = json.loads(extras.get(MEASURE_FIELDS) or "{}")
    return {**fields, "type": region["label"], "status": extras.get("status"),
            "direction": extras.get("direction"), "trigger": span(region),
            "evidence": sorted((span(e) for e in evidence), key=lambda e: e["start"])}


def _data(gold: GoldArticle, text: str, title: str | None) -> dict[str, Any]:
    meta: dict[str, Any] = {"doc_id": gold.doc_id, "split": gold.split, "origin": gold.origin, "notes": gold.notes,
                            "text_ref": gold.text_ref.model_dump() if gold.text_ref else None,
                            "measures_annotated": gold.measures is not None}
    return {"text": text, "title": title or gold.doc_id, "doc_id": gold.doc_id, "tradex": meta}


def task_from_gold(gold: GoldArticle, text: str, *, as_prediction: bool = True, title: str | None = None,
                   measures: Sequence[dict[str, Any]] = (), model_version: str = "gold",
                   scores: dict[tuple[str, int, int], float] | None = None) -> dict[str, Any]:
    """One Label Studio task: the gold (or a draft) as pre-annotations, or as a finished annotation."""
    results = _results(gold, text, measures or gold_measure_dicts(gold), scores)
    task: dict[str, Any] = {"data": _data(gold, text, title)}
    if as_prediction:
        task["predictions"] = [{"model_version": model_version, "result": results}]
    else:
        task["annotations"] = [{"result": results, "was_cancelled": False}]
    return task


def record_model(rec: dict[str, Any]) -> ArticleRecord:
    """A record dict as `ArticleRecord`, fields newer than the model (`measures`, `about`, ...) left out."""
    def keep(d: dict[str, Any], model: Any) -> dict[str, Any]:
        return {k: v for k, v in d.items() if k in model.model_fields}

    d = keep(rec, ArticleRecord)
    d["entities"] = [keep(e, Entity) for e in rec.get("entities") or []]
    quotes = []
    for q in rec.get("quotes") or []:
        q = keep(q, Quote)
        if q.get("speaker"):
            q["speaker"] = keep(q["speaker"], Speaker)
        quotes.append(q)
    d["quotes"] = quotes
    return ArticleRecord.model_validate(d)


def task_from_record(rec: dict[str, Any], *, shared: Path, split: str) -> dict[str, Any]:
    """A task with the record's entities, quotes (speaker relations) and measures as pre-annotations."""
    model = record_model(rec)
    gold = gold_from_record(model, shared=shared, split=split)
    scores: dict[tuple[str, int, int], float] = {}
    for e in model.entities:
        scores[("entity", e.start, e.end)] = e.provenance.score
    for q in model.quotes:
        scores[("quote", q.start, q.end)] = q.provenance.score
    info = model.pipeline
    version = f"tradex {info.version} ({info.model or 'rules only'}, rules {info.rules_version})"
    return task_from_gold(gold, model.text, title=model.source.title, measures=rec.get("measures") or [],
                          model_version=version, scores=scores)


def write_tasks(path: Path, tasks: Sequence[dict[str, Any]]) -> Path:
    """Write the tasks (JSON list) and the labelling config beside them; returns the config's path."""
    from pipeline.files import atomic_write_lines

    path = Path(path)
    body = json.dumps(list(tasks), ensure_ascii=False, indent=1)
    atomic_write_lines(path, [body])
    config = config_path_for(path)
    atomic_write_lines(config, [label_config().rstrip("\n")])
    return config


def config_path_for(tasks: Path) -> Path:
    name = tasks.name.removesuffix(".json")
    return tasks.with_name(f"{name}.label_config.xml")


# --------------------------------------------------------------------------------------------- import
def _annotation(task: dict[str, Any]) -> dict[str, Any] | None:
    """The task's latest annotation that was not cancelled (export order is creation order)."""
    done = [a for a in task.get("annotations") or [] if not a.get("was_cancelled")]
    return done[-1] if done else None


def _text_of(item: dict[str, Any]) -> str | None:
    v = item.get("value") or {}
    for key in ("text", "choices"):
        vals = v.get(key)
        if isinstance(vals, list) and vals and isinstance(vals[0], str) and vals[0].strip():
            return vals[0].strip()
    return None


def gold_from_task(task: dict[str, Any], *, split: str = "dev") -> GoldArticle:
    """One gold article from an annotated task (ValueError/ValidationError when it cannot be one)."""
    data = task.get("data") or {}
    text = data.get("text")
    if not isinstance(text, str):
        raise ValueError("data.text is missing")
    ann = _annotation(task)
    if ann is None:
        raise LookupError("no submitted annotation")
    meta = data.get("tradex") or {}
    offsets = Offsets(text)
    regions: dict[str, dict[str, Any]] = {}
    extras: dict[str, dict[str, str]] = {}
    relations: list[dict[str, Any]] = []
    for item in ann.get("result") or []:
        kind = item.get("type")
        if kind == "relation":
            relations.append(item)
        elif kind == "labels":
            v = item["value"]
            labels = v.get("labels") or []
            if not labels:
                raise ValueError(f"region {item.get('id')} has no label")
            regions[item["id"]] = {"control": item.get("from_name"), "label": labels[0],
                                   "start": offsets.to_py(v["start"]), "end": offsets.to_py(v["end"])}
        elif kind in ("textarea", "choices"):
            value = _text_of(item)
            if value is not None:
                extras.setdefault(item["id"], {})[item.get("from_name", "")] = value
    inline = meta.get("text_ref") is None

    def span(r: dict[str, Any]) -> dict[str, Any]:
        d: dict[str, Any] = {"start": r["start"], "end": r["end"]}
        if inline:
            d["text"] = text[r["start"]:r["end"]]
        return d

    def linked(rid: str, what: str) -> dict[str, Any] | None:
        for rel in relations:
            if rel.get("from_id") != rid or rel.get("to_id") not in regions:
                continue
            target = regions[rel["to_id"]]
            labels = rel.get("labels") or []
            # a relation drawn without a label is read from its target: a cue region, else a speaker
            name = labels[0] if labels else ("cue" if target["label"] == "cue" else "speaker")
            if name == what:
                return target
        return None

    entities: list[dict[str, Any]] = []
    quotes: list[dict[str, Any]] = []
    measures: list[dict[str, Any]] = []
    for rid, r in regions.items():
        ex = extras.get(rid, {})
        if r["control"] == "entity":
            entities.append({**span(r), "label": r["label"], "canonical_id": ex.get("canonical_id"),
                             "group": ex.get("group")})
        elif r["control"] == "quote":
            q: dict[str, Any] = {**span(r), "kind": r["label"], "cue": None, "speaker": None,
                                 "channel": ex.get("channel"), "via": ex.get("via")}
            cue = linked(rid, "cue")
            if cue is not None:
                q["cue"] = span(cue)
            mention = linked(rid, "speaker")
            if mention is not None or ex.get("speaker_name") or ex.get("speaker_id"):
                q["speaker"] = {"mention": span(mention) if mention else None, "name": ex.get("speaker_name"),
                                "canonical_id": ex.get("speaker_id")}
                for name in ("label", "title"):
                    if ex.get(f"speaker_{name}"):
                        q["speaker"][name] = ex[f"speaker_{name}"]
            quotes.append(q)
        elif r["control"] == "measure":
            evidence = [regions[rel["to_id"]] for rel in relations
                        if rel.get("from_id") == rid and rel.get("to_id") in regions
                        and (rel.get("labels") or ["evidence"])[0] == "evidence"]
            measures.append(_measure_from(r, ex, evidence, span))
    entities.sort(key=lambda e: (e["start"], e["end"], e["label"]))
    quotes.sort(key=lambda q: (q["start"], q["end"]))
    doc_id = meta.get("doc_id") or data.get("doc_id") or f"task-{task.get('id')}"
    gold: dict[str, Any] = {"doc_id": str(doc_id), "split": meta.get("split") or split,
                            "origin": meta.get("origin") or "synthetic", "text": text if inline else None,
                            "text_ref": None, "entities": entities, "quotes": quotes, "notes": meta.get("notes")}
    if meta.get("measures_annotated") or measures:
        measures.sort(key=lambda m: m["evidence"][0]["start"] if m["evidence"] else m["trigger"]["start"])
        gold["measures"] = measures
    if not inline:
        ref = dict(meta["text_ref"])
        sha = sha256_text(text)
        if ref.get("sha256") and ref["sha256"] != sha:
            raise ValueError("data.text differs from the text the task was made from (text_ref.sha256)")
        gold["text_ref"] = {"path": ref["path"], "id": ref.get("id"), "sha256": sha}
    return GoldArticle.model_validate(gold)


@dataclass
class Imported:
    articles: list[GoldArticle] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # tasks without a submitted annotation


def read_export(path: Path, *, split: str = "dev") -> Imported:
    """Gold articles of a Label Studio JSON export; ExportError lists every task that is wrong."""
    try:
        tasks = json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as e:
        raise ExportError([f"{path}: not valid JSON: {e.msg} (line {e.lineno})"]) from e
    if not isinstance(tasks, list):
        raise ExportError([f"{path}: a Label Studio JSON export is a list of tasks"])
    out = Imported()
    problems: list[str] = []
    seen: dict[str, int] = {}
    for n, task in enumerate(tasks, 1):
        name = f"{path}: task {n}"
        if not isinstance(task, dict):
            problems.append(f"{name}: not an object")
            continue
        doc = ((task.get("data") or {}).get("tradex") or {}).get("doc_id") or (task.get("data") or {}).get("doc_id")
        name += f" ({doc})" if doc else ""
        try:
            art = gold_from_task(task, split=split)
        except LookupError as e:
            out.skipped.append(f"{name}: {e}")
            continue
        except ValidationError as e:
            first = e.errors()[0]
            loc = ".".join(str(x) for x in first["loc"])
            problems.append(f"{name}: {loc}: {first['msg']} ({e.error_count()} error(s))")
            continue
        except (ValueError, KeyError, TypeError) as e:
            problems.append(f"{name}: {e}")
            continue
        if art.doc_id in seen:
            problems.append(f"{name}: doc {art.doc_id} repeats task {seen[art.doc_id]}")
        seen[art.doc_id] = n
        out.articles.append(art)
    if problems:
        raise ExportError(problems)
    return out


def gold_line(article: GoldArticle) -> str:
    """A gold line in the format of corpus/gold (every field, as json.dumps writes it)."""
    return json.dumps(article.model_dump(mode="json"), ensure_ascii=False)



# ----------------------------------------------------------------------------------------------- inputs
@dataclass
class Tasks:
    tasks: list[dict[str, Any]] = field(default_factory=list)
    errors: list[ErrorRecord] = field(default_factory=list)


def _first_object(path: Path) -> dict[str, Any] | None:
    try:
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    obj = json.loads(line)
                    return obj if isinstance(obj, dict) else None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    return None


def input_kind(path: Path) -> str:
    """`gold` (a gold file), `records` (tradex output, or a run folder) or `articles` (to run the pipeline on)."""
    from pipeline.report.inputs import RUN_FILES

    if path.is_dir():
        return "records" if any((path / n).is_file() for n in RUN_FILES) else "articles"
    if path.suffix != ".jsonl":
        return "articles"
    first = _first_object(path) or {}
    if "split" in first and "origin" in first:
        return "gold"
    if "schema_version" in first and "doc_id" in first:
        return "records"
    return "articles"


def tasks_from_inputs(inputs: Sequence[str], *, shared: Path, split: str, settings: Any,
                      ids: set[str] | None = None) -> Tasks:
    """Tasks for gold files, records files / run folders, and raw articles (run through the pipeline)."""
    from pipeline.eval.gold import load_gold
    from pipeline.report.inputs import check_record, resolve_input

    out = Tasks()
    raw: list[str] = []
    for item in inputs:
        path = Path(item)
        kind = input_kind(path) if item != "-" else "articles"
        if kind == "gold":
            for doc in load_gold(path, shared=shared).docs:
                if ids is None or doc.gold.doc_id in ids:
                    out.tasks.append(task_from_gold(doc.gold, doc.text))
        elif kind == "records":
            records, _ = resolve_input(path)
            with records.open(encoding="utf-8") as fh:
                for n, line in enumerate(fh, 1):
                    if not line.strip():
                        continue
                    where = f"{records}#L{n}"
                    try:
                        rec, problems = check_record(json.loads(line), where)
                        if rec is None or problems:
                            raise ValueError("; ".join(p.message for p in problems))
                        if ids is None or rec["doc_id"] in ids:
                            out.tasks.append(task_from_record(rec, shared=shared, split=split))
                    except (ValueError, ValidationError) as e:  # JSONDecodeError is a ValueError
                        out.errors.append(ErrorRecord(source=where, error_code="TX109",
                                                      message=f"not a usable record: {str(e)[:300]}"))
        else:
            raw.append(item)
    if raw:
        from pipeline.ingest import Article, iter_inputs
        from pipeline.runner import Processor

        items = [it for it in iter_inputs(raw, settings)
                 if ids is None or not isinstance(it, Article) or it.doc_id in ids]
        out.errors += [it for it in items if isinstance(it, ErrorRecord)]
        articles = [it for it in items if isinstance(it, Article)]
        if articles:
            batch: list[Article | ErrorRecord] = list(articles)
            lines, errors = Processor(settings).process(batch)
            out.errors += [ErrorRecord.model_validate_json(e) for e in errors]
            out.tasks += [task_from_record(json.loads(line), shared=shared, split=split) for line in lines]
    return out
