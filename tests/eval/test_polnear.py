"""The PolNeAR reader and scorer on an invented mini split (tests/eval/data/polnear), numbers worked by hand,
and (marked `shared`) the real dev split read in place from ../shared/polnear."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from models.records import Quote
from pipeline.eval.metrics import Pieces
from pipeline.eval.polnear import (
    AnnStats,
    PolnearDoc,
    has_double_mark,
    inflections,
    is_speech_cue,
    join_on_cue,
    load_polnear,
    parse_ann,
    score_polnear,
)

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"


@pytest.mark.parametrize(
    ("cue", "speech"),
    [
        ("said", True), ("says", True), ("has told", True), ("wrote", True), ("written", True), ("tweeted", True),
        ("denied", True), ("replying", True), ("stating", True), ("admitted", True), ("According to", True),
        ("pointed out", True), ("points out", True), ("was reported", True), ("NOTES", True),
        ("believes", False), ("Hester", False), (":", False), ("shows", False), ("statement", False),
        ("pointed", False), ("according", False), ("", False),
    ],
)
def test_is_speech_cue(cue: str, speech: bool) -> None:
    assert is_speech_cue(cue) is speech


@pytest.mark.parametrize(
    ("lemma", "forms"),
    [
        ("state", {"state", "states", "stated", "stating"}),
        ("deny", {"deny", "denies", "denied", "denying"}),
        ("say", {"say", "says", "sayed", "saying", "said"}),  # regular forms are generated too; harmless
        ("warn", {"warn", "warns", "warned", "warning"}),
    ],
)
def test_inflections(lemma: str, forms: set[str]) -> None:
    assert inflections(lemma) == forms


@pytest.mark.parametrize(("text", "marked"), [("“A”", True), ('say "x"', True), ("«x»", True), ("‘x’", False),
                                               ("x", False)])
def test_has_double_mark(text: str, marked: bool) -> None:
    assert has_double_mark(text) is marked


def _mini(data_dir: Path) -> tuple[PolnearDoc, AnnStats]:
    docs, stats = load_polnear(data_dir / "polnear", "dev")
    return docs[0], stats


def test_reader_repairs_and_pieces(data_dir: Path) -> None:
    doc, stats = _mini(data_dir)
    # 7 events: E3's Source/Cue swap undone, E5 (trigger only) merged into E6 which shares its cue
    assert (stats.events, stats.swapped, stats.merged, stats.dropped) == (7, 1, 1, 0)
    t = doc.text

    def words(pieces: Pieces | None) -> list[str] | None:
        return [t[s:e] for s, e in pieces] if pieces else None

    got = [(words(a.content), words(a.cue), words(a.source)) for a in doc.attributions]
    assert got == [
        (["“We will fight this,”", "“and we will win.”"], ["said"], ["Mara Doyle"]),  # discontinuous Content
        (["the plan is sound"], ["believes"], ["The council"]),
        (["Voters want change"], ["said"], ["Hester"]),  # swapped back
        (["exports fell sharply"], ["According to"], ["the report"]),
        (["Trade is slowing"], ["was reported"], None),  # source-less
        (["Prices rose", "and the\nTreasury worried"], ["added"], ["he"]),  # Content2, over a continuation line
    ]


def test_parse_ann_rejects_offsets_past_the_text() -> None:
    with pytest.raises(ValueError, match="runs past the text"):
        parse_ann("T1\tContent 0 50\tx\n", "short text")


def test_join_on_cue(mk: SimpleNamespace) -> None:
    text = "“A b,” she said, “c d.” “E f,” he said. “G h,” he said."
    quotes = [
        mk.quote(text, "A b,", "direct", cue="said", i=1),
        mk.quote(text, "c d.", "direct", cue="said", i=2),
        mk.quote(text, "E f,", "direct", cue="said", cue_nth=1, i=3),
        mk.quote(text, "G h,", "direct", cue="said", cue_nth=2, i=4),
    ]
    units = join_on_cue(quotes)
    # the split quote shares one cue and becomes one unit; the others have a cue of their own
    assert [len(u.quotes) for u in units] == [2, 1, 1]
    assert [text[s:e] for s, e in units[0].pieces] == ["A b,", "c d."]


def test_join_needs_neighbours(mk: SimpleNamespace) -> None:
    text = "“A b,” she said, “c d,” he said, “e f.”"
    quotes = [mk.quote(text, "A b,", "direct", cue="said", i=1), mk.quote(text, "c d,", "direct", cue="said",
              cue_nth=1, i=2), mk.quote(text, "e f.", "direct", cue="said", i=3)]
    assert [len(u.quotes) for u in join_on_cue(quotes)] == [1, 1, 1]  # same cue, but not next to each other


def _mini_preds(mk: SimpleNamespace, t: str) -> list[Quote]:
    return [
        # U1: the split quote, joined on "said": exact against E1's two pieces
        mk.quote(t, "We will fight this,", "direct", cue="said", mention="Mara Doyle", name="Mara Doyle", i=1),
        mk.quote(t, "and we will win.", "direct", cue="said", mention="Mara Doyle", name="Mara Doyle", i=2),
        # U2: exact against E3 (after the swap, Source is Hester and Cue the second "said")
        mk.quote(t, "Voters want change", "indirect", cue="said", cue_nth=1, mention="Hester", name="Hester", i=3),
        # U3: 2 of 3 words of E4: matched at 0.3 only; the speaker is wrong
        mk.quote(t, "exports fell", "indirect", cue="According to", name="Reuters", i=4),
        # U4: exact against the source-less E5 and no speaker (right), but no cue (wrong)
        mk.quote(t, "Trade is slowing", "indirect", i=5),
        # U5: a scare quote, spurious; no cue -> counts in the speech subset, marks around it -> quoted
        mk.quote(t, "tariff", "direct", i=6),
    ]


def test_scores_on_the_mini_split(mk: SimpleNamespace, data_dir: Path) -> None:
    doc, stats = _mini(data_dir)
    t = doc.text
    preds = _mini_preds(mk, t)
    s = score_polnear([doc], [mk.record(t, quotes=preds)], stats=stats)
    assert s.predicted == 5
    # gold: all 6; speech 5 (not E2 "believes"); quoted 1 (E1)
    assert {k: v.gold for k, v in s.subsets.items()} == {"all": 6, "speech": 5, "quoted": 1}

    def counts(sub: str, rule: str) -> tuple[int, int, int]:
        prf = s.subsets[sub].rules[rule]
        return prf.tp, prf.fp, prf.fn

    # exact = 0.8: E1, E3, E5 matched; spurious U3 (only at 0.3) and U5; missed E2, E4, E7
    assert counts("all", "exact") == counts("all", "0.8") == (3, 2, 3)
    assert counts("speech", "exact") == (3, 2, 2)  # E2 is outside the subset
    assert counts("quoted", "exact") == (1, 1, 0)  # U3 holds no marks, so only U5 counts against "quoted"
    # 0.3 adds E4-U3
    assert counts("all", "0.3") == (4, 1, 2)
    assert s.subsets["all"].rules["0.3"].f1 == pytest.approx(8 / 11)
    assert counts("speech", "0.3") == (4, 1, 1)
    assert s.subsets["speech"].rules["0.3"].f1 == pytest.approx(0.8)
    # on the 4 pairs at 0.3: speaker wrong for U3 only, cue wrong for U4 only
    sp, cue = s.subsets["speech"].speaker, s.subsets["speech"].cue
    assert (sp.correct, sp.total, cue.correct, cue.total) == (3, 4, 3, 4)
    assert (s.subsets["quoted"].speaker.correct, s.subsets["quoted"].speaker.total) == (1, 1)
    assert s.confusions["wrong speaker"] == 1
    assert s.confusions["wrong cue"] == 1
    assert s.confusions["missed (cue 'believes')"] == 1
    assert s.confusions["spurious direct (cue 'no cue')"] == 1


def test_cli_polnear_with_pred_file(mk: SimpleNamespace, data_dir: Path, tmp_path: Path) -> None:
    """`--polnear DIR --pred FILE`: records are found by their text and give the hand-worked numbers."""
    import json

    from typer.testing import CliRunner

    from pipeline.cli import app
    from pipeline.runner import record_json

    doc, _ = _mini(data_dir)
    pred = tmp_path / "records.jsonl"
    pred.write_text(record_json(mk.record(doc.text, quotes=_mini_preds(mk, doc.text))) + "\n", encoding="utf-8")
    res = CliRunner().invoke(app, ["eval", "--polnear", str(data_dir / "polnear"), "--pred", str(pred), "--json"])
    assert res.exit_code == 0, res.stderr
    speech = json.loads(res.stdout)["results"]["polnear_dev"]["subsets"]["speech"]
    assert speech["match"]["0.3"] == {"p": 0.8, "r": 0.8, "f1": 0.8, "tp": 4, "fp": 1, "fn": 1}
    assert speech["speaker_at_0.3"] == {"acc": 0.75, "correct": 3, "total": 4}


def test_cli_polnear_mini(data_dir: Path) -> None:
    """`tradex eval --polnear DIR --json` end to end on the mini split (rules-only pipeline, so structure only)."""
    import json

    from typer.testing import CliRunner

    from pipeline.cli import app

    res = CliRunner().invoke(app, ["eval", "--polnear", str(data_dir / "polnear"), "--model", "none", "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    pn = data["results"]["polnear_dev"]
    assert pn["articles"] == 1
    assert {k: v["gold"] for k, v in pn["subsets"].items()} == {"all": 6, "speech": 5, "quoted": 1}
    assert pn["gold_repairs"] == {"events": 7, "swapped": 1, "merged": 1, "dropped": 0}
    assert set(data["headline"]) >= {"polnear_dev.speech_f1_0.3", "polnear_dev.all_f1_0.3"}


@pytest.mark.shared
@pytest.mark.skipif(not (SHARED / "polnear" / "dev").is_dir(), reason="../shared/polnear/dev is absent")
def test_real_dev_split_reads_cleanly() -> None:
    docs, stats = load_polnear(SHARED / "polnear", "dev")
    # README: 84 articles, 2,192 attribution events; one dangling trigger-only event is merged into its twin
    assert len(docs) == 84
    assert sum(len(d.attributions) for d in docs) == 2192
    assert (stats.events, stats.merged, stats.dropped) == (2193, 1, 0)
    # README says 5 dev events have Source and Cue swapped; the rule finds 6 whose Source is only a cue word
    # ("said" x4, "According to" x1, plus "said Obama"); checked by hand, all are swaps
    assert stats.swapped == 6
    for d in docs:
        for a in d.attributions:
            assert a.content and a.cue and a.content[-1][1] <= len(d.text)
