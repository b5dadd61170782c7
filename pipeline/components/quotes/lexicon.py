"""The quote stage's lexicon, built once per component from the rule packs: cue words and phrases, titles,
anonymous-source phrases, nominal heads (“the company”), channel nouns, and dateline places."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Token

from models.records import Label
from models.rules import CueEntry, QuoteWords, RuleEntry, TitleEntry
from pipeline.rules.packs import RulePacks


@dataclass(frozen=True)
class WordSets:
    """`lexicon/quotes.json` as sets (see `models.rules.QuoteWords` for what each list is)."""

    personal: dict[str, str]
    plural_or_org: frozenset[str]
    weekdays: frozenset[str]
    before_that: frozenset[str]
    skip_between: frozenset[str]
    recipient_words: frozenset[str]
    after_cue_skip: frozenset[str]
    not_after_that: frozenset[str]
    clause_breaks: frozenset[str]
    subject_words: frozenset[str]
    honorifics: frozenset[str]
    role_links: frozenset[str]
    source_counts: frozenset[str]
    progressive_aux: frozenset[str]
    trim_phrases: frozenset[str]
    trim_pronouns: frozenset[str]
    trim_cues: frozenset[str]
    tail_skip: frozenset[str]
    channel_triggers: frozenset[str]
    tell_words: frozenset[str]
    setting_words: frozenset[str]
    possessive_determiners: frozenset[str]
    channel_links: frozenset[str]
    continuation_openers: frozenset[str]
    frame_cues: frozenset[str]
    embedding_words: frozenset[str]
    clause_cues: frozenset[str]
    finite_verbs: frozenset[str]
    data_nouns: frozenset[str]
    scare_markers: frozenset[str]
    platforms: frozenset[str]
    speak_words: frozenset[str]
    voice_titles: frozenset[str]
    group_quantities: frozenset[str]
    group_links: frozenset[str]

    @classmethod
    def of(cls, words: QuoteWords) -> WordSets:
        sets = {name: frozenset(value) for name, value in words if name != "personal_pronouns"}
        weekdays = sets["weekdays"]
        for name in ("before_that", "skip_between", "recipient_words", "after_cue_skip"):
            sets[name] = sets[name] | weekdays
        sets["plural_or_org"] = sets.pop("plural_or_org_pronouns")
        return cls(personal=dict(words.personal_pronouns), **sets)


# labels of the bodies a possessive name may stand for (“China's Ministry of Commerce”)
SPEAKING_BODIES = (Label.AGENCY, Label.COMPANY, Label.MEDIA, Label.OFFICIAL)


def _by_first_and_last(phrases: list[str]) -> tuple[dict[str, list[list[str]]], dict[str, list[list[str]]]]:
    """Phrases as word lists, longest first, by their first word and by their last."""
    by_first: dict[str, list[list[str]]] = {}
    by_last: dict[str, list[list[str]]] = {}
    for words in sorted((p.split() for p in phrases), key=len, reverse=True):
        by_first.setdefault(words[0], []).append(words)
        by_last.setdefault(words[-1], []).append(words)
    return by_first, by_last


class QuoteLexicon:
    """Lookups by lower-case word or phrase; immutable once built."""

    def __init__(self, nlp: Language, packs: RulePacks, *, belief_cues: bool):
        assert packs.patterns is not None and packs.quote_words is not None
        lex = packs.patterns
        self.words = WordSets.of(packs.quote_words)
        # one-word cues by form; phrase cues (“according to”, “told reporters”) through a PhraseMatcher
        self.single: dict[str, CueEntry] = {}
        phrases: list[tuple[str, CueEntry]] = []
        for c in packs.cues:
            if c.kind == "belief" and not belief_cues:
                continue
            for f in {c.lemma, *c.forms}:
                if " " in f:
                    phrases.append((f, c))
                else:
                    self.single.setdefault(f, c)
        self.phrase_entry: dict[str, CueEntry] = {}
        self.phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        for f, c in phrases:
            key = f"CUE::{f}"
            self.phrase_entry[key] = c
            self.phrases.add(key, [nlp.make_doc(f)])
        self.titles: dict[str, TitleEntry] = {t.title.lower(): t for t in packs.titles}
        # anonymous-source phrases and channel nouns by their first and by their last word: the finders ask
        # "does one start/end here?" of most tokens (a scan of every phrase each time showed in profiles)
        self.anon_by_first, self.anon_by_last = _by_first_and_last(lex.anonymous_sources)
        self.nominals: dict[str, list[Label]] = {k.lower(): v for k, v in lex.nominal_heads.items()}
        self.channels_by_first, self.channels_by_last = _by_first_and_last(lex.channel_nouns)
        self.stop = set(lex.name_stopwords)
        # possessive names of speaking bodies (“China's Ministry of Commerce”), apostrophes as "'": a speaker
        # the entity rules left unlinked because the text writes “China’s” is still found by its full form
        self.possessive_names: dict[str, tuple[RuleEntry, Label]] = {}
        for label in SPEAKING_BODIES:
            for le in packs.by_label(label):
                for form in le.entry.surface_forms():
                    if "'s " in form:
                        self.possessive_names.setdefault(form.lower(), (le.entry, label))
        # dateline city or country -> the country entry (“SEOUL, March 11 -” -> South Korea)
        self.place_country: dict[str, RuleEntry] = {}
        for le in packs.by_label(Label.COUNTRY):
            for form in le.entry.surface_forms():
                self.place_country.setdefault(form.lower(), le.entry)

    def cue_at(self, tok: Token, has_tags: bool) -> CueEntry | None:
        """The one-word cue `tok` is, if any."""
        entry = self.single.get(tok.lower_)
        if entry is None:
            return None
        if has_tags:
            if not tok.tag_.startswith("VB"):
                return None
        elif tok.lower_ == entry.lemma and not entry.bare_lemma:
            # without a tagger a bare lemma ("note", "report", "post") is too often a noun
            return None
        return entry
