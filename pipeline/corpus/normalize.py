"""Corpus-level entity normalisation: fill every mention's `canonical_id` and build the entity table.

Mentions the rule packs know keep their pack ids. The others (`canonical_id: null`) are clustered per
label across the corpus:

- a mention that the resolver tied to an earlier mention (`attrs.antecedent`) joins that mention;
- names are normalised per label: companies lose their legal suffixes (cleanco, to a fixpoint), person
  names are parsed with nameparser after their titles are stripped, countries become ISO 3166 codes
  (pycountry), other labels are white-space normalised;
- a normalised name that a known entity of the same label is called by (in this corpus) takes its id;
- the remaining names are joined by exact key and by rapidfuzz `ratio` (blocked by label and first token,
  `cdist` in chunks, uint8 scores); numbers must agree, so `Ascend 910B` never joins `Ascend 910C`.

A discovered cluster is named by its most frequent normalised name (then the smallest) and gets the id
`<label>:~<slug of that name>`, so ids do not depend on input order. Publication dates become ISO dates.
"""

from __future__ import annotations

import hashlib
import re
import time
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pycountry
from cleanco import basename
from nameparser import HumanName
from nameparser.config import Constants
from pydantic import BaseModel, ConfigDict
from rapidfuzz import fuzz, process
from rapidfuzz.utils import default_process

from models.records import ArticleRecord, Entity, Label
from pipeline.corpus import ProgressFn, atomic_write_lines, read_records, write_records
from pipeline.corpus.dedupe import UnionFind
from pipeline.ingest.dates import to_iso_date
from pipeline.settings import Settings

NAME_RATIO = 90  # rapidfuzz ratio (0-100) at which two normalised names of one label are the same entity
_CHUNK = 2048  # rows per cdist call
_PEOPLE = {Label.PERSON, Label.OFFICIAL}
_DIGITS = re.compile(r"\w*\d\w*")  # tokens with a digit: 910B, H20, 232
_TRAILING = re.compile(r"[\s,;:&+\-–—/.]+$")
# a span cut one word too long ("Ruben Alcott of", "Holm and") ends in a function word; names do not
_TRAILING_WORDS = re.compile(r"(?:\s+(?:of|and|the|for|in|at|on|to|by|from|with))+$", re.IGNORECASE)
_SPACED_HYPHEN = re.compile(r"(?<=\w)\s+-\s+(?=\w)")  # "Marie - Claude" (a tokenizer's join) -> "Marie-Claude"


class EntityRow(BaseModel):
    """One row of the entity table (`entities.jsonl`)."""

    model_config = ConfigDict(extra="forbid")

    id: str
    name: str
    label: Label
    aliases: list[str]
    mentions: int
    articles: int
    first_seen: str | None
    last_seen: str | None
    discovered: bool


@dataclass
class NormalizeSummary:
    articles: int = 0
    mentions: int = 0
    filled: int = 0  # mentions whose canonical_id was null and is now set
    entities: int = 0
    discovered: int = 0
    speakers_filled: int = 0
    seconds: float = 0.0

    def line(self) -> str:
        return (
            f"{self.articles} articles, {self.mentions} mentions ({self.filled} newly resolved): "
            f"{self.entities} entities ({self.discovered} discovered); {self.speakers_filled} quote speakers filled"
        )


# ------------------------------------------------------------------------------------------ names
def slug(name: str) -> str:
    """ASCII slug for ids: `Otávio Brandão` -> `otavio-brandao`; a hash when nothing ASCII is left."""
    ascii_ = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    s = re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-")
    return s or "x" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:10]


def _squash(s: str) -> str:
    return " ".join(s.split())


def company_name(name: str) -> str:
    """Legal suffixes stripped with cleanco until nothing changes (`Huawei Technologies Co., Ltd.` ->
    `Huawei Technologies`); a result that would be empty keeps the last non-empty form."""
    current = _TRAILING.sub("", _squash(name)) or _squash(name)
    while True:
        nxt = _TRAILING.sub("", basename(current).strip())
        if not nxt or nxt == current:
            return current
        current = nxt


def person_constants(titles: Iterable[str]) -> Constants:
    """nameparser constants that also know every word of the titles seen in the corpus (`U.S.`, `Trade`),
    so a title left in front of a name never becomes a first name."""
    c = Constants()
    words = {w for t in titles for w in t.split() if any(ch.isalpha() for ch in w)}
    if words:
        c.titles.add(*sorted(words))
    return c


