"""Measure stage: which triggers report a measure, and whose measure it is (rules only).

Each case is an invented sentence; the text is published on Thursday 2025-07-17."""

from __future__ import annotations

import pytest

from tests.components.measures.conftest import dated_record

# (id, text, [(type, status, actor jurisdiction, targets)] in evidence order)
CASES = [
    # a government's possessive owns the measure, not the subject that reacts to it
    ("owner-possessive-over-subject",
     "Japan criticised Canada's new export measures on nickel ore.",
     [("export_control", "announced", "CA", [])]),
    ("owner-possessive-existing",
     "Carmakers said Beijing's rare earth export curbs were hurting output.",
     [("export_control", "in_force", "CN", [])]),
    ("owner-possessive-with-month",
     "Analysts said Ottawa's March restrictions on potash exports had pushed up prices.",
     [("export_control", "in_force", "CA", [])]),
    ("owner-of-repealed-rule-does-not-act",
     "The Trump administration repealed Biden's chip rule in May.",
     [("export_control", "revoked", "US", [])]),
    # a demonym before a government noun is that government
    ("demonym-government-acts",
     "Japan objected to the decision of the Dutch government to expand export controls on lithography tools.",
     [("export_control", "announced", "NL", [])]),
    ("demonym-authorities-act",
     "Brazil said Chinese authorities will impose export curbs on tungsten.",
     [("export_control", "announced", "CN", [])]),
    # a capital after "in" or "at" is where the talks are held, not a party
    ("venue-capital-not-party",
     "Japan and Canada held trade talks in Paris on Monday.",
     [("negotiation", "in_force", "JP", ["CA"])]),
    # talks with two named governments are reported talks, even without a status word
    ("talks-two-parties-no-cue",
     "Hopes rose ahead of trade talks between India and Australia.",
     [("negotiation", "announced", "IN", ["AU"])]),
    ("talks-wrapped-up",
     "Canada and Mexico wrapped up trade talks in Ottawa.",
     [("negotiation", "in_force", "CA", ["MX"])]),
    # a rate written on the trigger reports an action
    ("rate-on-trigger-retaliation",
     "Washington raised tariffs on Brazil to 50% on Monday, and Brazil answered by hitting U.S. imports with a "
     "30% levy.",
     [("import_tariff", "in_force", "US", ["BR"]), ("import_tariff", "announced", "BR", [])]),
    ("rate-after-trigger",
     "Mexico set duties of 35% on imported steel.",
     [("import_tariff", "announced", "MX", [])]),
    # the parties of "a meeting between X and Y" are named after the trigger, not the subject before it
    ("meeting-between-parties",
     "Markets rallied in Japan ahead of a planned meeting between Canada and Mexico on trade.",
     [("negotiation", "proposed", "CA", ["MX"])]),
    # a measure named as existing is in force; its actor may be the subject of a relative clause after it
    ("existing-measure-relative-actor",
     "The rule tightens enforcement of existing limits on cobalt exports that Indonesia enacted in 2024.",
     [("export_control", "in_force", "ID", [])]),
    # the agent of a participle right after the trigger acts, not the government named before it
    ("participle-agent-acts",
     "Ottawa said the export restrictions imposed by the United States last year hurt its miners.",
     [("export_control", "in_force", "US", [])]),
    ("participle-announced-by",
     "The move by Mexico follows similar tariffs announced by Brazil in March.",
     [("import_tariff", "announced", "BR", [])]),
    # a government that faces or is slapped with a measure is its target, not its actor
    ("slapped-with-is-target",
     "India, which was slapped with a 25% tariff, said it would keep talking.",
     [("import_tariff", "announced", None, ["IN"])]),
    ("faces-is-target",
     "Vietnam now faces a 20% tariff on its shoes.",
     [("import_tariff", "announced", None, ["VN"])]),
    # "added <firms> to the list": the cue stands before the firms, however many are named
    ("listing-cue-before-long-names",
     "Japan has added Korea's Caldera Metals and Norland Mining Corporation to its export control list.",
     [("entity_listing", "in_force", "JP", ["Caldera Metals", "Norland Mining Corporation"])]),
    # a trigger that names the change reports it; "by" right after it names the actor
    ("action-noun-by-agent",
     "Brazil curbed lithium exports in response to tariff hikes by Canada.",
     [("export_control", "in_force", "BR", []), ("import_tariff", "in_force", "CA", [])]),
    ("tax-on-imports",
     "Mexico imposed a 10% tax on imports of Chinese shoes.",
     [("import_tariff", "in_force", "MX", ["CN"])]),
    ("curbs-on-the-sale",
     "Washington imposed new curbs on the sale of AI chips to Malaysia.",
     [("export_control", "in_force", "US", ["MY"])]),
    # a duty against subsidies or dumping is trade defence, whatever noun names it
    ("tariffs-against-subsidies",
     "The EU imposed tariffs on Chinese electric vehicles to counter unfair subsidies.",
     [("trade_defence", "in_force", "EU", ["CN"])]),
    # a government taking a stake in a firm
    ("state-stake",
     "The Pentagon agreed to acquire a 15% stake in Caldera Metals.",
     [("investment_measure", "in_force", "US", [])]),
    # a quota is on exports or on imports by the words round it; a bare one is neither
    ("export-quota",
     "Jakarta will lift its ban on nickel exports and impose annual export quotas.",
     [("export_ban", "revoked", "ID", []), ("export_control", "announced", "ID", [])]),
    ("import-quota",
     "Seoul set a quota on imports of Chinese steel.",
     [("import_restriction", "announced", "KR", ["CN"])]),
    # a fee or surcharge is a tariff only on imports
    ("surcharge-on-imports",
     "Ottawa imposed a 10% surcharge on imports of Chinese steel.",
     [("import_tariff", "in_force", "CA", ["CN"])]),
    # an infinitive of change after a deal or plan is announced
    ("infinitive-of-change",
     "The agreement commits India to lower its tariff on U.S. almonds.",
     [("import_tariff", "announced", "IN", ["US"])]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_reported_measures(rules_nlp, text, expected):
    rec = dated_record(rules_nlp, text)
    got = [
        (
            m.type.value,
            m.status.value,
            m.actor.jurisdiction if m.actor else None,
            [t.jurisdiction or t.name for t in m.targets],
        )
        for m in rec.measures
    ]
    assert got == expected


def test_demonym_after_that_is_no_actor(rules_nlp):
    """'the limits that Indonesia enacted' names the actor after 'that'; 'found that Chinese mills' does not."""
    text = (
        "Steel prices fell on Monday. "
        "A trade investigation, launched in 2024, concluded that Chinese mills sold below cost."
    )
    rec = dated_record(rules_nlp, text)
    got = [(m.type.value, m.actor.jurisdiction if m.actor else None) for m in rec.measures]
    assert got == [("investigation", None)]


NOT_REPORTED = [
    # a bare instrument noun without a rate, an owner, a status word or parties reports nothing
    ("bare-levy", "The levy is a burden for small exporters."),
    ("rate-far-from-trigger", "Steel prices rose 12% last year, and exporters worry about tariffs."),
    # a trigger that modifies another noun names no measure
    ("trigger-in-title", "Canada's chief tariff negotiator arrived in Tokyo on Monday."),
    ("trigger-of-revenue", "Officials said tariff revenue rose 40% in June."),
    ("fee-not-on-imports", "Caldera agreed to pay a 15% surcharge to keep selling in Norland."),
    ("bare-quota", "The quota system aims to stabilise prices."),
]  # fmt: skip


@pytest.mark.parametrize("text", [c[1] for c in NOT_REPORTED], ids=[c[0] for c in NOT_REPORTED])
def test_not_reported(rules_nlp, text):
    assert dated_record(rules_nlp, text).measures == []
