"""The entity stage's lexicon, built once per component from the rule packs: entries by id and by surface
form, titles, head words, stop words, places and surnames."""

from __future__ import annotations

import copy
import re
from typing import Any

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Token

from models.records import Label
from models.rules import CountryEntry, PatternLexicon
from pipeline.components.entities.names import NAME_TOKEN, NOT_ATTRS
from pipeline.components.mentions import Mention
from pipeline.rules.packs import LoadedEntry, RulePacks


class EntityLexicon:
    """Lookups of the entity passes; immutable once built (but for the per-entry attrs cache)."""

    def __init__(self, nlp: Language, packs: RulePacks):
        assert packs.patterns is not None
        words: PatternLexicon = packs.patterns
        self.stop_words = frozenset(nlp.Defaults.stop_words)
        # the facts of a pack entry a mention carries as attrs, dumped once per entry (a mention gets a copy)
        self._entry_attrs: dict[str, dict[str, Any]] = {}
        self._lower_forms: dict[str, frozenset[str]] = {}
        self.by_id: dict[str, LoadedEntry] = packs.entries
        # lower-case surface form -> entry, to type model ORG/GPE spans by pack lookup
        self.by_form: dict[str, LoadedEntry] = {}
        for le in packs.entries.values():
            for f in le.entry.surface_forms():
                self.by_form.setdefault(f.lower(), le)
        self.forms_kind = _country_form_kinds(packs)
        self._read_titles(nlp, packs)
        self._read_word_lists(words)
        self._read_name_words(packs, words)
        self._read_surnames(packs, words)

    def _read_titles(self, nlp: Language, packs: RulePacks) -> None:
        """Titles by lower-cased form, their phrase matcher, and the words they are made of."""
        self.titles = {t.title.lower(): t for t in packs.titles}
        self.title_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        # patterns from the titles as written: lower-casing first would tokenize "sen." apart from "Sen."
        self.title_matcher.add("TITLE", [nlp.make_doc(t.title) for t in packs.titles])
        # the last words of roles firms give too ("Senior Vice President", "Chairman"): an office ending in one
        # ("President") may be a company's
        self.corporate_title_words = frozenset(t.title.lower().split()[-1] for t in packs.titles if not t.official)
        # every word of every title, lower-cased: a title grows left over these ("U.S. Commerce Secretary")
        self.title_words = {w for t in self.titles for w in t.split()}

    def _read_word_lists(self, words: PatternLexicon) -> None:
        """The head words, stop words, places and cue words of `lexicon/patterns.json`."""
        self.company_heads = set(words.company_heads)
        self.legal = set(words.legal_suffixes)
        self.agency_heads = set(words.agency_heads)
        self.media_heads = set(words.media_heads)
        self.chip_nouns = {w.lower() for w in words.chip_nouns}
        self.stop = set(words.name_stopwords)
        self.currency_words = {w.lower() for w in words.currency_words}
        self.association_heads = {
            "Association",
            "Federation",
            "Institute",
            "Council",
            "Chamber",
            "Alliance",
            "Society",
            "Confederation",
            "League",
        }
        self.not_entity_heads = set(words.not_entity_heads)
        places = sorted(words.non_country_places, key=len, reverse=True)
        self.place_re = re.compile(r"\b(?:" + "|".join(re.escape(p) for p in places) + r")\b") if places else None
        self.government_words = {h for h in words.agency_heads if " " not in h} | {"government", "Government"}
        # multi-word heads of government bodies the NER calls organisations ("Central Bank")
        self.agency_phrases = {h for h in words.agency_heads if " " in h}
        self.generic_org_words = (
            self.agency_heads | self.company_heads | self.media_heads | set(words.generic_org_words)
        )
        self.national_body_heads = set(words.national_body_heads)
        self.programme_nouns = set(words.programme_nouns)
        self.policy_heads = set(words.policy_heads)
        self.not_entity_words = set(words.not_entity_words)
        self.material_forms = set(words.material_forms)
        self.exchanges = set(words.exchanges)
        self.platform_channel_words = frozenset(w.lower() for w in words.platform_channel_words)
        self.person_roles = frozenset(w.lower() for w in words.person_roles)
        # nominals that can stand for a country ("the government", "the bloc"), also after one ("U.S. Government")
        self.nominal_words = {w for w, labels in words.nominal_heads.items() if Label.COUNTRY in labels}
        self.region_actors = dict(words.region_actors)
        self.actor_after = set(words.actor_cues.get("after", []))
        self.actor_before = set(words.actor_cues.get("before", []))

    def _read_name_words(self, packs: RulePacks, words: PatternLexicon) -> None:
        """Demonyms, the words that make a run of capitalised words no person, and the verbs of saying."""
        # demonym -> its country entry ("Chinese" -> country:cn), to split "Chinese customs"
        self.demonyms: dict[str, LoadedEntry] = {
            d: le for le in packs.entries.values() if isinstance(le.entry, CountryEntry) for d in le.entry.demonyms
        }
        self.family_first = frozenset(words.family_first_surnames)
        # capitalised words that make a run of name words an organisation, a law or a country, not a person
        self.not_a_name_word = frozenset(
            self.generic_org_words
            | self.legal
            | self.policy_heads
            | self.not_entity_heads
            | self.not_entity_words
            | self.association_heads
            | set(self.demonyms)
        )
        # inflected forms of the cues of saying and writing ("said", "says", "told", "wrote"): a name next to one
        # is a speaker; bare lemmas only where the cue lexicon says they are verbs even untagged ("say", not "report")
        self.speech_verbs = frozenset(
            f
            for c in packs.cues
            if c.pos == "VERB" and c.kind in ("speech", "written")
            for f in c.forms
            if f != c.lemma or c.bare_lemma
        )

    def _read_surnames(self, packs: RulePacks, words: PatternLexicon) -> None:
        """Pack people by surname: alone, after a title, and the ones a surname alone may name."""
        self.surnames: dict[str, str] = {}
        by_surname: dict[str, list[LoadedEntry]] = {}
        for le in packs.entries.values():
            sur = getattr(le.entry, "surname", None)
            if sur:
                self.surnames[le.entry.id] = sur
                by_surname.setdefault(sur, []).append(le)
        self.surname_set = frozenset(self.surnames.values())
        # the given names of the pack people ("Lisa" of Lisa Su): a model PERSON guess opening with one is a
        # person's name, not a place or a product named like one
        self.given_names = frozenset(
            le.entry.name.split()[0]
            for le in packs.entries.values()
            if le.label in (Label.PERSON, Label.OFFICIAL)
            and len(le.entry.name.split()) >= 2
            and le.entry.name.split()[0] != getattr(le.entry, "surname", None)
            and le.entry.name.split()[0] not in self.stop
        )
        self.chip_numbers = _chip_numbers(packs)
        # after a title ("President Xi") a surname names the one pack person who has it, common or not
        self.titled_surnames: dict[str, LoadedEntry] = {
            sur: les[0] for sur, les in by_surname.items() if len(les) == 1 and " " not in sur
        }
        # a surname alone ("Biden's rules") names a pack person when no other entry shares it and it is no common word
        ambiguous = set(words.ambiguous_surnames) | self.family_first | self.stop
        self.pack_surnames: dict[str, LoadedEntry] = {
            sur: les[0]
            for sur, les in by_surname.items()
            if len(les) == 1
            and " " not in sur
            and sur not in ambiguous
            and sur.lower() not in self.by_form
            and les[0].label is Label.OFFICIAL
            and len(sur) >= 2
        }

    def from_entry(
        self, le: LoadedEntry, start: int, end: int, method: str, rule: str, score: float, surface: str
    ) -> Mention:
        base = self._entry_attrs.get(le.entry.id)
        if base is None:
            base = {k: v for k, v in le.entry.model_dump(exclude_none=True).items() if k not in NOT_ATTRS and v != []}
            # attrs.title is the title the text gives; the pack's title is kept apart
            if "title" in base:
                base["pack_title"] = base.pop("title")
            self._entry_attrs[le.entry.id] = base
        attrs = copy.deepcopy(base) if any(isinstance(v, (list, dict)) for v in base.values()) else dict(base)
        kind = self.forms_kind.get((le.entry.id, surface))
        if kind:
            attrs["form"] = kind
        return Mention(start, end, le.label, le.entry.id, le.entry.name, method, rule, score, attrs)

    def lower_forms(self, le: LoadedEntry) -> frozenset[str]:
        """The entry's surface forms, lower-cased (built once per entry)."""
        forms = self._lower_forms.get(le.entry.id)
        if forms is None:
            forms = self._lower_forms[le.entry.id] = frozenset(f.lower() for f in le.entry.surface_forms())
        return forms

    def title_entry(self, doc: Doc, s: int, e: int) -> Any:
        return self.titles.get(doc[s:e].text.lower())

    def is_name_token(self, tok: Token) -> bool:
        return bool(NAME_TOKEN.match(tok.text)) and tok.text not in self.stop and not tok.like_num

    def last_title_entry(self, title: str) -> Any:
        words = title.lower().split()
        for k in range(len(words)):
            te = self.titles.get(" ".join(words[k:]))
            if te is not None:
                return te
        return None


