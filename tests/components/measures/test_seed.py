"""The seed article's measures, written by hand (the text is read in place from ../shared)."""

from __future__ import annotations

import pytest

from tests.conftest import SEED, need_shared

# (trigger, type, status, direction, actor jurisdiction, targets, items, announced, effective)
SEED_MEASURES = [
    ("trade negotiations", "negotiation", "in_force", None, "US", ["CN"], ["rare earth element"], None, None),
    ("dissemination rules", "export_control", "revoked", "liberalising", "US", [], [], "2025-05", None),
    ("restrictions", "export_control", "proposed", "restrictive", "US", ["TH", "MY"], ["AI chip"], None, None),
    ("export licenses", "export_control", "in_force", "restrictive", "MY", [], ["AI chips"], None, "2025-07-14"),
]


@pytest.fixture(scope="module")
def seed_record(rules_nlp):
    """The seed as `tradex extract` reads it: the date line under the title is `source.published`."""
    from models.records import PipelineInfo
    from pipeline.ingest import iter_inputs
    from pipeline.nlp import make_docs
    from pipeline.records import doc_to_record
    from pipeline.settings import Settings

    need_shared(SEED)
    (article,) = list(iter_inputs([str(SEED)], Settings(model="none")))
    assert article.source.published == "2025-07-17"
    doc = rules_nlp(make_docs(rules_nlp, [article.text], [article.source.published])[0])
    return doc_to_record(doc, article, PipelineInfo(version="test", rules_version="test", model=None))


@pytest.mark.shared
def test_seed_measures(seed_record):
    got = [
        (
            m.trigger.text,
            m.type.value,
            m.status.value,
            m.direction.value if m.direction else None,
            m.actor.jurisdiction if m.actor else None,
            [t.jurisdiction for t in m.targets],
            [i.text.text for i in m.items],
            m.announced,
            m.effective,
        )
        for m in seed_record.measures
    ]
    assert got == SEED_MEASURES


@pytest.mark.shared
def test_seed_repeal_actor_is_the_administration_not_biden(seed_record):
    repeal = next(m for m in seed_record.measures if m.status.value == "revoked")
    assert repeal.actor is not None and repeal.actor.canonical_id == "agency:trump-administration"
    assert repeal.evidence[0].text.startswith("The Trump administration officially repealed")


@pytest.mark.shared
def test_seed_headline_is_evidence_of_the_negotiation(seed_record):
    talks = seed_record.measures[0]
    assert talks.evidence[0].start == 0 and len(talks.evidence) == 2
    assert talks.quote_ids == [seed_record.quotes[0].id]
