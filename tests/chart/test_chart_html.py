"""toex chart's HTML page: self-contained, strict CSP, and working in a real headless Chromium
(no console errors, node count read from the page, search, filters, PNG export, no requests)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from conftest import run_cli
from toexcli import read_table
from toexcli.chart import build_network
from toexcli.chart.html import CYTOSCAPE_VERSION, render_html, vendor_js, write_html

from chart_cdp import CHROMIUM, Browser

REPO = Path(__file__).resolve().parents[2]
HANDSET_A = REPO / "examples" / "calls_handset_a.csv"
HANDSET_B = REPO / "examples" / "chart_calls_handset_b.csv"
PEOPLE = REPO / "examples" / "chart_people.csv"

needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not installed (apt-get install chromium; "
                             ".ci/run installs it) so the page cannot be loaded in a browser")

EVIL = '</script><script>alert(1)</script><img src=x onerror="alert(2)">'


def test_vendored_library_is_pinned_and_licensed():
    here = Path(__file__).resolve().parents[2] / "toexcli" / "chart" / "vendor"
    js = vendor_js()
    assert len(js) > 300_000 and "cytoscape" in js[:2000].lower()
    assert (here / "LICENSE.cytoscape").read_text().startswith("Copyright (c)")
    assert CYTOSCAPE_VERSION.count(".") == 2


def test_page_is_self_contained_with_strict_csp(tmp_path):
    df = read_table([str(HANDSET_A)])
    page = render_html(build_network(df, [("Caller", "Callee")]))
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1)
    assert "default-src 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "http" not in csp and "*" not in csp
    assert not re.search(r"<script[^>]+src=", page) and "<link" not in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    assert len(re.findall(r"'sha256-", csp)) == 4  # 2 scripts, 2 styles


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.skip("Debian's chromium is not installed (apt-get install chromium; .ci/run installs "
                    "it) so the page cannot be loaded in a browser")
    with Browser() as b:
        yield b


def _load(browser, path: Path):
    browser.events.clear()
    browser.open(path.as_uri())
    for _ in range(50):
        if browser.evaluate("document.body.dataset.ready") == "1":
            break
        browser.pump(0.1)
    browser.pump(0.3)


@needs_chromium
def test_page_in_chromium_counts_nodes_without_errors(browser, tmp_path):
    out = tmp_path / "calls.html"
    r = run_cli(["chart", HANDSET_A, HANDSET_B, "--link", "Caller", "Callee", "--date", "Date",
                 "--time", "Time", "--highlight", "07700900188", "-o", out])
    assert r.exit_code == 0, r.stderr
    _load(browser, out)
    assert browser.problems() == []
    assert browser.evaluate("document.body.dataset.ready") == "1"
    assert browser.evaluate("document.body.dataset.nodes") == "7"
    assert browser.evaluate("document.body.dataset.links") == "6"
    assert "7 nodes, 6 links" in browser.evaluate("document.title")
    assert browser.evaluate("document.getElementById('stats').textContent") == \
        "7 of 7 nodes, 6 of 6 links shown"
    # the targets and the legend
    assert browser.evaluate("toexChart.nodes('[?hl]').map(n => n.data('label'))") == ["07700 900188"]
    assert browser.evaluate("document.getElementById('legend').textContent").startswith("Phone (7)")
    # search
    found = browser.evaluate("""(() => { const s = document.getElementById('search');
        s.value = '900188'; s.dispatchEvent(new Event('input'));
        return [document.getElementById('found').textContent, toexChart.nodes('.match').length]; })()""")
    assert found == ["1 found", 1]
    # minimum weight filter: only the two 4-event links stay
    shown = browser.evaluate("""(() => { const m = document.getElementById('minweight');
        m.value = '4'; m.dispatchEvent(new Event('input'));
        return document.getElementById('stats').dataset.visibleNodes; })()""")
    assert shown == "3"
    # type filter: unticking Phone hides everything
    shown = browser.evaluate("""(() => { const b = document.querySelector('#legend input');
        b.checked = false; b.dispatchEvent(new Event('change'));
        return document.getElementById('stats').dataset.visibleNodes; })()""")
    assert shown == "0"
    # neighbourhood highlight: tapping a leaf fades all but it, its neighbour and their link
    faded = browser.evaluate("""(() => { document.getElementById('reset').click();
        toexChart.getElementById('phone:+442079460123').emit('tap');
        return [toexChart.elements('.faded').length, toexChart.elements().length]; })()""")
    assert faded == [13 - 3, 13]
    # hover details: spellings, sources and rows of the node, as text
    tip = browser.evaluate("""(() => { toexChart.getElementById('phone:+447700900188').emit('mouseover');
        const t = document.getElementById('tip'); return [t.style.display, t.textContent]; })()""")
    assert tip[0] == "block"
    assert "+447700900188" in tip[1] and "07700900188" in tip[1]
    assert "chart_calls_handset_b.csv: 2, 3, 5, 8" in tip[1]
    # PNG export
    png = browser.evaluate("toexChart.png({full: true}).slice(0, 22)")
    assert png == "data:image/png;base64,"
    browser.evaluate("document.getElementById('png').click()")
    browser.pump(0.3)
    assert browser.problems() == []
    # nothing but the page itself was requested
    urls = [u for u in browser.requests() if not u.startswith(("data:", "blob:"))]
    assert urls == [out.as_uri()]


@needs_chromium
def test_hostile_values_are_text_not_markup(browser, tmp_path):
    df = pd.DataFrame({"Name": [EVIL, "Casey Moor"], "Phone": ["07700900123", "07700900123"],
                       "_source": "x.csv", "_row": [1, 2]})
    out = tmp_path / "evil.html"
    write_html(build_network(df, [("Name", "Phone")], {"Name": "person"}), str(out))
    _load(browser, out)
    assert browser.problems() == []
    assert browser.evaluate("document.body.dataset.nodes") == "3"
    labels = browser.evaluate("toexChart.nodes().map(n => n.data('label')).sort()")
    assert EVIL in labels
    assert browser.evaluate("document.images.length") == 0


@needs_chromium
def test_mixed_types_page(browser, tmp_path):
    out = tmp_path / "people.html"
    r = run_cli(["chart", PEOPLE, "--link", "Name", "Phone", "--link", "Name", "VRM", "--date",
                 "Seen", "--size-by", "weight", "-o", out])
    assert r.exit_code == 0, r.stderr
    _load(browser, out)
    assert browser.problems() == []
    # 3 people (Jordan Blake twice-written, Casey Moor twice-spaced), 4 phones... see chart_people.csv
    assert browser.evaluate("document.body.dataset.nodes") == "10"
    types = browser.evaluate("toexChart.nodes().map(n => n.data('type'))")
    assert sorted(set(types)) == ["person", "phone", "vehicle"]
    shapes = browser.evaluate("toexChart.nodes('[type = \"vehicle\"]').map(n => n.style('shape'))")
    assert set(shapes) == {"diamond"}
    colours = browser.evaluate("toexChart.nodes().map(n => n.data('type') + ' ' + n.style('background-color'))")
    assert len(set(colours)) == 3  # one colour per type
    # sized by events (--size-by weight): Jordan Blake (4 events) is the biggest
    sizes = browser.evaluate("toexChart.nodes().map(n => [n.data('label'), n.width()])")
    assert max(sizes, key=lambda p: p[1])[0] == "Jordan BLAKE"


@needs_chromium
def test_case_page_labels_readable_at_fit_groups_open_and_legend(browser, tmp_path):
    """The example case's telephony chart (issue 16): every label at least 12 px on screen at the
    opening view, no two labels' boxes overlapping, a group opens on click, a legend for
    sizes, widths, arrows, ownership and groups."""
    ent = tmp_path / "ent.csv"
    r = run_cli(["merge", "resolve", REPO / "examples" / "case_custody.csv",
                 REPO / "examples" / "case_subscribers.csv", "--id", "phone:Phone", "--id",
                 "account:Account", "--id", "vrm:VRM", "--name", "Forename,Surname", "--dob", "DOB",
                 "--entities", ent, "-o", tmp_path / "p.csv"])
    assert r.exit_code == 0, r.stderr
    out = tmp_path / "case.html"
    r = run_cli(["chart", *[REPO / "examples" / f"case_calls_{n}.csv" for n in ("deal_a", "deal_b", "daniel")],
                 "--link", "Caller", "Callee", "--entities", ent, "--labels",
                 REPO / "examples" / "case_labels.csv", "--people", "--collapse-leaves", "-o", out])
    assert r.exit_code == 0, r.stderr
    _load(browser, out)
    assert browser.problems() == []
    sizes = browser.evaluate("toexChart.nodes().map(n => parseFloat(n.renderedStyle('font-size')))")
    assert min(sizes) >= 12
    boxes = browser.evaluate("""toexChart.nodes().map(n => { const b = n.renderedBoundingBox(
        {includeNodes: false, includeEdges: false, includeLabels: true}); return [b.x1, b.y1, b.x2, b.y2]; })""")
    clash = [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:]
             if a[0] < b[2] - 1 and b[0] < a[2] - 1 and a[1] < b[3] - 1 and b[1] < a[3] - 1]
    assert clash == []
    legend = browser.evaluate("document.getElementById('legend-more').textContent")
    for text in ("node size", "line width", "arrow", "uses / holds", "click to open"):
        assert text in legend
    groups = browser.evaluate("toexChart.nodes('[type = \"group\"]').map(n => n.data('label'))")
    assert "10 contacts" in groups
    before = browser.evaluate("toexChart.nodes().length")
    browser.evaluate("toexChart.nodes('[type = \"group\"]').filter(n => n.data('label') === '10 contacts').emit('tap'); 0")
    assert browser.evaluate("toexChart.nodes().length") == before + 10 - 1
    assert browser.problems() == []
