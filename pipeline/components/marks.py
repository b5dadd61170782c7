"""Quotation-mark scanning on the raw string (never on tokens, never on rewritten text).

Finds marked segments with every common style: straight and curly doubles, curly singles as outer
marks, guillemets, low-9 marks, ``OCR'' pairs; a paragraph that opens a quote without closing it and
is continued by the next paragraph's opening mark gives one segment per paragraph, joined by `group`.
Unpaired marks are diagnostics, never exceptions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

# opening mark -> closing marks that may end it
_PAIRS: dict[str, tuple[str, ...]] = {
    "“": ("”", '"', "“"),  # some wires close with the opening glyph
    "„": ("“", "”", '"'),
    "«": ("»",),
    "‹": ("›",),
    "``": ("''", '"', "”"),
    "''": ("''",),  # two apostrophes for each mark, as some feeds write straight quotes
    '"': ('"', "”"),
    "‘": ("’", "'"),
    "「": ("」",),
    "『": ("』",),
}
_DOUBLE_OPEN = {"“", "„", "«", "``", "''", '"', "「", "『"}
_PARA = re.compile(r"\n[ \t]*\n|\n[ \t]{2,}|\n\t")
# text taken from HTML puts one paragraph on each line: there every newline ends a paragraph
_LINE = re.compile(r"[ \t]*\n\s*")
_LINE_END = re.compile(r"(?<=\S)[ \t]*\n(?=\s*\S)")
# a hard-wrapped text (wire copy, 1987 Reuters) has no line longer than this; a paragraph line is longer
_WRAP_WIDTH = 120
# marks and brackets a paragraph's last sentence may end with
_SENTENCE_END = frozenset('.!?:…"”’»)')
_TOKEN = re.compile(r"``|''|[\"“”„«»‹›‘’'「」『』]")


@dataclass
class Segment:
    """The inside of one pair of marks: `text[start:end]` (marks excluded)."""

    open_start: int
    start: int
    end: int
    close_end: int
    style: str
    group: int = -1
    closed: bool = True
    continuation: bool = False


@dataclass
class MarkScan:
    segments: list[Segment] = field(default_factory=list)
    unpaired: list[int] = field(default_factory=list)


def lines_are_paragraphs(text: str) -> bool:
    """Whether `text` holds one paragraph per line (text from HTML) rather than hard-wrapped lines: some line
    is longer than a wrap width, and most lines after the first (a headline) end a sentence."""
    if not any(len(line) > _WRAP_WIDTH for line in text.split("\n")):
        return False  # hard-wrapped (wire copy): asked first, it spares the scan of line ends
    ends = [m.start() for m in _LINE_END.finditer(text)]
    if not ends:
        return False
    closed = sum(1 for e in ends[1:] if text[e - 1] in _SENTENCE_END)
    return len(ends) == 1 or closed * 2 >= len(ends) - 1


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Paragraph spans: a blank line, or a newline followed by an indent, ends a paragraph; in text with one
    paragraph per line (`lines_are_paragraphs`) every newline does, so a headline is a paragraph of its own."""
    return list(_paragraphs(text))


@lru_cache(maxsize=4)
def _paragraphs(text: str) -> tuple[tuple[int, int], ...]:
    # the quote stage asks twice per document (its index, the mark scan); a str caches its own hash
    out = []
    pos = 0
    breaks = _LINE if "\n" in text and lines_are_paragraphs(text) else _PARA
    for m in breaks.finditer(text):
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        out.append((pos, len(text)))
    return tuple((s, e) for s, e in out if text[s:e].strip())


def _is_opener(text: str, i: int, mark: str) -> bool:
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + len(mark)] if i + len(mark) < len(text) else " "
    if nxt.isspace():
        # “added, " The …”: a straight mark with spaces inside opens after a comma or colon
        return mark == '"' and nxt in " \t" and text[:i].rstrip()[-1:] in (",", ":")
    return prev.isspace() or prev in "([{—–-/:;,…" or i == 0 or prev in "“‘\"'«"


def _is_closer(text: str, i: int, mark: str) -> bool:
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + len(mark)] if i + len(mark) < len(text) else " "
    if prev.isspace():
        # “… to the end. " --”: a straight mark with spaces inside closes after a sentence's end
        return mark == '"' and prev in " \t" and text[:i].rstrip()[-1:] in (".", "!", "?", ",") and not nxt.isalnum()
    return nxt.isspace() or not nxt.isalnum()


