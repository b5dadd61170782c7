"""`build_nlp`'s tokenizer shortcuts (`_fast_affixes`) must give exactly the tokens of spaCy's own patterns."""

from __future__ import annotations

import json

import pytest
import spacy

from pipeline.nlp import (
    _DIGIT_OR_APOSTROPHE,
    _fast_affixes,
    _InfixFinditer,
    _split_model_number_period,
    _split_us_hyphen,
    _SuffixSearch,
    _UrlMatch,
)
from tests.conftest import MODEL, REUTERS, SYNTHETIC, need_model, need_shared

# strings where a suffix, infix or URL pattern does (or nearly does) apply
TRICKY = [
    "10km 5kg 3G 2G's 5GHz 3nm 20% 5$ US$5 $5 1980s 5th 4°C. 3+4 2-3 10^6",
    "Trump's trump's O'Neill's Xi’s CEOs' rock'n'roll 'tis ain't can't",
    "https://example.com/a?b=c www.foo.bar a.b user@mail.com 10.0.0.1 192.168.1.1 8.8.8.8 localhost:8080",
    "e.g. U.S. U.S.-made U.S.-China H20s MI308X B30A. Hello.World end... wait…what a—b x–y n/a a:b <tag> x=y",
    "Nvidia’s “H20” chips,” he said—“not now.” (Reuters) [1] {x} #tag *bold* _u_ ¡Hola! ¿Qué? 『引用』",
    "ÉCOLE éclair Ångström naïve façade 中国商务部 ΑΒΓ Москва 5км",
]


def _pair(nlp_factory):
    plain, fast = nlp_factory(), nlp_factory()
    for nlp in (plain, fast):
        _split_us_hyphen(nlp)
        _split_model_number_period(nlp)
    _fast_affixes(fast)
    return plain, fast


def _tokens(nlp, text):
    return [(t.text, t.whitespace_) for t in nlp.make_doc(text)]


@pytest.mark.parametrize("text", TRICKY)
def test_fast_affixes_keep_the_tokens(text):
    plain, fast = _pair(lambda: spacy.blank("en"))
    assert _tokens(fast, text) == _tokens(plain, text)


@pytest.mark.parametrize(
    ("text", "last"),
    [
        ("Huawei is testing the Ascend 910D.", ["910D", "."]),
        ("AMD sells the MI308X.", ["MI308X", "."]),
        ("a cut-down B30A. Then", ["B30A", ".", "Then"]),
        ("the RTX 5090D.", ["5090D", "."]),
        ("shipped to the U.S.", ["the", "U.S."]),  # an abbreviation keeps its period
        ("met at 3 p.m.", ["3", "p.m."]),
        ("the H20.", ["H20", "."]),  # after a digit spaCy already split it
    ],
)
def test_a_final_period_leaves_a_model_number(text, last):
    nlp = spacy.blank("en")
    _split_model_number_period(nlp)
    assert [t.text for t in nlp.make_doc(text)][-len(last):] == last


def test_fast_affixes_are_installed_once_and_only_for_english():
    nlp = spacy.blank("en")
    _split_us_hyphen(nlp)
    _fast_affixes(nlp)
    _fast_affixes(nlp)
    tok = nlp.tokenizer
    assert isinstance(tok.url_match, _UrlMatch) and not isinstance(tok.url_match.fn, _UrlMatch)
    assert isinstance(tok.suffix_search, _SuffixSearch) and isinstance(tok.infix_finditer, _InfixFinditer)
    de = spacy.blank("de")
    before = de.tokenizer.suffix_search
    _fast_affixes(de)
    assert de.tokenizer.suffix_search is before


@pytest.mark.parametrize(
    ("shortcut", "text", "skipped"),
    [
        (_SuffixSearch, "trade", True),
        (_SuffixSearch, "Trump's", False),  # a possessive
        (_SuffixSearch, "10km", False),  # a unit after a digit
        (_SuffixSearch, "trade,", False),
        (_InfixFinditer, "H20", True),
        (_InfixFinditer, "U.S.-made", False),
        (_UrlMatch, "localhost", True),
        (_UrlMatch, "example.com", False),
    ],
)
def test_shortcuts_skip_only_strings_the_pattern_cannot_match(shortcut, text, skipped):
    def asked(_: str):
        return "asked"

    assert (shortcut(asked)(text) == "asked") is not skipped
    if skipped:  # and spaCy's own pattern indeed finds nothing there
        nlp = spacy.blank("en")
        _split_us_hyphen(nlp)
        tok = nlp.tokenizer
        real = {_SuffixSearch: tok.suffix_search, _InfixFinditer: tok.infix_finditer, _UrlMatch: tok.url_match}
        found = real[shortcut](text)
        assert not (list(found) if shortcut is _InfixFinditer else found)


