"""News sentence bounds: punctuation, closing marks, opening marks and paragraph breaks."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "text, sentences",
    [
        ("He left. She stayed.", ["He left.", "She stayed."]),
        ("Headline Without A Period\n\nThe body starts here.", ["Headline Without A Period", "The body starts here."]),
        ("“We will act.” He left.", ["“We will act.”", "He left."]),
        ('It ended.\n\n"We don\'t," he said.', ["It ended.", '"We don\'t," he said.']),
        ("Wrapped line\ncontinues here. Next one.", ["Wrapped line\ncontinues here.", "Next one."]),
        ("RIO, Feb 26 - Brazil said.\n    Indented paragraph.", ["RIO, Feb 26 - Brazil said.", "Indented paragraph."]),
        ("The U.S. and China met.", ["The U.S. and China met."]),
    ],
)
def test_sentences(rules_nlp, text, sentences):
    doc = rules_nlp(text)
    assert [s.text.strip() for s in doc.sents] == sentences