def _chip_numbers(packs: RulePacks) -> dict[tuple[str, str], LoadedEntry]:
    """Chips by their model number after the family or vendor: ("ascend", "910c") and ("company:huawei",
    "910c") -> Ascend 910C, for "Ascend 910B, 910C and 910D" and "Huawei's 910B"; a key two chips share
    names neither."""
    out: dict[tuple[str, str], LoadedEntry] = {}
    shared: set[tuple[str, str]] = set()
    for le in packs.entries.values():
        if le.label is not Label.CHIP:
            continue
        vendor = getattr(le.entry, "vendor", None)
        for form in le.entry.surface_forms():
            *prefix, number = form.split()
            if not prefix or not any(c.isdigit() for c in number):
                continue
            for key in ((" ".join(prefix).lower(), number.lower()), (str(vendor), number.lower())):
                if out.setdefault(key, le) is not le:
                    shared.add(key)
    for key in shared:
        del out[key]
    return out


def _country_form_kinds(packs: RulePacks) -> dict[tuple[str, str], str]:
    """(country id, form) -> "demonym" or "metonym", for the mention's `kind`."""
    out: dict[tuple[str, str], str] = {}
    for le in packs.entries.values():
        if isinstance(le.entry, CountryEntry):
            for d in le.entry.demonyms:
                out[(le.entry.id, d)] = "demonym"
            for d in le.entry.metonyms:
                out[(le.entry.id, d)] = "metonym"
    return out
