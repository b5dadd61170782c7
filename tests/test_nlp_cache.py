"""Built pipelines cached on disk (`pipeline/nlp_cache.py`): reused only when nothing the build reads changed."""

from __future__ import annotations

import json

import pytest

from pipeline.nlp import build_nlp
from pipeline.nlp_cache import CACHE_ENV, cache_dir, cache_key, load_nlp
from pipeline.settings import Settings
from tests.conftest import record_of

TEXT = "BEIJING, March 3 - China's commerce ministry said it would restrict gallium exports from August 1."


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    return tmp_path / "cache" / "pipelines"


def test_second_load_is_the_cached_pipeline(cache):
    s = Settings(model="none")
    first = load_nlp(s)
    files = list(cache.glob("*.pkl"))
    assert cache_dir() == cache and [f.stem for f in files] == [cache_key(s)]
    again = load_nlp(s)
    assert again is not first
    assert record_of(again, TEXT).model_dump() == record_of(build_nlp(s), TEXT).model_dump()


@pytest.mark.parametrize(
    "change, new_key",
    [
        ({"workers": 2}, False),  # how a run is laid out is not part of the pipeline
        ({"partition_size": 7}, False),
        ({"quotes": {"parse": False}}, True),
        ({"entities": {"ner_window": 3}}, True),
        ({"measures": False}, True),
        ({"max_chars": 5000}, True),
    ],
)
def test_key_follows_the_settings_the_build_reads(change, new_key):
    base = Settings(model="none")
    assert (cache_key(Settings.model_validate({"model": "none", **change})) != cache_key(base)) is new_key


def test_key_follows_the_bytes_of_a_rules_file(tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    pack = rules / "company.jsonl"
    pack.write_text(json.dumps({"id": "company:harbor-ridge", "name": "Harbor Ridge"}) + "\n", encoding="utf-8")
    s = Settings(model="none", rules_dirs=[rules])
    before = cache_key(s)
    assert before != cache_key(Settings(model="none"))
    pack.write_text(json.dumps({"id": "company:harbor-ridge", "name": "Harbor Ridge Co"}) + "\n", encoding="utf-8")
    assert cache_key(s) != before


def test_unreadable_cache_file_is_rebuilt(cache):
    s = Settings(model="none")
    load_nlp(s)
    path = cache / f"{cache_key(s)}.pkl"
    path.write_bytes(b"not a pickle")
    nlp = load_nlp(s)
    assert record_of(nlp, TEXT).entities and path.stat().st_size > 1_000_000  # written again, whole


def test_cache_off_writes_nothing(cache):
    load_nlp(Settings(model="none", cache_pipeline=False))
    assert not cache.exists() or not list(cache.glob("*.pkl"))


@pytest.mark.parametrize(
    "env, expected",
    [
        ({CACHE_ENV: "/tmp/x"}, "/tmp/x/pipelines"),
        ({"XDG_CACHE_HOME": "/tmp/xdg"}, "/tmp/xdg/tradex/pipelines"),
    ],
)
def test_cache_folder(env, expected, monkeypatch):
    monkeypatch.delenv(CACHE_ENV, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert str(cache_dir()) == expected
