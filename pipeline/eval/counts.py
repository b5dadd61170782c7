"""Counts and the scores they give, shared by the entity, quote, measure and PolNeAR metrics."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class PRF:
    """True positives, false positives, false negatives and the scores they give (0.0 on an empty denominator)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def p(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def r(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        return 2 * self.tp / (2 * self.tp + self.fp + self.fn) if self.tp else 0.0

    def add(self, other: PRF) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    def as_dict(self) -> dict[str, float | int]:
        return {
            "p": round(self.p, 4),
            "r": round(self.r, 4),
            "f1": round(self.f1, 4),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


@dataclass
class Acc:
    """An accuracy over `total` judged items; `value` is None when nothing was judged."""

    correct: int = 0
    total: int = 0

    def judge(self, ok: bool) -> None:
        self.total += 1
        self.correct += int(ok)

    @property
    def value(self) -> float | None:
        return self.correct / self.total if self.total else None

    def as_dict(self) -> dict[str, float | int | None]:
        v = self.value
        return {"acc": None if v is None else round(v, 4), "correct": self.correct, "total": self.total}