def person_name(name: str, *, title: str | None = None, constants: Constants | None = None) -> str:
    """`First Middle Last` from nameparser, after the known title is cut off the front."""
    s = _SPACED_HYPHEN.sub("-", _squash(name))
    if title:
        t = _squash(title)
        if s.lower().startswith(t.lower() + " "):
            s = s[len(t) + 1 :]
    hn = HumanName(s, constants=constants) if constants is not None else HumanName(s)
    parts = [p for p in (hn.first, hn.middle, hn.last) if p]
    return " ".join(parts) if parts else s


@lru_cache(maxsize=4096)
def country_code(name: str) -> tuple[str, str] | None:
    """ISO 3166 alpha-2 code and common name of a country name (`Russia` -> `('RU', 'Russia')`), or None."""
    q = _squash(name)
    for attempt in (q, q.replace(".", "")):
        try:
            c = pycountry.countries.lookup(attempt)
            return c.alpha_2, _country_display(c)
        except LookupError:
            pass
    try:
        found = pycountry.countries.search_fuzzy(q)
    except LookupError:
        return None
    # search_fuzzy also matches subdivisions ("Gulf" -> Papua New Guinea): keep only countries whose own
    # names contain the query at the start of a word ("Russia" -> Russian Federation, "Britain" -> GB)
    word = re.compile(r"\b" + re.escape(q.lower()))
    hits = {c.alpha_2: c for c in found
            if any(word.search(str(getattr(c, a, "") or "").lower()) for a in ("name", "official_name", "common_name"))}
    if len(hits) != 1:
        return None
    c = next(iter(hits.values()))
    return c.alpha_2, _country_display(c)


def _country_display(c: object) -> str:
    return str(getattr(c, "common_name", None) or getattr(c, "name", ""))


def display_name(label: Label, name: str, *, title: str | None = None, constants: Constants | None = None) -> str:
    """The normalised form of a mention's name for its label."""
    name = _TRAILING_WORDS.sub("", _squash(name)) or _squash(name)
    if label == Label.COMPANY:
        return company_name(name)
    if label in _PEOPLE:
        return person_name(name, title=title, constants=constants)
    return _squash(name)


def name_key(name: str) -> str:
    """Matching key: rapidfuzz's default_process (lower case, no punctuation, trimmed)."""
    return str(default_process(name))


# --------------------------------------------------------------------------------------- clustering
def fuzzy_pairs(keys: list[str], *, min_ratio: int = NAME_RATIO) -> list[tuple[int, int]]:
    """Index pairs of `keys` (one label) that are fuzzy-equal, blocked by first token, in cdist chunks.

    Keys whose numbers differ never pair: `910B`/`910C` or `Section 232`/`Section 301` are different things.
    """
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, k in enumerate(keys):
        if k:
            blocks[k.split()[0]].append(i)
    pairs: list[tuple[int, int]] = []
    for members in blocks.values():
        if len(members) < 2:
            continue
        texts = [keys[i] for i in members]
        for lo in range(0, len(texts), _CHUNK):
            scores = process.cdist(texts[lo : lo + _CHUNK], texts[lo:], scorer=fuzz.ratio, processor=default_process,
                                   dtype=np.uint8, score_cutoff=min_ratio)
            for a, b in zip(*np.nonzero(scores), strict=True):
                ia, ib = lo + int(a), lo + int(b)
                if ib > ia and _DIGITS.findall(texts[ia]) == _DIGITS.findall(texts[ib]):
                    pairs.append((members[ia], members[ib]))
    return pairs


@dataclass
class _Mention:
    rec: int
    idx: int
    label: Label
    display: str
    key: str


def _most_common(counter: Counter[str]) -> str:
    """Most frequent, then lexicographically smallest: independent of input order."""
    return min(counter.items(), key=lambda kv: (-kv[1], kv[0]))[0]


def normalize_records(
    records: Iterable[ArticleRecord],
    *,
    settings: Settings | None = None,
    min_ratio: int = NAME_RATIO,
) -> tuple[list[ArticleRecord], list[EntityRow]]:
    """Fill every mention's canonical id/name and quote speakers' ids; return the records and entity table.

    `settings` is accepted for a uniform stage signature; no setting changes normalisation today.
    """
    out, rows, _ = normalize_with_summary(records, settings=settings, min_ratio=min_ratio)
    return out, rows


