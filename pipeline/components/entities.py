"""Entity stage: rule-pack phrase matches (SpanRuler), pattern rules for unseen names, model NER
gap filling, titles, and in-article resolution (surnames, short forms, defined acronyms).

The result is `doc._.trade_mentions`: a sorted, non-overlapping list of `Mention`.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, cast

from spacy.attrs import ENT_IOB
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.pipeline import SpanRuler
from spacy.tokens import Doc, Span, Token
from spacy.util import minibatch

from models.records import Label
from models.rules import CountryEntry, PatternLexicon
from pipeline.components.mentions import (
    Mention,
    compact_view,
    doc_spaces,
    doc_text,
    doc_words,
    filter_mentions,
    has_annotation,
    span_text,
)
from pipeline.rules.packs import LoadedEntry, cached_packs
from pipeline.settings import Settings

RULER_EXACT = "trade_ruler_exact"
RULER_LOWER = "trade_ruler_lower"
RULES_KEY = "trade_rules"

# Facts of a pack entry that are not copied to a mention's attrs.
_NOT_ATTRS = {"id", "name", "aliases", "case", "enabled", "note", "demonyms", "metonyms"}

_MODEL_NUMBER = re.compile(r"^(?=[^\d]*\d)[A-Z]{1,4}-?\d{1,4}[A-Z]{0,3}\d?$")
_NAME_TOKEN = re.compile(r"^[A-Z][\w'’.\-]*$")
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&]{1,7}s?$")
_DATELINE = re.compile(
    r"^\s*[A-Z][A-Z .'’/-]{1,40}(?:,\s*[A-Z][A-Za-z .'-]{1,30})?,\s+"
    r"(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}|\d{1,2}\s+[A-Z][a-z]+)\s*(?:\([^)\n]{1,40}\))?\s*[-–—]+"
)

if not Doc.has_extension("trade_mentions"):
    Doc.set_extension("trade_mentions", default=None)


@dataclass
class _Matched:
    """One document between rule matching and the model's gap filling."""

    work: Doc  # the doc, or its view without white-space tokens
    keep: list[int] | None  # view index -> doc index
    title_spans: list[tuple[int, int]]
    mentions: list[Mention]  # rule and pattern mentions, on `work`
    claimed: set[int]  # doc indices of their words
    run_ner: bool


