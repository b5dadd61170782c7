"""What each quote is about: the entities its content mentions, what its nominals refer to ("these chips",
"the company"), and the measures whose triggers it holds ("the ban", "would impose tariffs")."""

from __future__ import annotations

from pipeline.components.measures.adapter import DocView
from pipeline.components.measures.evidence import Draft
from pipeline.components.measures.lexicon import MeasureRules


def quote_about(
    view: DocView, drafts: list[Draft], rules: MeasureRules, low: str | None = None
) -> list[tuple[list[int], list[int]]]:
    """For each quote of `view.quotes`: (mention indexes, draft indexes) it speaks about, each in order;
    `low` is the text lower-cased, when the caller has it."""
    out: list[tuple[list[int], list[int]]] = []
    if not view.quotes:
        return out
    nominals = rules.words.nominals
    if low is None:
        low = view.text.lower()
    if len(low) != len(view.text):
        low = ""  # a text whose lower-casing moves offsets gets no nominal references
    for q in view.quotes:
        ents = {m.index for m in view.mentions_in(q.start, q.end)}
        if rules.nominal_re is not None and low:
            for nm in rules.nominal_re.finditer(low, q.start, q.end):
                labels = nominals.get(nm.group(1))
                if not labels:
                    continue
                # the latest mention of a fitting label before the nominal ("the company" -> Nvidia)
                ref = next((m for m in reversed(view.mentions_before(nm.start())) if m.label in labels), None)
                if ref is None:
                    # '"These chips are no threat," Huang said of the H20': the rest of the sentence
                    _, s1 = view.sentence_of(q.end) if view.has_sentences else (q.end, q.end)
                    ref = next((m for m in view.mentions_in(q.end, max(s1, q.end)) if m.label in labels), None)
                if ref is not None:
                    ents.add(ref.index)
        if q.speaker_index is not None:
            ents.discard(q.speaker_index)
        about_measures = [k for k, d in enumerate(drafts) if any(q.start <= s and e <= q.end for s, e in d.triggers)]
        out.append((sorted(ents), about_measures))
    return out