def test_no_english_suffix_ends_in_a_letter_without_a_digit_or_apostrophe():
    """What `_SuffixSearch` relies on, for any character (of the first 2,048) before any final ASCII letter:
    guards a spaCy upgrade."""
    import string

    search = spacy.blank("en").tokenizer.suffix_search
    hits = []
    for last in string.ascii_letters:
        for c in map(chr, range(0x800)):
            for text in ("ab" + c + last, c + last):
                if _DIGIT_OR_APOSTROPHE.search(text) is None and search(text):
                    hits.append(text)
    assert hits == []
    assert search("10km") and search("Trump's")


def test_fast_affixes_keep_the_tokens_of_the_bundled_corpus():
    texts = [json.loads(line)["text"] for line in (SYNTHETIC / "articles.jsonl").read_text().splitlines() if line]
    plain, fast = _pair(lambda: spacy.blank("en"))
    assert [_tokens(fast, t) for t in texts] == [_tokens(plain, t) for t in texts]


@pytest.mark.shared
def test_fast_affixes_keep_the_tokens_of_reuters():
    lines = need_shared(REUTERS).read_text(encoding="utf-8").splitlines()
    texts = [json.loads(line)["text"] for line in lines if line.strip()]
    plain, fast = _pair(lambda: spacy.blank("en"))
    assert [_tokens(fast, t) for t in texts] == [_tokens(plain, t) for t in texts]


@pytest.mark.slow
def test_fast_affixes_keep_the_model_tokenizer(model_nlp):
    need_model()
    plain, fast = _pair(lambda: spacy.load(MODEL))
    for text in TRICKY:
        assert _tokens(fast, text) == _tokens(plain, text)
    assert isinstance(model_nlp.tokenizer.suffix_search, _SuffixSearch)


def test_a_tokenizer_with_shortcuts_saves_and_loads_with_the_same_tokens(tmp_path):
    """spaCy saves a tokenizer's patterns from their `__self__`; the reloaded one (without the shortcuts)
    tokenizes the same."""
    from pipeline.nlp import build_nlp
    from pipeline.settings import Settings

    nlp = build_nlp(Settings(model="none"))
    nlp.tokenizer.to_disk(tmp_path / "tokenizer")
    fresh = spacy.blank("en")
    fresh.tokenizer.from_disk(tmp_path / "tokenizer")
    for text in TRICKY:
        assert _tokens(fresh, text) == _tokens(nlp, text)


def test_component_defaults_come_from_the_settings_model():
    """A spaCy config that leaves a trade_* setting out gets the same default as the CLI and the Python API."""
    from spacy.language import Language

    from pipeline.settings import QuoteSettings, Settings

    ents = Language.get_factory_meta("trade_entities").default_config
    quotes = Language.get_factory_meta("trade_quotes").default_config
    assert {k: ents[k] for k in ("use_model_ner", "ner_window")} == {
        "use_model_ner": Settings().entities.use_model_ner,
        "ner_window": Settings().entities.ner_window,
    }
    assert {k: v for k, v in quotes.items() if k != "rules_dirs"} == QuoteSettings().model_dump()


def test_every_trade_factory_is_an_entry_point():
    """spaCy finds the factories of an installed tradex without importing it first (a saved pipeline loads)."""
    from importlib.metadata import entry_points

    names = {ep.name: ep.value for ep in entry_points(group="spacy_factories")}
    assert names["trade_sentences"] == "pipeline.components.sentences:make_trade_sentences"
    assert {"trade_entities", "trade_quotes"} <= set(names)


def test_special_cases_survive_the_pattern_changes():
    """Bug: each pattern setter reloaded every special case; `build_nlp` now sets the rules aside while it
    changes the patterns and loads them once. The special cases must all still be there and still apply."""
    from pipeline.nlp import _special_cases_loaded_once

    plain, fast = spacy.blank("en"), spacy.blank("en")
    _split_us_hyphen(plain)
    _fast_affixes(plain)
    with _special_cases_loaded_once(fast):
        _split_us_hyphen(fast)
        _fast_affixes(fast)
    assert fast.tokenizer.rules == plain.tokenizer.rules and len(fast.tokenizer.rules) > 1000
    for text in [*TRICKY, "I can't, don't and won't go to the U.S. on Jan. 5."]:
        assert _tokens(fast, text) == _tokens(plain, text)
