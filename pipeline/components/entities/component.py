"""The `trade_entities` component: pack matches, patterns, the model's NER on windows, filters,
in-article resolution and titles, in the order they run."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, cast

from spacy.attrs import ENT_IOB
from spacy.language import Language
from spacy.pipeline import SpanRuler
from spacy.tokens import Doc
from spacy.util import minibatch

from pipeline.components.caches import doc_words
from pipeline.components.entities.filters import (
    common_word_guess,
    in_dateline,
    not_a_country,
    not_an_entity,
    office_before_title,
    platform_as_channel,
    sign_off,
    unsupported_people,
)
from pipeline.components.entities.lexicon import EntityLexicon
from pipeline.components.entities.matches import RULER_EXACT, RULER_LOWER, rule_mentions
from pipeline.components.entities.model_ner import model_mentions, windowed_ner
from pipeline.components.entities.named_speakers import named_speakers
from pipeline.components.entities.patterns import pattern_mentions
from pipeline.components.entities.resolution import resolve
from pipeline.components.entities.titles import attach_titles, title_spans
from pipeline.components.mentions import Mention, compact_view, filter_mentions, has_annotation
from pipeline.components.pack_backed import PackBacked
from pipeline.rules.packs import RulePacks
from pipeline.settings import EntitySettings

# the stage's result: a sorted, non-overlapping list[Mention] on the doc's token indices
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


class TradeEntities(PackBacked):
    """Merge rule, pattern and model spans into resolved mentions."""

    def __init__(self, nlp: Language, name: str, *, rules_dirs: list[str], use_model_ner: bool, ner_window: int):
        self.name = name
        self.nlp = nlp
        self.rules_dirs = tuple(rules_dirs)
        self.use_model_ner = use_model_ner
        # the model's NER is run by this stage, on windows (see `windowed_ner`), unless it ran before it
        self.ner: Any = nlp.get_pipe("ner") if use_model_ner and "ner" in nlp.component_names else None
        self.ner_window = ner_window
        self.rulers: list[SpanRuler] = [
            cast(SpanRuler, nlp.get_pipe(n)) for n in (RULER_EXACT, RULER_LOWER) if n in nlp.component_names
        ]

    def build(self, packs: RulePacks) -> None:
        self.lex = EntityLexicon(self.nlp, packs)

    def __call__(self, doc: Doc) -> Doc:
        return self._process([doc])[0]

    def pipe(self, stream: Iterable[Doc], *, batch_size: int = 64) -> Iterator[Doc]:
        """Batches of documents, so the statistical NER runs once per batch over all their windows."""
        for batch in minibatch(stream, size=batch_size):
            yield from self._process(list(batch))

    def _process(self, docs: list[Doc]) -> list[Doc]:
        self.ensure_packs()
        states = [self._match(doc) for doc in docs]
        todo = [(doc, st) for doc, st in zip(docs, states, strict=True) if st.run_ner]
        if todo:
            claimed = [st.claimed for _, st in todo]
            windowed_ner(self.ner, [doc for doc, _ in todo], claimed, self.ner_window, self.lex.stop_words)
        return [self._finish(doc, st) for doc, st in zip(docs, states, strict=True)]

    def _match(self, doc: Doc) -> _Matched:
        """Rule and pattern mentions of one document, before the model fills gaps."""
        # Wire copy wraps lines inside names and titles (“Trade Minister\nRha Woong Bae”). The stage works on
        # a view of the doc without white-space tokens and maps every mention back to the doc at the end.
        view = compact_view(doc)
        work, keep = view if view is not None else (doc, None)
        cands = rule_mentions(self.lex, self.rulers, doc, work)
        titles = title_spans(self.lex, work)
        cands += pattern_mentions(self.lex, work, cands, titles)
        if not self.use_model_ner:
            # untitled names by their verb of saying; with a model its NER finds them (and tells firms apart)
            cands += named_speakers(self.lex, work, cands)
        mentions = filter_mentions(cands)
        # the words the model may add to: no rule or pattern claimed them (rules win on overlap)
        claimed = {i for m in mentions for i in range(m.start, m.end)}
        if keep is not None:
            claimed = {keep[i] for i in claimed}
        run_ner = self.ner is not None and not has_annotation(doc, ENT_IOB)
        return _Matched(work, keep, titles, mentions, claimed, run_ner)

    def _finish(self, doc: Doc, st: _Matched) -> Doc:
        work, keep, mentions = st.work, st.keep, st.mentions
        if self.use_model_ner and has_annotation(doc, ENT_IOB):
            model = model_mentions(self.lex, doc, keep)
            extra = [m for m in model if not _claimed(m, keep, st.claimed)]
            mentions = filter_mentions([*mentions, *extra])
        mentions = [m for m in mentions if not in_dateline(doc, keep[m.start] if keep is not None else m.start)]
        mentions = [
            m
            for m in mentions
            if not not_a_country(self.lex, doc, work, keep, m)
            and not not_an_entity(self.lex, work, m)
            and not sign_off(work, m)
            and not platform_as_channel(self.lex, work, m)
        ]
        # title start -> end, for the offices only the state gives ("Premier", "Minister"; not "President")
        official_at = {
            s: e
            for s, e in st.title_spans
            if getattr(self.lex.title_entry(work, s, e), "official", False)
            and work[e - 1].lower_ not in self.lex.corporate_title_words
        }
        if official_at:
            mentions = [m for m in mentions if not office_before_title(m, official_at)]
        if any(m.method == "model" and m.length == 1 for m in mentions):
            lower_words = frozenset(w for w in doc_words(work) if w.islower())
            mentions = [m for m in mentions if not common_word_guess(work, m, lower_words)]
        mentions = unsupported_people(self.lex, work, mentions, st.title_spans)
        mentions = resolve(self.lex, work, mentions)
        attach_titles(self.lex, work, mentions, st.title_spans)
        if keep is not None:
            for m in mentions:
                m.start, m.end = keep[m.start], keep[m.end - 1] + 1
        doc._.trade_mentions = mentions
        return doc


def _claimed(m: Mention, keep: list[int] | None, claimed: set[int]) -> bool:
    return any((keep[i] if keep is not None else i) in claimed for i in range(m.start, m.end))


@Language.factory(
    "trade_entities",
    # defaults from the one settings model, so a spaCy config and the CLI agree
    default_config={
        "rules_dirs": [],
        **EntitySettings().model_dump(),
    },
)
def make_trade_entities(
    nlp: Language, name: str, rules_dirs: list[str], use_model_ner: bool, ner_window: int
) -> TradeEntities:
    """spaCy factory of the entity stage; expects the two trade rulers before it. With a model, it runs the
    model's `ner` itself when that component is disabled (as `build_nlp` does) and uses `doc.ents` otherwise."""
    return TradeEntities(nlp, name, rules_dirs=rules_dirs, use_model_ner=use_model_ner, ner_window=ner_window)