class TradeEntities:
    """Merge rule, pattern and model spans into resolved mentions."""

    def __init__(self, nlp: Language, name: str, *, rules_dirs: list[str], use_model_ner: bool, ner_window: int):
        self.name = name
        self.packs = cached_packs(tuple(rules_dirs))
        assert self.packs.patterns is not None
        self.lex: PatternLexicon = self.packs.patterns
        self.use_model_ner = use_model_ner
        # the model's NER is run by this stage, on windows (see `_windowed_ner`), unless it ran before it
        self.ner: Any = nlp.get_pipe("ner") if use_model_ner and "ner" in nlp.component_names else None
        self.ner_window = ner_window
        self.stop_words = frozenset(nlp.Defaults.stop_words)
        # the facts of a pack entry a mention carries as attrs, dumped once per entry (a mention gets a copy)
        self._entry_attrs: dict[str, dict[str, Any]] = {}
        self.by_id: dict[str, LoadedEntry] = self.packs.entries
        # lower-case surface form -> entry, to type model ORG/GPE spans by pack lookup
        self.by_form: dict[str, LoadedEntry] = {}
        for le in self.packs.entries.values():
            for f in le.entry.surface_forms():
                self.by_form.setdefault(f.lower(), le)
        self.forms_kind: dict[tuple[str, str], str] = {}
        for le in self.packs.entries.values():
            if isinstance(le.entry, CountryEntry):
                for d in le.entry.demonyms:
                    self.forms_kind[(le.entry.id, d)] = "demonym"
                for d in le.entry.metonyms:
                    self.forms_kind[(le.entry.id, d)] = "metonym"
        self.titles = {t.title.lower(): t for t in self.packs.titles}
        self.rulers: list[SpanRuler] = [
            cast(SpanRuler, nlp.get_pipe(n)) for n in (RULER_EXACT, RULER_LOWER) if n in nlp.component_names
        ]
        self.title_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        # patterns from the titles as written: lower-casing first would tokenize "sen." apart from "Sen."
        self.title_matcher.add("TITLE", [nlp.make_doc(t.title) for t in self.packs.titles])
        # every word of every title, lower-cased: a title grows left over these ("U.S. Commerce Secretary")
        self.title_words = {w for t in self.titles for w in t.split()}
        self.company_heads = set(self.lex.company_heads)
        self.legal = set(self.lex.legal_suffixes)
        self.agency_heads = set(self.lex.agency_heads)
        self.media_heads = set(self.lex.media_heads)
        self.chip_nouns = {w.lower() for w in self.lex.chip_nouns}
        self.stop = set(self.lex.name_stopwords)
        self.currency_words = {w.lower() for w in self.lex.currency_words}
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
        self.not_entity_heads = set(self.lex.not_entity_heads)
        places = sorted(self.lex.non_country_places, key=len, reverse=True)
        self.place_re = re.compile(r"\b(?:" + "|".join(re.escape(p) for p in places) + r")\b") if places else None
        self.government_words = {h for h in self.lex.agency_heads if " " not in h} | {"government", "Government"}
        # multi-word heads of government bodies the NER calls organisations ("Central Bank")
        self.agency_phrases = {h for h in self.lex.agency_heads if " " in h}
        self.generic_org_words = (
            self.agency_heads | self.company_heads | self.media_heads | set(self.lex.generic_org_words)
        )
        self.family_first = frozenset(self.lex.family_first_surnames)
        self.surnames: dict[str, str] = {}
        by_surname: dict[str, list[LoadedEntry]] = {}
        for le in self.packs.entries.values():
            sur = getattr(le.entry, "surname", None)
            if sur:
                self.surnames[le.entry.id] = sur
                by_surname.setdefault(sur, []).append(le)
        # a surname alone ("Biden's rules") names a pack person when no other entry shares it and it is no common word
        ambiguous = set(self.lex.ambiguous_surnames) | self.family_first | self.stop
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

    # ------------------------------------------------------------------ pipeline entry point
    def __call__(self, doc: Doc) -> Doc:
        return self._process([doc])[0]

    def pipe(self, stream: Iterable[Doc], *, batch_size: int = 64) -> Iterator[Doc]:
        """Batches of documents, so the statistical NER runs once per batch over all their windows."""
        for batch in minibatch(stream, size=batch_size):
            yield from self._process(list(batch))

    def _process(self, docs: list[Doc]) -> list[Doc]:
        states = [self._match(doc) for doc in docs]
        todo = [(doc, st) for doc, st in zip(docs, states, strict=True) if st.run_ner]
        if todo:
            self._windowed_ner([doc for doc, _ in todo], [st.claimed for _, st in todo])
        return [self._finish(doc, st) for doc, st in zip(docs, states, strict=True)]

    def _match(self, doc: Doc) -> _Matched:
        """Rule and pattern mentions of one document, before the model fills gaps."""
        # Wire copy wraps lines inside names and titles (“Trade Minister\nRha Woong Bae”). The stage works on
        # a view of the doc without white-space tokens and maps every mention back to the doc at the end.
        view = compact_view(doc)
        work, keep = view if view is not None else (doc, None)
        cands = self._rule_mentions(doc, work)
        title_spans = self._title_spans(work)
        cands += self._pattern_mentions(work, cands, title_spans)
        mentions = filter_mentions(cands)
        # the words the model may add to: no rule or pattern claimed them (rules win on overlap)
        claimed = {i for m in mentions for i in range(m.start, m.end)}
        if keep is not None:
            claimed = {keep[i] for i in claimed}
        run_ner = self.ner is not None and not has_annotation(doc, ENT_IOB)
        return _Matched(work, keep, title_spans, mentions, claimed, run_ner)

    def _finish(self, doc: Doc, st: _Matched) -> Doc:
        work, keep, title_spans, mentions = st.work, st.keep, st.title_spans, st.mentions
        if self.use_model_ner and has_annotation(doc, ENT_IOB):
            model = self._model_mentions(doc, keep)
            extra = [m for m in model if not self._claimed(m, keep, st.claimed)]
            mentions = filter_mentions([*mentions, *extra])
        if keep is not None:
            mentions = [m for m in mentions if not self._in_dateline(doc, keep[m.start])]
        else:
            mentions = [m for m in mentions if not self._in_dateline(doc, m.start)]
        mentions = [m for m in mentions if not self._not_a_country(doc, work, keep, m)]
        mentions = self._resolve(work, mentions)
        self._attach_titles(work, mentions, title_spans)
        if keep is not None:
            for m in mentions:
                m.start, m.end = keep[m.start], keep[m.end - 1] + 1
        doc._.trade_mentions = mentions
        return doc

    @staticmethod
    def _claimed(m: Mention, keep: list[int] | None, claimed: set[int]) -> bool:
        return any((keep[i] if keep is not None else i) in claimed for i in range(m.start, m.end))

    # ------------------------------------------------------------------ statistical NER on windows
    def _windowed_ner(self, docs: list[Doc], claimed: list[set[int]]) -> None:
        """Run the model's NER where it can add a mention, and set `doc.ents` from it.

        A model span survives only if it has a capital and no rule claimed any of its words, so the NER
        runs on windows of `ner_window` words around capitalised words no rule claimed (a third of wire
        copy) instead of on every word; its features reach four words either side, so the spans inside a
        window match a full run. `ner_window = 0` runs it on whole documents.
        """
        assert self.ner is not None
        pieces: list[tuple[int, int, int]] = []  # (doc index, start, end)
        for k, doc in enumerate(docs):
            if self.ner_window <= 0:
                pieces.append((k, 0, len(doc)))
            else:
                pieces.extend((k, s, e) for s, e in ner_windows(doc, claimed[k], self.ner_window, self.stop_words))
        subdocs = []
        for k, s, e in pieces:
            texts, spaces = doc_words(doc := docs[k]), doc_spaces(doc)
            subdocs.append(Doc(doc.vocab, words=texts[s:e], spaces=spaces[s:e]))
        ents: list[list[Span]] = [[] for _ in docs]
        for (k, s, _), sub in zip(pieces, self.ner.pipe(subdocs, batch_size=256), strict=True):
            ents[k].extend(Span(docs[k], s + ent.start, s + ent.end, label=ent.label) for ent in sub.ents)
        for doc, spans in zip(docs, ents, strict=True):
            # words outside every window keep "missing": the model did not look at them
            doc.set_ents(spans, default="unmodified")

    # ------------------------------------------------------------------ rules
    def _rule_mentions(self, doc: Doc, work: Doc) -> list[Mention]:
        """Pack matches on `work` (the doc itself, or its view without white space)."""
        if work is doc and RULES_KEY in doc.spans:
            # the rulers ran as pipeline components (a user's own pipeline): their spans are the matches
            found = [(span.id_, span.start, span.end) for span in doc.spans[RULES_KEY]]
        else:
            found = [m for ruler in self.rulers for m in _ruler_matches(ruler, work)]
        texts = doc_words(work)
        out: list[Mention] = []
        for entry_id, start, end in found:
            le = self.by_id.get(entry_id)
            if le is None:
                continue
            out.append(self._from_entry(le, start, end, "rule", le.origin, 1.0, span_text(work, start, end)))
            # “China's Ministry of Commerce” is two mentions: the country and the body
            poss = next((k for k in range(start + 1, end - 1) if texts[k] in {"'s", "’s"}), None)
            if poss is not None and le.label is not Label.COUNTRY:
                country = self.by_form.get(span_text(work, start, poss).lower())
                if country is not None and country.label is Label.COUNTRY:
                    out[-1] = self._from_entry(
                        le, poss + 1, end, "rule", le.origin, 1.0, span_text(work, poss + 1, end)
                    )
                    name = span_text(work, start, poss)
                    out.append(self._from_entry(country, start, poss, "rule", country.origin, 1.0, name))
        return out

    def _not_a_country(self, doc: Doc, work: Doc, keep: list[int] | None, m: Mention) -> bool:
        """“U.S. dlrs” is a currency and “New Mexico” a state: no country mention there."""
        if m.label is not Label.COUNTRY:
            return False
        if m.end < len(work) and work[m.end].lower_ in self.currency_words:
            return True
        first, last = (keep[m.start], keep[m.end - 1]) if keep is not None else (m.start, m.end - 1)
        s, e = doc[first].idx, doc[last].idx + len(doc[last].text)
        return any(ps <= s and e <= pe for ps, pe in self._place_ranges(doc))

    def _place_ranges(self, doc: Doc) -> list[tuple[int, int]]:
        cached: list[tuple[int, int]] | None = doc.user_data.get("trade_places")
        if cached is None:
            cached = [(m.start(), m.end()) for m in self.place_re.finditer(doc_text(doc))] if self.place_re else []
            doc.user_data["trade_places"] = cached
        return cached

    @staticmethod
    def _in_dateline(doc: Doc, i: int) -> bool:
        """Datelines (“RIO DE JANEIRO, Feb 26 -”, “BUSAN, South Korea, Oct 30 (Reuters) -”) name places, not actors."""
        end = doc.user_data.get("trade_dateline_end")
        if end is None:
            m = _DATELINE.match(doc_text(doc))
            end = m.end() if m else 0
            doc.user_data["trade_dateline_end"] = end
        return doc[i].idx < end

    def _from_entry(
        self, le: LoadedEntry, start: int, end: int, method: str, rule: str, score: float, surface: str
    ) -> Mention:
        base = self._entry_attrs.get(le.entry.id)
        if base is None:
            base = {k: v for k, v in le.entry.model_dump(exclude_none=True).items() if k not in _NOT_ATTRS and v != []}
            # attrs.title is the title the text gives; the pack's title is kept apart
            if "title" in base:
                base["pack_title"] = base.pop("title")
            self._entry_attrs[le.entry.id] = base
        attrs = copy.deepcopy(base) if any(isinstance(v, (list, dict)) for v in base.values()) else dict(base)
        kind = self.forms_kind.get((le.entry.id, surface))
        if kind:
            attrs["form"] = kind
        return Mention(start, end, le.label, le.entry.id, le.entry.name, method, rule, score, attrs)

    # ------------------------------------------------------------------ titles
    def _title_spans(self, doc: Doc) -> list[tuple[int, int]]:
        """Token ranges of office/role titles, longest first-come."""
        spans = [(s, e) for _, s, e in self.title_matcher(doc)]
        spans.sort(key=lambda x: (x[0], -(x[1] - x[0])))
        out: list[tuple[int, int]] = []
        last_end = -1
        for s, e in spans:
            if s >= last_end:
                out.append((s, e))
                last_end = e
        return out

    def _title_entry(self, doc: Doc, s: int, e: int) -> Any:
        return self.titles.get(doc[s:e].text.lower())

    # ------------------------------------------------------------------ patterns for unseen names
    def _is_name_token(self, tok: Token) -> bool:
        return bool(_NAME_TOKEN.match(tok.text)) and tok.text not in self.stop and not tok.like_num

    def _pattern_mentions(self, doc: Doc, rules: list[Mention], titles: list[tuple[int, int]]) -> list[Mention]:
        out: list[Mention] = []
        claimed = {i for m in rules for i in range(m.start, m.end)}
        n = len(doc)
        # 1. titled people: "Trade Minister Jane Doe", "Congresswoman X", "Vice Premier He Lifeng"
        for s, e in titles:
            te = self._title_entry(doc, s, e)
            j = e
            while (
                j < n
                and j - e < 5
                and self._is_name_token(doc[j])
                and j not in claimed
                and doc[j].text not in self.titles
            ):
                if doc[j].is_sent_start and j != e:
                    break
                j = self._past_hyphen(doc, j + 1)
            if j - e >= 1 and (j - e >= 2 or (te is not None and doc[j - 1].text[:1].isupper())):
                official = self._official_role(doc, s, e, j, te)
                label = Label.OFFICIAL if official else Label.PERSON
                name = _clean_name(doc[e:j].text)
                out.append(Mention(e, j, label, None, name, "pattern", "pattern:titled-person", 0.8, {}))
        # 1b. appositive titles: "Dana Whitfield, the U.S. commerce under secretary," / "Robert Arnott, Australia's
        # delegate to ..." / "John Ni, director of the Ministry's ..."
        for s, e in titles:
            k = s - 1
            while (
                k >= 0
                and s - k <= 5
                and doc[k].text != ","
                and (doc[k].lower_ in {"the", "a", "an", "'s", "’s"} or doc[k].text[:1].isupper() or k in claimed)
            ):
                k -= 1
            if k < 2 or doc[k].text != ",":
                continue
            j = k
            while (
                j - 1 >= 0
                and k - j < 5
                and (j - 1) not in claimed
                and doc[j - 1].lower_ not in self.titles
                and (self._is_name_token(doc[j - 1]) or (doc[j - 1].text == "-" and j - 2 >= 0))
            ):
                j -= 1
            while j < k and not self._is_name_token(doc[j]):
                j += 1
            after_title = j >= 1 and doc[j - 1].lower_ in self.titles
            if k - j >= 2 or (k - j == 1 and after_title):
                te = self._title_entry(doc, s, e)
                label = Label.OFFICIAL if self._official_role(doc, s, e, e + 8, te) else Label.PERSON
                out.append(
                    Mention(
                        j, k, label, None, _clean_name(doc[j:k].text), "pattern", "pattern:appositive-person", 0.75, {}
                    )
                )
        # 2. organisations with typical heads or legal suffixes: "Caldera Metals Corp", "Ministry of Commerce"
        # (plain lists, not Token objects: this loop visits every word of every article)
        texts = doc_words(doc)
        name_ok = [bool(_NAME_TOKEN.match(t)) and t not in self.stop and not t[:1].isdigit() for t in texts]
        legal_or_sep = self.legal | {",", "&"}
        # "American Soybean Association": an association's name may hold a country or a material
        crossable = {i for m in rules if m.label in (Label.COUNTRY, Label.MATERIAL) for i in range(m.start, m.end)}
        i = 0
        while i < n:
            if (i in claimed and i not in crossable) or not name_ok[i]:
                i += 1
                continue
            j = i
            while (
                j < n
                and j - i < 6
                and (j not in claimed or j in crossable)
                and (
                    name_ok[j]
                    or texts[j] in self.legal
                    # "Holm & Vickers": an ampersand joins two name words
                    or (texts[j] == "&" and j + 1 < n and name_ok[j + 1] and j > i)
                )
            ):
                j += 1
            # extend over legal suffixes after the run ("Co., Ltd.")
            while j < n and texts[j] in legal_or_sep and j not in claimed:
                if texts[j] in {",", "&"} and not (j + 1 < n and texts[j + 1] in self.legal):
                    break
                j += 1
            words = texts[i:j]
            org_label: Label | None = None
            last_core = max((k for k, w in enumerate(words) if w not in legal_or_sep), default=-1)
            has_head = last_core >= 1 and words[last_core] in self.company_heads
            has_legal_suffix = last_core >= 0 and len(words) > last_core + 1
            run_text = " ".join(words)
            if any(h in run_text for h in self.agency_phrases):
                org_label = Label.AGENCY  # "the Central Bank": a bank head, but a government body
            elif has_head or has_legal_suffix:
                org_label = Label.COMPANY
            elif last_core >= 1 and words[last_core] in self.agency_heads:
                org_label = Label.AGENCY
            crosses = any(k in crossable for k in range(i, i + len(words)))
            if crosses and not (last_core >= 1 and words[last_core] in self.association_heads):
                org_label = None
            if org_label is not None and words[0] not in self.company_heads:
                end = i + (len(words) if org_label is Label.COMPANY else last_core + 1)
                rule = f"pattern:{org_label.value.lower()}-head"
                out.append(Mention(i, end, org_label, None, _clean_org(doc[i:end].text), "pattern", rule, 0.75, {}))
                i = end
                continue
            i = max(j, i + 1)
        # 3. model numbers near a vendor or a chip noun: "its new B30A chip", "Nvidia's B40"
        vendors = {m.end: m for m in rules if m.label is Label.COMPANY}
        for i, text in enumerate(texts):
            if i in claimed or not _MODEL_NUMBER.match(text):
                continue
            nxt = texts[i + 1].lower() if i + 1 < n else ""
            prev_vendor = vendors.get(i) or (vendors.get(i - 1) if i >= 1 and texts[i - 1] in {"'s", "’s"} else None)
            if nxt in self.chip_nouns or prev_vendor is not None:
                attrs = {"vendor": prev_vendor.canonical_id} if prev_vendor is not None else {}
                out.append(
                    Mention(i, i + 1, Label.CHIP, None, text, "pattern", "pattern:chip-model-number", 0.7, attrs)
                )
        return out

    @staticmethod
    def _past_hyphen(doc: Doc, j: int) -> int:
        """Hyphenated given names (“Lee Ta-hai”, “Chang Chi-cheng”) are split by the tokenizer: step over them."""
        while (
            j + 1 < len(doc)
            and doc[j].text == "-"
            and not doc[j - 1].whitespace_
            and not doc[j].whitespace_
            and doc[j + 1].is_alpha
        ):
            j += 2
        return j

    def _official_role(self, doc: Doc, s: int, e: int, hi: int, te: Any) -> bool:
        """A title makes its holder an OFFICIAL when the office is public: the lexicon says so, or a role word
        (“director”, “vice chairman”, “delegate”) sits in a government body (“of the Ministry's ...”)."""
        if te is not None and te.official:
            return True
        window = [t.text for t in doc[max(0, s - 3) : min(len(doc), hi)]]
        return any(w in self.government_words for w in window)

    # ------------------------------------------------------------------ statistical NER
    def _model_mentions(self, doc: Doc, keep: list[int] | None) -> list[Mention]:
        """Model NER spans typed by pack lookup and head words, on the work view's token indices."""
        out: list[Mention] = []
        inv = {orig: k for k, orig in enumerate(keep)} if keep is not None else None
        for ent in doc.ents:
            span = _trim_span(ent)
            if span is None or (len(span) == 1 and span.text in self.stop):
                continue
            out.extend(self._model_mention(ent, span, inv))
        return out

    def _model_mention(self, ent: Span, span: Span, inv: dict[int, int] | None) -> list[Mention]:
        if inv is not None:
            toks = [t.i for t in span if not t.is_space]
            if not toks:
                return []
            w_start, w_end = inv[toks[0]], inv[toks[-1]] + 1
        else:
            w_start, w_end = span.start, span.end
        text = " ".join(span.text.split())
        if len(span) == 1 and ent.label_ == "ORG" and (text in self.generic_org_words or len(text) <= 2):
            return []
        if not text[:1].isupper() and not text[:1].isdigit():
            return []  # "trans-Pacific": names start with a capital
        # datelines (“WASHINGTON, Jan 15 -”) and headlines are all capitals: no lookup by lower case there
        known = self.by_form.get(text.lower()) if not text.isupper() or len(text) <= 5 else None
        if known is not None and ent.label_ in {"ORG", "GPE", "NORP", "LOC", "PERSON", "PRODUCT", "FAC", "LAW"}:
            return [self._from_entry(known, w_start, w_end, "model", f"model:{ent.label_}", 0.6, text)]
        label: Label | None = None
        words = {t.text for t in span}  # tokens, so "Ministry's" counts as "Ministry"
        if ent.label_ == "ORG" and words & self.not_entity_heads:
            return []
        if ent.label_ == "PERSON":
            if len(words) < 2 and not any(t.is_title for t in span):
                return []
            label = Label.PERSON
        elif ent.label_ == "ORG":
            if words & self.agency_heads or any(h in text for h in self.agency_phrases):
                label = Label.AGENCY
            elif words & self.media_heads:
                label = Label.MEDIA
            else:
                label = Label.COMPANY
        elif ent.label_ == "LAW":
            label = Label.POLICY
        elif ent.label_ == "PRODUCT" and any(_MODEL_NUMBER.match(t.text) for t in span):
            label = Label.CHIP
        if label is None:
            return []
        name = _clean_name(text) if label is Label.PERSON else _clean_org(text)
        return [Mention(w_start, w_end, label, None, name, "model", f"model:{ent.label_}", 0.5, {})]

    # ------------------------------------------------------------------ in-article resolution
    def _resolve(self, doc: Doc, mentions: list[Mention]) -> list[Mention]:
        claimed = {i for m in mentions for i in range(m.start, m.end)}
        added: list[Mention] = []
        # people: surname -> first full mention
        people: dict[tuple[str, ...], int] = {}
        for idx, m in enumerate(mentions):
            if m.label not in (Label.PERSON, Label.OFFICIAL) or m.method == "coref":
                continue
            sur = self.surnames.get(m.canonical_id or "") or _surname(m.canonical_name, self.family_first)
            if not sur:
                continue
            key = tuple(sur.split())
            if len(m.canonical_name.split()) >= 2:
                people.setdefault(key, idx)
        # a surname alone that only one pack official has (“Biden's rules”), unless the article names another
        for i, text in enumerate(doc_words(doc)):
            le = self.pack_surnames.get(text)
            if le is None or (text,) in people:
                continue
            idx_at = next((k for k, m in enumerate(mentions) if m.start <= i < m.end), None)
            if idx_at is not None and not (mentions[idx_at].method == "model" and mentions[idx_at].length == 1):
                continue
            m = self._from_entry(le, i, i + 1, "rule", f"surname:{le.origin}", 0.7, text)
            if idx_at is not None:
                mentions[idx_at] = m
            else:
                added.append(m)
                claimed.add(i)
        # a one-word person mention that is a known surname becomes a coref of the full mention
        for idx, m in enumerate(mentions):
            key = (doc[m.start : m.end].text,)
            if m.label in (Label.PERSON, Label.OFFICIAL, Label.COMPANY) and m.length == 1 and key in people:
                ante = mentions[people[key]]
                if people[key] != idx and ante.canonical_name != m.canonical_name:
                    self._make_coref(m, ante, people[key], "coref:surname")
        for key, idx in people.items():
            for i in _find_token_seq(doc, key):
                rng = range(i, i + len(key))
                if any(k in claimed for k in rng):
                    continue
                ante = mentions[idx]
                m = Mention(i, i + len(key), ante.label, None, "", "coref", "coref:surname", 0.85)
                self._make_coref(m, ante, idx, "coref:surname")
                added.append(m)
                claimed.update(rng)
        # acronyms defined in the text: "rare earth elements (REE)"
        for idx, m in enumerate(mentions):
            if m.end + 2 < len(doc) and doc[m.end].text == "(" and doc[m.end + 2].text == ")":
                acr = doc[m.end + 1].text
                if not _ACRONYM.match(acr):
                    continue
                for i in _find_token_seq(doc, (acr,)):
                    if i in claimed:
                        continue
                    a = Mention(i, i + 1, m.label, None, "", "coref", "coref:acronym", 0.9)
                    self._make_coref(a, m, idx, "coref:acronym")
                    added.append(a)
                    claimed.add(i)
        # short forms of unknown companies: "Caldera" after "Caldera Metals Corp"
        by_start = {m.start: k for k, m in enumerate(mentions)}
        for idx, m in enumerate(mentions):
            if m.label is not Label.COMPANY or m.canonical_id is not None or m.length < 2:
                continue
            first = doc[m.start]
            if first.text in self.stop or first.is_stop or first.text in self.company_heads:
                continue
            for i in _find_token_seq(doc, (first.text,)):
                if i + 1 < len(doc) and self._is_name_token(doc[i + 1]) and doc[i + 1].text not in {"said"}:
                    continue
                if i in claimed:
                    # a one-word model guess on the short form ("Caldera" as PERSON) yields to the company
                    k = by_start.get(i)
                    if k is not None and mentions[k].method == "model" and mentions[k].length == 1 and k != idx:
                        self._make_coref(mentions[k], m, idx, "coref:short-form")
                    continue
                a = Mention(i, i + 1, m.label, None, "", "coref", "coref:short-form", 0.7)
                self._make_coref(a, m, idx, "coref:short-form")
                added.append(a)
                claimed.add(i)
        if not added:
            return mentions
        merged = sorted([*mentions, *added], key=lambda x: x.start)
        # antecedent indexes point into the old list; rebuild them by identity
        position = {id(m): k for k, m in enumerate(merged)}
        old = mentions
        for m in merged:
            if m.antecedent is not None and m.antecedent < len(old):
                m.antecedent = position[id(old[m.antecedent])]
        return merged

    @staticmethod
    def _make_coref(m: Mention, ante: Mention, ante_idx: int, rule: str) -> None:
        m.label = ante.label
        m.canonical_id = ante.canonical_id
        m.canonical_name = ante.canonical_name
        m.attrs = dict(ante.attrs)
        m.method = "coref"
        m.rule = rule
        m.antecedent = ante_idx

    # ------------------------------------------------------------------ titles on people
    def _attach_titles(self, doc: Doc, mentions: list[Mention], titles: list[tuple[int, int]]) -> None:
        """`attrs.title` = the title written next to the name, spread to every mention of that person."""
        title_end = {e: (s, e) for s, e in titles}
        found: dict[str, str] = {}
        official_keys: set[str] = set()
        for m in mentions:
            if m.label not in (Label.PERSON, Label.OFFICIAL):
                continue
            key = m.canonical_id or m.canonical_name
            before = self._title_before(doc, m, title_end, mentions)
            after = self._title_after(doc, m, titles)
            # the public office wins when the text gives both (“Lord Plumb, European Parliament President”)
            options = [t for t in (before, after) if t]
            official = [
                t for t in options if self._is_official_title(doc, t, m, appositive=t is after, mentions=mentions)
            ]
            official.sort(key=lambda t: not getattr(self._last_title_entry(t), "official", False))
            title = official[0] if official else (options[0] if options else None)
            if not title:
                continue
            m.attrs["title"] = title
            te = self._last_title_entry(title)
            if official:
                official_keys.add(key)
            if te is not None and te.gender and "gender" not in m.attrs:
                m.attrs["gender"] = te.gender
            if official or key not in found:
                found[key] = title
        for m in mentions:
            key = m.canonical_id or m.canonical_name
            if m.label not in (Label.PERSON, Label.OFFICIAL):
                continue
            if "title" not in m.attrs and key in found:
                m.attrs["title"] = found[key]
            if key in official_keys and m.label is Label.PERSON and m.canonical_id is None:
                m.label = Label.OFFICIAL

    def _is_official_title(
        self, doc: Doc, title: str, m: Mention, *, appositive: bool, mentions: list[Mention]
    ) -> bool:
        """Whether `title` (written before the name, or as an appositive after it) is a public office."""
        te = self._last_title_entry(title)
        if not appositive:
            # “ASA Vice President James Adams”, “Nvidia CEO Jensen Huang”: an office of a company is no public one
            n_words = len(title.split())
            start = max(0, m.start - n_words)
            if any(x.label is Label.COMPANY and start <= x.start < m.start for x in mentions):
                return False
        if te is not None and te.official:
            return True
        # a role word in a government body: “vice chairman of the government's Council ...”; for an appositive,
        # the body may follow the title within the same clause
        words = set(title.replace("'s", " ").split())
        after: set[str] = set()
        if appositive:
            for t in doc[m.end : min(len(doc), m.end + 12)]:
                if t.text in {".", ";"} or (t.is_sent_start and t.i > m.end):
                    break
                after.add(t.text)
        return bool((words | after) & self.government_words) and te is not None

    def _last_title_entry(self, title: str) -> Any:
        words = title.lower().split()
        for k in range(len(words)):
            te = self.titles.get(" ".join(words[k:]))
            if te is not None:
                return te
        return None

    def _title_before(
        self, doc: Doc, m: Mention, title_end: dict[int, tuple[int, int]], mentions: list[Mention]
    ) -> str | None:
        if m.start not in title_end:
            return None
        s, _ = title_end[m.start]
        by_end = {x.end: x for x in mentions if x.label in (Label.COUNTRY, Label.AGENCY, Label.COMPANY)}
        # grow left over capitalised title words, countries and agencies ("U.S. Commerce Secretary")
        while s > 0:
            prev = doc[s - 1]
            if prev.is_sent_start and prev.text in self.stop:
                break
            if (s) in by_end:
                s = by_end[s].start
                continue
            if s in title_end or (
                prev.text[:1].isupper()
                and prev.text not in self.stop
                and prev.is_alpha
                and not prev.is_sent_start
                and prev.text.lower() in self.title_words
            ):
                s -= 1
                continue
            break
        return doc[s : m.start].text

    def _title_after(self, doc: Doc, m: Mention, titles: list[tuple[int, int]]) -> str | None:
        """ "Howard Lutnick, the U.S. commerce secretary," -> "U.S. commerce secretary"."""
        i = m.end
        if i + 1 >= len(doc) or doc[i].text != ",":
            return None
        j = i + 1
        if doc[j].lower_ in {"the", "a", "an"}:
            j += 1
        start = j
        limit = min(len(doc), j + 8)
        for s, e in titles:
            if start <= s < limit and all(not doc[k].is_punct or doc[k].text == "." for k in range(start, s)):
                return doc[start:e].text
        return None