def _single_is_apostrophe(text: str, i: int) -> bool:
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    return prev.isalnum() and nxt.isalnum()


def _nested_straight(text: str, i: int, para_end: int) -> bool:
    """A straight mark opening while a straight quote is open nests when the paragraph still holds an even
    number of straight marks after it (its own closer and the outer one's); an odd number means the first
    quote was left unclosed."""
    rest = text.count('"', i + 1, para_end)
    return rest >= 2 and rest % 2 == 0


def scan_marks(text: str) -> MarkScan:
    """Pair the marks of `text`; only outermost pairs become segments (nested ones are content)."""
    scan = MarkScan()
    paras = paragraphs(text)
    para_end_at = [e for _, e in paras]
    para_idx = 0
    stack: list[tuple[str, int]] = []  # (mark, position) of the open outer quote (depth <= 2)
    group = 0
    seg_group: int | None = None
    for m in _TOKEN.finditer(text):
        i, mark = m.start(), m.group()
        # a paragraph boundary passed while a quote was open: close it at the paragraph end
        while para_idx < len(paras) and paras[para_idx][1] <= i:
            if stack and len(stack) == 1:
                o_mark, o_pos = stack[0]
                pe = para_end_at[para_idx]
                start = o_pos + len(o_mark)
                end = pe
                while end > start and text[end - 1].isspace():
                    end -= 1
                if seg_group is None:
                    seg_group = group
                    group += 1
                scan.segments.append(Segment(o_pos, start, end, end, o_mark, seg_group, closed=False))
                stack = []
                # the next paragraph continues the quote only if it opens with a mark
                nxt_start = paras[para_idx + 1][0] if para_idx + 1 < len(paras) else None
                if nxt_start is None or text[nxt_start : nxt_start + 1] not in _DOUBLE_OPEN | {"‘"}:
                    seg_group = None
            elif stack:
                stack = []
                seg_group = None
            para_idx += 1
        if mark in ("‘", "’", "'") and (_single_is_apostrophe(text, i) or (mark == "'" and not stack)):
            continue
        if stack:
            o_mark, o_pos = stack[-1]
            if mark in _PAIRS.get(o_mark, ()) and _is_closer(text, i, mark) and i > o_pos + len(o_mark):
                stack.pop()
                if not stack:
                    start = o_pos + len(o_mark)
                    cont = seg_group is not None
                    g = seg_group if seg_group is not None else group
                    if seg_group is None:
                        group += 1
                    scan.segments.append(Segment(o_pos, start, i, i + len(mark), o_mark, g, True, cont))
                    seg_group = None
                continue
            # a nested quote of another style opens inside the outer one
            if mark in _PAIRS and mark != o_mark and len(stack) < 2 and _is_opener(text, i, mark):
                stack.append((mark, i))
                continue
            if mark == o_mark == '"' and len(stack) == 1 and _is_opener(text, i, mark):
                pe = paras[para_idx][1] if para_idx < len(paras) else len(text)
                if _nested_straight(text, i, pe):
                    # “" … so-called "reciprocal tariffs" on … "”: a quote inside a quote with the same marks
                    stack.append((mark, i))
                    continue
            if mark == o_mark and mark in ("“", '"') and _is_opener(text, i, mark) and len(stack) == 1:
                # an unclosed quote followed by a new opener in the same paragraph: drop the first
                scan.unpaired.append(o_pos)
                stack = [(mark, i)]
                continue
            if mark not in ("’", "'"):
                scan.unpaired.append(i)
            continue
        if mark in _PAIRS and _is_opener(text, i, mark):
            if mark in ("‘", "'"):
                # a single mark opens an outer quote only when a matching closer follows in the paragraph
                pe = next((e for s, e in paras if s <= i < e), len(text))
                if not re.search(r"[’'](?![A-Za-z0-9])", text[i + 1 : pe]):
                    continue
            stack.append((mark, i))
            continue
        if mark not in ("’", "'"):
            scan.unpaired.append(i)
    if stack:
        o_mark, o_pos = stack[0]
        scan.unpaired.append(o_pos)
    for k, s in enumerate(scan.segments):
        if k > 0 and scan.segments[k - 1].group == s.group:
            s.continuation = True
        # the content is the words inside the marks: not the spaces of " … " (marks with spaces inside)
        while s.start < s.end and text[s.start].isspace():
            s.start += 1
        while s.end > s.start and text[s.end - 1].isspace():
            s.end -= 1
    return scan
