"""One record dict -> what its article page shows: the marked text, the quote, measure and entity lists.

Element ids on the page: `m-<entity id>` for a mention, `q-<quote id>` for a quote, `s-<start>-<end>` for a
speaker mention that is no entity mention, `t-<measure id>` for a trigger, `v-<measure id>-<n>` for an
evidence span, `badge-<quote id>` for a quote's speaker badge and `measure-<measure id>` for a measure's
field list.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from typing import Any

from pipeline.report.highlight import EVIDENCE, MENTION, QUOTE, SPEAKER, TRIGGER, Mark, render_marked


def fmt_score(v: Any) -> str:
    return f"{v:.2f}" if isinstance(v, int | float) else "?"


def entity_key(e: dict[str, Any]) -> str:
    """Entity pages are per canonical id; a mention without one is keyed by label and name."""
    return e.get("canonical_id") or f"{e.get('label', '?')}:{e.get('canonical_name') or e.get('text', '')}"


def speaker_key(sp: dict[str, Any]) -> str | None:
    name = sp.get("name") or (sp.get("mention") or {}).get("text")
    if sp.get("canonical_id"):
        return str(sp["canonical_id"])
    return f"{sp.get('label') or 'SPEAKER'}:{name}" if name else None


def speaker_name(sp: dict[str, Any]) -> str:
    return sp.get("name") or (sp.get("mention") or {}).get("text") or sp.get("canonical_id") or "?"


def mention_tip(e: dict[str, Any]) -> str:
    prov = e.get("provenance") or {}
    lines = [f"{e.get('label')} · {e.get('canonical_name') or e.get('text')}",
             f"canonical id: {e.get('canonical_id') or '(none: new to the packs)'}",
             f"provenance: {prov.get('rule') or '-'} · method {prov.get('method') or '-'} · "
             f"score {fmt_score(prov.get('score'))}"]
    attrs = e.get("attrs") or {}
    if attrs.get("title"):
        lines.append(f"title: {attrs['title']}")
    others = {k: v for k, v in attrs.items() if k != "title"}
    if others:
        lines.append("attrs: " + ", ".join(f"{k}={v}" for k, v in others.items()))
    return "\n".join(lines)


def quote_tip(q: dict[str, Any], names: dict[str, str]) -> str:
    sp = q.get("speaker") or {}
    prov = q.get("provenance") or {}
    lines = [f"{q.get('kind')} quote · speaker {speaker_name(sp) if sp else '(none named)'}"]
    if sp:
        lines.append(f"speaker id: {sp.get('canonical_id') or '-'} ({sp.get('label') or '-'})")
        if sp.get("title"):
            lines.append(f"title: {sp['title']}")
    if q.get("cue"):
        lines.append(f"cue: {q['cue'].get('text')}")
    lines.append(f"channel: {q.get('channel') or '-'} · via: {q.get('via') or '-'}")
    if q.get("about"):
        lines.append("about: " + ", ".join(names.get(a, a) for a in q["about"]))
    lines.append(f"provenance: {prov.get('method') or '-'} · score {fmt_score(prov.get('score'))}")
    if q.get("quote_cluster"):
        lines.append(f"quote cluster: {q['quote_cluster']}")
    return "\n".join(lines)


def party_name(p: dict[str, Any] | None) -> str:
    if not p:
        return ""
    return str(p.get("name") or p.get("canonical_id") or (p.get("text") or {}).get("text") or "?")


def measure_fields(m: dict[str, Any], names: dict[str, str]) -> list[tuple[str, str]]:
    """The measure's fields as (name, value) rows, in the contract's order, empty ones left out."""
    rate = m.get("rate") or {}
    prov = m.get("provenance") or {}
    rows = [
        ("type", m.get("type")), ("MAST chapter", m.get("mast_chapter")), ("status", m.get("status")),
        ("direction", m.get("direction")), ("actor", party_name(m.get("actor"))),
        ("targets", ", ".join(party_name(t) for t in m.get("targets") or [])),
        ("items", ", ".join(str((i.get("text") or {}).get("text") or i.get("canonical_id") or "?")
                            for i in m.get("items") or [])),
        ("policy", names.get(m.get("policy") or "", m.get("policy"))),
        ("rate", " ".join(str(x) for x in ((rate.get("text") or {}).get("text"), rate.get("unit")) if x)),
        ("announced", m.get("announced")), ("effective", m.get("effective")),
        ("trigger", (m.get("trigger") or {}).get("text")),
        ("evidence", f"{len(m.get('evidence') or [])} sentence(s)"),
        ("quotes", ", ".join(m.get("quote_ids") or [])),
        ("measure cluster", m.get("measure_cluster")),
        ("provenance", f"{prov.get('method') or '-'} · score {fmt_score(prov.get('score'))}"),
    ]
    return [(k, str(v)) for k, v in rows if v not in (None, "", [])]


@dataclass
class QuoteRow:
    id: str
    kind: str
    text: str
    speaker: str
    speaker_key: str | None
    target: str | None  # element id of the speaker's mention


@dataclass
class ArticleView:
    html: str
    quotes: list[QuoteRow] = field(default_factory=list)
    measures: list[tuple[str, str, list[tuple[str, str]]]] = field(default_factory=list)


def build_article(rec: dict[str, Any]) -> ArticleView:
    """Marks for every mention, quote (with its badge), speaker mention, trigger and evidence span."""
    text: str = rec["text"]
    entities = rec.get("entities") or []
    names = {e["id"]: str(e.get("canonical_name") or e.get("text")) for e in entities if e.get("id")}
    for m in rec.get("measures") or []:
        if m.get("id"):
            names[m["id"]] = f"{m['id']} {m.get('type')}"
    marks: list[Mark] = []
    by_span: dict[tuple[int, int], str] = {}
    for e in entities:
        eid = str(e.get("id") or f"{e['start']}")
        by_span.setdefault((e["start"], e["end"]), f"m-{eid}")
        marks.append(Mark(e["start"], e["end"], MENTION, f"mention l-{e.get('label')}",
                          {"id": f"m-{eid}", "tabindex": "0", "data-tip": mention_tip(e),
                           "data-label": str(e.get("label"))}))
    view = ArticleView(html="")
    speaker_marks: dict[tuple[int, int], str] = {}
    n = len(text)
    for q in rec.get("quotes") or []:
        sp = q.get("speaker") or None
        kind = str(q.get("kind"))
        qid = str(q.get("id"))
        target = None
        mention = (sp or {}).get("mention")
        if mention and isinstance(mention.get("start"), int) and isinstance(mention.get("end"), int) \
                and 0 <= mention["start"] < mention["end"] <= n:
            span = (mention["start"], mention["end"])
            target = by_span.get(span)
            if target is None:
                target = speaker_marks.get(span)
            if target is None:
                target = speaker_marks[span] = f"s-{span[0]}-{span[1]}"
                marks.append(Mark(span[0], span[1], SPEAKER, "speaker",
                                  {"id": target, "tabindex": "0",
                                   "data-tip": f"speaker mention · {speaker_name(sp or {})}"}))
        who = speaker_name(sp) if sp else "no speaker"
        label = f"{kind} · {who}"
        if target:
            badge = (f'<a class="badge k-{escape(kind)}" id="badge-{escape(qid)}" href="#{escape(target)}" '
                     f'aria-label="{escape(kind)} quote by {escape(who)}: go to the speaker">{escape(label)}</a>')
        else:
            badge = f'<span class="badge k-{escape(kind)}" id="badge-{escape(qid)}">{escape(label)}</span>'
        marks.append(Mark(q["start"], q["end"], QUOTE, f"quote k-{kind}",
                          {"id": f"q-{qid}", "tabindex": "0", "data-tip": quote_tip(q, names),
                           "data-kind": kind}, before=badge))
        view.quotes.append(QuoteRow(qid, kind, str(q.get("text") or text[q["start"]:q["end"]]), who,
                                    speaker_key(sp) if sp else None, target))
    for m in rec.get("measures") or []:
        mid = str(m.get("id"))
        fields = measure_fields(m, names)
        tip = "measure " + mid + "\n" + "\n".join(f"{k}: {v}" for k, v in fields)
        trig = m["trigger"]
        marks.append(Mark(trig["start"], trig["end"], TRIGGER, "trigger",
                          {"id": f"t-{mid}", "tabindex": "0", "data-tip": tip}))
        for i, ev in enumerate(m.get("evidence") or []):
            if isinstance(ev, dict) and isinstance(ev.get("start"), int) and isinstance(ev.get("end"), int):
                marks.append(Mark(ev["start"], ev["end"], EVIDENCE, "evidence",
                                  {"id": f"v-{mid}-{i}", "data-measure": mid}))
        view.measures.append((mid, str(m.get("type")), fields))
    view.html = render_marked(text, marks)
    return view
