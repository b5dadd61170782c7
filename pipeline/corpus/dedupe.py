"""Deduplicate articles (exact and near duplicates) and quotes (the same quote carried by several articles).

Articles: exact duplicates share the sha256 of their text; near duplicates are found by MinHash LSH over
word shingles (datasketch) and every candidate pair is verified with the exact Jaccard of the two shingle
sets, so no pair under the threshold is ever reported. Duplicates are joined by union-find; the earliest
member of a cluster (`source.published`, then input order) is its representative, the others carry
`duplicate_of`, and every member carries `dup_cluster = "dup:<representative doc_id>"`.

Quotes: quotes of the same resolved speaker (`speaker.canonical_id`, else the lower-cased `speaker.name`)
whose texts are fuzzy-equal (rapidfuzz ratio >= 90) form a cluster `qc:<doc_id>:<quote id>` named after
its first member. Nothing is deleted, only marked. Internal structures are keyed by input position,
because two different articles may carry the same `doc_id`.
"""

from __future__ import annotations

import gc
import hashlib
import math
import re
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from datasketch import MinHash, MinHashLSH
from rapidfuzz import fuzz, process
from rapidfuzz.utils import default_process

from models.records import ArticleRecord
from pipeline.corpus import ProgressFn, read_records, write_records
from pipeline.ingest.dates import to_iso_date
from pipeline.settings import Settings

# Tuned on the Reuters trade corpus and the scale bench (see bench_dedupe.py): 3-word shingles keep a copy
# with a few % of its words changed above 0.8 Jaccard. The LSH bands/rows follow from the threshold
# (`lsh_params`): at most LSH_PERM_BUDGET permutations, and a pair exactly at the threshold becomes a
# candidate with probability >= LSH_RECALL (0.8 -> 12 bands of 5 rows: 0.991, and 0.998 at 0.84). The exact
# Jaccard check afterwards removes every false candidate.
SHINGLE_SIZE = 3
LSH_RECALL = 0.99
LSH_PERM_BUDGET = 64
# MinHashLSH keeps ~330 bytes per band per article; building the bands in passes of 6 keeps 1M articles
# near 3 GB. The candidate pairs are the same as with one index over all bands.
BANDS_PER_PASS = 6
MINHASH_SEED = 1
QUOTE_RATIO = 90  # rapidfuzz ratio (0-100) at which two quote texts of one speaker are the same quote
_CHUNK = 2048  # rows per rapidfuzz cdist call; bounds the score matrix to _CHUNK x block size bytes

_WORD = re.compile(r"\w+")


