"""The statistical NER on windows around the capitalised words no rule claimed, and its spans typed by pack
lookup and head words."""

from __future__ import annotations

from typing import Any

from spacy.tokens import Doc, Span

from models.records import Label
from pipeline.components.caches import doc_spaces, doc_words
from pipeline.components.entities.lexicon import EntityLexicon
from pipeline.components.entities.names import MODEL_NUMBER, clean_name, clean_org
from pipeline.components.mentions import Mention


def model_mentions(lex: EntityLexicon, doc: Doc, keep: list[int] | None) -> list[Mention]:
    """Model NER spans typed by pack lookup and head words, on the work view's token indices."""
    out: list[Mention] = []
    inv = {orig: k for k, orig in enumerate(keep)} if keep is not None else None
    for ent in doc.ents:
        span = trim_span(ent)
        if span is None or (len(span) == 1 and span.text in lex.stop):
            continue
        out.extend(model_mention(lex, ent, span, inv))
    return out


def model_mention(lex: EntityLexicon, ent: Span, span: Span, inv: dict[int, int] | None) -> list[Mention]:
    if inv is not None:
        toks = [t.i for t in span if not t.is_space]
        if not toks:
            return []
        w_start, w_end = inv[toks[0]], inv[toks[-1]] + 1
    else:
        w_start, w_end = span.start, span.end
    text = " ".join(span.text.split())
    if len(span) == 1 and ent.label_ == "ORG" and (text in lex.generic_org_words or len(text) <= 2):
        return []
    if not text[:1].isupper() and not text[:1].isdigit():
        return []  # "trans-Pacific": names start with a capital
    # datelines (“WASHINGTON, Jan 15 -”) and headlines are all capitals: no lookup by lower case there
    known = lex.by_form.get(text.lower()) if not text.isupper() or len(text) <= 5 else None
    if known is not None and ent.label_ in {"ORG", "GPE", "NORP", "LOC", "PERSON", "PRODUCT", "FAC", "LAW"}:
        return [lex.from_entry(known, w_start, w_end, "model", f"model:{ent.label_}", 0.6, text)]
    label: Label | None = None
    words = {t.text for t in span}  # tokens, so "Ministry's" counts as "Ministry"
    if ent.label_ == "ORG" and words & lex.not_entity_heads:
        return []
    if ent.label_ == "PERSON":
        if len(words) < 2 and not any(t.is_title for t in span):
            return []
        label = Label.PERSON
    elif ent.label_ == "ORG":
        if words & lex.agency_heads or any(h in text for h in lex.agency_phrases):
            label = Label.AGENCY
        elif words & lex.media_heads:
            label = Label.MEDIA
        else:
            label = Label.COMPANY
    elif ent.label_ == "LAW":
        label = Label.POLICY
    elif ent.label_ == "PRODUCT" and any(MODEL_NUMBER.match(t.text) for t in span):
        label = Label.CHIP
    if label is None:
        return []
    name = clean_name(text) if label is Label.PERSON else clean_org(text)
    return [Mention(w_start, w_end, label, None, name, "model", f"model:{ent.label_}", 0.5, {})]


_POSSESSIVES = frozenset({"'s", "’s", "'", "’"})


def trim_span(span: Span) -> Span | None:
    """Drop leading determiners and trailing possessives from a model span, and what follows a possessive
    inside it unless a capitalised word does (“Trump’s 25 per cent”: the name is before the possessive)."""
    s, e = span.start, span.end
    doc = span.doc
    while s < e and doc[s].lower_ in {"the", "a", "an"}:
        s += 1
    # a possessive followed by a capitalised word is inside a name ("Standard and Poor's Corp", "People's\nAssembly")
    e = next((k for k in range(s + 1, e - 1) if doc[k].text in {"'s", "’s"} and not _name_follows(doc, k + 1, e)), e)
    while e > s and doc[e - 1].text in _POSSESSIVES:
        e -= 1
    return doc[s:e] if e > s else None


def _name_follows(doc: Doc, k: int, e: int) -> bool:
    """Whether the first word from `k` (before `e`) past line-wrap white space is capitalised."""
    while k < e and doc[k].is_space:
        k += 1
    return k < e and doc[k].text[:1].isupper()


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


def windowed_ner(ner: Any, docs: list[Doc], claimed: list[set[int]], window: int, stop_words: frozenset[str]) -> None:
    """Run the model's NER where it can add a mention, and set `doc.ents` from it.

    A model span survives only if it has a capital and no rule claimed any of its words, so the NER
    runs on windows of `window` words around capitalised words no rule claimed (a third of wire
    copy) instead of on every word; its features reach four words either side, so the spans inside a
    window match a full run. `window = 0` runs it on whole documents.
    """
    pieces: list[tuple[int, int, int]] = []  # (doc index, start, end)
    for k, doc in enumerate(docs):
        if window <= 0:
            pieces.append((k, 0, len(doc)))
        else:
            pieces.extend((k, s, e) for s, e in ner_windows(doc, claimed[k], window, stop_words))
    subdocs = []
    for k, s, e in pieces:
        texts, spaces = doc_words(doc := docs[k]), doc_spaces(doc)
        subdocs.append(Doc(doc.vocab, words=texts[s:e], spaces=spaces[s:e]))
    ents: list[list[Span]] = [[] for _ in docs]
    for (k, s, _), sub in zip(pieces, ner.pipe(subdocs, batch_size=256), strict=True):
        ents[k].extend(Span(docs[k], s + ent.start, s + ent.end, label=ent.label) for ent in sub.ents)
    for doc, spans in zip(docs, ents, strict=True):
        # words outside every window keep "missing": the model did not look at them
        doc.set_ents(spans, default="unmodified")
