"""`measure_cluster`: the same action reported by several articles.

Two measures are one action when their actor jurisdictions and types are equal, their items or targets
overlap (by canonical id, jurisdiction or lower-cased words) and their dates lie within `MEASURE_DAYS`
of each other; a measure's date is its announced date, else its effective date, else the article's
publication date (month-precision dates count as the first of the month). Measures without an actor
jurisdiction, a date or any item or target stay alone: the rule prefers a missed merge to a false one.
Talks and agreements (whose target is the counterpart) join across reports only on shared goods or firms;
the same sentence, or their counterpart within one report (an article and its copies), joins copies of a
report, never two measures of one article.
Blocks by (jurisdiction, type), sorted by date, so each measure is compared only with the ones in its
window. A cluster is named after its earliest member, `mc:<doc_id>:<measure id>`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from models.records import ArticleRecord, Measure
from pipeline.corpus.dedupe import UnionFind
from pipeline.ingest.dates import to_iso_date

MEASURE_DAYS = 3

Member = tuple[int, int]  # (record position, measure index)


def _date(rec: ArticleRecord, m: Measure) -> dt.date | None:
    for value in (m.announced, m.effective, to_iso_date(rec.source.published)):
        if value:
            try:
                return dt.date.fromisoformat(value if len(value) == 10 else f"{value[:7]}-01"[:10])
            except ValueError:
                continue
    return None


# the counterpart of talks and deals is their target: two of them that share only a country are two meetings
# with the same government (a ministers' meeting and a summit, bilateral and multilateral talks), not one
COUNTERPART_TYPES = frozenset({"agreement", "negotiation"})
# targets that stand for their government: keyed by its jurisdiction, not by the person or the office
_GOVERNMENT_LABELS = frozenset({"COUNTRY", "AGENCY", "OFFICIAL"})


def _keys(m: Measure, report: str) -> set[str]:
    keys = {f"i:{(it.canonical_id or it.text.text.lower()).rstrip('s')}" for it in m.items}
    governments = set()
    for t in m.targets:
        if t.label is not None and t.label.value in _GOVERNMENT_LABELS and t.jurisdiction:
            governments.add(f"t:{t.jurisdiction}")
        else:
            keys.add(f"t:{t.canonical_id or t.name.lower()}")
    if m.type.value in COUNTERPART_TYPES:
        # the goods or firms talked about join them, or the same sentence (a copy, a resend), or the counterpart
        # within one report (an article and its near copies); across reports the counterpart alone does not
        sentences = {f"s:{' '.join(e.text.lower().split())}" for e in m.evidence}
        return keys | sentences | {f"c:{g[2:]}@{report}" for g in governments}
    return keys | governments


def _between_copies(key: str) -> bool:
    """A key that joins a report's copies (the same sentence, the counterpart within a duplicate cluster), never
    two measures of one article: those are two events the measure stage kept apart."""
    return key.startswith(("s:", "c:"))


def measure_clusters(
    records: Sequence[ArticleRecord], *, days: int = MEASURE_DAYS, reports: Sequence[str] | None = None
) -> dict[Member, str]:
    """`measure_cluster` id of every measure, keyed by (record position, measure index). `reports` names the
    report each record is (its duplicate cluster, from dedupe); by default every record is its own."""
    blocks: dict[tuple[str, str], list[tuple[dt.date, Member, set[str]]]] = defaultdict(list)
    ids: dict[Member, str] = {}

    def name(member: Member) -> str:
        rec = records[member[0]]
        return f"mc:{rec.doc_id}:{rec.measures[member[1]].id}"

    for r, rec in enumerate(records):
        for k, m in enumerate(rec.measures):
            juris = m.actor.jurisdiction if m.actor else None
            when = _date(rec, m)
            keys = _keys(m, reports[r] if reports is not None else f"record:{r}")
            if juris is None or when is None or not keys:
                ids[(r, k)] = name((r, k))
            else:
                blocks[(juris, m.type.value)].append((when, (r, k), keys))
    window = dt.timedelta(days=days)
    for key in sorted(blocks):
        members = sorted(blocks[key], key=lambda x: (x[0], x[1]))
        uf = UnionFind(len(members))
        for i, (d_i, m_i, k_i) in enumerate(members):
            for j in range(i + 1, len(members)):
                d_j, m_j, k_j = members[j]
                if d_j - d_i > window:
                    break
                shared = k_i & k_j
                if shared and (m_i[0] != m_j[0] or not all(_between_copies(k) for k in shared)):
                    uf.union(i, j)
        first: dict[int, Member] = {}
        for i, (_, member, _) in enumerate(members):
            first.setdefault(uf.find(i), member)
        for i, (_, member, _) in enumerate(members):
            ids[member] = name(first[uf.find(i)])
    return ids
