"""Entity normalisation: name forms, clustering, stable ids, speakers, the entity table."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path

import pytest

from models.records import ArticleRecord, Label
from pipeline.corpus import read_records, write_records
from pipeline.corpus.normalize import (
    company_name,
    country_code,
    display_name,
    fuzzy_pairs,
    normalize_file,
    normalize_records,
    person_constants,
    person_name,
    read_entities,
    slug,
)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Huawei Technologies Co., Ltd.", "Huawei Technologies"),  # two suffixes: needs the fixpoint
        ("Samsung Electronics Co Ltd Inc", "Samsung Electronics"),
        ("Deutsche Bank AG", "Deutsche Bank"),
        ("Holm &", "Holm"),
        ("Jinling Semiconductor Manufacturing Co", "Jinling Semiconductor Manufacturing"),
        ("Caldera Metals", "Caldera Metals"),
        ("Co Ltd", "Co"),  # stripping everything would leave nothing: keep the last non-empty form
        ("Limited", "Limited"),
    ],
)
def test_company_name_strips_legal_suffixes_to_a_fixpoint(raw: str, clean: str) -> None:
    assert company_name(raw) == clean


@pytest.mark.parametrize(
    ("raw", "title", "name"),
    [
        ("U.S. Trade Representative Miriam Castellano", "U.S. Trade Representative", "Miriam Castellano"),
        ("U.S. Trade Representative Miriam Castellano", None, "Miriam Castellano"),  # title words are known
        ("Commerce Under Secretary Dana Whitfield", None, "Dana Whitfield"),
        ("Miriam Castellano", "U.S. Trade Representative", "Miriam Castellano"),
        ("Jane Q. Public", None, "Jane Q. Public"),
        ("Zhou Mingyuan", None, "Zhou Mingyuan"),
        ("Dr. Kenji Arakawa", None, "Kenji Arakawa"),
    ],
)
def test_person_name_strips_titles_before_parsing(raw: str, title: str | None, name: str) -> None:
    constants = person_constants(["U.S. Trade Representative", "Commerce Under Secretary"])
    assert person_name(raw, title=title, constants=constants) == name


def test_without_title_words_us_would_become_a_first_name() -> None:
    # the reason titles are stripped first: plain nameparser reads "U.S." as the first name
    assert person_name("U.S. Trade Representative Miriam Castellano").startswith("U.S.")


@pytest.mark.parametrize(
    ("name", "code"),
    [("Germany", "DE"), ("U.S.", "US"), ("US", "US"), ("Russia", "RU"), ("Britain", "GB"), ("Taiwan", "TW"),
     ("Gulf", None), ("Korea", None), ("Atlantis", None)],
)
def test_country_code(name: str, code: str | None) -> None:
    got = country_code(name)
    assert (got[0] if got else None) == code


@pytest.mark.parametrize(
    ("name", "expected"),
    [("Huawei Technologies", "huawei-technologies"), ("Otávio Brandão", "otavio-brandao"), ("XH-7", "xh-7"),
     ("  A & B  ", "a-b")],
)
def test_slug(name: str, expected: str) -> None:
    assert slug(name) == expected


def test_slug_of_non_ascii_name_is_a_stable_hash() -> None:
    assert slug("华为") == slug("华为")
    assert slug("华为").startswith("x") and len(slug("华为")) == 11


def test_fuzzy_pairs_block_by_first_token_and_require_equal_numbers() -> None:
    keys = ["huawei technologies", "huawei technologis", "technologies huawei", "ascend 910b", "ascend 910c"]
    assert fuzzy_pairs(keys) == [(0, 1)]


@pytest.fixture
def corpus(make_record: Callable[..., ArticleRecord]) -> list[ArticleRecord]:
    build_record = make_record
    return [
        build_record(
            "a1", "Huawei Technologies Co., Ltd. said its Ascend 910B chip ships. Russia objected.",
            entities=[
                {"text": "Huawei Technologies Co., Ltd.", "label": "COMPANY"},
                {"text": "Ascend 910B", "label": "CHIP"},
                {"text": "Russia", "label": "COUNTRY"},
            ],
            published="2025-03-01",
        ),
        build_record(
            "a2", "Huawei Technologies and the Ascend 910C were discussed by Nvidia Corporation.",
            entities=[
                {"text": "Huawei Technologies", "label": "COMPANY"},
                {"text": "Ascend 910C", "label": "CHIP"},
                {"text": "Nvidia Corporation", "label": "COMPANY", "canonical_id": "company:nvidia",
                 "canonical_name": "NVIDIA Corporation"},
            ],
            published="26-FEB-1987 15:51:51.24",
        ),
        build_record(
            "a3", "Huawei Technologis (sic) and NVIDIA Corporation. U.S. Trade Representative Miriam Castellano "
                  "spoke; Castellano said \"tariffs work\". Later Castellano left.",
            entities=[
                {"text": "Huawei Technologis", "label": "COMPANY"},
                {"text": "NVIDIA Corporation", "label": "COMPANY"},  # unknown here, but a known name elsewhere
                {"text": "Miriam Castellano", "label": "OFFICIAL", "attrs": {"title": "U.S. Trade Representative"}},
                {"text": "Castellano", "label": "OFFICIAL", "canonical_name": "Miriam Castellano",
                 "attrs": {"antecedent": "e3"}},
                {"text": "Castellano", "label": "OFFICIAL"},  # bare surname, no antecedent
            ],
            quotes=[{"text": "tariffs work", "speaker_entity": 3}],
            published=None,
        ),
    ]


def _ids(records: list[ArticleRecord]) -> dict[tuple[str, str], str | None]:
    return {(r.doc_id, e.text + f"@{e.start}"): e.canonical_id for r in records for e in r.entities}


def test_normalize_clusters_unknown_mentions_across_the_corpus(corpus: list[ArticleRecord]) -> None:
    out, rows = normalize_records(corpus)
    by_text = {(r.doc_id, e.text): e for r in out for e in r.entities}
    huawei = {by_text[(d, t)].canonical_id for d, t in
              [("a1", "Huawei Technologies Co., Ltd."), ("a2", "Huawei Technologies"), ("a3", "Huawei Technologis")]}
    assert huawei == {"company:~huawei-technologies"}
    assert by_text[("a1", "Huawei Technologies Co., Ltd.")].canonical_name == "Huawei Technologies"
    # numbers differ: two chips
    assert by_text[("a1", "Ascend 910B")].canonical_id == "chip:~ascend-910b"
    assert by_text[("a2", "Ascend 910C")].canonical_id == "chip:~ascend-910c"
    # a country the packs missed gets its ISO code, in the packs' id form
    assert by_text[("a1", "Russia")].canonical_id == "country:ru"
    assert by_text[("a1", "Russia")].attrs["iso"] == "RU"
    # an unknown mention named like a known entity takes the known id and name
    assert by_text[("a3", "NVIDIA Corporation")].canonical_id == "company:nvidia"
    assert by_text[("a3", "NVIDIA Corporation")].canonical_name == "NVIDIA Corporation"
    # title stripped, surname with antecedent and bare surname in the same article all join
    people = [e for e in out[2].entities if e.label.value == "OFFICIAL"]
    assert {e.canonical_id for e in people} == {"official:~miriam-castellano"}
    assert all(e.canonical_id for r in out for e in r.entities)
    table = {row.id: row for row in rows}
    hw = table["company:~huawei-technologies"]
    assert (hw.name, hw.label.value, hw.mentions, hw.articles) == ("Huawei Technologies", "COMPANY", 3, 3)
    assert "Huawei Technologies Co., Ltd." in hw.aliases and hw.discovered
    assert (hw.first_seen, hw.last_seen) == ("1987-02-26", "2025-03-01")  # a3 has no date
    assert table["company:nvidia"].discovered is False and table["company:nvidia"].mentions == 2


def test_normalize_fills_quote_speakers_and_iso_dates(corpus: list[ArticleRecord]) -> None:
    out, _ = normalize_records(corpus)
    q = out[2].quotes[0]
    assert q.speaker is not None and q.speaker.canonical_id == "official:~miriam-castellano"
    assert out[1].source.published == "1987-02-26"


def test_ids_do_not_depend_on_input_order_or_reruns(corpus: list[ArticleRecord]) -> None:
    recs = corpus
    first, rows1 = normalize_records(recs)
    for seed in range(5):
        shuffled = recs[:]
        random.Random(seed).shuffle(shuffled)
        again, rows2 = normalize_records(shuffled)
        assert _ids(again) == _ids(first)
        assert [r.model_dump() for r in rows2] == [r.model_dump() for r in rows1]
    rerun, rows3 = normalize_records(first)
    assert _ids(rerun) == _ids(first)
    assert [(r.id, r.name, r.mentions) for r in rows3] == [(r.id, r.name, r.mentions) for r in rows1]


def test_representative_name_is_most_frequent_then_smallest(make_record: Callable[..., ArticleRecord]) -> None:
    recs = [
        make_record(f"d{i}", f"{name} said so.", entities=[{"text": name, "label": "COMPANY"}])
        for i, name in enumerate(["Meridian Policy Group", "Meridian Policy Groups", "Meridian Policy Groups"])
    ]
    out, rows = normalize_records(recs)
    assert [row.name for row in rows] == ["Meridian Policy Groups"]
    assert {e.canonical_id for r in out for e in r.entities} == {"company:~meridian-policy-groups"}


def test_normalize_file_writes_records_and_entity_table(tmp_path: Path, corpus: list[ArticleRecord]) -> None:
    src = tmp_path / "records.jsonl"
    write_records(src, corpus)
    summary = normalize_file(src, tmp_path / "normalized.jsonl")
    out = list(read_records(tmp_path / "normalized.jsonl"))
    rows = read_entities(tmp_path / "entities.jsonl")
    assert len(out) == 3 and summary.articles == 3
    assert summary.filled == sum(1 for r in corpus for e in r.entities if e.canonical_id is None)
    assert {row.id for row in rows} == {e.canonical_id for r in out for e in r.entities}
    line = json.loads((tmp_path / "entities.jsonl").read_text().splitlines()[0])
    assert set(line) == {"id", "name", "label", "aliases", "mentions", "articles", "first_seen", "last_seen",
                         "discovered"}


@pytest.mark.parametrize(("method", "joined"), [("coref", False), ("rule", True)])
def test_only_names_not_coreferences_teach_known_ids(
    make_record: Callable[..., ArticleRecord], method: str, joined: bool
) -> None:
    recs = [
        make_record("a", "Nvidia said the company grew.",
                    entities=[{"text": "Nvidia", "label": "COMPANY", "canonical_id": "company:nvidia",
                               "canonical_name": "NVIDIA Corporation"},
                              {"text": "the company", "label": "COMPANY", "canonical_id": "company:nvidia",
                               "canonical_name": "NVIDIA Corporation", "method": method}]),
        make_record("b", "The Company said nothing.", entities=[{"text": "The Company", "label": "COMPANY"}]),
    ]
    out, _ = normalize_records(recs)
    assert (out[1].entities[0].canonical_id == "company:nvidia") is joined


@pytest.mark.parametrize(
    ("label", "raw", "name"),
    [
        ("COMPANY", "Ruben Alcott of", "Ruben Alcott"),  # a span one word too long
        ("COMPANY", "Bank of", "Bank"),
        ("COMPANY", "Bank of America", "Bank of America"),
        ("OFFICIAL", "Marie - Claude Fortin", "Marie-Claude Fortin"),  # a tokenizer's spaced hyphen
        ("PERSON", "Jean-Luc Ferrand", "Jean-Luc Ferrand"),
        ("AGENCY", "  Ministry  of Commerce ", "Ministry of Commerce"),
    ],
)
def test_display_name_repairs(label: str, raw: str, name: str) -> None:
    assert display_name(Label(label), raw) == name
