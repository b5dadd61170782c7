"""The report site as files: pages, counts, escaping, errors, inputs, the output-folder guard and the CLI."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.report import ReportInputError, ReportOutputError, build_report
from pipeline.report.inputs import resolve_input
from pipeline.report.site import slug
from tests.report.conftest import HOSTILE_TEXT, hostile_record, measure_record, page_of


def _html(path):
    return path.read_text(encoding="utf-8")


def test_summary_counts_every_record_and_the_broken_line(report_site):
    site, summary, records = report_site
    assert summary.articles == len(records)
    assert summary.errors == 2
    assert summary.problems == 1
    assert sum(summary.mentions.values()) == sum(len(r["entities"]) for r in records)
    assert sum(summary.quotes.values()) == sum(len(r["quotes"]) for r in records)
    from collections import Counter

    assert dict(summary.measures) == Counter(m["type"] for r in records for m in r.get("measures", []))
    assert summary.measures["export_control"] >= 2  # the hand-made measure record's two, at least
    assert summary.duplicates == 1
    index = _html(site / "index.html")
    assert f'<dd id="n-articles">{len(records)}</dd>' in index
    assert f'<dd id="n-measures">{sum(summary.measures.values())}</dd>' in index


def test_every_record_has_a_page_with_all_its_spans(report_site):
    site, _, records = report_site
    for rec in records:
        html = _html(page_of(site, rec["doc_id"]))
        for e in rec["entities"]:
            assert f'id="m-{e["id"]}"' in html
        for q in rec["quotes"]:
            assert f'id="q-{q["id"]}"' in html and f'id="badge-{q["id"]}"' in html
        assert len(re.findall(r'<span class="mention [^"]*" id="m-', html)) == len(rec["entities"])
        assert len(re.findall(r'<span class="quote [^"]*" id="q-', html)) == len(rec["quotes"])


def test_article_text_is_escaped(report_site):
    site, _, _ = report_site
    html = _html(page_of(site, hostile_record()["doc_id"]))
    assert "<script>window" not in html and "<b>any" not in html
    assert "&lt;script&gt;window.__pwned = 1;&lt;/script&gt;" in html
    assert "Acme &amp; Sons" in html
    assert "Tags &lt;i&gt;and&lt;/i&gt; &amp; ampersands" in html  # the title too
    text = re.search(r'<article class="article-text"[^>]*>(.*?)</article>', html, re.S).group(1)
    import html as h

    assert h.unescape(re.sub(r"<a class=\"badge[^>]*>.*?</a>|<[^>]+>", "", text)) == HOSTILE_TEXT


def test_measure_is_highlighted_and_listed(report_site):
    site, _, _ = report_site
    html = _html(page_of(site, "measure-001"))
    assert '<span class="trigger" id="t-m1"' in html
    assert html.count('class="evidence" id="v-m1-') == 2
    block = re.search(r"<div class=\"measure\" id=\"measure-m1\">(.*?)</dl>", html, re.S)
    assert block is not None
    fields = dict(re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", block.group(1)))
    assert fields["type"] == "export_control" and fields["status"] == "in_force"
    assert fields["actor"] == "China" and fields["items"] == "gallium, germanium"
    assert fields["announced"] == "2025-07-08" and fields["effective"] == "2025-08-01"
    assert fields["trigger"] == "export controls"
    assert "about: m1 export_control" in html  # the quote's `about` names the measure in its tooltip
    tables = _html(site / "data" / "tables.js")
    assert '"export_control", "in_force", "China"' in tables


def test_duplicate_links_to_its_representative(report_site):
    site, _, _ = report_site
    html = _html(page_of(site, "measure-002"))
    href = re.search(r'<a id="dup-link" href="([^"]+)">measure-001</a>', html).group(1)
    assert (page_of(site, "measure-002").parent / href).resolve() == page_of(site, "measure-001").resolve()


def test_speaker_and_entity_pages(report_site):
    site, _, records = report_site
    speakers = {q["speaker"]["canonical_id"] for r in records for q in r["quotes"]
                if q.get("speaker") and q["speaker"].get("canonical_id")}
    for cid in speakers:
        assert (site / "speakers" / f"{slug(cid)}.html").is_file()
    html = _html(site / "entities" / f"{slug('material:gallium')}.html")
    assert "China curbs gallium exports" in html and "germanium" in html  # its articles and co-mentions
    spk = _html(site / "speakers" / f"{slug('COMPANY:Nyberg Metals')}.html")
    assert "the controls will hurt buyers" in spk


def test_errors_page_lists_codes_sources_and_problems(report_site):
    site, _, _ = report_site
    html = _html(site / "errors.html")
    assert "<code>TX101</code>" in html and "<code>news/a.txt</code>" in html
    assert "the article text is empty or only white space" in html  # the code's meaning
    assert "bad &lt;json&gt; &amp; worse" in html
    assert "<code>TX103</code>" in html and "records.jsonl#L4" in html  # the broken records line


def test_site_needs_nothing_from_the_network(report_site):
    site, _, _ = report_site
    for page in [site / "index.html", *sorted((site / "articles").iterdir())[:5]]:
        html = _html(page)
        assert not re.search(r'(src|href)="(https?:)?//', html), page
    assert not re.search(r"https?://|@import|url\(", _html(site / "assets" / "report.css"))


@pytest.mark.parametrize(("layout", "expected"), [
    (["records.jsonl"], "records.jsonl"),
    (["records.jsonl", "normalized.jsonl"], "normalized.jsonl"),
    (["records.jsonl", "normalized.jsonl", "deduped.jsonl"], "deduped.jsonl"),
])
def test_a_run_folder_reports_its_latest_stage(tmp_path, layout, expected):
    for name in [*layout, "records.errors.jsonl"]:
        (tmp_path / name).write_text("", encoding="utf-8")
    assert resolve_input(tmp_path) == (tmp_path / expected, tmp_path / "records.errors.jsonl")


def test_bad_inputs_and_outputs_are_usage_errors(tmp_path):
    with pytest.raises(ReportInputError, match="no such records file"):
        build_report(tmp_path / "missing.jsonl", tmp_path / "out")
    with pytest.raises(ReportInputError, match="holds none of"):
        build_report(tmp_path, tmp_path / "out")
    (tmp_path / "r.jsonl").write_text(json.dumps(measure_record()) + "\n", encoding="utf-8")
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(ReportOutputError, match="not a tradex report"):
        build_report(tmp_path / "r.jsonl", tmp_path / "mine")
    assert (tmp_path / "mine" / "notes.txt").read_text(encoding="utf-8") == "keep me"


def test_rebuilding_replaces_the_previous_site(tmp_path):
    src = tmp_path / "r.jsonl"
    src.write_text(json.dumps(measure_record()) + "\n", encoding="utf-8")
    out = tmp_path / "site"
    build_report(src, out)
    (out / "stale.html").write_text("old", encoding="utf-8")
    src.write_text(json.dumps(hostile_record()) + "\n", encoding="utf-8")
    summary = build_report(src, out)
    assert summary.articles == 1 and not (out / "stale.html").exists()
    assert [p.name for p in (out / "articles").iterdir()] == [page_of(out, hostile_record()["doc_id"]).name]
    assert not list(tmp_path.glob(".site.*"))  # no staging folder left behind


def test_cli(tmp_path, report_input):
    runner = CliRunner()
    path, records = report_input
    res = runner.invoke(app, ["report", str(path), "-o", str(tmp_path / "site")])
    assert res.exit_code == 1, res.output  # one records line could not be shown
    assert f"report: {len(records)} articles" in res.output and "1 lines not shown" in res.output
    clean = tmp_path / "clean.jsonl"
    clean.write_text(json.dumps(measure_record()) + "\n", encoding="utf-8")
    res = runner.invoke(app, ["report", str(clean), "-o", str(tmp_path / "site2")])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["report", str(tmp_path / "nope.jsonl"), "-o", str(tmp_path / "site3")])
    assert res.exit_code == 2 and "TX300 no such records file" in res.output
