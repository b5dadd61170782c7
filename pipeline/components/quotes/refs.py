"""Speakers as `SpeakerRef`: from an entity mention (with the title the article gives the person), or
unlinked (a pronoun with no antecedent, an unknown name, a role, an unnamed source)."""

from __future__ import annotations

from pipeline.components.mentions import Mention
from pipeline.components.quotes.index import DocIndex
from pipeline.components.quotes.results import CharSpan, SpeakerRef


def speaker_from_mention(ix: DocIndex, idx: int) -> SpeakerRef:
    m = ix.mentions[idx]
    return SpeakerRef(
        mention=ix.char(m),
        mention_index=idx,
        name=m.canonical_name,
        canonical_id=m.canonical_id,
        label=m.label,
        title=title_for(ix, m),
    )


def unlinked(mention: CharSpan, *, name: str | None = None, title: str | None = None) -> SpeakerRef:
    """A speaker that points at no entity mention."""
    return SpeakerRef(mention=mention, name=name, title=title)


def title_for(ix: DocIndex, m: Mention) -> str | None:
    """The mention's title, else the title of another mention of the same entity."""
    key = m.canonical_id or m.canonical_name
    if m.attrs.get("title"):
        return str(m.attrs["title"])
    for o in ix.mentions:
        if (o.canonical_id or o.canonical_name) == key and o.attrs.get("title"):
            return str(o.attrs["title"])
    return None