def normalize_with_summary(
    records: Iterable[ArticleRecord],
    *,
    settings: Settings | None = None,
    min_ratio: int = NAME_RATIO,
    on_progress: ProgressFn | None = None,
) -> tuple[list[ArticleRecord], list[EntityRow], NormalizeSummary]:
    """`normalize_records` plus the counts the CLI reports."""
    t0 = time.perf_counter()
    recs = list(records)
    summary = NormalizeSummary(articles=len(recs))
    published = [to_iso_date(r.source.published) or r.source.published for r in recs]
    constants = person_constants(
        {str(e.attrs["title"]) for r in recs for e in r.entities if e.label in _PEOPLE and e.attrs.get("title")}
    )

    @lru_cache(maxsize=1 << 18)  # a corpus repeats its names: parse each (label, name, title) once
    def norm(label: Label, name: str, title: str | None = None) -> str:
        return display_name(label, name, title=title, constants=constants)

    # 1. known names: which pack id is a (label, key) called by in this corpus
    known_names: dict[str, Counter[str]] = defaultdict(Counter)  # id -> canonical names seen
    known_by_key: dict[tuple[Label, str], set[str]] = defaultdict(set)
    for r in recs:
        for e in r.entities:
            summary.mentions += 1
            if e.canonical_id is not None:
                known_names[e.canonical_id][e.canonical_name] += 1
                # a coreference's words ("the company", "the ministry") are no name of the entity
                forms = (e.canonical_name,) if e.provenance.method.value == "coref" else (e.canonical_name, e.text)
                for form in forms:
                    known_by_key[(e.label, name_key(norm(e.label, form)))].add(
                        e.canonical_id)

    # 2. unknown mentions: normalised name, key, and per-mention ties (antecedent, surname in the article)
    mentions: list[_Mention] = []
    node_of: dict[tuple[Label, str], int] = {}
    members: list[list[int]] = []  # node -> mention indexes
    forced_mention: dict[int, str] = {}  # mention index -> known id
    links: list[tuple[int, int]] = []  # mention index pairs to join
    pos_of: dict[tuple[int, int], int] = {}
    for ri, r in enumerate(recs):
        for ei, e in enumerate(r.entities):
            if e.canonical_id is not None:
                continue
            title = e.attrs.get("title") if e.label in _PEOPLE else None
            disp = norm(e.label, e.canonical_name or e.text, str(title) if title else None) or _squash(e.text)
            m = _Mention(ri, ei, e.label, disp, name_key(disp))
            pos_of[(ri, ei)] = len(mentions)
            mentions.append(m)
    for mi, m in enumerate(mentions):
        nid = node_of.setdefault((m.label, m.key), len(members))
        if nid == len(members):
            members.append([])
        members[nid].append(mi)
    for ri, r in enumerate(recs):
        ents = r.entities
        by_id = {e.id: k for k, e in enumerate(ents)}
        local = {k: pos_of[(ri, k)] for k, e in enumerate(ents) if e.canonical_id is None}
        for ei, e in enumerate(ents):
            if e.canonical_id is not None:
                continue
            mi = pos_of[(ri, ei)]
            ante = e.attrs.get("antecedent")
            if isinstance(ante, str) and ante in by_id:
                ante_e = ents[by_id[ante]]
                if ante_e.label == e.label:
                    if ante_e.canonical_id is not None:
                        forced_mention[mi] = ante_e.canonical_id
                    else:
                        links.append((mi, pos_of[(ri, by_id[ante])]))
                    continue
            if e.label in _PEOPLE and len(mentions[mi].key.split()) == 1:
                target = _surname_target(mentions[mi].key, e.label, r.entities, local, mentions, norm)
                if isinstance(target, str):
                    forced_mention[mi] = target
                elif isinstance(target, int):
                    links.append((mi, target))
    # a forced mention teaches its own surface form: "Holm" in another article is the same company
    for mi, kid in forced_mention.items():
        m = mentions[mi]
        e = recs[m.rec].entities[m.idx]
        known_by_key[(m.label, name_key(norm(m.label, e.text)))].add(kid)

    # 3. node-level decisions: ISO country codes, known names, fuzzy and exact joins
    uf = UnionFind(len(members))
    node_known: dict[int, tuple[str, str | None]] = {}  # node -> (id, name or None to use the pack's)
    for (label, key), nid in node_of.items():
        if label == Label.COUNTRY:
            code = country_code(mentions[members[nid][0]].display)
            if code is not None:
                node_known[nid] = (f"country:{code[0].lower()}", code[1])
                continue
        ids = known_by_key.get((label, key), set())
        if len(ids) == 1:
            node_known[nid] = (next(iter(ids)), None)
    for a, b in links:
        uf.union(node_of[(mentions[a].label, mentions[a].key)], node_of[(mentions[b].label, mentions[b].key)])
    by_label: dict[Label, list[tuple[str, int]]] = defaultdict(list)
    for (label, key), nid in node_of.items():
        by_label[label].append((key, nid))
    for label in sorted(by_label, key=lambda x: x.value):
        items = sorted(by_label[label])
        for i, j in fuzzy_pairs([k for k, _ in items], min_ratio=min_ratio):
            uf.union(items[i][1], items[j][1])

    # 4. components -> ids
    comp: dict[int, list[int]] = defaultdict(list)
    for nid in range(len(members)):
        comp[uf.find(nid)].append(nid)
    assign: dict[int, tuple[str, str]] = {}  # mention index -> (id, name)
    clusters: list[tuple[Label, str, list[int]]] = []  # (label, representative name, mention indexes)
    for nodes in comp.values():
        known_ids = {node_known[n][0] for n in nodes if n in node_known}
        free = [n for n in nodes if n not in node_known] if len(known_ids) != 1 else []
        for n in nodes:
            if n in node_known and len(known_ids) > 1:
                kid, kname = node_known[n]
                for mi in members[n]:
                    assign[mi] = (kid, kname or _most_common(known_names[kid]))
        if len(known_ids) == 1:
            kid = next(iter(known_ids))
            kname = next((node_known[n][1] for n in nodes if n in node_known and node_known[n][1]), None)
            name = _most_common(known_names[kid]) if known_names.get(kid) else (kname or kid)
            for n in nodes:
                for mi in members[n]:
                    assign[mi] = (kid, name)
        elif free:
            mis = [mi for n in free for mi in members[n]]
            rep = _most_common(Counter(mentions[mi].display for mi in mis))
            clusters.append((mentions[mis[0]].label, rep, mis))
    for mi, kid in forced_mention.items():
        assign[mi] = (kid, _most_common(known_names[kid]) if known_names.get(kid) else kid)
    # ids from names; the rare clash of two clusters with one slug is settled by content, not order
    taken: Counter[str] = Counter()
    for label, rep, mis in sorted(clusters, key=lambda c: (c[0].value, slug(c[1]), c[1],
                                                           sorted(mentions[mi].key for mi in c[2]))):
        base = f"{label.value.lower()}:~{slug(rep)}"
        taken[base] += 1
        cid = base if taken[base] == 1 else f"{base}-{taken[base]}"
        for mi in mis:
            assign[mi] = (cid, rep)

    # 5. write back: mentions, quote speakers, ISO dates
    out: list[ArticleRecord] = []
    for ri, r in enumerate(recs):
        new_ents: list[Entity] = []
        for ei, e in enumerate(r.entities):
            hit = pos_of.get((ri, ei))
            if hit is None:
                new_ents.append(e)
                continue
            cid, cname = assign[hit]
            update: dict[str, object] = {"canonical_id": cid, "canonical_name": cname}
            if e.label == Label.COUNTRY and cid.startswith("country:") and "~" not in cid and "iso" not in e.attrs:
                update["attrs"] = {**e.attrs, "iso": cid.split(":", 1)[1].upper()}
            new_ents.append(e.model_copy(update=update))
            summary.filled += 1
        new_id = {e.id: e.canonical_id for e in new_ents}
        quotes = []
        for q in r.quotes:
            sp = q.speaker
            if sp is not None and sp.canonical_id is None and sp.entity_id in new_id and new_id[sp.entity_id]:
                q = q.model_copy(update={"speaker": sp.model_copy(update={"canonical_id": new_id[sp.entity_id]})})
                summary.speakers_filled += 1
            quotes.append(q)
        source = r.source.model_copy(update={"published": published[ri]})
        out.append(r.model_copy(update={"entities": new_ents, "quotes": quotes, "source": source}))
        if on_progress is not None and (ri + 1) % 1000 == 0:
            on_progress(ri + 1)

    rows = entity_table(out, names={cid: name for cid, name in assign.values()})
    summary.entities = len(rows)
    summary.discovered = sum(1 for row in rows if row.discovered)
    summary.seconds = time.perf_counter() - t0
    return out, rows, summary


