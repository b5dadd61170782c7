"""Load and validate the rule packs (one JSONL file per label) and the lexicons."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from models.records import Label
from models.rules import ENTRY_MODELS, CueEntry, PatternLexicon, QuoteWords, RuleEntry, TitleEntry

PACK_FILES: dict[str, Label] = {f"{label.value.lower()}.jsonl": label for label in Label}


def builtin_rules_dir() -> Path:
    """The folder of the packs shipped with tradex."""
    return Path(str(resources.files("pipeline") / "rules"))


@dataclass(frozen=True)
class PackProblem:
    """One validation problem, located at file:line:field."""

    path: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        loc = f"{self.path}:{self.line}" + (f":{self.field}" if self.field else "")
        return f"{loc}: {self.message}"


class PackError(ValueError):
    """Raised when packs do not validate; carries every problem found."""

    def __init__(self, problems: list[PackProblem]):
        self.problems = problems
        head = "\n".join(str(p) for p in problems[:20])
        more = f"\n... and {len(problems) - 20} more" if len(problems) > 20 else ""
        super().__init__(f"{len(problems)} rule-pack problem(s):\n{head}{more}")


@dataclass
class LoadedEntry:
    entry: RuleEntry
    label: Label
    origin: str  # "company.jsonl:12"


@dataclass
class RulePacks:
    """Every entry in use, by id, with where it came from, plus the lexicons."""

    entries: dict[str, LoadedEntry] = field(default_factory=dict)
    cues: list[CueEntry] = field(default_factory=list)
    titles: list[TitleEntry] = field(default_factory=list)
    patterns: PatternLexicon | None = None
    quote_words: QuoteWords | None = None
    version: str = ""
    sources: list[str] = field(default_factory=list)

    def by_label(self, label: Label) -> list[LoadedEntry]:
        return [e for e in self.entries.values() if e.label is label]


def _read_jsonl(path: Path, model: type[BaseModel], problems: list[PackProblem]) -> list[tuple[int, BaseModel]]:
    out: list[tuple[int, BaseModel]] = []
    name = path.name
    with path.open(encoding="utf-8") as fh:
        for n, raw in enumerate(fh, 1):
            line = raw.strip()
            if not line or line.startswith("//"):
                continue
            try:
                data = json.loads(line)
            except json.JSONDecodeError as e:
                problems.append(PackProblem(name, n, "", f"not JSON: {e.msg} at column {e.colno}"))
                continue
            if not isinstance(data, dict):
                problems.append(PackProblem(name, n, "", "each line must be a JSON object"))
                continue
            try:
                out.append((n, model.model_validate(data)))
            except ValidationError as e:
                for err in e.errors():
                    loc = ".".join(str(x) for x in err["loc"])
                    problems.append(PackProblem(name, n, loc, err["msg"]))
    return out


M = TypeVar("M", bound=BaseModel)


def _read_json(path: Path, model: type[M], digest: Any, problems: list[PackProblem]) -> M | None:
    """One JSON lexicon file (a later folder's file replaces the whole lexicon), or None when absent."""
    if not path.exists():
        return None
    raw = path.read_bytes()
    digest.update(raw)
    try:
        return model.model_validate_json(raw)
    except ValidationError as e:
        for err in e.errors():
            loc = ".".join(str(x) for x in err["loc"])
            problems.append(PackProblem(f"lexicon/{path.name}", 0, loc, err["msg"]))
        return None


def _pack_dirs(extra: Iterable[Path | str] = ()) -> list[Path]:
    return [builtin_rules_dir(), *[Path(p) for p in extra]]


def load_rule_packs(*, extra_dirs: Iterable[Path | str] = (), include_builtin: bool = True) -> RulePacks:
    """Load, validate and merge the packs; user dirs extend or override the built-in ones by id.

    Raises `PackError` listing every problem as file:line:field.
    """
    dirs = _pack_dirs(extra_dirs) if include_builtin else [Path(p) for p in extra_dirs]
    problems: list[PackProblem] = []
    packs = RulePacks()
    digest = hashlib.sha256()
    for d in dirs:
        if not d.is_dir():
            problems.append(PackProblem(str(d), 0, "", "rules folder does not exist"))
            continue
        local_ids: dict[str, str] = {}
        for path in sorted(d.glob("*.jsonl")):
            label = PACK_FILES.get(path.name)
            if label is None:
                problems.append(
                    PackProblem(path.name, 0, "", f"unknown pack file; expected one of {sorted(PACK_FILES)}")
                )
                continue
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
            packs.sources.append(str(path))
            for n, entry in _read_jsonl(path, ENTRY_MODELS[label], problems):
                assert isinstance(entry, RuleEntry)
                origin = f"{path.name}:{n}"
                if entry.label is not label:
                    problems.append(
                        PackProblem(path.name, n, "id", f"id prefix says {entry.label.value}, file holds {label.value}")
                    )
                    continue
                if entry.id in local_ids:
                    problems.append(
                        PackProblem(path.name, n, "id", f"duplicate id {entry.id!r} (first at {local_ids[entry.id]})")
                    )
                    continue
                local_ids[entry.id] = origin
                if entry.enabled:
                    packs.entries[entry.id] = LoadedEntry(entry, label, origin)
                else:
                    packs.entries.pop(entry.id, None)
        lex = d / "lexicon"
        if (lex / "cues.jsonl").exists():
            digest.update((lex / "cues.jsonl").read_bytes())
            cues = [c for _, c in _read_jsonl(lex / "cues.jsonl", CueEntry, problems)]
            packs.cues = _merge_cues(packs.cues, cues)  # type: ignore[arg-type]
        if (lex / "titles.jsonl").exists():
            digest.update((lex / "titles.jsonl").read_bytes())
            titles = [t for _, t in _read_jsonl(lex / "titles.jsonl", TitleEntry, problems)]
            packs.titles = _merge_titles(packs.titles, titles)  # type: ignore[arg-type]
        packs.patterns = _read_json(lex / "patterns.json", PatternLexicon, digest, problems) or packs.patterns
        packs.quote_words = _read_json(lex / "quotes.json", QuoteWords, digest, problems) or packs.quote_words
    if packs.patterns is None and not problems:
        problems.append(PackProblem("lexicon/patterns.json", 0, "", "missing: the pattern lexicon is required"))
    if packs.quote_words is None and not problems:
        problems.append(PackProblem("lexicon/quotes.json", 0, "", "missing: the quote word lists are required"))
    problems += _alias_conflicts(packs)
    if problems:
        raise PackError(problems)
    packs.version = digest.hexdigest()[:12]
    return packs


def _merge_cues(old: list[CueEntry], new: list[CueEntry]) -> list[CueEntry]:
    merged = {c.lemma: c for c in old}
    merged.update({c.lemma: c for c in new})
    return list(merged.values())


def _merge_titles(old: list[TitleEntry], new: list[TitleEntry]) -> list[TitleEntry]:
    merged = {t.title.lower(): t for t in old}
    merged.update({t.title.lower(): t for t in new})
    return list(merged.values())


def _alias_conflicts(packs: RulePacks) -> list[PackProblem]:
    """An exact surface form claimed by two entries is ambiguous: report both places."""
    owner: dict[str, LoadedEntry] = {}
    problems: list[PackProblem] = []
    for le in packs.entries.values():
        for form in le.entry.surface_forms():
            prev = owner.get(form)
            if prev is not None and prev.entry.id != le.entry.id:
                file, _, line = le.origin.partition(":")
                problems.append(
                    PackProblem(
                        file, int(line), "aliases", f"{form!r} is also claimed by {prev.entry.id} ({prev.origin})"
                    )
                )
            else:
                owner[form] = le
    return problems


@lru_cache(maxsize=8)
def cached_packs(rules_dirs: tuple[str, ...] = ()) -> RulePacks:
    """Packs are immutable data; every component of a process shares one load."""
    return load_rule_packs(extra_dirs=rules_dirs)


def pack_patterns(packs: RulePacks) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """SpanRuler patterns for the exact (ORTH) and the lower-case (LOWER) ruler.

    `case: auto` matches single words and ALL-CAPS forms exactly and longer names in any case;
    materials are always case-insensitive. Chip names also get their plural (`H20s`).
    """
    exact: list[dict[str, Any]] = []
    lower: list[dict[str, Any]] = []
    for le in packs.entries.values():
        e = le.entry
        for form in e.surface_forms():
            insensitive = _insensitive(form, e.case, le.label)
            target = lower if insensitive else exact
            pat = {"label": le.label.value, "pattern": form.lower() if insensitive else form, "id": e.id}
            target.append(pat)
            if (le.label is Label.CHIP and form[-1:].isdigit()) or (le.label is Label.CHIP and form[-1:].isupper()):
                exact.append({"label": le.label.value, "pattern": form + "s", "id": e.id})
    return exact, lower


def _insensitive(form: str, case: str, label: Label) -> bool:
    if case == "sensitive":
        return False
    if case == "insensitive" or label is Label.MATERIAL:
        return True
    words = form.split()
    return len(words) > 1 and not form.isupper()
