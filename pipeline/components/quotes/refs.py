"""Speakers as `SpeakerRef`: from an entity mention (with the title the article gives the person), or
unlinked (a pronoun with no antecedent, an unknown name, a role, an unnamed source)."""

from __future__ import annotations

from models.records import Label
from models.rules import RuleEntry
from pipeline.components.mentions import Mention
from pipeline.components.quotes.index import DocIndex
from pipeline.components.quotes.results import CharSpan, SpeakerRef

POSSESSIVE_MARKS = ("'s", "’s")
# how far back from its end a possessed name (“China’s Ministry of Commerce”) may start
MAX_POSSESSED_WORDS = 6


def speaker_from_mention(ix: DocIndex, idx: int) -> SpeakerRef:
    m = ix.mentions[idx]
    canonical_id, name, label = m.canonical_id, m.canonical_name, m.label
    if canonical_id is None:
        # the same name linked elsewhere in the article (“President Trump” left unlinked once)
        linked = _linked_twin(ix, idx)
        if linked is not None:
            canonical_id, name, label = linked.canonical_id, linked.canonical_name, linked.label
    return SpeakerRef(
        mention=ix.char(m),
        mention_index=idx,
        name=name,
        canonical_id=canonical_id,
        label=label,
        title=title_for(ix, m),
    )


def _linked_twin(ix: DocIndex, idx: int) -> Mention | None:
    """Another mention with the same text and label that the entity rules linked."""
    m = ix.mentions[idx]
    surface = ix.span_text(m)
    text = surface.lower()
    acronym = surface if surface.isalpha() and surface.isupper() and 2 <= len(surface) <= 6 else None
    for o in ix.mentions:
        if not o.canonical_id or o.label is not m.label:
            continue
        if ix.span_text(o).lower() == text:
            return o
        if acronym is not None and acronym in _initials(o.canonical_name):
            # “the CIT” after “the U.S. Court of International Trade”
            return o
    return None


def _initials(name: str) -> tuple[str, str]:
    """The acronyms a name may go by: the initials of its capitalised words, with and without a leading
    country prefix (“U.S. Court of International Trade” -> USCIT, CIT)."""
    caps = [w for w in name.replace(".", "").split() if w[:1].isupper()]
    full = "".join(w[0] for w in caps)
    rest = "".join(w[0] for w in caps[1:]) if caps and caps[0].isupper() else full
    return full, rest


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


def possessed_name(ix: DocIndex, names: dict[str, tuple[RuleEntry, Label]], start: int, end: int) -> SpeakerRef | None:
    """Tokens `[start, end)` after “<mention>'s” as a pack name (“China’s Ministry of Commerce”)."""
    k = start - 1
    if k < 1 or start >= end or ix.lower[k] not in POSSESSIVE_MARKS:
        return None
    owner = ix.mention_at_end.get(k)
    if owner is None:
        return None
    s = ix.char(ix.mentions[owner])[0]
    e = ix.tok_chars(start, end)[1]
    key = " ".join(ix.text[s:e].replace("’", "'").replace(" 's", "'s").split()).lower()
    hit = names.get(key)
    if hit is None:
        return None
    entry, label = hit
    return SpeakerRef(mention=ix.tok_chars(start, end), name=entry.name, canonical_id=entry.id, label=label)


def possessed_name_ending(ix: DocIndex, names: dict[str, tuple[RuleEntry, Label]], end: int) -> SpeakerRef | None:
    """A possessed pack name that ends before token `end`, its start searched backwards."""
    for start in range(end - 1, max(end - 1 - MAX_POSSESSED_WORDS, 0), -1):
        if not ix.doc[start].is_alpha:
            break
        found = possessed_name(ix, names, start, end)
        if found is not None:
            return found
    return None


def possessed_name_starting(
    ix: DocIndex, names: dict[str, tuple[RuleEntry, Label]], start: int, hi: int
) -> SpeakerRef | None:
    """The longest possessed pack name from token `start` (after “China’s”) within `[start, hi)`."""
    best = None
    for end in range(start + 1, min(hi, start + MAX_POSSESSED_WORDS) + 1):
        if not ix.doc[end - 1].is_alpha:
            break
        best = possessed_name(ix, names, start, end) or best
    return best