class UnionFind:
    """Disjoint sets over 0..n-1 (path halving, union by size); `find` gives a stable root per set."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))
        self.size = [1] * n

    def find(self, x: int) -> int:
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: int, b: int) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        if self.size[ra] < self.size[rb]:
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.size[ra] += self.size[rb]
        return True


def words(text: str) -> list[str]:
    """Lower-cased word tokens (`\\w+`): punctuation, case and line breaks do not make two copies differ."""
    return _WORD.findall(text.lower())


def shingles(text: str, *, size: int = SHINGLE_SIZE) -> set[tuple[str, ...]]:
    """The set of `size`-word shingles of `text` (one shingle of all words when it is shorter)."""
    w = words(text)
    if len(w) < size:
        return {tuple(w)} if w else set()
    return set(zip(*(w[i:] for i in range(size)), strict=False))


def jaccard(a: set[Any], b: set[Any]) -> float:
    """Exact Jaccard similarity of two sets (0 for two empty sets)."""
    if not a and not b:
        return 0.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter)


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class _ShingleHasher:
    """32-bit hashes of the word shingles of a text, computed with numpy from cached 64-bit word hashes.

    MinHash then needs no per-shingle Python hashing (`hashfunc` is the identity); blake2b keeps the
    hashes identical across processes and runs (Python's `hash` is salted per process).
    """

    # per-position multipliers of the shingle hash (odd, so every word position matters)
    _MULT = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93,
                      0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53, 0x94D049BB133111EB, 0xBF58476D1CE4E5B9],
                     dtype=np.uint64)
    _MAX_CACHE = 2_000_000

    def __init__(self, size: int) -> None:
        if not 1 <= size <= len(self._MULT):
            raise ValueError(f"shingle size must be 1..{len(self._MULT)}, got {size}")
        self.size = size
        self.cache: dict[str, int] = {}

    def _hashes(self, w: list[str]) -> list[int]:
        hs: list[int | None] = list(map(self.cache.get, w))  # C-speed lookups; new words filled below
        if None in hs:
            if len(self.cache) >= self._MAX_CACHE:  # bound memory on open vocabularies (numbers, typos)
                self.cache.clear()
            for k, h in enumerate(hs):
                if h is None:
                    word = w[k]
                    h = self.cache.get(word)
                    if h is None:
                        h = int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest(), "little")
                        self.cache[word] = h
                    hs[k] = h
        return hs  # type: ignore[return-value]

    def __call__(self, text: str) -> np.ndarray:
        w = words(text)
        if not w:
            return np.empty(0, dtype=np.uint32)
        ids = np.array(self._hashes(w), dtype=np.uint64)
        k = min(self.size, len(ids))
        n = len(ids) - k + 1
        h = ids[:n] * self._MULT[0]
        for j in range(1, k):
            h = h + ids[j : j + n] * self._MULT[j]  # uint64 arithmetic wraps, as a hash should
        return (h >> np.uint64(32)).astype(np.uint32)


def _identity(x: int) -> int:
    return x


def lsh_params(threshold: float, *, recall: float = LSH_RECALL, perm_budget: int = LSH_PERM_BUDGET) -> tuple[int, int]:
    """(bands, rows) with the most rows per band (fewest false candidates) such that bands x rows fits
    `perm_budget` and a pair at exactly `threshold` Jaccard is a candidate with probability >= `recall`."""
    best = (2, 1)
    for r in range(1, perm_budget + 1):
        p = threshold**r  # chance that one band of r rows agrees
        b = 2 if p >= 1 - 1e-12 else max(2, math.ceil(math.log(1 - recall) / math.log1p(-p)))
        if b * r <= perm_budget:
            best = (b, r)
    return best


def candidate_pairs(
    sig: np.ndarray,
    positions: Iterable[int],
    *,
    bands: int,
    rows: int,
    bands_per_pass: int = BANDS_PER_PASS,
) -> set[tuple[int, int]]:
    """Pairs (earlier, later) of `positions` whose signatures share a band, via datasketch MinHashLSH.

    Each article queries the index before it is inserted, so every pair is seen once. The bands are
    indexed `bands_per_pass` at a time (one MinHashLSH per pass) to bound memory; the union of the passes
    is exactly the candidate set of a single index with all bands.
    """
    if bands * rows > sig.shape[1]:
        raise ValueError(f"{bands} bands x {rows} rows need {bands * rows} permutations, not {sig.shape[1]}")
    order = [int(p) for p in positions]
    pairs: set[tuple[int, int]] = set()
    for first in range(0, bands, bands_per_pass):
        b = min(bands_per_pass, bands - first)
        lo, hi = first * rows, (first + b) * rows
        lsh = MinHashLSH(threshold=0.5, num_perm=b * rows, params=(b, rows))
        probe = MinHash(num_perm=b * rows, hashfunc=_identity)
        block = np.ascontiguousarray(sig[:, lo:hi])
        for p in order:
            probe.hashvalues = block[p]
            for c in lsh.query(probe):
                pairs.add((c, p))
            lsh.insert(p, probe, check_duplication=False)
        # MinHashLSH refers to itself (a bound method in an attribute): only the cycle collector frees it,
        # and find_duplicates runs with automatic collection off
        del lsh, probe
        gc.collect()
    return pairs


@dataclass
class Duplicates:
    """Duplicate structure of a sequence of texts, by position."""

    n: int
    roots: list[int]
    exact_pairs: list[tuple[int, int]] = field(default_factory=list)  # (first copy, later copy)
    near_pairs: list[tuple[int, int, float]] = field(default_factory=list)  # verified (i, j, jaccard)
    candidates: int = 0

    def clusters(self) -> list[list[int]]:
        """Clusters of two or more positions, each sorted, in order of their first position."""
        groups: dict[int, list[int]] = defaultdict(list)
        for i, r in enumerate(self.roots):
            groups[r].append(i)
        return sorted((g for g in groups.values() if len(g) > 1), key=lambda g: g[0])


def find_duplicates(
    texts: Sequence[str],
    *,
    threshold: float,
    shingle_size: int = SHINGLE_SIZE,
    bands_per_pass: int = BANDS_PER_PASS,
    seed: int = MINHASH_SEED,
    on_progress: ProgressFn | None = None,
) -> Duplicates:
    """Exact (sha256) and near (verified Jaccard >= threshold) duplicates among `texts`.

    `texts` is read once in order for hashing and then by position for verifying candidates, so a lazy
    sequence (texts on disk, generated texts) works without holding every string in memory.
    """
    # the index is millions of small sets and lists without reference cycles: the cyclic GC would only
    # rescan them again and again (15% of the time at 200k articles, more as the index grows)
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _find_duplicates(texts, threshold=threshold, shingle_size=shingle_size,
                                bands_per_pass=bands_per_pass, seed=seed, on_progress=on_progress)
    finally:
        if gc_was_enabled:
            gc.enable()


def _find_duplicates(
    texts: Sequence[str],
    *,
    threshold: float,
    shingle_size: int,
    bands_per_pass: int,
    seed: int,
    on_progress: ProgressFn | None,
) -> Duplicates:
    bands, rows = lsh_params(threshold)
    n = len(texts)
    uf = UnionFind(n)
    first_copy: dict[bytes, int] = {}
    exact_pairs: list[tuple[int, int]] = []
    unique: list[int] = []  # first copy of each text: only these go into the LSH index
    hasher = _ShingleHasher(shingle_size)
    m = MinHash(num_perm=bands * rows, seed=seed, hashfunc=_identity)
    sig = np.empty((n, bands * rows), dtype=np.uint32)
    for i in range(n):
        text = texts[i]
        digest = hashlib.sha256(text.encode("utf-8")).digest()
        j = first_copy.setdefault(digest, i)
        if j != i:
            exact_pairs.append((j, i))
            uf.union(j, i)
            continue
        hv = hasher(text)
        if not len(hv):
            continue  # no words: nothing to compare (an identical empty text is an exact duplicate above)
        m.clear()
        m.update_batch(hv.tolist())
        sig[i] = m.hashvalues
        unique.append(i)
        if on_progress is not None and (i + 1) % 10_000 == 0:
            on_progress(i + 1)
    del first_copy
    pairs = candidate_pairs(sig, unique, bands=bands, rows=rows, bands_per_pass=bands_per_pass)
    del sig
    near: list[tuple[int, int, float]] = []
    cache: dict[int, set[tuple[str, ...]]] = {}

    def shingle_set(p: int) -> set[tuple[str, ...]]:
        s = cache.get(p)
        if s is None:
            if len(cache) > 4096:
                cache.clear()
            s = cache[p] = shingles(texts[p], size=shingle_size)
        return s

    # sorted by the later article, so each article is checked against its candidates in input order
    for i, j in sorted(pairs, key=lambda ij: (ij[1], ij[0])):
        if uf.find(i) == uf.find(j):
            continue  # already joined through another member: the exact check would change nothing
        score = jaccard(shingle_set(i), shingle_set(j))
        if score >= threshold:
            uf.union(i, j)
            near.append((i, j, score))
    return Duplicates(n=n, roots=[uf.find(i) for i in range(n)], exact_pairs=exact_pairs, near_pairs=near,
                      candidates=len(pairs))


# --------------------------------------------------------------------------------------------- quotes
def speaker_key(record: ArticleRecord, quote_index: int) -> str | None:
    """The resolved speaker of a quote: its canonical id, else its lower-cased name; None when unknown."""
    sp = record.quotes[quote_index].speaker
    if sp is None:
        return None
    if sp.canonical_id:
        return sp.canonical_id
    return sp.name.strip().lower() if sp.name and sp.name.strip() else None


def quote_clusters(records: Sequence[ArticleRecord], *, min_ratio: int = QUOTE_RATIO) -> dict[tuple[int, int], str]:
    """`quote_cluster` id for every quote, keyed by (record position, quote index).

    Quotes are blocked by speaker and compared with rapidfuzz `cdist` (ratio, default_process) in chunks;
    quotes without a resolved speaker stay alone. A cluster is named after its first member.
    """
    blocks: dict[str, list[tuple[int, int]]] = defaultdict(list)
    alone: list[tuple[int, int]] = []
    for r, rec in enumerate(records):
        for q in range(len(rec.quotes)):
            key = speaker_key(rec, q)
            (blocks[key] if key is not None else alone).append((r, q))
    ids = {}

    def name(member: tuple[int, int]) -> str:
        rec = records[member[0]]
        return f"qc:{rec.doc_id}:{rec.quotes[member[1]].id}"

    for member in alone:
        ids[member] = name(member)
    for key in sorted(blocks):
        members = blocks[key]
        # identical processed texts are one quote already; compare each distinct text once
        by_text: dict[str, list[int]] = defaultdict(list)
        for k, (r, q) in enumerate(members):
            by_text[default_process(records[r].quotes[q].text)].append(k)
        distinct = list(by_text)
        uf = UnionFind(len(members))
        for ks in by_text.values():
            for k in ks[1:]:
                uf.union(ks[0], k)
        if len(distinct) > 1:
            for lo in range(0, len(distinct), _CHUNK):
                chunk = distinct[lo : lo + _CHUNK]
                scores = process.cdist(chunk, distinct[lo:], scorer=fuzz.ratio, processor=default_process,
                                       dtype=np.uint8, score_cutoff=min_ratio)
                for a, b in zip(*np.nonzero(scores), strict=True):
                    ia, ib = lo + int(a), lo + int(b)
                    if ib > ia and distinct[ia] and distinct[ib]:
                        uf.union(by_text[distinct[ia]][0], by_text[distinct[ib]][0])
        first: dict[int, tuple[int, int]] = {}
        for k, member in enumerate(members):  # members are in input order, so the first seen is the first
            first.setdefault(uf.find(k), member)
        for k, member in enumerate(members):
            ids[member] = name(first[uf.find(k)])
    return ids


# -------------------------------------------------------------------------------------------- records
@dataclass
class DedupeSummary:
    articles: int = 0
    exact_duplicates: int = 0
    near_duplicates: int = 0
    clusters: int = 0
    candidates: int = 0
    near_pairs: list[tuple[int, int, float]] = field(default_factory=list)
    quotes: int = 0
    quote_clusters: int = 0
    shared_quotes: int = 0
    measures: int = 0
    measure_clusters: int = 0
    shared_measures: int = 0  # measure clusters reported by 2+ articles
    seconds: float = 0.0

    @property
    def duplicates(self) -> int:
        return self.exact_duplicates + self.near_duplicates

    def line(self) -> str:
        return (
            f"{self.articles} articles: {self.duplicates} duplicates ({self.exact_duplicates} exact, "
            f"{self.near_duplicates} near) in {self.clusters} clusters; {self.quotes} quotes in "
            f"{self.quote_clusters} quote clusters ({self.shared_quotes} carried by 2+ articles); {self.measures} "
            f"measures in {self.measure_clusters} measure clusters ({self.shared_measures} reported by 2+ articles)"
        )


def _published_key(rec: ArticleRecord) -> tuple[int, str]:
    iso = to_iso_date(rec.source.published)
    return (0, iso) if iso else (1, "")  # undated articles come after dated ones


def dedupe_records(
    records: Iterable[ArticleRecord],
    *,
    settings: Settings,
    threshold: float | None = None,
    on_progress: ProgressFn | None = None,
) -> tuple[list[ArticleRecord], DedupeSummary]:
    """Mark duplicate articles (`duplicate_of`, `dup_cluster`), quote clusters (`quote_cluster`) and measure
    clusters (`measure_cluster`)."""
    t0 = time.perf_counter()
    recs = list(records)
    thr = settings.dedupe_threshold if threshold is None else threshold
    if not 0 < thr <= 1:
        raise ValueError(f"threshold must be in (0, 1], got {thr}")
    dups = find_duplicates([r.text for r in recs], threshold=thr, on_progress=on_progress)
    summary = DedupeSummary(articles=len(recs), candidates=dups.candidates, near_pairs=dups.near_pairs)
    duplicate_of: dict[int, int] = {}  # position -> position of its representative
    cluster_of: dict[int, str] = {}
    used: set[str] = set()
    for members in dups.clusters():
        rep = min(members, key=lambda p: (_published_key(recs[p]), p))
        cid = f"dup:{recs[rep].doc_id}"
        if cid in used:  # two articles with one doc_id represent two clusters: keep the ids apart
            cid = f"{cid}@{rep}"
        used.add(cid)
        summary.clusters += 1
        for p in members:
            cluster_of[p] = cid
            if p != rep:
                duplicate_of[p] = rep
    # exact: articles whose text repeats an earlier one; near: the other marked duplicates of their clusters
    summary.exact_duplicates = len(dups.exact_pairs)
    summary.near_duplicates = len(duplicate_of) - summary.exact_duplicates
    qc = quote_clusters(recs)
    summary.quotes = len(qc)
    sizes: dict[str, set[int]] = defaultdict(set)
    for (r, _), cid in qc.items():
        sizes[cid].add(r)
    summary.quote_clusters = len(sizes)
    summary.shared_quotes = sum(1 for docs in sizes.values() if len(docs) > 1)
    from pipeline.corpus.measure_clusters import measure_clusters  # it uses this module's UnionFind

    mc = measure_clusters(recs, reports=[cluster_of.get(p, f"record:{p}") for p in range(len(recs))])
    summary.measures = len(mc)
    m_docs: dict[str, set[int]] = defaultdict(set)
    for (r, _), cid in mc.items():
        m_docs[cid].add(r)
    summary.measure_clusters = len(m_docs)
    summary.shared_measures = sum(1 for docs in m_docs.values() if len(docs) > 1)
    out: list[ArticleRecord] = []
    for p, rec in enumerate(recs):
        quotes = [q.model_copy(update={"quote_cluster": qc[(p, k)]}) for k, q in enumerate(rec.quotes)]
        measures = [m.model_copy(update={"measure_cluster": mc[(p, k)]}) for k, m in enumerate(rec.measures)]
        rep_id = recs[duplicate_of[p]].doc_id if p in duplicate_of else None
        out.append(rec.model_copy(update={"duplicate_of": rep_id, "dup_cluster": cluster_of.get(p), "quotes": quotes,
                                          "measures": measures}))
    summary.seconds = time.perf_counter() - t0
    return out, summary


def dedupe_file(
    input_path: Path,
    output_path: Path,
    *,
    settings: Settings,
    threshold: float | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> DedupeSummary:
    """`dedupe_records` over a records JSONL file, written atomically to `output_path`."""
    out, summary = dedupe_records(read_records(input_path), settings=settings, threshold=threshold,
                                  on_progress=on_progress)
    write_records(output_path, out)
    return summary