def _surname_target(
    token: str,
    label: Label,
    ents: list[Entity],
    local: dict[int, int],
    mentions: list[_Mention],
    norm: Callable[[Label, str], str],
) -> str | int | None:
    """What a bare surname (or family name) refers to in its article: a known id, an unknown full-name
    mention (its index), or None unless exactly one full name of that label fits."""
    targets: dict[str, str | int] = {}
    for k, other in enumerate(ents):
        if other.label != label:
            continue
        if other.canonical_id is not None:
            toks = name_key(norm(label, other.canonical_name)).split()
            if len(toks) > 1 and token in (toks[0], toks[-1]):
                targets.setdefault("id:" + other.canonical_id, other.canonical_id)
        else:
            m = mentions[local[k]]
            toks = m.key.split()
            if len(toks) > 1 and token in (toks[0], toks[-1]):
                targets.setdefault("key:" + m.key, local[k])
    return next(iter(targets.values())) if len(targets) == 1 else None


def entity_table(records: list[ArticleRecord], *, names: dict[str, str] | None = None) -> list[EntityRow]:
    """One row per canonical id in `records`: name, label, aliases, mention/article counts, first/last seen.

    `names` overrides the name of an id (normalize passes its cluster names); else the most frequent
    canonical name is used. Mentions without a canonical id are left out.
    """
    canon: dict[str, Counter[str]] = defaultdict(Counter)
    labels: dict[str, Counter[str]] = defaultdict(Counter)
    aliases: dict[str, set[str]] = defaultdict(set)
    count: Counter[str] = Counter()
    docs: dict[str, set[int]] = defaultdict(set)
    dates: dict[str, list[str]] = defaultdict(list)
    for ri, r in enumerate(records):
        day = to_iso_date(r.source.published)
        for e in r.entities:
            cid = e.canonical_id
            if cid is None:
                continue
            canon[cid][e.canonical_name] += 1
            labels[cid][e.label.value] += 1
            aliases[cid].update((_squash(e.text), e.canonical_name))
            count[cid] += 1
            if ri not in docs[cid]:
                docs[cid].add(ri)
                if day:
                    dates[cid].append(day)
    rows = []
    for cid in sorted(count):
        name = (names or {}).get(cid) or _most_common(canon[cid])
        rows.append(EntityRow(
            id=cid, name=name, label=Label(_most_common(labels[cid])),
            aliases=sorted(a for a in aliases[cid] if a and a != name),
            mentions=count[cid], articles=len(docs[cid]),
            first_seen=min(dates[cid]) if dates[cid] else None, last_seen=max(dates[cid]) if dates[cid] else None,
            discovered=":~" in cid,
        ))
    return rows


def entities_path_for(output: Path) -> Path:
    """`out/normalized.jsonl` -> `out/entities.jsonl` (the entity table lives next to the output)."""
    return Path(output).with_name("entities.jsonl")


def read_entities(path: Path) -> list[EntityRow]:
    with Path(path).open(encoding="utf-8") as fh:
        return [EntityRow.model_validate_json(line) for line in fh if line.strip()]


def write_entities(path: Path, rows: Iterable[EntityRow]) -> int:
    return atomic_write_lines(path, (row.model_dump_json() for row in rows))


def normalize_file(
    input_path: Path,
    output_path: Path,
    *,
    settings: Settings | None = None,
    entities_path: Path | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> NormalizeSummary:
    """`normalize_records` over a records JSONL file; writes the records and `entities.jsonl` atomically."""
    out, rows, summary = normalize_with_summary(read_records(input_path), settings=settings, on_progress=on_progress)
    write_records(output_path, out)
    write_entities(entities_path or entities_path_for(output_path), rows)
    return summary
