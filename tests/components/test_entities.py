"""Entity stage: rule packs, patterns for unknown names, titles, in-article resolution."""

from __future__ import annotations

import pytest

from tests.conftest import SEED, need_shared, record_of

# (text, [(mention text, label, canonical_id or None)]) — rules only, no model
CASES = [
    (
        "Nvidia resumed H20 sales to China.",
        [
            ("Nvidia", "COMPANY", "company:nvidia"),
            ("H20", "CHIP", "chip:nvidia-h20"),
            ("China", "COUNTRY", "country:cn"),
        ],
    ),
    (
        "NVIDIA's H20s and AMD's MI308 chips.",
        [
            ("NVIDIA", "COMPANY", "company:nvidia"),
            ("H20s", "CHIP", "chip:nvidia-h20"),
            ("AMD", "COMPANY", "company:amd"),
            ("MI308", "CHIP", "chip:amd-mi308"),
        ],
    ),
    (
        "U.S.-China talks on U.S.-made chips.",
        [("U.S.", "COUNTRY", "country:us"), ("China", "COUNTRY", "country:cn"), ("U.S.", "COUNTRY", "country:us")],
    ),
    (
        "Rare earth elements (REE) such as lanthanum. REE prices rose.",
        [
            ("Rare earth elements", "MATERIAL", "material:rare-earth-elements"),
            ("REE", "MATERIAL", "material:rare-earth-elements"),
            ("lanthanum", "MATERIAL", "material:lanthanum"),
            ("REE", "MATERIAL", "material:rare-earth-elements"),
        ],
    ),
    (
        "Trade Minister Kenji Arakawa said Arakawa would go.",
        [("Kenji Arakawa", "OFFICIAL", None), ("Arakawa", "OFFICIAL", None)],
    ),
    (
        "Shares of Caldera Metals Corp rose. Caldera said it would expand.",
        [("Caldera Metals Corp", "COMPANY", None), ("Caldera", "COMPANY", None)],
    ),
    (
        "The Bureau of Industry and Security added firms to the Entity List.",
        [("Bureau of Industry and Security", "AGENCY", "agency:bis"), ("Entity List", "POLICY", "policy:entity-list")],
    ),
    (
        "Beijing and Brussels criticised the Section 301 tariffs, Reuters said.",
        [
            ("Beijing", "COUNTRY", "country:cn"),
            ("Brussels", "COUNTRY", "country:eu"),
            ("Section 301 tariffs", "POLICY", "policy:section-301"),
            ("Reuters", "MEDIA", "media:reuters"),
        ],
    ),
    (
        "Vice Premier Liang Wenhao met Liang's counterpart.",
        [("Liang Wenhao", "OFFICIAL", None), ("Liang", "OFFICIAL", None)],
    ),
    ("It said its new B40Z chip would ship.", [("B40Z", "CHIP", None)]),
    (
        "Biden's rule and Xi's visit.",
        [("Biden", "OFFICIAL", "official:joe-biden"), ("Xi", "OFFICIAL", "official:xi-jinping")],
    ),
    ("The pronoun us and the word china are not entities.", []),
    # regressions fixed in this pass: each row failed once
    (
        "Trade Minister Rha\nWoong Bae spoke. Rha said so.",
        [("Rha\nWoong Bae", "OFFICIAL", None), ("Rha", "OFFICIAL", None)],
    ),
    ("It paid 46 mln U.S. Dlrs in New Mexico.", []),
    (
        "The American Soybean Association (ASA) objected.",
        [("American Soybean Association", "COMPANY", None), ("ASA", "COMPANY", None)],
    ),
    ("Shares of Holm & Vickers Ltd rose.", [("Holm & Vickers Ltd", "COMPANY", None)]),
    ("Officials of the Central Bank met.", [("Central Bank", "AGENCY", None)]),
    (
        "China's Ministry of Commerce said so.",
        [("China", "COUNTRY", "country:cn"), ("Ministry of Commerce", "AGENCY", "agency:mofcom")],
    ),
    (
        "The United\nStates and the European\nCommunity agreed.",
        [("United\nStates", "COUNTRY", "country:us"), ("European\nCommunity", "COUNTRY", "country:eu")],
    ),
    (
        "Gallium and germanium exports fell.",
        [("Gallium", "MATERIAL", "material:gallium"), ("germanium", "MATERIAL", "material:germanium")],
    ),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_rules_only_mentions(rules_nlp, text, expected):
    rec = record_of(rules_nlp, text)
    got = [(e.text, e.label.value, e.canonical_id) for e in rec.entities]
    assert got == expected


@pytest.mark.parametrize(
    "text, name, title",
    [
        ("U.S. Commerce Secretary Howard Lutnick said so.", "Howard Lutnick", "U.S. Commerce Secretary"),
        ("Congresswoman Raja Krishnamoorthi objected.", "Raja Krishnamoorthi", "Congresswoman"),
        (
            "Dana Whitfield, the U.S. commerce under secretary, spoke.",
            "Dana Whitfield",
            "U.S. commerce under secretary",
        ),
    ],
)
def test_titles_are_read_from_the_text(rules_nlp, text, name, title):
    rec = record_of(rules_nlp, text)
    (person,) = [e for e in rec.entities if e.text == name]
    assert person.attrs["title"] == title
    assert person.label.value == "OFFICIAL"


def test_later_surname_links_to_the_full_mention(rules_nlp):
    rec = record_of(rules_nlp, "Commerce Secretary Howard Lutnick spoke. Later, Lutnick left.")
    full, later = [e for e in rec.entities if "Lutnick" in e.text]
    assert later.canonical_id == full.canonical_id == "official:howard-lutnick"
    assert later.provenance.method.value == "coref" and later.attrs["antecedent"] == full.id
    assert later.attrs["title"] == "Commerce Secretary"


def test_provenance_names_pack_file_and_line(rules_nlp):
    rec = record_of(rules_nlp, "Nvidia grew.")
    assert rec.entities[0].provenance.rule == "company.jsonl:1"
    assert rec.entities[0].provenance.method.value == "rule"


# The seed article's entities, written by hand (start offset, text, label, canonical_id).
# Choices: demonyms ("Chinese", "Sino", "American") are COUNTRY; "Trump administration" is an AGENCY;
# "Biden" alone is OFFICIAL official:joe-biden; titles are attrs, not part of the span.
SEED_ENTITIES = [
    ("NVIDIA", "COMPANY", "company:nvidia"),
    ("H20", "CHIP", "chip:nvidia-h20"),
    ("Rare Earth Element", "MATERIAL", "material:rare-earth-elements"),
    ("Rare earth elements", "MATERIAL", "material:rare-earth-elements"),
    ("NVIDIA", "COMPANY", "company:nvidia"),
    ("China", "COUNTRY", "country:cn"),
    ("Chinese", "COUNTRY", "country:cn"),
    ("H20", "CHIP", "chip:nvidia-h20"),
    ("China", "COUNTRY", "country:cn"),
    ("U.S.", "COUNTRY", "country:us"),
    ("Howard Lutnick", "OFFICIAL", "official:howard-lutnick"),
    ("NVIDIA", "COMPANY", "company:nvidia"),
    ("H20", "CHIP", "chip:nvidia-h20"),
    ("rare earth element", "MATERIAL", "material:rare-earth-elements"),
    ("U.S.", "COUNTRY", "country:us"),
    ("China", "COUNTRY", "country:cn"),
    ("Reuters", "MEDIA", "media:reuters"),
    ("AMD", "COMPANY", "company:amd"),
    ("MI308", "CHIP", "chip:amd-mi308"),
    ("China", "COUNTRY", "country:cn"),
    ("Rare earth elements", "MATERIAL", "material:rare-earth-elements"),
    ("REE", "MATERIAL", "material:rare-earth-elements"),
    ("lanthanum", "MATERIAL", "material:lanthanum"),
    ("cerium", "MATERIAL", "material:cerium"),
    ("China", "COUNTRY", "country:cn"),
    ("Sino", "COUNTRY", "country:cn"),
    ("American", "COUNTRY", "country:us"),
    ("Raja Krishnamoorthi", "OFFICIAL", "official:raja-krishnamoorthi"),
    ("Reuters", "MEDIA", "media:reuters"),
    ("Lutnick", "OFFICIAL", "official:howard-lutnick"),
    ("CNBC", "MEDIA", "media:cnbc"),
    ("China", "COUNTRY", "country:cn"),
    ("NVIDIA", "COMPANY", "company:nvidia"),
    ("Lutnick", "OFFICIAL", "official:howard-lutnick"),
    ("NVIDIA", "COMPANY", "company:nvidia"),
    ("Chinese", "COUNTRY", "country:cn"),
    ("U.S.", "COUNTRY", "country:us"),
    ("U.S.", "COUNTRY", "country:us"),
    ("Trump administration", "AGENCY", "agency:trump-administration"),
    ("Biden", "OFFICIAL", "official:joe-biden"),
    ("Bloomberg", "MEDIA", "media:bloomberg-news"),
    ("Trump administration", "AGENCY", "agency:trump-administration"),
    ("Thailand", "COUNTRY", "country:th"),
    ("Malaysia", "COUNTRY", "country:my"),
    ("Malaysia", "COUNTRY", "country:my"),
    ("U.S.", "COUNTRY", "country:us"),
    ("TechCrunch", "MEDIA", "media:techcrunch"),
    ("NVIDIA", "COMPANY", "company:nvidia"),
]


def _seed_check(nlp):
    text = need_shared(SEED).read_text(encoding="utf-8")
    rec = record_of(nlp, text)
    assert [(e.text, e.label.value, e.canonical_id) for e in rec.entities] == SEED_ENTITIES
    titles = {e.text: e.attrs.get("title") for e in rec.entities if e.label.value == "OFFICIAL"}
    assert titles["Howard Lutnick"] == titles["Lutnick"] == "U.S. Commerce Secretary"
    assert titles["Raja Krishnamoorthi"] == "Congresswoman"
    assert all(rec.text[e.start : e.end] == e.text for e in rec.entities)


@pytest.mark.shared
def test_seed_entities_rules_only(rules_nlp):
    _seed_check(rules_nlp)


@pytest.mark.slow
@pytest.mark.shared
def test_seed_entities_with_model(model_nlp):
    _seed_check(model_nlp)


# --------------------------------------------------------------------------- model NER on windows
# (text, words no rule claimed are all but these token indices, radius, expected windows)
WINDOW_CASES = [
    # "Zhang" and "Wei" are capitalised and unclaimed: one merged window, clipped at the text's ends
    ("He met Zhang Wei in Shenzhen today .", set(), 1, [(1, 7)]),
    # a capitalised function word starts no window, and a claimed word none either
    ("The talks with Acme went well .", {3}, 2, []),
    ("The talks with Acme went well .", set(), 1, [(2, 5)]),
    # all-lower text: the model has nothing to add
    ("prices rose on tuesday .", set(), 3, []),
    # two far-apart names: two windows
    ("Acme said a b c d e f g h i that Blix won", set(), 1, [(0, 2), (11, 14)]),
    # a capital inside a word counts ("iPhone", "3M")
    ("sales of the iPhone fell", set(), 1, [(2, 5)]),
]


@pytest.mark.parametrize("text,claimed,radius,expected", WINDOW_CASES)
def test_ner_windows(text, claimed, radius, expected):
    import spacy

    from pipeline.components.entities import ner_windows

    nlp = spacy.blank("en")
    doc = nlp.make_doc(text)
    assert ner_windows(doc, claimed, radius, frozenset(nlp.Defaults.stop_words)) == expected


@pytest.mark.slow
def test_windowed_ner_matches_whole_text_ner(model_nlp):
    """The windows cost a third of a full NER run and must not change what it contributes."""
    import json

    from pipeline.nlp import build_nlp
    from pipeline.settings import Settings
    from tests.conftest import MODEL, SYNTHETIC

    whole = build_nlp(Settings(model=MODEL, ner_window=0))
    texts = [json.loads(line)["text"] for line in (SYNTHETIC / "articles.jsonl").read_text().splitlines() if line]
    assert len(texts) >= 30

    def mentions(nlp):
        return [
            [(m.start, m.end, m.label.value, m.canonical_id, m.canonical_name, m.method) for m in d._.trade_mentions]
            for d in nlp.pipe(texts, batch_size=8)
        ]

    windowed, full = mentions(model_nlp), mentions(whole)
    assert sum(m[-1] == "model" for doc in full for m in doc) > 20  # the model does contribute here
    assert windowed == full


@pytest.mark.slow
def test_entity_stage_uses_ents_set_before_it(model_nlp):
    """A pipeline whose own NER ran earlier keeps those ents; the stage does not run the model again."""
    from spacy.tokens import Span

    comp = model_nlp.get_pipe("trade_entities")
    doc = model_nlp.make_doc("Officials met Quorvex Fabrication on Monday.")
    doc.set_ents([Span(doc, 2, 4, label="ORG")])
    for name, proc in model_nlp.pipeline:
        if name != "trade_entities" and name != "trade_quotes":
            doc = proc(doc)

    class MustNotRun:
        def pipe(self, *args, **kwargs):
            raise AssertionError("the NER ran again")

    ner, comp.ner = comp.ner, MustNotRun()
    try:
        doc = comp(doc)
    finally:
        comp.ner = ner
    assert [(doc[m.start : m.end].text, m.label.value, m.method) for m in doc._.trade_mentions] == [
        ("Quorvex Fabrication", "COMPANY", "model")
    ]


@pytest.mark.parametrize("fixture", ["rules_nlp", pytest.param("model_nlp", marks=pytest.mark.slow)])
def test_stage_caches_are_dropped_by_the_record_builder(fixture, request):
    """The per-document caches of the stages are all named in caches.py and do not outlive the record."""
    from models.records import PipelineInfo, Source
    from pipeline.components.caches import STAGE_KEYS
    from pipeline.ingest import Article
    from pipeline.records import doc_to_record

    nlp = request.getfixturevalue(fixture)
    text = "LONDON, May 2 - Trade Minister\nJane Doe said Nvidia's H20 sales\nwould resume, Reuters reported."
    doc = nlp(text)
    cached = set(doc.user_data) - {k for k in doc.user_data if isinstance(k, tuple)}
    assert cached and cached <= set(STAGE_KEYS)
    record = doc_to_record(
        doc, Article("a1", text, Source(path="<test>")), PipelineInfo(version="t", rules_version="t", model=None)
    )
    assert record.text == text
    assert set(doc.user_data) - {k for k in doc.user_data if isinstance(k, tuple)} == set()
