"""Matchers and metrics on tiny hand-made cases; every expected number is worked out in the comments."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from pipeline.eval.metrics import (
    PRF,
    EntityScores,
    Pieces,
    QuoteScores,
    Words,
    context,
    cue_right,
    greedy_pairs,
    match_pieces,
    normalize_pieces,
    pred_same_entity_pairs,
    score_entities,
    score_gold,
    score_quotes,
    speaker_right,
    trim_piece,
    word_overlap,
)


@pytest.mark.parametrize(
    ("tp", "fp", "fn", "p", "r", "f1"),
    [
        (2, 1, 1, 2 / 3, 2 / 3, 2 / 3),
        (3, 0, 1, 1.0, 0.75, 6 / 7),  # 2*3 / (6+0+1)
        (3, 3, 2, 0.5, 0.6, 6 / 11),
        (0, 0, 0, 0.0, 0.0, 0.0),  # nothing to score: zeros, not a division error
        (0, 2, 3, 0.0, 0.0, 0.0),
    ],
)
def test_prf(tp: int, fp: int, fn: int, p: float, r: float, f1: float) -> None:
    prf = PRF(tp, fp, fn)
    assert (prf.p, prf.r, prf.f1) == pytest.approx((p, r, f1))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("“Hello, world.”", "Hello, world"),
        ('  "We will appeal," ', "We will appeal"),
        ("‘tariff’", "tariff"),
        ("« non »", "non"),
        ("`quoted'", "quoted"),
        ("$5 billion.", "$5 billion"),  # a currency sign is not punctuation
        ("...", None),
        (" “ ” ", None),
    ],
)
def test_trim_piece(text: str, expected: str | None) -> None:
    got = trim_piece(text, 0, len(text))
    assert (text[got[0] : got[1]] if got else None) == expected


# words of W: alpha(0) beta(1) gamma(2) delta(3) epsilon(4) zeta(5)
W = "alpha beta gamma, delta epsilon zeta."


def _p(*needles: str) -> tuple[tuple[int, int], ...]:
    out = []
    for n in needles:
        i = W.index(n)
        out.append((i, i + len(n)))
    return tuple(out)


@pytest.mark.parametrize(
    ("pred", "gold", "expected"),
    [
        (_p("alpha beta gamma"), _p("alpha beta gamma"), 1.0),
        (_p("alpha beta gamma"), _p("alpha beta gamma, delta epsilon"), 3 / 5),  # |P∩G|=3, max(3,5)=5
        (_p("gamma, delta epsilon zeta"), _p("alpha beta gamma, delta"), 2 / 4),  # gamma delta shared, both 4 words
        (_p("alpha"), _p("zeta"), 0.0),
        # gold is discontinuous (gap: gamma delta); the gap words do not count against the continuous prediction
        (_p("alpha beta gamma, delta epsilon zeta"), _p("alpha beta", "epsilon zeta"), 1.0),
        # the prediction is two joined pieces; its gap (gamma, delta) is ignored on the gold side as well
        (_p("alpha beta", "epsilon zeta"), _p("alpha beta gamma, delta epsilon zeta"), 1.0),
        (_p("lph"), _p("alpha"), 1.0),  # a piece that cuts a word still holds that word
        (_p("."), _p("alpha"), 0.0),  # no words at all
    ],
)
def test_word_overlap(pred: tuple[tuple[int, int], ...], gold: tuple[tuple[int, int], ...], expected: float) -> None:
    assert word_overlap(pred, gold, Words(W)) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("pieces", "expected"),
    [
        ([(5, 9), (0, 3)], ((0, 3), (5, 9))),
        ([(0, 4), (3, 8)], ((0, 8),)),
        ([(0, 4), (4, 6)], ((0, 6),)),  # touching pieces are one
        ([(2, 2), (3, 5)], ((3, 5),)),
    ],
)
def test_normalize_pieces(pieces: list[tuple[int, int]], expected: tuple[tuple[int, int], ...]) -> None:
    assert normalize_pieces(pieces) == expected


@pytest.mark.parametrize(
    ("cands", "expected"),
    [
        # best score first; gold 0 takes pred 1 (0.9), so gold 1 gets pred 0 (0.5), not its 0.8 with pred 1
        ([(0.6, 0, 0), (0.9, 0, 1), (0.8, 1, 1), (0.5, 1, 0)], [(0, 1, 0.9), (1, 0, 0.5)]),
        # ties go to the lower gold, then the lower pred index: (0, 0) first, then gold 0 and pred 0 are taken
        ([(0.5, 1, 0), (0.5, 0, 1), (0.5, 0, 0)], [(0, 0, 0.5)]),
        ([], []),
    ],
)
def test_greedy_pairs(cands: list[tuple[float, int, int]], expected: list[tuple[int, int, float]]) -> None:
    assert greedy_pairs(cands) == expected


# Q: three gold quotes and what a prediction might look like; words of each are counted in the comments
Q = '"We will appeal," she said. Exports rose sharply in May, traders said, and prices fell.'


@pytest.mark.parametrize(
    ("gold", "pred", "rule", "expected"),
    [
        # the marks and the comma are trimmed on both sides, so the marks-excluded prediction is exact
        (['"We will appeal,"'], ["We will appeal"], "exact", [(0, 0)]),
        (["Exports rose sharply in May"], ["Exports rose sharply"], "exact", []),
        # 3 of 5 words: 0.6 passes 0.3 but not 0.8
        (["Exports rose sharply in May"], ["Exports rose sharply"], "0.8", []),
        (["Exports rose sharply in May"], ["Exports rose sharply"], "0.3", [(0, 0)]),
        # one to one: the 4-word prediction (0.8) wins over the 2-word one (0.4) for the single gold quote
        (["Exports rose sharply in May"], ["Exports rose", "Exports rose sharply in"], "0.3", [(0, 1)]),
        # 1 of 5 words is below 0.3
        (["Exports rose sharply in May"], ["May"], "0.3", []),
        (["Exports rose sharply in May", "prices fell"], ["prices fell", "rose sharply in May"], "0.8",
         [(0, 1), (1, 0)]),
        # both ways: 3 of 5 gold words, all 3 predicted words in gold -> min(0.6, 1.0) passes
        (["Exports rose sharply in May"], ["Exports rose sharply"], "0.5both", [(0, 0)]),
        # 2 of 5 gold words covered: fails although every predicted word is gold
        (["Exports rose sharply in May"], ["Exports rose"], "0.5both", []),
        # the prediction runs on: 5 gold words of 10 predicted -> 0.5 passes; 5 of 12 does not
        (["Exports rose sharply in May"], ["Exports rose sharply in May, traders said, and prices fell"], "0.5both",
         [(0, 0)]),
        (["Exports rose sharply in May"], ["she said. Exports rose sharply in May, traders said, and prices fell"],
         "0.5both", []),
    ],
)
def test_match_pieces(gold: list[str], pred: list[str], rule: str, expected: list[tuple[int, int]]) -> None:
    def pieces(needle: str) -> tuple[tuple[int, int], ...]:
        i = Q.index(needle)
        return ((i, i + len(needle)),)

    found = match_pieces([pieces(g) for g in gold], [pieces(p) for p in pred], Q, rule)
    assert [(g, p) for g, p, _ in found] == expected


def test_context_marks_the_span_and_flattens_newlines() -> None:
    text = "x" * 50 + "Alpha\nBeta" + "y" * 50
    got = context(text, 50, 60)
    assert got == "…" + "x" * 40 + " [Alpha Beta] " + "y" * 40 + "…"


# ----------------------------------------------------------------------------------------- entities
E = "Brightwater Magnetics said Caldera Metals will buy gallium from Kestrel Mining. Brightwater also sells magnets."


def test_entities_hand_case(mk: SimpleNamespace) -> None:
    gold = [
        mk.gold_entity(E, "Brightwater Magnetics", "COMPANY", group="brightwater"),
        mk.gold_entity(E, "Caldera Metals", "COMPANY"),
        mk.gold_entity(E, "gallium", "MATERIAL", "material:gallium"),
        mk.gold_entity(E, "Kestrel Mining", "COMPANY"),
        mk.gold_entity(E, "Brightwater", "COMPANY", group="brightwater", nth=1),
    ]
    pred = [
        mk.entity(E, "Brightwater Magnetics", "COMPANY", i=1),  # strict match
        mk.entity(E, "Caldera", "COMPANY", i=2),  # boundary: lenient match only
        mk.entity(E, "gallium", "MATERIAL", "material:germanium", i=3),  # strict match, wrong canonical id
        mk.entity(E, "Kestrel Mining", "AGENCY", i=4),  # label error
        mk.entity(E, "Brightwater", "COMPANY", i=5, nth=1, attrs={"antecedent": "e1"}),  # strict match
        mk.entity(E, "magnets", "MATERIAL", i=6),  # spurious
    ]
    s = EntityScores()
    score_entities(gold, pred, E, s)
    # strict: COMPANY tp 2 (both Brightwater), fp 1 (Caldera), fn 2 (Caldera Metals, Kestrel Mining)
    assert (s.strict["COMPANY"].tp, s.strict["COMPANY"].fp, s.strict["COMPANY"].fn) == (2, 1, 2)
    assert (s.strict["MATERIAL"].tp, s.strict["MATERIAL"].fp, s.strict["MATERIAL"].fn) == (1, 1, 0)
    assert (s.strict["AGENCY"].tp, s.strict["AGENCY"].fp, s.strict["AGENCY"].fn) == (0, 1, 0)
    # micro strict: tp 3, fp 3, fn 2 -> P 0.5, R 0.6, F1 6/11
    micro = s.micro("strict")
    assert (micro.p, micro.r, micro.f1) == pytest.approx((0.5, 0.6, 6 / 11))
    # lenient: Caldera now matches: tp 4, fp 2, fn 1 -> P 2/3, R 0.8, F1 8/11
    micro = s.micro("lenient")
    assert (micro.p, micro.r, micro.f1) == pytest.approx((2 / 3, 0.8, 8 / 11))
    assert s.lenient["COMPANY"].f1 == pytest.approx(6 / 7)  # tp 3, fp 0, fn 1
    # canonical ids of the 3 strict matches: null=null, gallium!=germanium, null=null
    assert (s.canonical.correct, s.canonical.total) == (2, 3)
    # one gold pair (the Brightwater group), found through the antecedent link
    assert (s.same_entity.tp, s.same_entity.fp, s.same_entity.fn) == (1, 0, 0)
    assert s.confusions == {
        "boundary COMPANY 'Caldera Metals' -> 'Caldera'": 1,
        "label COMPANY->AGENCY": 1,
        "spurious MATERIAL 'magnets'": 1,
        "canonical_id material:gallium -> material:germanium": 1,
    }


S = "Nexa Corp said Nexa would appeal. The company added that Nexa Corp and its unit would pay."


@pytest.mark.parametrize(
    ("spec", "pairs"),
    [
        # (needle, nth, canonical_id, antecedent id) for e1.. in text order
        ([("Nexa Corp", 0, "company:nexa", None), ("Nexa", 1, "company:nexa", None)], 1),
        # two mentions with one antecedent are the same entity as it and as each other: 3 pairs
        ([("Nexa Corp", 0, None, None), ("Nexa", 1, None, "e1"), ("The company", 0, None, "e1")], 3),
        # a chain e3 -> e2 -> e1 and a canonical id shared with e4: all four together, 6 pairs
        ([("Nexa Corp", 0, "company:nexa", None), ("Nexa", 1, None, "e1"), ("The company", 0, None, "e2"),
          ("Nexa Corp", 1, "company:nexa", None)], 6),
        ([("Nexa Corp", 0, None, None), ("Nexa", 1, None, None)], 0),  # nulls never join
    ],
)
def test_pred_same_entity_pairs(mk: SimpleNamespace, spec: list[tuple[str, int, str | None, str | None]],
                                pairs: int) -> None:
    ents = [mk.entity(S, n, "COMPANY", cid, i=k, nth=nth, attrs={"antecedent": a} if a else None)
            for k, (n, nth, cid, a) in enumerate(spec, 1)]
    assert len(pred_same_entity_pairs(ents)) == pairs


# -------------------------------------------------------------------------------------------- quotes
T = ('Ana Ruiz said the tariffs were "a mistake" for growers. "We will appeal," the ministry said in a statement. '
     'Prices rose, traders said. Officials declined to comment. "Not now," Li wrote.')


def test_quotes_hand_case(mk: SimpleNamespace) -> None:
    gold = [
        mk.gold_quote(T, 'the tariffs were "a mistake" for growers', "partial", cue="said", mention="Ana Ruiz",
                      name="Ana Ruiz"),
        mk.gold_quote(T, "We will appeal,", "direct", cue="said", cue_nth=1, mention="the ministry",
                      cid="agency:test-ministry", channel="a statement"),
        mk.gold_quote(T, "Prices rose", "indirect", cue="said", cue_nth=2, mention="traders"),
        mk.gold_quote(T, "Not now,", "direct", cue="wrote", mention="Li", name="Li"),
    ]
    pred = [
        # 5 of the gold's 7 words: 0.71, matched at 0.3 only; every attribute right
        mk.quote(T, 'the tariffs were "a mistake"', "partial", cue="said", mention="Ana Ruiz", name="Ruiz", i=1),
        # exact; the channel differs only in case
        mk.quote(T, "We will appeal,", "direct", cue="said", cue_nth=1, mention="the ministry",
                 cid="agency:test-ministry", channel="A statement", i=2),
        # exact span, but wrong kind, no speaker, no cue
        mk.quote(T, "Prices rose", "direct", i=3),
        # spurious
        mk.quote(T, "to comment", "indirect", i=4),
    ]
    s = QuoteScores()
    score_quotes(gold, pred, T, s)
    # exact and 0.8: quotes 2 and 3 -> tp 2, fp 2, fn 2; 0.3 adds quote 1 -> tp 3, fp 1, fn 1
    assert [(s.rules[r].tp, s.rules[r].fp, s.rules[r].fn) for r in ("exact", "0.8", "0.3")] == [
        (2, 2, 2), (2, 2, 2), (3, 1, 1)]
    assert s.rules["0.3"].f1 == pytest.approx(0.75)
    # both ways: quote 1 has all 5 predicted words in gold and 5 of 7 gold words predicted: min 0.71 >= 0.5
    assert (s.rules["0.5both"].tp, s.rules["0.5both"].fp, s.rules["0.5both"].fn) == (3, 1, 1)
    assert {k: (getattr(s, k).correct, getattr(s, k).total) for k in ("kind", "speaker", "cue", "channel", "via")} == {
        "kind": (2, 3), "speaker": (2, 3), "cue": (2, 3), "channel": (3, 3), "via": (3, 3)}
    # named speakers: Ana Ruiz and the ministry found and right, Li's quote missed ("traders" names nobody)
    assert (s.named_end_to_end.correct, s.named_end_to_end.total) == (2, 3)
    assert (s.speakerless.correct, s.speakerless.total) == (0, 2)
    assert s.confusions == {
        "quote kind indirect->direct": 1,
        "quote missed speaker": 1,
        "quote missed cue": 1,
        "quote missed direct": 1,
        "quote spurious indirect": 1,
    }


@pytest.mark.parametrize(
    ("gold_speaker", "pred_speaker", "right"),
    [
        ({"cid": "person:ana-ruiz", "mention": "Ana Ruiz"}, {"cid": "person:ana-ruiz", "name": "Ana Ruiz"}, True),
        # with a gold id, only the id counts
        ({"cid": "person:ana-ruiz", "mention": "Ana Ruiz"}, {"cid": None, "name": "Ana Ruiz"}, False),
        # no gold id: the predicted name's last word, in the gold name or the gold mention
        ({"mention": "Ana Ruiz"}, {"name": "A. Ruiz"}, True),
        ({"name": "Ana Ruiz"}, {"name": "Ruiz Garcia"}, False),
        ({"mention": "the ministry"}, {"mention": "the ministry"}, True),  # no name: the mention's words
        ({"mention": "Ana Ruiz"}, None, False),
        (None, None, True),  # the text names nobody, nor does the prediction
        (None, {"name": "Ana Ruiz"}, False),
    ],
)
def test_speaker_right(mk: SimpleNamespace, gold_speaker: dict[str, str] | None, pred_speaker: dict[str, str] | None,
                       right: bool) -> None:
    text = "Ana Ruiz said the ministry would act."
    g = mk.gold_quote(text, "the ministry would act", "indirect", **(gold_speaker or {}))
    p = mk.quote(text, "the ministry would act", "indirect", **(pred_speaker or {}))
    assert speaker_right(g, p, text) is right


@pytest.mark.parametrize(
    ("gold", "pred", "right"),
    [(((0, 4),), ((3, 8),), True), (((0, 4),), ((4, 8),), False), (None, None, True), (((0, 4),), None, False),
     (None, ((0, 4),), False)],
)
def test_cue_right(gold: Pieces | None, pred: Pieces | None, right: bool) -> None:
    assert cue_right(gold, pred) is right


def test_score_gold_refuses_a_prediction_on_another_text(mk: SimpleNamespace) -> None:
    g = mk.gold_article("Nexa said so.")
    with pytest.raises(ValueError, match="different text"):
        score_gold([(g, "Nexa said so.", mk.record("Nexa said so!"))])


def test_score_gold_diff_lists_missed_and_spurious(mk: SimpleNamespace) -> None:
    text = "Nexa Corp and Orvel Ltd signed."
    g = mk.gold_article(text, [mk.gold_entity(text, "Nexa Corp", "COMPANY"),
                               mk.gold_entity(text, "Orvel Ltd", "COMPANY")])
    rec = mk.record(text, [mk.entity(text, "Nexa Corp", "COMPANY", i=1), mk.entity(text, "signed", "POLICY", i=2)])
    scores = score_gold([(g, text, rec)], diff=True)
    assert [(d.what, d.kind, text[d.start : d.end]) for d in scores.diff] == [
        ("missed", "entity COMPANY", "Orvel Ltd"), ("spurious", "entity POLICY", "signed")]
    assert scores.diff[0].context == "…Nexa Corp and [Orvel Ltd] signed.…"