def _ruler_matches(ruler: SpanRuler, doc: Doc) -> list[tuple[str, int, int]]:
    """(entry id, start, end) of a SpanRuler's phrase patterns on `doc`, without building Span objects."""
    id_map = getattr(ruler, "_match_label_id_map", None)
    if id_map is None:  # a spaCy without the private map: the public (slower) API gives the same
        return [(sp.id_, sp.start, sp.end) for sp in ruler.match(doc)]
    return [(id_map[m_id]["id"], s, e) for m_id, s, e in ruler.phrase_matcher(doc) if s != e]


def _trim_span(span: Span) -> Span | None:
    """Drop leading determiners and trailing possessives from a model span."""
    s, e = span.start, span.end
    doc = span.doc
    while s < e and doc[s].lower_ in {"the", "a", "an"}:
        s += 1
    while e > s and doc[e - 1].text in {"'s", "’s", "'", "’"}:
        e -= 1
    return doc[s:e] if e > s else None


def _clean_name(text: str) -> str:
    text = re.sub(r"(['’]s)$", "", text.strip())
    return " ".join(text.split())


def _clean_org(text: str) -> str:
    text = re.sub(r"^(the|The)\s+", "", text.strip())
    return _clean_name(text)


def _surname(name: str, family_first: set[str] | frozenset[str] = frozenset()) -> str | None:
    """The family name of a full name: the last word, or the first for family-first names (Liang Wenhao)."""
    words = [w for w in name.split() if w not in {"Jr.", "Jr", "Sr.", "III", "II"}]
    if len(words) < 2:
        return None
    if words[0] in family_first and (len(words) == 3 or (len(words) == 2 and words[1] not in family_first)):
        # "Rha Woong Bae", "Liang Wenhao": the family name leads (two-word names only when unambiguous)
        return words[0]
    return words[-1]


