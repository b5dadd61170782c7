"""The report in a real browser: headless system Chromium driven by Playwright, every network request blocked.

Playwright never downloads a browser here: it launches /usr/bin/chromium (Debian package `chromium`, which
`.ci/run` installs when missing). Screenshots go to the test's temporary folder, and to $TRADEX_SCREENSHOTS
when set.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.report.conftest import HOSTILE_TEXT, hostile_record, page_of

CHROMIUM = Path(os.environ.get("TRADEX_CHROMIUM", "/usr/bin/chromium"))
# without the background-networking flags Chromium reaches out to update and safe-browsing services
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not found: the browser tests need the Debian package chromium "
                    "(apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="the Python package playwright is not installed "
                                                                 "(make install adds it)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Visit:
    """A page with every request outside the site aborted and recorded, and its console errors."""

    def __init__(self, browser, site: Path, shots: Path) -> None:
        self.site = site.resolve()
        self.shots = shots
        self.left: list[str] = []
        self.console: list[str] = []
        self.context = browser.new_context(viewport={"width": 1200, "height": 900}, java_script_enabled=True)
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.set_default_timeout(10_000)
        self.page.on("console", lambda m: self.console.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.console.append(str(e)))

    def _route(self, route) -> None:
        url = route.request.url
        if url.startswith(self.site.as_uri()):
            route.continue_()
        else:
            self.left.append(url)
            route.abort()

    def open(self, path: Path):
        self.page.goto(path.resolve().as_uri())
        self.page.wait_for_load_state("load")
        return self.page

    def shot(self, name: str, **kw) -> Path:
        out = self.shots / f"{name}.png"
        self.page.screenshot(path=str(out), **kw)
        if os.environ.get("TRADEX_SCREENSHOTS"):
            target = Path(os.environ["TRADEX_SCREENSHOTS"])
            target.mkdir(parents=True, exist_ok=True)
            shutil.copy(out, target / out.name)
        return out

    def clean(self) -> None:
        assert self.left == [], f"requests left the site: {self.left}"
        assert self.console == [], f"console errors: {self.console}"


@pytest.fixture
def visit(browser, report_site, tmp_path):
    v = Visit(browser, report_site[0], tmp_path)
    yield v
    v.context.close()


def test_index_loads_offline_with_its_tables_and_charts(visit, report_site):
    site, _, records = report_site
    page = visit.open(site / "index.html")
    assert page.inner_text("#n-articles") == str(len(records))
    assert page.locator("#t-articles tbody tr").count() == min(25, len(records))
    assert page.locator("#articles .count").inner_text() == f"{len(records)} of {len(records)} rows"
    assert page.locator("svg.chart").count() == 3
    page.set_viewport_size({"width": 1200, "height": 1500})  # summary and the first charts in one picture
    assert visit.shot("index").stat().st_size > 10_000
    visit.clean()


def test_filters_sort_and_pages_change_the_rows(visit, report_site):
    site, _, records = report_site
    page = visit.open(site / "index.html")
    rows = page.locator("#t-articles tbody tr")
    page.fill("#articles .filter", "gallium")
    titles = [r["source"]["title"] for r in records if "gallium" in r["source"]["title"].lower()
              or "gallium" in (r["source"].get("publisher") or "").lower()]
    assert 0 < rows.count() < min(25, len(records))
    assert rows.count() >= len(titles)
    for text in rows.all_inner_texts():
        assert "gallium" in text.lower()
    page.fill("#articles .filter", "no such words anywhere")
    assert rows.count() == 0 and page.locator("#articles .count").inner_text() == f"0 of {len(records)} rows"
    page.fill("#articles .filter", "")
    # a facet: only CHIP entities
    page.select_option("#entities select.facet", "CHIP")
    labels = page.locator("#t-entities tbody tr td:nth-child(3)").all_inner_texts()
    assert labels and set(labels) == {"CHIP"}
    # sort the articles by their number of quotes (the first click sorts numbers high to low)
    page.click("#t-articles thead th:nth-child(5) button")
    quotes = [int(x) for x in page.locator("#t-articles tbody tr td:nth-child(5)").all_inner_texts()]
    assert quotes == sorted(quotes, reverse=True) and quotes[0] == max(len(r["quotes"]) for r in records)
    # pagination
    assert len(records) > 25
    page.click("#articles .next")
    assert page.locator("#articles .page").inner_text() == f"page 2 of {(len(records) + 24) // 25}"
    assert rows.count() == min(25, len(records) - 25)
    visit.clean()


@pytest.mark.parametrize("which", [0, 1, 3, 10, 20])
def test_article_page_marks_every_mention_and_quote(visit, report_site, which):
    site, _, records = report_site
    rec = records[which]
    page = visit.open(page_of(site, rec["doc_id"]))
    assert page.locator("#text .mention[id]").count() == len(rec["entities"])
    assert page.locator("#text .quote[id]").count() == len(rec["quotes"])
    assert page.locator("#text .trigger[id]").count() == len(rec.get("measures") or [])
    for e in rec["entities"]:
        assert page.locator(f'[id="m-{e["id"]}"]').get_attribute("data-label") == e["label"]
    # every badge links to the speaker's mention: the element it points at holds the mention's words
    for q in rec["quotes"]:
        mention = (q.get("speaker") or {}).get("mention")
        badge = page.locator(f'[id="badge-{q["id"]}"]')
        if not mention:
            continue
        href = badge.get_attribute("href")
        assert href and href.startswith("#")
        target = page.locator(f'[id="{href[1:]}"]')
        assert target.evaluate("el => el.getAttribute('data-cont') === null")
        assert page.evaluate("id => { const el = document.getElementById(id); let t = el.textContent; "
                             "let n = el.nextElementSibling; while (n && n.dataset.cont) { t += n.textContent; "
                             "n = n.nextElementSibling; } return t; }", href[1:]).startswith(mention["text"][:1])
        assert page.evaluate("id => document.getElementById(id).textContent", href[1:]) in mention["text"]
    if which == 1:
        visit.shot("article-measure", full_page=True)
    visit.clean()


def test_badge_navigates_to_the_speaker_and_tooltips_show_provenance(visit, report_site):
    site, _, records = report_site
    rec = records[3]  # the first stored synthetic record
    q = next(q for q in rec["quotes"] if q.get("speaker") and q["speaker"].get("entity_id"))
    page = visit.open(page_of(site, rec["doc_id"]))
    page.click(f'[id="badge-{q["id"]}"]')
    assert page.evaluate("location.hash") == page.get_attribute(f'[id="badge-{q["id"]}"]', "href")
    e = rec["entities"][0]
    page.focus(f'[id="m-{e["id"]}"]')
    tip = page.locator("#tip")
    assert tip.is_visible()
    assert (e["canonical_id"] or "(none") in tip.inner_text()
    assert e["provenance"]["rule"] in tip.inner_text()
    page.focus(f'[id="q-{q["id"]}"]')
    assert q["provenance"]["method"] in tip.inner_text() and "channel:" in tip.inner_text()
    visit.shot("article")
    page.keyboard.press("Escape")
    assert not tip.is_visible()
    visit.clean()


def test_script_in_an_article_stays_inert_text(visit, report_site):
    site, _, _ = report_site
    page = visit.open(page_of(site, hostile_record()["doc_id"]))
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator("#text script, #text b").count() == 0
    text = page.evaluate("() => { const c = document.getElementById('text').cloneNode(true); "
                         "c.querySelectorAll('.badge').forEach(b => b.remove()); return c.textContent; }")
    assert text == HOSTILE_TEXT
    assert page.title().startswith("Tags <i>and</i> & ampersands")
    visit.clean()


def test_duplicate_links_to_its_representative(visit, report_site):
    site, _, _ = report_site
    page = visit.open(page_of(site, "measure-002"))
    page.click("#dup-link")
    page.wait_for_load_state("load")
    assert page.url == page_of(site, "measure-001").resolve().as_uri()
    visit.clean()


def test_speaker_entity_and_errors_pages(visit, report_site):
    site, _, _ = report_site
    from pipeline.report.site import slug

    page = visit.open(site / "entities" / f"{slug('material:gallium')}.html")
    assert "China curbs gallium exports" in page.inner_text("main")
    page = visit.open(site / "errors.html")
    assert page.locator("#errors-table tbody tr").count() == 2
    assert page.locator("#problems-table tbody tr").count() == 1
    visit.clean()
