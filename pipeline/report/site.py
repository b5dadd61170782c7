"""`tradex report`: a static site over a records file, built in one streaming pass.

Article pages are written as the records stream by (one record of look-ahead for the next-article link);
only small aggregates are kept for the index, speaker, entity and errors pages, which are written at the
end. The site is built in a staging folder beside the output and swapped in at the end, so a reader never
sees half a site and a failed build leaves the previous one.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from pipeline.errors import DESCRIPTIONS, ErrorCode
from pipeline.report import charts
from pipeline.report.article import (
    build_article,
    entity_key,
    party_name,
    speaker_key,
    speaker_name,
)
from pipeline.report.inputs import Problem, iter_records, read_errors, resolve_input
from pipeline.report.style import LABEL_COLOURS, QUOTE_COLOURS, label_css

MARKER = ".tradex-report"  # marks a folder as a report this code may replace
MAX_LIST = 1000  # rows of an entity's or speaker's article list on its page
MAX_PAIRS = 60  # distinct entities of one article counted for co-mentions (pairs grow with the square)
_SLUG = re.compile(r"[^A-Za-z0-9._-]+")


class ReportOutputError(ValueError):
    """The output folder exists and is not a report (it is never replaced then)."""


def slug(key: str) -> str:
    """A file name for `key`: readable, safe on every file system, unique by a short hash."""
    readable = _SLUG.sub("-", key).strip("-.")[:60] or "x"
    return f"{readable}-{hashlib.sha1(key.encode('utf-8')).hexdigest()[:8]}"


@dataclass
class ReportSummary:
    records: Path
    errors_file: Path | None
    out_dir: Path
    articles: int = 0
    errors: int = 0
    problems: int = 0
    mentions: Counter[str] = field(default_factory=Counter)
    quotes: Counter[str] = field(default_factory=Counter)
    measures: Counter[str] = field(default_factory=Counter)
    duplicates: int = 0
    seconds: float = 0.0

    def line(self) -> str:
        rate = self.articles / self.seconds if self.seconds else 0.0
        return (f"report: {self.articles} articles, {sum(self.mentions.values())} mentions, "
                f"{sum(self.quotes.values())} quotes, {sum(self.measures.values())} measures, {self.errors} errors"
                + (f", {self.problems} lines not shown" if self.problems else "")
                + f" in {self.seconds:.1f} s ({rate:.0f} articles/s) -> {self.out_dir / 'index.html'}")


@dataclass
class _Speaker:
    name: str
    label: str
    title: str | None
    canonical_id: str | None
    quotes: list[tuple[int, str, str, str]] = field(default_factory=list)  # article, quote id, kind, text
    articles: list[int] = field(default_factory=list)
    comentions: Counter[str] = field(default_factory=Counter)


@dataclass
class _Entity:
    name: str
    label: str
    canonical_id: str | None
    mentions: int = 0
    articles: list[tuple[int, int]] = field(default_factory=list)  # article, mentions in it
    comentions: Counter[str] = field(default_factory=Counter)


@dataclass
class _ArticleMeta:
    doc_id: str
    title: str
    published: str
    publisher: str
    href: str  # relative to the site root


def _env() -> Environment:
    env = Environment(loader=PackageLoader("pipeline.report", "templates"),
                      autoescape=select_autoescape(["html", "j2"]), trim_blocks=True, lstrip_blocks=True)
    env.globals.update(label_colours=LABEL_COLOURS, quote_colours=QUOTE_COLOURS, slug=slug)
    return env


def _short(text: str, n: int = 240) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


class _Site:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.env = _env()
        for sub in ("articles", "speakers", "entities", "assets", "data"):
            (root / sub).mkdir(parents=True, exist_ok=True)

    def write(self, rel: str, content: str) -> None:
        # no fsync per page: the whole staging folder is swapped in at the end
        (self.root / rel).write_text(content, encoding="utf-8", newline="\n")

    def page(self, rel: str, template: str, **ctx: Any) -> None:
        depth = rel.count("/")
        self.write(rel, self.env.get_template(template).render(root="../" * depth, **ctx))


def _meta(rec: dict[str, Any]) -> _ArticleMeta:
    src = rec.get("source") or {}
    title = src.get("title") or rec["text"].strip().split("\n", 1)[0][:120] or rec["doc_id"]
    return _ArticleMeta(rec["doc_id"], str(title), str(src.get("published") or ""), str(src.get("publisher") or ""),
                        f"articles/{slug(rec['doc_id'])}.html")


def _lookahead(items: Iterator[Any]) -> Iterator[tuple[Any, Any]]:
    prev = None
    have = False
    for it in items:
        if have:
            yield prev, it
        prev, have = it, True
    if have:
        yield prev, None


class ReportBuilder:
    """Accumulates the aggregates while article pages are written."""

    def __init__(self, site: _Site, summary: ReportSummary) -> None:
        self.site = site
        self.summary = summary
        self.metas: list[_ArticleMeta] = []
        self.speakers: dict[str, _Speaker] = {}
        self.entities: dict[str, _Entity] = {}
        self.months: dict[str, Counter[str]] = {}
        self.measure_rows: list[list[Any]] = []
        self.timeline: list[tuple[str, str, str, str, str]] = []
        self.article_rows: list[list[Any]] = []
        self.problems: list[Problem] = []

    def add(self, idx: int, rec: dict[str, Any], prev: _ArticleMeta | None, nxt: _ArticleMeta | None) -> None:
        meta = self.metas[idx]
        entities = rec.get("entities") or []
        quotes = rec.get("quotes") or []
        measures = rec.get("measures") or []
        view = build_article(rec)
        s = self.summary
        s.articles += 1
        month = meta.published[:7] if re.match(r"\d{4}-\d{2}", meta.published) else None
        per_entity: Counter[str] = Counter()
        for e in entities:
            label = str(e.get("label"))
            s.mentions[label] += 1
            if month:
                self.months.setdefault(month, Counter())[label] += 1
            key = entity_key(e)
            ent = self.entities.get(key)
            if ent is None:
                ent = self.entities[key] = _Entity(str(e.get("canonical_name") or e.get("text")), label,
                                                   e.get("canonical_id"))
            ent.mentions += 1
            per_entity[key] += 1
        for key, count in per_entity.items():
            self.entities[key].articles.append((idx, count))
        keys = sorted(per_entity)
        if len(keys) <= MAX_PAIRS:
            for i, a in enumerate(keys):
                ca = self.entities[a].comentions
                for b in keys[i + 1:]:
                    ca[b] += 1
                    self.entities[b].comentions[a] += 1
        quoted: set[str] = set()
        for q in quotes:
            s.quotes[str(q.get("kind"))] += 1
            sp = q.get("speaker")
            if not sp:
                continue
            skey = speaker_key(sp)
            if skey is None:
                continue
            spk = self.speakers.get(skey)
            if spk is None:
                spk = self.speakers[skey] = _Speaker(speaker_name(sp), str(sp.get("label") or "?"), sp.get("title"),
                                                    sp.get("canonical_id"))
            spk.title = spk.title or sp.get("title")
            spk.quotes.append((idx, str(q.get("id")), str(q.get("kind")), _short(str(q.get("text") or ""))))
            if skey not in quoted:
                spk.articles.append(idx)
                spk.comentions.update(k for k in keys if k != skey)
                quoted.add(skey)
        for m in measures:
            mtype = str(m.get("type"))
            s.measures[mtype] += 1
            actor = party_name(m.get("actor")) or "unknown actor"
            href = f"{meta.href}#measure-{m.get('id')}"
            when = m.get("announced") or m.get("effective") or meta.published
            self.measure_rows.append([
                mtype, str(m.get("status") or ""), actor,
                ", ".join(party_name(t) for t in m.get("targets") or []),
                ", ".join(str((i.get("text") or {}).get("text") or i.get("canonical_id") or "")
                          for i in m.get("items") or []),
                str(when or ""), [_short(meta.title, 80), href]])
            if when and re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(when)):
                self.timeline.append((str(when), actor, mtype, str((m.get("trigger") or {}).get("text") or ""), href))
        dup = rec.get("duplicate_of")
        if dup:
            s.duplicates += 1
        dup_href = f"{slug(dup)}.html" if dup else None
        self.article_rows.append([
            [meta.title, meta.href], meta.published, meta.publisher, len(entities), len(quotes), len(measures),
            [dup, f"articles/{slug(dup)}.html"] if dup else ""])
        src = rec.get("source") or {}
        mention_labels = Counter(str(e.get("label")) for e in entities)
        self.site.page(
            meta.href, "article.html.j2", meta=meta, rec=rec, src=src, text_html=Markup(view.html),
            quotes=view.quotes, measures=view.measures, prev=prev, next=nxt, dup_href=dup_href,
            mention_labels=mention_labels, speaker_href=lambda k: f"../speakers/{slug(k)}.html",
            entity_rows=sorted(((self.entities[k], k, c) for k, c in per_entity.items()),
                               key=lambda t: (-t[2], t[0].name)),
            entity_href=lambda k: f"../entities/{slug(k)}.html")

    # ------------------------------------------------------------------------------------ final pages
    def finish(self, errors: list[dict[str, Any]]) -> None:
        site, s = self.site, self.summary
        spk_rows: list[list[Any]] = []
        for key, spk in self.speakers.items():
            href = f"speakers/{slug(key)}.html"
            spk_rows.append([[spk.name, href], spk.label, spk.title or "", len(spk.quotes), len(spk.articles)])
            site.page(href, "speaker.html.j2", key=key, spk=spk, metas=self.metas, max_list=MAX_LIST,
                      entity_href=self._entity_href, entities=self.entities,
                      comentions=spk.comentions.most_common(25),
                      has_entity=key in self.entities)
        ent_rows: list[list[Any]] = []
        for key, ent in self.entities.items():
            href = f"entities/{slug(key)}.html"
            ent_rows.append([[ent.name, href], ent.canonical_id or "", ent.label, ent.mentions, len(ent.articles)])
            site.page(href, "entity.html.j2", key=key, ent=ent, metas=self.metas, max_list=MAX_LIST,
                      entity_href=self._entity_href, entities=self.entities, spk=self.speakers.get(key),
                      comentions=ent.comentions.most_common(25))
        shown = [{**e, "description": _describe(e.get("error_code"))} for e in errors]
        site.page("errors.html", "errors.html.j2", errors=shown, problems=[p.as_dict() for p in self.problems],
                  errors_file=s.errors_file, summary=s)
        tables = {
            "articles": {"columns": [("title", "link"), ("published", "text"), ("publisher", "facet"),
                                     ("mentions", "num"), ("quotes", "num"), ("measures", "num"),
                                     ("duplicate of", "link")], "rows": self.article_rows},
            "speakers": {"columns": [("speaker", "link"), ("label", "facet"), ("title", "text"), ("quotes", "num"),
                                     ("articles", "num")],
                         "rows": sorted(spk_rows, key=lambda r: (-r[3], r[0][0]))},
            "entities": {"columns": [("entity", "link"), ("canonical id", "text"), ("label", "facet"),
                                     ("mentions", "num"), ("articles", "num")],
                         "rows": sorted(ent_rows, key=lambda r: (-r[3], r[0][0]))},
            "measures": {"columns": [("type", "facet"), ("status", "facet"), ("actor", "text"), ("targets", "text"),
                                     ("items", "text"), ("date", "text"), ("article", "link")],
                         "rows": self.measure_rows},
        }
        tables_js = "window.TRADEX_TABLES = " + json.dumps(tables, ensure_ascii=False).replace("</", "<\\/") + ";\n"
        site.write("data/tables.js", tables_js)
        top_speakers = sorted(self.speakers.items(), key=lambda kv: (-len(kv[1].quotes), kv[1].name))[:15]
        chart_speakers = Markup(charts.bar_chart(
            [(spk.name, len(spk.quotes), f"speakers/{slug(k)}.html") for k, spk in top_speakers],
            title="Quotes per speaker (top 15)"))
        chart_months = Markup(charts.stacked_months(self.months, title="Mentions per month by label"))
        chart_measures = Markup(charts.measures_timeline(sorted(self.timeline),
                                                         title="Measures by actor and type over time"))
        site.page("index.html", "index.html.j2", s=s, charts=(chart_speakers, chart_months, chart_measures),
                  n_speakers=len(self.speakers), n_entities=len(self.entities), problems=len(self.problems),
                  tables=tables)

    def _entity_href(self, key: str, depth: int = 1) -> str:
        return "../" * depth + f"entities/{slug(key)}.html"


def _describe(code: Any) -> str:
    try:
        return DESCRIPTIONS[ErrorCode(code)]
    except ValueError:
        return ""


def _copy_assets(site: _Site) -> None:
    static = resources.files("pipeline.report") / "static"
    for name in ("report.css", "report.js"):
        content = (static / name).read_text(encoding="utf-8")
        if name == "report.css":
            content += "\n/* label and quote-kind colours (pipeline/report/style.py) */\n" + label_css()
        site.write(f"assets/{name}", content)


def _swap_in(staging: Path, out_dir: Path) -> None:
    if out_dir.exists():
        old = out_dir.with_name(f".{out_dir.name}.old{os.getpid()}")
        os.replace(out_dir, old)
        os.replace(staging, out_dir)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(staging, out_dir)


def check_output(out_dir: Path) -> None:
    """Refuse to replace a folder that is neither empty nor an earlier report (it may hold anything)."""
    if out_dir.exists() and (not out_dir.is_dir() or (any(out_dir.iterdir()) and not (out_dir / MARKER).exists())):
        raise ReportOutputError(f"{out_dir} exists and is not a tradex report: choose another -o folder")


def build_report(input_path: Path, out_dir: Path, *, errors: Path | None = None) -> ReportSummary:
    """Write the report site for `input_path` (records JSONL or a run folder) into `out_dir`."""
    t0 = time.perf_counter()
    records, errors_file = resolve_input(Path(input_path), errors)
    out_dir = Path(out_dir)
    check_output(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = out_dir.with_name(f".{out_dir.name}.tmp{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    summary = ReportSummary(records=records, errors_file=errors_file, out_dir=out_dir)
    try:
        site = _Site(staging)
        builder = ReportBuilder(site, summary)

        def good() -> Iterator[dict[str, Any]]:
            for rec, problems in iter_records(records):
                builder.problems.extend(problems)
                if rec is not None:
                    builder.metas.append(_meta(rec))
                    yield rec

        for idx, (rec, nxt) in enumerate(_lookahead(good())):
            prev = builder.metas[idx - 1] if idx else None
            builder.add(idx, rec, prev, builder.metas[idx + 1] if nxt is not None else None)
        error_rows = read_errors(errors_file)
        summary.errors = len(error_rows)
        summary.problems = len(builder.problems)
        builder.finish(error_rows)
        _copy_assets(site)
        site.write(MARKER, "a tradex report site; `tradex report` replaces this folder as a whole\n")
        _swap_in(staging, out_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    summary.seconds = time.perf_counter() - t0
    return summary
