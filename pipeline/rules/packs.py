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
from models.rules import (
    ENTRY_MODELS,
    CueEntry,
    MeasureLexicon,
    MeasureTriggerEntry,
    PatternLexicon,
    QuoteWords,
    RuleEntry,
    TitleEntry,
)

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
    origin: str  # "company.jsonl:12": what records carry as provenance
    where: str = ""  # the same with its folder, for messages: "my-rules/company.jsonl:12"


@dataclass
class RulePacks:
    """Every entry in use, by id, with where it came from, plus the lexicons."""

    entries: dict[str, LoadedEntry] = field(default_factory=dict)
    cues: list[CueEntry] = field(default_factory=list)
    titles: list[TitleEntry] = field(default_factory=list)
    patterns: PatternLexicon | None = None
    # the measure stage's triggers (in file order, user files after the built-in one) and word lists
    measure_triggers: list[MeasureTriggerEntry] = field(default_factory=list)
    measure_words: MeasureLexicon | None = None
    quote_words: QuoteWords | None = None
    version: str = ""
    sources: list[str] = field(default_factory=list)
    # a user entry that replaces a built-in (or earlier folder's) id: allowed, but said (an error with strict)
    warnings: list[PackProblem] = field(default_factory=list)

    def by_label(self, label: Label) -> list[LoadedEntry]:
        return [e for e in self.entries.values() if e.label is label]


def _read_jsonl(path: Path, model: type[BaseModel], problems: list[PackProblem]) -> list[tuple[int, BaseModel]]:
    out: list[tuple[int, BaseModel]] = []
    name = str(path)  # problems name the folder too: a user pack and the built-in one share file names
    try:
        data_lines = path.read_bytes().splitlines()
    except OSError as e:
        problems.append(PackProblem(name, 0, "", f"cannot read: {e.strerror or e}"))
        return out
    for n, raw_bytes in enumerate(data_lines, 1):
        try:
            line = raw_bytes.decode("utf-8").strip()
        except UnicodeDecodeError as e:
            problems.append(PackProblem(name, n, "", f"not UTF-8: {e.reason} at byte {e.start}"))
            continue
        if not line or line.startswith("//"):
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as e:
            msg = f"{e.msg} column {e.colno}" if e.msg.endswith(" at") else f"{e.msg} at column {e.colno}"
            problems.append(PackProblem(name, n, "", f"not JSON: {msg}"))
            continue
        except RecursionError:
            problems.append(PackProblem(name, n, "", "not JSON: nested too deeply to read"))
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
        except RecursionError:
            problems.append(PackProblem(name, n, "", "nested too deeply to validate"))
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


def load_rule_packs(
    *, extra_dirs: Iterable[Path | str] = (), include_builtin: bool = True, strict: bool = False
) -> RulePacks:
    """Load, validate and merge the packs; user dirs extend or override the built-in ones by id.

    Raises `PackError` listing every problem as folder/file:line:field. An entry that replaces an id of an
    earlier folder is a warning in `RulePacks.warnings` naming both places; with `strict` it is a problem.
    """
    dirs = _pack_dirs(extra_dirs) if include_builtin else [Path(p) for p in extra_dirs]
    problems: list[PackProblem] = []
    packs = RulePacks()
    digest = hashlib.sha256()
    measure_words: list[bytes] = []
    for d in dirs:
        if not d.is_dir():
            problems.append(PackProblem(str(d), 0, "", "rules folder does not exist"))
            continue
        local_ids: dict[str, str] = {}
        for path in sorted(p for p in d.iterdir() if p.is_file() and p.name.lower().endswith(".jsonl")):
            label = PACK_FILES.get(path.name)
            if label is None:
                lower = path.name.lower()
                hint = (f"pack file names are lower case: name it {lower}" if lower in PACK_FILES
                        else f"unknown pack file; expected one of {sorted(PACK_FILES)}")
                problems.append(PackProblem(str(path), 0, "", hint))
                continue
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
            packs.sources.append(str(path))
            for n, entry in _read_jsonl(path, ENTRY_MODELS[label], problems):
                assert isinstance(entry, RuleEntry)
                origin = f"{path.name}:{n}"
                where = f"{path}:{n}"
                if entry.label is not label:
                    problems.append(
                        PackProblem(str(path), n, "id", f"id prefix says {entry.label.value}, file holds {label.value}")
                    )
                    continue
                if entry.id in local_ids:
                    problems.append(
                        PackProblem(str(path), n, "id", f"duplicate id {entry.id!r} (first at {local_ids[entry.id]})")
                    )
                    continue
                local_ids[entry.id] = where
                replaced = packs.entries.get(entry.id)
                if replaced is not None:
                    note = PackProblem(str(path), n, "id", f"replaces {entry.id!r} of {replaced.where}")
                    (problems if strict else packs.warnings).append(note)
                if entry.enabled:
                    packs.entries[entry.id] = LoadedEntry(entry, label, origin, where)
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
        if (lex / "measures.jsonl").exists():
            digest.update((lex / "measures.jsonl").read_bytes())
            triggers = [t for _, t in _read_jsonl(lex / "measures.jsonl", MeasureTriggerEntry, problems)]
            packs.measure_triggers = _merge_triggers(packs.measure_triggers, triggers)  # type: ignore[arg-type]
        if (lex / "measure_words.json").exists():
            raw = (lex / "measure_words.json").read_bytes()
            digest.update(raw)
            measure_words.append(raw)
    packs.measure_words = _measure_lexicon(measure_words, problems)
    if packs.patterns is None and not problems:
        problems.append(PackProblem("lexicon/patterns.json", 0, "", "missing: the pattern lexicon is required"))
    if packs.quote_words is None and not problems:
        problems.append(PackProblem("lexicon/quotes.json", 0, "", "missing: the quote word lists are required"))
    problems += _alias_conflicts(packs)
    problems += _dangling_references(packs)
    if problems:
        raise PackError(problems)
    packs.version = digest.hexdigest()[:12]
    return packs