def ner_windows(doc: Doc, claimed: set[int], radius: int, stop_words: frozenset[str]) -> list[tuple[int, int]]:
    """Merged `[start, end)` token windows of `radius` words around each word that could start a model
    mention: it has a capital, no rule claimed it, and it is no capitalised function word ("The", "He")."""
    texts = doc_words(doc)
    n = len(texts)
    windows: list[tuple[int, int]] = []
    for i, w in enumerate(texts):
        if i in claimed or w == w.lower() or (w[1:].islower() and w.lower() in stop_words):
            continue
        s, e = max(0, i - radius), min(n, i + radius + 1)
        if windows and s <= windows[-1][1]:
            windows[-1] = (windows[-1][0], e)
        else:
            windows.append((s, e))
    return windows


def _find_token_seq(doc: Doc, words: Iterable[str]) -> list[int]:
    """Token indices where the word sequence starts."""
    seq = list(words)
    if not seq:
        return []
    texts = doc_words(doc)
    k = len(seq)
    first = seq[0]
    return [i for i in range(len(texts) - k + 1) if texts[i] == first and texts[i : i + k] == seq]


@Language.factory(
    "trade_entities",
    # defaults from the one settings model, so a spaCy config and the CLI agree
    default_config={
        "rules_dirs": [],
        "use_model_ner": Settings.model_fields["use_model_ner"].default,
        "ner_window": Settings.model_fields["ner_window"].default,
    },
)
def make_trade_entities(
    nlp: Language, name: str, rules_dirs: list[str], use_model_ner: bool, ner_window: int
) -> TradeEntities:
    """spaCy factory of the entity stage; expects the two trade rulers before it. With a model, it runs the
    model's `ner` itself when that component is disabled (as `build_nlp` does) and uses `doc.ents` otherwise."""
    return TradeEntities(nlp, name, rules_dirs=rules_dirs, use_model_ner=use_model_ner, ner_window=ner_window)
