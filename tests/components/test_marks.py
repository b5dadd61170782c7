"""Quotation marks are paired on the raw string, in every common style."""

from __future__ import annotations

import pytest

from pipeline.components.marks import paragraphs, scan_marks

CASES = [
    # (text, [(segment text, closed, continuation)])
    ("“We don’t,” he said, “sell them the best.”", [("We don’t,", True, False), ("sell them the best.", True, False)]),
    ('"We don\'t sell them," Lutnick said.', [("We don't sell them,", True, False)]),
    ("He called it ‘unacceptable’. The companies’ shares fell.", [("unacceptable", True, False)]),
    ("‘We will act,’ said Kim.", [("We will act,", True, False)]),
    ("Le ministre a dit «non merci» hier.", [("non merci", True, False)]),
    ("``This is OCR text,'' he said.", [("This is OCR text,", True, False)]),
    ("„Wir handeln“, sagte sie.", [("Wir handeln", True, False)]),
    ("“He called it ‘unacceptable’,” she said.", [("He called it ‘unacceptable’,", True, False)]),
    (
        "“First paragraph opens\n\n“and continues here,” Zhou said.",
        [("First paragraph opens", False, False), ("and continues here,", True, True)],
    ),
    ("The price fell 5\" in a day and don't panic.", []),
    ("policies—“and more”—would", [("and more", True, False)]),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_segments(text, expected):
    scan = scan_marks(text)
    got = [(text[s.start : s.end], s.closed, s.continuation) for s in scan.segments]
    assert got == expected


def test_unpaired_marks_are_diagnostics_not_errors():
    scan = scan_marks("He said “this never closes. And then nothing.")
    assert scan.segments == [] or all(not s.closed for s in scan.segments)
    assert scan.unpaired or scan.segments


@pytest.mark.parametrize(
    "text, n",
    [("a\n\nb\n\nc", 3), ("line one\nwrapped line\n    indented paragraph", 2), ("one", 1), ("\n\n", 0)],
)
def test_paragraphs(text, n):
    assert len(paragraphs(text)) == n