def _merge_cues(old: list[CueEntry], new: list[CueEntry]) -> list[CueEntry]:
    merged = {c.lemma: c for c in old}
    merged.update({c.lemma: c for c in new})
    return list(merged.values())


def _merge_triggers(old: list[MeasureTriggerEntry], new: list[MeasureTriggerEntry]) -> list[MeasureTriggerEntry]:
    """A user trigger with a built-in id replaces it in place; new ids go first, so a user's refinement
    (an entry with `near`) is tried before the built-in bare form."""
    by_id = {t.id: t for t in new}
    kept = [by_id.pop(t.id, t) for t in old]
    return [t for t in [*[t for t in new if t.id in by_id], *kept] if t.enabled]


def _measure_lexicon(raws: list[bytes], problems: list[PackProblem]) -> MeasureLexicon | None:
    """The built-in word lists, each extended by the user files (a user file may give only some lists)."""
    merged: dict[str, Any] = {}
    where = "lexicon/measure_words.json"
    for raw in raws:
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as e:
            problems.append(PackProblem(where, e.lineno, "", f"not JSON: {e.msg} at column {e.colno}"))
            continue
        if not isinstance(data, dict):
            problems.append(PackProblem(where, 1, "", "must be a JSON object"))
            continue
        for key, value in data.items():
            old = merged.get(key)
            if isinstance(old, list) and isinstance(value, list) and key != "status_order":
                merged[key] = [*old, *(v for v in value if v not in old)]
            elif isinstance(old, dict) and isinstance(value, dict):
                merged[key] = {
                    **old,
                    **{k: [*old.get(k, []), *(v for v in vs if v not in old.get(k, []))] for k, vs in value.items()},
                }
            else:
                merged[key] = value
    if not merged:
        return None
    try:
        return MeasureLexicon.model_validate(merged)
    except ValidationError as e:
        for err in e.errors():
            loc = ".".join(str(x) for x in err["loc"])
            problems.append(PackProblem(where, 0, loc, err["msg"]))
        return None


def _merge_titles(old: list[TitleEntry], new: list[TitleEntry]) -> list[TitleEntry]:
    merged = {t.title.lower(): t for t in old}
    merged.update({t.title.lower(): t for t in new})
    return list(merged.values())


REFERENCE_FIELDS = ("vendor", "org", "parent")  # fields whose value is the id of another entry


def _dangling_references(packs: RulePacks) -> list[PackProblem]:
    """A field that names another entry's id (a chip's vendor, a person's org, an agency's parent) must name
    one that exists once every folder is merged."""
    problems = []
    for le in packs.entries.values():
        for name in REFERENCE_FIELDS:
            ref = getattr(le.entry, name, None)
            if isinstance(ref, str) and ":" in ref and ref not in packs.entries:
                file, _, line = le.where.rpartition(":")
                problems.append(PackProblem(file, int(line), name, f"{ref!r} is no entry of the packs"))
    return problems


