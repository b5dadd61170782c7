"""Scale bench of the dedupe core: `python -m pipeline.corpus.bench_dedupe [--sizes 10000,100000,1000000]`.

For each size a child process generates a synthetic corpus with a known duplicate structure (texts of
~200 words drawn from a fixed Zipf-distributed vocabulary with a seeded RNG, plus planted exact copies
and near copies with 1-3% of their words changed), runs `find_duplicates` on it and reports pairwise
precision/recall of the clusters against the planted structure, the time of the dedupe core, and the
child's peak RSS (from `os.wait4`, so each size is measured on its own).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, overload

import numpy as np

from pipeline.corpus.dedupe import find_duplicates, jaccard, shingles

VOCAB_SIZE = 20_000
WORDS = (170, 231)  # words per original text: uniform in [170, 231)
EXACT_SHARE = 0.03  # planted exact copies
NEAR_SHARE = 0.04  # planted near copies
CHANGE_RATE = (0.01, 0.03)  # share of words changed in a near copy
_SYLLABLES = [c + v for c in "bcdfghjklmnprstvwz" for v in ("a", "e", "i", "o", "u", "ai", "ou")]


def make_vocab(rng: np.random.Generator, size: int) -> list[str]:
    """`size` distinct pseudo-words of 1-4 syllables."""
    seen: dict[str, None] = {}
    while len(seen) < size:
        n = int(rng.integers(1, 5))
        seen.setdefault("".join(_SYLLABLES[int(k)] for k in rng.integers(0, len(_SYLLABLES), n)), None)
    return list(seen)


class SyntheticCorpus(Sequence[str]):
    """Texts stored as word ids (uint16) and joined on access, so 1M texts fit in ~0.5 GB."""

    def __init__(self, vocab: list[str], ids: np.ndarray, offsets: np.ndarray) -> None:
        self.vocab, self.ids, self.offsets = vocab, ids, offsets

    def __len__(self) -> int:
        return len(self.offsets) - 1

    @overload
    def __getitem__(self, i: int) -> str: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[str]: ...
    def __getitem__(self, i: int | slice) -> str | Sequence[str]:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        return " ".join(map(self.vocab.__getitem__, self.ids[self.offsets[i] : self.offsets[i + 1]].tolist()))


@dataclass
class Planted:
    corpus: SyntheticCorpus
    origin: np.ndarray  # truth cluster label per text (position of the original it copies, or itself)
    exact: int
    near: int
    near_below: int  # planted near copies whose true Jaccard fell under the threshold (not counted as duplicates)


def generate(n: int, *, seed: int, threshold: float) -> Planted:
    """A corpus of `n` texts with planted exact and near copies of earlier originals."""
    rng = np.random.default_rng(seed)
    vocab = make_vocab(rng, VOCAB_SIZE)
    weights = 1.0 / (np.arange(VOCAB_SIZE) + 2.7)  # Zipf-Mandelbrot: a few very common words, as in news text
    cdf = np.cumsum(weights / weights.sum())
    kind = rng.choice(3, size=n, p=[1 - EXACT_SHARE - NEAR_SHARE, EXACT_SHARE, NEAR_SHARE])
    kind[0] = 0
    lengths = rng.integers(WORDS[0], WORDS[1], size=n)
    origin = np.arange(n)
    originals = np.flatnonzero(kind == 0)
    for c in np.flatnonzero(kind != 0).tolist():
        # copy a random earlier original (originals before c)
        k = int(np.searchsorted(originals, c))
        origin[c] = originals[int(rng.integers(0, k))]
    # one flat array of word ids; a near copy is at most a few % longer than its original
    ids = np.empty(n * (WORDS[1] + 8), dtype=np.uint16)
    starts = np.zeros(n + 1, dtype=np.int64)
    near_rows: list[int] = []
    for i in range(n):
        if kind[i] == 0:
            words = np.searchsorted(cdf, rng.random(int(lengths[i]))).astype(np.uint16)
        else:
            o = int(origin[i])
            words = ids[starts[o] : starts[o + 1]]
            if kind[i] == 2:
                words = _mutate(words, rng, cdf)
                near_rows.append(i)
        starts[i + 1] = starts[i] + len(words)
        ids[starts[i] : starts[i + 1]] = words
    ids = ids[: starts[n]]
    corpus = SyntheticCorpus(vocab, ids, starts)
    below = 0
    for i in near_rows:
        if jaccard(shingles(corpus[i]), shingles(corpus[int(origin[i])])) < threshold:
            origin[i] = i  # not a duplicate at this threshold: the truth keeps it apart
            below += 1
    return Planted(corpus, origin, int((kind == 1).sum()), len(near_rows) - below, below)


def _mutate(words: np.ndarray, rng: np.random.Generator, cdf: np.ndarray) -> np.ndarray:
    """Change 1-3% of the words: substitutions mostly, some deletions and insertions."""
    out = list(words.tolist())
    changes = max(1, round(len(out) * rng.uniform(*CHANGE_RATE)))
    for _ in range(changes):
        pos = int(rng.integers(0, len(out)))
        new = int(np.searchsorted(cdf, rng.random()))
        op = rng.random()
        if op < 0.7:
            out[pos] = new
        elif op < 0.85 and len(out) > 1:
            del out[pos]
        else:
            out.insert(pos, new)
    return np.array(out, dtype=np.uint16)


def pair_scores(truth: np.ndarray, found: Sequence[int]) -> tuple[float, float, int, int]:
    """Pairwise precision and recall of a clustering against the truth (pairs in the same cluster)."""

    def pairs(counts: Counter[Any]) -> int:
        return sum(c * (c - 1) // 2 for c in counts.values())

    t = pairs(Counter(truth.tolist()))
    f = pairs(Counter(found))
    both = pairs(Counter(zip(truth.tolist(), found, strict=True)))
    return (both / f if f else 1.0), (both / t if t else 1.0), t, f


def run_child(n: int, *, seed: int, threshold: float) -> dict[str, Any]:
    t0 = time.perf_counter()
    planted = generate(n, seed=seed, threshold=threshold)
    gen_s = time.perf_counter() - t0
    t1, c1 = time.perf_counter(), time.process_time()
    dups = find_duplicates(planted.corpus, threshold=threshold)
    dedupe_s, cpu_s = time.perf_counter() - t1, time.process_time() - c1
    precision, recall, truth_pairs, found_pairs = pair_scores(planted.origin, dups.roots)
    import resource

    return {
        "articles": n,
        "planted_exact": planted.exact,
        "planted_near": planted.near,
        "planted_near_below_threshold": planted.near_below,
        "found_exact": len(dups.exact_pairs),
        "found_near_pairs": len(dups.near_pairs),
        "candidates": dups.candidates,
        "truth_pairs": truth_pairs,
        "found_pairs": found_pairs,
        "precision": round(precision, 5),
        "recall": round(recall, 5),
        "generate_s": round(gen_s, 1),
        "dedupe_s": round(dedupe_s, 1),
        "dedupe_cpu_s": round(cpu_s, 1),  # CPU time: what the scaling means on a shared machine
        "self_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def run_size(n: int, *, seed: int, threshold: float) -> dict[str, Any]:
    """Run one size in a child process; its peak RSS comes from `os.wait4` on that child alone."""
    cmd = [sys.executable, "-m", "pipeline.corpus.bench_dedupe", "--child", str(n), "--seed", str(seed),
           "--threshold", str(threshold)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"bench child for {n} articles failed with status {proc.returncode}")
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    result["peak_rss_mb"] = round(usage.ru_maxrss / 1024)
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--sizes", default="10000,100000,1000000", help="comma-separated corpus sizes")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--threshold", type=float, default=None, help="Jaccard threshold (default: Settings)")
    ap.add_argument("--json", action="store_true", help="print one JSON object per size instead of a table")
    ap.add_argument("--child", type=int, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.threshold is None:
        from pipeline.settings import Settings

        args.threshold = Settings().dedupe_threshold
    if args.child is not None:
        print(json.dumps(run_child(args.child, seed=args.seed, threshold=args.threshold)), flush=True)
        return 0
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    header = (f"{'articles':>10} {'precision':>9} {'recall':>7} {'dedupe s':>9} {'cpu s':>7} {'peak RSS MB':>11} "
              f"{'candidates':>10}")
    if not args.json:
        print(header)
    results = []
    for n in sizes:
        r = run_size(n, seed=args.seed, threshold=args.threshold)
        results.append(r)
        if args.json:
            print(json.dumps(r), flush=True)
        else:
            print(f"{r['articles']:>10,} {r['precision']:>9.4f} {r['recall']:>7.4f} {r['dedupe_s']:>9.1f} "
                  f"{r['dedupe_cpu_s']:>7.1f} {r['peak_rss_mb']:>11,} {r['candidates']:>10,}", flush=True)
    by_n = {r["articles"]: r for r in results}
    if 100_000 in by_n and 1_000_000 in by_n and not args.json:
        big, small = by_n[1_000_000], by_n[100_000]
        wall = big["dedupe_s"] / max(small["dedupe_s"], 1e-9)
        cpu = big["dedupe_cpu_s"] / max(small["dedupe_cpu_s"], 1e-9)
        print(f"time ratio 1M/100k: {wall:.1f} wall, {cpu:.1f} CPU (near-linear when <= 12)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
