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
    scanner = _Scanner(text)
    for m in _TOKEN.finditer(text):
        i, mark = m.start(), m.group()
        scanner.pass_paragraph_ends(i)
        if mark in ("‘", "’", "'") and (_single_is_apostrophe(text, i) or (mark == "'" and not scanner.stack)):
            continue
        if scanner.stack:
            scanner.inside_quote(mark, i)
        else:
            scanner.outside_quote(mark, i)
    return scanner.finish()


class _Scanner:
    """The state of one left-to-right pass over the marks of a text."""

    def __init__(self, text: str):
        self.text = text
        self.scan = MarkScan()
        self.paras = paragraphs(text)
        self.para_idx = 0
        self.stack: list[tuple[str, int]] = []  # (mark, position) of the open outer quote (depth <= 2)
        self.group = 0
        self.seg_group: int | None = None  # the group a quote continued from the last paragraph belongs to

    def pass_paragraph_ends(self, i: int) -> None:
        """Paragraph boundaries passed while a quote was open close it at the paragraph's end."""
        text, paras = self.text, self.paras
        while self.para_idx < len(paras) and paras[self.para_idx][1] <= i:
            if len(self.stack) == 1:
                o_mark, o_pos = self.stack[0]
                start = o_pos + len(o_mark)
                end = paras[self.para_idx][1]
                while end > start and text[end - 1].isspace():
                    end -= 1
                if self.seg_group is None:
                    self.seg_group = self.group
                    self.group += 1
                self.scan.segments.append(Segment(o_pos, start, end, end, o_mark, self.seg_group, closed=False))
                self.stack = []
                # the next paragraph continues the quote only if it opens with a mark
                nxt = paras[self.para_idx + 1][0] if self.para_idx + 1 < len(paras) else None
                if nxt is None or text[nxt : nxt + 1] not in _DOUBLE_OPEN | {"‘"}:
                    self.seg_group = None
            elif self.stack:
                self.stack = []
                self.seg_group = None
            self.para_idx += 1

    def inside_quote(self, mark: str, i: int) -> None:
        """A mark while a quote is open: its closer, a nested opener, a fresh opener, or an unpaired mark."""
        text, stack = self.text, self.stack
        o_mark, o_pos = stack[-1]
        if mark in _PAIRS.get(o_mark, ()) and _is_closer(text, i, mark) and i > o_pos + len(o_mark):
            stack.pop()
            if not stack:
                self._close(o_mark, o_pos, i, mark)
            return
        # a nested quote of another style opens inside the outer one
        if mark in _PAIRS and mark != o_mark and len(stack) < 2 and _is_opener(text, i, mark):
            stack.append((mark, i))
            return
        if mark == o_mark == '"' and len(stack) == 1 and _is_opener(text, i, mark):
            pe = self.paras[self.para_idx][1] if self.para_idx < len(self.paras) else len(text)
            if _nested_straight(text, i, pe):
                # “" … so-called "reciprocal tariffs" on … "”: a quote inside a quote with the same marks
                stack.append((mark, i))
                return
        if mark == o_mark and mark in ("“", '"') and _is_opener(text, i, mark) and len(stack) == 1:
            # an unclosed quote followed by a new opener in the same paragraph: drop the first
            self.scan.unpaired.append(o_pos)
            self.stack = [(mark, i)]
            return
        if mark not in ("’", "'"):
            self.scan.unpaired.append(i)

    def _close(self, o_mark: str, o_pos: int, i: int, mark: str) -> None:
        continued = self.seg_group is not None
        g = self.seg_group if self.seg_group is not None else self.group
        if self.seg_group is None:
            self.group += 1
        self.scan.segments.append(Segment(o_pos, o_pos + len(o_mark), i, i + len(mark), o_mark, g, True, continued))
        self.seg_group = None

    def outside_quote(self, mark: str, i: int) -> None:
        """A mark while no quote is open: an opener, or an unpaired mark."""
        text = self.text
        if mark in _PAIRS and _is_opener(text, i, mark):
            if mark in ("‘", "'"):
                # a single mark opens an outer quote only when a matching closer follows in the paragraph
                pe = next((e for s, e in self.paras if s <= i < e), len(text))
                if not re.search(r"[’'](?![A-Za-z0-9])", text[i + 1 : pe]):
                    return
            self.stack.append((mark, i))
            return
        if mark not in ("’", "'"):
            self.scan.unpaired.append(i)

    def finish(self) -> MarkScan:
        """Report a quote left open; mark continuations; trim the spaces inside the marks."""
        text, scan = self.text, self.scan
        if self.stack:
            scan.unpaired.append(self.stack[0][1])
        for k, seg in enumerate(scan.segments):
            if k > 0 and scan.segments[k - 1].group == seg.group:
                seg.continuation = True
            # the content is the words inside the marks: not the spaces of " … " (marks with spaces inside)
            while seg.start < seg.end and text[seg.start].isspace():
                seg.start += 1
            while seg.end > seg.start and text[seg.end - 1].isspace():
                seg.end -= 1
        return scan