def _alias_conflicts(packs: RulePacks) -> list[PackProblem]:
    """An exact surface form claimed by two entries is ambiguous: report both places."""
    owner: dict[str, LoadedEntry] = {}
    problems: list[PackProblem] = []
    for le in packs.entries.values():
        for form in le.entry.surface_forms():
            prev = owner.get(form)
            if prev is not None and prev.entry.id != le.entry.id:
                file, _, line = le.where.rpartition(":")
                problems.append(
                    PackProblem(
                        file, int(line), "aliases", f"{form!r} is also claimed by {prev.entry.id} ({prev.where})"
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
        for form in _apostrophe_variants(e.surface_forms()):
            insensitive = _insensitive(form, e.case, le.label)
            target = lower if insensitive else exact
            # the lower-case ruler compares LOWER, so the pattern keeps its case: lower-cased first, "U.S."
            # would tokenize as "u.s" "." and never match the text's "U.S."
            target.append({"label": le.label.value, "pattern": form, "id": e.id})
            if (le.label is Label.CHIP and form[-1:].isdigit()) or (le.label is Label.CHIP and form[-1:].isupper()):
                exact.append({"label": le.label.value, "pattern": form + "s", "id": e.id})
    return exact, lower


def _apostrophe_variants(forms: list[str]) -> list[str]:
    """The forms, each with an apostrophe also in its curly spelling: modern copy writes “People’s Republic”."""
    out = dict.fromkeys(forms)
    for f in forms:
        if "'" in f:
            out.setdefault(f.replace("'", "\u2019"), None)
    return list(out)


def _insensitive(form: str, case: str, label: Label) -> bool:
    if case == "sensitive":
        return False
    if case == "insensitive" or label is Label.MATERIAL:
        return True
    words = form.split()
    return len(words) > 1 and not form.isupper()


# -------------------------------------------------------------------------------------------- fields
FIELD_MEANINGS: dict[str, str] = {
    "id": "`<label>:<slug>`, unique; a user entry with a built-in id replaces it (a warning; an error with --strict)",
    "name": "preferred name (the record's canonical_name)",
    "aliases": "other surface forms matched in the text",
    "case": "auto (single words and acronyms exact, longer names in any case), sensitive or insensitive",
    "enabled": "false removes a built-in entry of the same id",
    "note": "free text for rule authors",
    "country": "ISO 3166 alpha-2 code (or EU, INTL ...)",
    "jurisdiction": "ISO 3166 alpha-2 code of the government behind it (or EU, INTL ...)",
    "iso": "ISO 3166 alpha-2 code of the country or bloc",
    "vendor": "id of the company entry that makes the chip (must exist)",
    "org": "id of the entry the person works for (must exist)",
    "parent": "id of the parent agency (must exist)",
}


def field_table() -> str:
    """Which fields each pack file takes, from the pydantic models themselves (the README shows this text)."""
    from models.rules import ENTRY_MODELS

    lines = ["| file | label | fields (* required) |", "|---|---|---|"]
    for label, model in ENTRY_MODELS.items():
        fields = [f"`{name}`{'*' if info.is_required() else ''}" for name, info in model.model_fields.items()]
        lines.append(f"| `{label.value.lower()}.jsonl` | {label.value} | {', '.join(fields)} |")
    lines += ["", "| field | meaning |", "|---|---|"]
    lines += [f"| `{name}` | {meaning} |" for name, meaning in FIELD_MEANINGS.items()]
    lines += ["", "Cues, titles and the pattern word lists go in `<rules>/lexicon/` (`cues.jsonl`, `titles.jsonl`, "
              "`patterns.json`), measure triggers in `<rules>/lexicon/measures.jsonl` and `measure_words.json`; "
              "a user file extends the built-in one."]
    return "\n".join(lines) + "\n"


def packs_to_json(packs: RulePacks) -> dict[str, Any]:
    """The packs as JSON data, for a pipeline saved with `nlp.to_disk` (see `packs_from_json`)."""

    def dump(model: BaseModel | None) -> Any:
        return None if model is None else model.model_dump(mode="json", exclude_unset=True)

    return {
        "version": packs.version,
        "sources": packs.sources,
        "entries": [
            {"label": e.label.value, "origin": e.origin, "where": e.where, "entry": dump(e.entry)}
            for e in packs.entries.values()
        ],
        "cues": [dump(c) for c in packs.cues],
        "titles": [dump(t) for t in packs.titles],
        "patterns": dump(packs.patterns),
        "measure_triggers": [dump(t) for t in packs.measure_triggers],
        "measure_words": dump(packs.measure_words),
        "quote_words": dump(packs.quote_words),
    }


def packs_from_json(data: dict[str, Any]) -> RulePacks:
    """The packs `packs_to_json` wrote, validated again by the same models (the provenance kept)."""

    def load(model: type[M], raw: Any) -> M | None:
        return None if raw is None else model.model_validate(raw)

    packs = RulePacks(version=data["version"], sources=list(data["sources"]))
    for row in data["entries"]:
        label = Label(row["label"])
        entry = ENTRY_MODELS[label].model_validate(row["entry"])
        assert isinstance(entry, RuleEntry)
        packs.entries[entry.id] = LoadedEntry(entry, label, row["origin"], row["where"])
    packs.cues = [CueEntry.model_validate(c) for c in data["cues"]]
    packs.titles = [TitleEntry.model_validate(t) for t in data["titles"]]
    packs.patterns = load(PatternLexicon, data["patterns"])
    packs.measure_triggers = [MeasureTriggerEntry.model_validate(t) for t in data["measure_triggers"]]
    packs.measure_words = load(MeasureLexicon, data["measure_words"])
    packs.quote_words = load(QuoteWords, data["quote_words"])
    return packs
