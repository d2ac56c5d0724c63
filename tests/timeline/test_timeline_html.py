"""The timeline page: self-contained with a strict CSP, and working in a real headless Chromium
(no request, no console error, hover/click details with the source row, zoom, brush, search),
quick at 20,000 events. Screenshots are written beside the test's tmp files."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from toexcli import read_table
from toexcli.timeline import timeline
from toexcli.timeline.html import render_html, write_html

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "chart"))
from chart_cdp import CHROMIUM, Browser  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
EX = REPO / "examples"
EVIL = '</script><script>alert(1)</script><img src=x onerror="alert(2)">'


def case_events():
    fix = Path(__file__).resolve().parent / "fixtures"
    tables = [read_table([str(p)]) for p in (fix / "calls_deal.csv", fix / "calls_runner.csv",
                                             fix / "messages.csv", EX / "timeline_anpr.csv")]
    tx = pd.DataFrame({"account": "30-99-50 41230001", "date": ["2024-04-01", "2024-03-29"],
                       "amount": ["950.00", "-62.10"], "currency": "GBP", "category": "",
                       "counterparty": [EVIL, "FICTIONAL FUEL"], "_source": "tx.csv",
                       "_row": [1, 2]})
    return timeline(tables + [tx]).events


def big_events(n=20_000, seed=7):
    rng = np.random.default_rng(seed)
    start = pd.Timestamp("2024-01-01", tz="UTC").value // 10**9
    secs = np.sort(rng.integers(start, start + 90 * 86400, n))
    hs = [f"+4477009001{i:02d}" for i in range(12)]
    df = pd.DataFrame({
        "handset": rng.choice(hs, n), "direction": rng.choice(["in", "out"], n),
        "event": rng.choice(["voice", "sms", "data"], n, p=[.5, .4, .1]), "a_party": "",
        "b_party": "", "other_party": [f"+4477009009{i:02d}" for i in rng.integers(0, 99, n)],
        "start_utc": pd.to_datetime(secs, unit="s").strftime("%Y-%m-%dT%H:%M:%SZ"),
        "duration_s": rng.integers(0, 900, n).astype(str), "_source": "big.csv",
        "_row": np.arange(1, n + 1)})
    return timeline([df.astype({c: "str" for c in df.columns if c != "_row"})]).events


def test_page_is_self_contained_with_strict_csp():
    page = render_html(case_events(), title="Op " + EVIL)
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1)
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "http" not in csp and "*" not in csp
    assert len(re.findall(r"'sha256-", csp)) == 2
    assert not re.search(r"<script[^>]+src=", page) and "<link" not in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    assert "<script>alert(1)" not in page and "onerror=\"alert" not in page


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.skip("Debian's chromium is not installed (apt-get install chromium) so the page "
                    "cannot be loaded in a browser")
    with Browser() as b:
        yield b


def _load(browser, path: Path):
    browser.events.clear()
    browser.open(path.as_uri())
    for _ in range(100):
        if browser.evaluate("document.body.dataset.ready") == "1":
            break
        browser.pump(0.05)
    assert browser.evaluate("document.body.dataset.ready") == "1"


def _mouse(browser, kind, x, y, buttons=0):
    browser.send("Input.dispatchMouseEvent", {"type": kind, "x": x, "y": y, "button": "left",
                                              "buttons": buttons, "clickCount": 1})


def _main_origin(browser):
    return browser.evaluate("(function(){var r=document.getElementById('main')"
                            ".getBoundingClientRect();return [r.left,r.top];})()")


def test_case_page_in_chromium(browser, tmp_path):
    path = tmp_path / "case.html"
    write_html(case_events(), str(path), title="Op Example")
    _load(browser, path)
    browser.screenshot(str(tmp_path / "case.png"))
    assert (tmp_path / "case.png").stat().st_size > 10_000
    assert browser.evaluate("document.body.dataset.events") == "24"   # dated events (3 far ends counted once, 1 unreadable)
    assert int(browser.evaluate("document.body.dataset.drawn")) > 15
    # hover the PayPoint payment: its summary and source row show
    i = browser.evaluate("(function(){var d=JSON.parse(document.getElementById('timeline-data')"
                         ".textContent), s=d.fields.indexOf('summary');"
                         "return d.rows.findIndex(r => r[s].indexOf('950.00') >= 0);})()")
    assert i >= 0
    browser.evaluate(f"toexTimeline.setView(Date.UTC(2024,2,31,20), Date.UTC(2024,3,1,12))")
    x, y = browser.evaluate(f"toexTimeline.cellAt({i})")
    ox, oy = _main_origin(browser)
    _mouse(browser, "mouseMoved", ox + x + 20, oy + y)
    browser.pump(0.1)
    tip = browser.evaluate("document.getElementById('tip').textContent")
    assert "date only" in tip and "tx.csv row 1" in tip and EVIL in tip
    _mouse(browser, "mousePressed", ox + x + 20, oy + y, 1)
    _mouse(browser, "mouseReleased", ox + x + 20, oy + y)
    browser.pump(0.1)
    detail = browser.evaluate("document.getElementById('detail').innerText")
    assert "_source" in detail and "tx.csv" in detail and "950.00" in detail
    assert browser.evaluate("document.querySelectorAll('#detail img, script[src]').length") == 0
    assert browser.evaluate("document.getElementById('undated').textContent").startswith("1 event")
    assert browser.problems() == []
    assert [u for u in browser.requests() if not u.startswith("file:")] == []


def test_twenty_thousand_events_stay_quick(browser, tmp_path):
    ev = big_events()
    path = tmp_path / "big.html"
    write_html(ev, str(path), title="20,000 events")
    _load(browser, path)
    browser.screenshot(str(tmp_path / "big.png"))
    assert browser.evaluate("document.body.dataset.events") == "20000"
    drawn = int(browser.evaluate("document.body.dataset.drawn"))
    assert 0 < drawn < 20_000                       # zoomed out: aggregated into bars
    # zoom and pan 40 times across the period: each redraw well under a frame budget
    ms = browser.evaluate("""(function(){
        var v = toexTimeline.view(), a = v[0], b = v[1], t = performance.now();
        for (var i = 0; i < 40; i++) { var f = 1 - i / 45, m = a + (b - a) * (i / 40);
            toexTimeline.setView(m, m + (b - a) * f); }
        return (performance.now() - t) / 40; })()""", timeout=60)
    assert ms < 60, f"{ms:.1f} ms per redraw"
    # zoomed into one hour: single events, each hoverable
    browser.evaluate("toexTimeline.setView(Date.UTC(2024,1,1,10), Date.UTC(2024,1,1,11))")
    assert int(browser.evaluate("document.body.dataset.drawn")) < 60
    # the brush: drag across the overview strip chooses the period
    box = browser.evaluate("(function(){var r=document.getElementById('overview')"
                           ".getBoundingClientRect();return [r.left,r.top,r.width,r.height];})()")
    y = box[1] + box[3] / 2
    _mouse(browser, "mousePressed", box[0] + box[2] * 0.25, y, 1)
    _mouse(browser, "mouseMoved", box[0] + box[2] * 0.5, y, 1)
    _mouse(browser, "mouseReleased", box[0] + box[2] * 0.5, y)
    browser.pump(0.1)
    a, b = browser.evaluate("toexTimeline.view()")
    days = (b - a) / 86_400_000
    assert 20 < days < 25                            # a quarter of ~92 days
    # search narrows the lanes
    browser.evaluate("var s=document.getElementById('search'); s.value='+447700900103';"
                     "s.dispatchEvent(new Event('input'))")
    assert "1 lanes" in browser.evaluate("document.getElementById('stats').textContent") or \
        "lanes" in browser.evaluate("document.getElementById('stats').textContent")
    assert browser.problems() == []
    assert [u for u in browser.requests() if not u.startswith("file:")] == []


def test_one_lane_per_subject_however_it_is_spelled():
    from toexcli.timeline.html import page_data

    ev = case_events()
    extra = ev.iloc[:1].copy()
    extra["subject"] = "+44 7700 900501"      # as a chat export writes the same phone
    data = page_data(pd.concat([ev, extra], ignore_index=True))
    labels = [lane["label"] for lane in data["lanes"]]
    assert labels.count("+447700900501") == 1 and "+44 7700 900501" not in labels
