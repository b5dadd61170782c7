"""Article text as HTML with every span marked, nested however the spans overlap.

Mentions, quotes, speaker mentions, measure triggers and evidence overlap freely (a quote holds mentions,
an evidence sentence holds a quote, a trigger may cut a mention). HTML needs proper nesting, so the text is
cut at every span boundary and each cut segment is wrapped in the spans that cover it, outer layers first.
A span that has to be closed and reopened (it crosses a span of an outer layer) becomes several elements:
the first carries its `id`, tooltip and keyboard focus, the others only its classes and `data-cont`, so
counting `[id]` elements counts spans. All text is escaped here; nothing else writes article text.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from html import escape

# Outer layers first: an evidence sentence wraps the quote inside it, a quote wraps its mentions.
EVIDENCE, QUOTE, SPEAKER, TRIGGER, MENTION = range(5)


@dataclass
class Mark:
    """One span to mark: `attrs` go on its first element, `before` (already HTML) just before it."""

    start: int
    end: int
    layer: int
    classes: str
    attrs: dict[str, str] = field(default_factory=dict)
    before: str = ""


def _open(mark: Mark, first: bool) -> str:
    if not first:
        return f'<span class="{mark.classes}" data-cont="1">'
    attrs = "".join(f' {k}="{escape(v, quote=True)}"' for k, v in mark.attrs.items())
    return f'{mark.before}<span class="{mark.classes}"{attrs}>'


def render_marked(text: str, marks: list[Mark]) -> str:
    """`text` escaped, with `marks` as nested `<span>` elements (marks outside the text are the caller's bug)."""
    marks = [m for m in marks if 0 <= m.start < m.end <= len(text)]
    order = {id(m): (m.layer, m.start, -m.end, i) for i, m in enumerate(marks)}
    cuts = sorted({0, len(text), *(m.start for m in marks), *(m.end for m in marks)})
    starts: dict[int, list[Mark]] = {}
    for m in marks:
        starts.setdefault(m.start, []).append(m)
    active: list[Mark] = []
    stack: list[Mark] = []
    opened: set[int] = set()
    out: list[str] = []
    for a, b in itertools.pairwise(cuts):
        active = [m for m in active if m.end > a] + starts.get(a, [])
        want = sorted(active, key=lambda m: order[id(m)])
        keep = 0
        while keep < len(stack) and keep < len(want) and stack[keep] is want[keep]:
            keep += 1
        out.append("</span>" * (len(stack) - keep))
        for m in want[keep:]:
            out.append(_open(m, id(m) not in opened))
            opened.add(id(m))
        stack = want
        out.append(escape(text[a:b], quote=False))
    out.append("</span>" * len(stack))
    return "".join(out)
