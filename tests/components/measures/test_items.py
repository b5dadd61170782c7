"""Measure items: which goods a measure covers, each once (rules only; invented sentences)."""

from __future__ import annotations

import pytest

from tests.components.measures.conftest import dated_record

# (id, text, items of the one measure, in text order)
CASES = [
    # what the goods are used for is an end use, not a good the measure covers
    ("end-use-used-in",
     "Jakarta imposed export curbs on nickel used in electric vehicle batteries.",
     ["nickel"]),
    ("end-use-essential-for",
     "Brazil restricted exports of lithium, essential for batteries and solar panels, on Monday.",
     ["lithium"]),
    ("goods-before-end-use-kept",
     "Ottawa imposed tariffs on steel and aluminium used in cars.",
     ["steel", "aluminium"]),
    # goods before a trigger modify it; not across a preposition
    ("goods-before-a-bound-word",
     "Brazil curbed lithium exports in response to tariff hikes by Canada.",
     ["lithium"]),
    # a class of goods named by its members is no item of its own
    ("class-named-by-members",
     "Beijing banned exports of critical minerals gallium, germanium and antimony to Norland.",
     ["gallium", "germanium", "antimony"]),
    ("class-colon",
     "Jakarta will restrict exports of two minerals: nickel and cobalt.",
     ["nickel", "cobalt"]),
    ("class-including-part-kept",
     "Beijing banned exports of three critical minerals including antimony.",
     ["critical minerals", "antimony"]),
    ("class-alone-kept",
     "Jakarta will restrict exports of critical minerals from January.",
     ["critical minerals"]),
    # a good named again in a later report of the same measure is one item, at its first mention
    ("repeated-good-once",
     "Canada will impose a 100% tariff on Chinese EVs from October 1. "
     "The new tariff on EVs follows similar U.S. moves.",
     ["EVs"]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "items"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_items(rules_nlp, text, items):
    rec = dated_record(rules_nlp, text)
    assert [i.text.text for i in rec.measures[0].items] == items
