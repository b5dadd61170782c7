"""Date expressions resolved against the publication date (Thursday 2025-07-17)."""

from __future__ import annotations

import pytest

from pipeline.components.measures.dates import find_dates
from pipeline.components.measures.lexicon import measure_rules

# (text, [(value, effective)])
CASES = [
    ("Malaysia implemented export licences on Monday.", [("2025-07-14", True)]),
    ("The ministry said on Thursday it would act.", [("2025-07-17", False)]),
    ("Officials met last Tuesday.", [("2025-07-15", False)]),
    ("Officials met last Thursday.", [("2025-07-10", False)]),
    ("The duties will take effect on Monday.", [("2025-07-21", True)]),
    ("Talks resume next Friday.", [("2025-07-18", False)]),  # the first Friday after publication
    ("Tariffs apply from August 1.", [("2025-08-01", True)]),
    ("The rule was repealed in May.", [("2025-05", False)]),
    ("Duties rise to 50% in January.", [("2025-01", False)]),
    ("Duties will rise from January.", [("2026-01", True)]),
    ("Exports were banned in December 2024.", [("2024-12", False)]),
    ("The deal was signed on March 3, 2024.", [("2024-03-03", False)]),
    ("The deal was signed on 3 March.", [("2025-03-03", False)]),
    ("It took effect on 2025-06-04.", [("2025-06-04", True)]),
    ("The curbs start today.", [("2025-07-17", False)]),
    ("Beijing announced the curbs yesterday.", [("2025-07-16", False)]),
    ("WASHINGTON, Jan 15 – The rule was issued on Wednesday.", [("2025-07-16", False)]),
    ("The rules changed this week.", []),
    # an abbreviated month with its day is one date, not the month alone
    ("The ban will be lifted from Oct. 16.", [("2025-10-16", True)]),
    # what is due or scheduled is still to come
    ("The cut is due to take effect on Tuesday.", [("2025-07-22", True)]),
    ("Talks are scheduled for Monday.", [("2025-07-21", False)]),
    ("The rule takes effect on Dec 1.", [("2025-12-01", True)]),
    ("The rule took effect on Dec 1.", [("2024-12-01", True)]),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0][:40] for c in CASES])
def test_resolved_against_publication(text, expected):
    found = find_dates(text, 0, len(text), "2025-07-17", measure_rules().effective_re)
    assert [(d.value, d.effective) for d in found] == expected


def test_without_publication_only_explicit_years():
    text = "Signed on March 3, 2024 and in force on Monday."
    found = find_dates(text, 0, len(text), None, measure_rules().effective_re)
    assert [d.value for d in found] == ["2024-03-03"]
