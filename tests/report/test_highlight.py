"""Marked article text: nesting across overlaps, one id per span, everything escaped."""

from __future__ import annotations

import re

import pytest

from pipeline.report.highlight import EVIDENCE, MENTION, QUOTE, Mark, render_marked


def _m(start, end, layer, name):
    return Mark(start, end, layer, name, {"id": name})


def _strip(html: str) -> str:
    import html as h

    return h.unescape(re.sub(r"<[^>]+>", "", html))


CASES = [
    pytest.param("abcdef", [], "abcdef", id="no-marks"),
    pytest.param("abcdef", [_m(1, 3, MENTION, "m")], 'a<span class="m" id="m">bc</span>def', id="one"),
    pytest.param("abcdef", [_m(0, 6, QUOTE, "q"), _m(2, 4, MENTION, "m")],
                 '<span class="q" id="q">ab<span class="m" id="m">cd</span>ef</span>', id="nested"),
    # the mention crosses the quote's end: it is cut, its second piece has no id
    pytest.param("abcdef", [_m(0, 3, QUOTE, "q"), _m(2, 5, MENTION, "m")],
                 '<span class="q" id="q">ab<span class="m" id="m">c</span></span>'
                 '<span class="m" data-cont="1">de</span>f', id="crossing-inner"),
    # an evidence sentence (outer layer) starting inside a quote cuts the quote
    pytest.param("abcdef", [_m(0, 4, QUOTE, "q"), _m(2, 6, EVIDENCE, "v")],
                 '<span class="q" id="q">ab</span><span class="v" id="v"><span class="q" data-cont="1">cd</span>'
                 'ef</span>', id="crossing-outer"),
    pytest.param("a<b>&\"c", [_m(1, 4, MENTION, "m")], 'a<span class="m" id="m">&lt;b&gt;</span>&amp;"c', id="escaped"),
    pytest.param("abc", [_m(2, 9, MENTION, "m"), _m(1, 1, MENTION, "z")], "abc", id="outside-or-empty-dropped"),
]


@pytest.mark.parametrize(("text", "marks", "html"), CASES)
def test_render_marked(text, marks, html):
    assert render_marked(text, marks) == html


def test_text_survives_any_overlap():
    text = "The quick brown fox jumps over the lazy dog"
    marks = [_m(4, 19, QUOTE, "q"), _m(10, 25, EVIDENCE, "v"), _m(0, 9, MENTION, "a"), _m(16, 30, MENTION, "b")]
    html = render_marked(text, marks)
    assert _strip(html) == text
    assert sorted(re.findall(r'id="(\w)"', html)) == ["a", "b", "q", "v"]
    assert html.count("<span") == html.count("</span>")


def test_attributes_and_before_are_written_once():
    mark = Mark(0, 3, QUOTE, "quote", {"id": "q-1", "data-tip": 'say "x" & <y>'}, before="<a>B</a>")
    html = render_marked("abcdef", [mark, _m(2, 5, EVIDENCE, "v")])
    assert html.count("<a>B</a>") == 1
    assert 'data-tip="say &quot;x&quot; &amp; &lt;y&gt;"' in html
