"""Measure stage: one invented sentence per type, status, direction and date case (rules only)."""

from __future__ import annotations

import pytest

from models.records import MAST_CHAPTER
from tests.components.measures.conftest import dated_record

# (id, text, type, status, direction, actor jurisdiction, targets, items, rate, announced, effective)
# targets are jurisdictions, or names for firms; the text is published on Thursday 2025-07-17. The day an
# action was taken is its announced date; effective only when the text says when it takes effect, or for
# talks held (guidelines 9.10)
CASES = [
    ("export-control-reported-speech",
     "China's commerce ministry said on Monday it would restrict exports of gallium and germanium from August 1.",
     "export_control", "announced", "restrictive", "CN", [], ["gallium", "germanium"], None,
     "2025-07-14", "2025-08-01"),
    ("entity-listing-added",
     "The Commerce Department on Tuesday added 12 Chinese firms to the Entity List.",
     "entity_listing", "in_force", "restrictive", "US", ["CN"], [], None, "2025-07-15", None),
    ("tariff-raised-rate",
     "Washington raised tariffs on steel to 50% on Wednesday.",
     "import_tariff", "in_force", "restrictive", "US", [], ["steel"], (50.0, "percent"), "2025-07-16", None),
    ("licence-granted",
     "Beijing granted export licences to three rare earth magnet makers last week.",
     "licence_decision", "in_force", "liberalising", "CN", [], ["rare earth magnet"], None, None, None),
    ("talks-resumed",
     "U.S. and Chinese officials resumed trade talks in Geneva on Sunday.",
     "negotiation", "in_force", None, "US", ["CN"], [], None, None, "2025-07-13"),
    ("tariff-considering",
     "The Trump administration is considering tariffs on semiconductors.",
     "import_tariff", "proposed", "restrictive", "US", [], ["semiconductors"], None, None, None),
    ("trade-defence-plans",
     "Japan plans to impose anti-dumping duties on Chinese steel.",
     "trade_defence", "proposed", "restrictive", "JP", ["CN"], ["steel"], None, None, None),
    ("tariff-proposed-eu",
     "The European Union proposed new tariffs on electric vehicles from China.",
     "import_tariff", "proposed", "restrictive", "EU", ["CN"], ["electric vehicles"], None, None, None),
    ("tariff-would-if",
     "Trump said he would impose a 25% tariff on Indian goods if New Delhi kept buying Russian oil.",
     "import_tariff", "threatened", "restrictive", "US", ["IN"], [], (25.0, "percent"), None, None),
    ("tariff-threatened",
     "The United States threatened tariffs of 100% on Chinese imports.",
     "import_tariff", "threatened", "restrictive", "US", ["CN"], [], (100.0, "percent"), None, None),
    ("tariff-took-effect",
     "The tariffs on Mexican cars took effect on Friday.",
     "import_tariff", "in_force", "restrictive", None, ["MX"], ["cars"], None, None, "2025-07-11"),
    ("export-ban-from-today",
     "Indonesia's export ban on nickel ore came into force from today.",
     "export_ban", "in_force", "restrictive", "ID", [], ["nickel ore"], None, None, "2025-07-17"),
    ("tariff-paused",
     "The White House paused the tariffs on Canadian goods for 30 days.",
     "import_tariff", "suspended", "liberalising", "US", ["CA"], [], None, None, None),
    ("export-control-delayed",
     "Washington delayed the chip export curbs until next month.",
     "export_control", "suspended", "liberalising", "US", [], ["chip"], None, None, None),
    ("tariff-exempted",
     "The administration exempted smartphones and computers from the reciprocal tariffs.",
     "import_tariff", "suspended", "liberalising", None, [], ["smartphones", "computers"], None, None, None),
    ("export-ban-lifted",
     "Beijing lifted its ban on gallium exports to the United States.",
     "export_ban", "revoked", "liberalising", "CN", ["US"], ["gallium"], None, None, None),
    ("export-control-repealed-in-month",
     "The Commerce Department repealed the AI diffusion rule in May.",
     "export_control", "revoked", "liberalising", "US", [], [], None, "2025-05", None),
    ("licence-revoked",
     "Washington revoked Huawei's export licences on Tuesday.",
     "licence_decision", "revoked", "restrictive", "US", ["Huawei Technologies Co., Ltd."], [], None,
     "2025-07-15", None),
    ("entity-listing-removed",
     "The Commerce Department removed two Chinese firms from the Entity List.",
     "entity_listing", "revoked", "liberalising", "US", ["CN"], [], None, None, None),
    ("trade-defence-probe",
     "China's market regulator opened an anti-dumping investigation into U.S. analog chips.",
     "trade_defence", "in_force", "restrictive", "CN", ["US"], ["chips"], None, None, None),
    ("sanctions-firms",
     "The Treasury Department imposed sanctions on Rosneft and Lukoil.",
     "sanction", "in_force", "restrictive", "US", ["Rosneft Oil Company", "PJSC Lukoil"], [], None, None, None),
    ("agreement-signed",
     "The United States and Japan signed a trade deal on Tuesday.",
     "agreement", "in_force", "liberalising", "US", ["JP"], [], None, "2025-07-15", None),
    ("tariff-cut",
     "Canada cut its tariffs on U.S. steel to 10%.",
     "import_tariff", "in_force", "liberalising", "CA", ["US"], ["steel"], (10.0, "percent"), None, None),
    ("investigation-section-301",
     "The USTR launched a Section 301 investigation into Brazil's trade practices.",
     "investigation", "in_force", "restrictive", "US", ["BR"], [], None, None, None),
    ("investment-stake",
     "The Pentagon will take a $400 million equity stake in MP Materials.",
     "investment_measure", "announced", None, "US", [], [], (400_000_000.0, "usd"), None, None),
    ("subsidy-amount",
     "The EU will offer subsidies of 3 billion euros to battery makers.",
     "subsidy", "announced", "liberalising", "EU", [], ["battery"], (3_000_000_000.0, "other"), None, None),
    ("import-restriction-told-not-to-buy",
     "The Cyberspace Administration of China told companies to stop buying Nvidia's H20 chips.",
     "import_restriction", "announced", "restrictive", "CN", [], ["H20"], None, None, None),
    ("export-permits-from-date",
     "Malaysia will require permits for exports of U.S. AI chips from August 1.",
     "export_control", "announced", "restrictive", "MY", [], ["AI chips"], None, None, "2025-08-01"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "mtype", "status", "direction", "actor", "targets", "items", "rate", "announced", "effective"),
    [c[1:] for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_one_measure(rules_nlp, text, mtype, status, direction, actor, targets, items, rate, announced, effective):
    rec = dated_record(rules_nlp, text)
    assert len(rec.measures) == 1, [(m.type, m.trigger.text) for m in rec.measures]
    m = rec.measures[0]
    assert m.type.value == mtype
    assert m.mast_chapter == MAST_CHAPTER[m.type]
    assert m.status.value == status
    assert (m.direction.value if m.direction else None) == direction
    assert (m.actor.jurisdiction if m.actor else None) == actor
    assert [t.jurisdiction or t.name for t in m.targets] == targets
    assert [i.text.text for i in m.items] == items
    assert ((m.rate.value, m.rate.unit.value) if m.rate else None) == rate
    assert (m.announced, m.effective) == (announced, effective)
    assert m.evidence == [m.evidence[0]] and m.evidence[0].start == 0
    assert m.provenance.method.startswith("measure:")


NOT_MEASURES = [
    ("commentary", "Trade tensions rose as markets fell."),
    ("hypothetical", "Prices would stay high even if Beijing eased its licensing regime."),
    ("firm-talks", "Caldera was in talks with a bank for a loan."),
    ("name-holds-trigger", "The Customs Tariff Commission met on Monday."),
    ("bare-instrument", "Nvidia designed the chip to comply with U.S. export regulations."),
]


@pytest.mark.parametrize("text", [c[1] for c in NOT_MEASURES], ids=[c[0] for c in NOT_MEASURES])
def test_no_measure(rules_nlp, text):
    assert dated_record(rules_nlp, text).measures == []


def test_later_reports_add_evidence_not_measures(rules_nlp):
    text = (
        "Washington raised tariffs on steel to 50% on Wednesday.\n\n"
        "Canada said the tariffs were unjustified.\n\n"
        "The tariffs hit steel makers in Ontario hardest."
    )
    rec = dated_record(rules_nlp, text)
    assert len(rec.measures) == 1
    assert [e.text for e in rec.measures[0].evidence] == text.split("\n\n")


def test_different_instruments_are_different_measures(rules_nlp):
    rec = dated_record(rules_nlp, "China imposed tariffs on U.S. soybeans and banned exports of gallium.")
    assert [m.type.value for m in rec.measures] == ["import_tariff", "export_ban"]


def test_no_publication_date_leaves_relative_dates_null(rules_nlp):
    rec = dated_record(rules_nlp, "Washington raised tariffs on steel to 50% on Wednesday.", published=None)
    assert (rec.measures[0].announced, rec.measures[0].effective) == (None, None)


def test_quote_about_entities_nominals_and_measures(rules_nlp):
    text = (
        "The Commerce Department on Tuesday placed Huawei on the Entity List.\n\n"
        "Analyst Jane Roe said the company would struggle and that the listing would hurt Nvidia."
        "\n\n“These chips are not a threat,” said Nvidia chief executive Jensen Huang of the H20."
    )
    rec = dated_record(rules_nlp, text)
    by_text = {e.text: e.id for e in reversed(rec.entities)}  # the first mention of each text
    q_indirect = next(q for q in rec.quotes if q.kind.value == "indirect")
    assert by_text["Huawei"] in q_indirect.about  # "the company"
    assert by_text["Nvidia"] in q_indirect.about  # named in the content
    direct = next(q for q in rec.quotes if q.kind.value == "direct")
    assert [e for e in direct.about if e.startswith("e")] == [next(e.id for e in rec.entities if e.text == "H20")]


def test_quote_speaking_of_a_measure_is_linked_both_ways(rules_nlp):
    text = "The ministry said on Monday that China would restrict exports of gallium from August 1."
    rec = dated_record(rules_nlp, text)
    (m,) = rec.measures
    (q,) = rec.quotes
    assert m.id in q.about and m.quote_ids == [q.id]


# (id, text, status, announced, effective): the publication day settles what the words leave open
DATED_STATUS = [
    # announced long before the article: reported as an action in force
    ("announced-last-year",
     "Analysts said the rules Washington announced in March 2024 restrict exports of chipmaking equipment.",
     "in_force", "2024-03", None),
    # a take-effect day still to come: announced, whatever the verb's tense
    ("in-force-from-a-later-day",
     "Mexico imposed tariffs of 30% on Chinese steel, effective August 4.",
     "announced", None, "2025-08-04"),
    # a take-effect day already past: in force
    ("announced-effective-past",
     "Ottawa announced duties on Chinese steel effective July 1, 2025.",
     "in_force", None, "2025-07-01"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "status", "announced", "effective"), [c[1:] for c in DATED_STATUS],
                         ids=[c[0] for c in DATED_STATUS])  # fmt: skip
def test_status_settled_by_dates(rules_nlp, text, status, announced, effective):
    (m,) = dated_record(rules_nlp, text).measures
    assert (m.status.value, m.announced, m.effective) == (status, announced, effective)


def test_day_of_another_governments_statement_is_not_the_announcement(rules_nlp):
    text = (
        "Japan objects to Canada's new export controls on nickel ore, "
        "Japan's METI said in a statement on Monday."
    )
    (m,) = dated_record(rules_nlp, text).measures
    assert (m.actor.jurisdiction, m.announced) == ("CA", None)


def test_same_goods_planned_then_taken_is_one_measure(rules_nlp):
    text = "Beijing said in May it plans to restrict antimony exports. In June, China imposed export curbs on antimony."
    (m,) = dated_record(rules_nlp, text).measures
    assert (m.type.value, m.actor.jurisdiction, len(m.evidence)) == ("export_control", "CN", 2)


def test_other_goods_at_another_step_stay_apart(rules_nlp):
    text = "Beijing said in May it plans to restrict antimony exports. In June, China imposed export curbs on gallium."
    rec = dated_record(rules_nlp, text)
    assert [(m.status.value, [i.text.text for i in m.items]) for m in rec.measures] == [
        ("proposed", ["antimony"]),
        ("in_force", ["gallium"]),
    ]
