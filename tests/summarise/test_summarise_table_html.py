"""toex summarise --kind table, --kind auto, and the HTML report in headless Chromium."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess

import pytest
import synth_summarise as synth
from conftest import run_cli

from toexcli.summarise import summarise

TABLE = """name,email,phone,amount,when,vehicle,iban,sort_code,wallet,note
Alice,alice@example.com,07700 900123,"1,250.50",01/02/2024,AB12 CDE,GB82WEST12345698765432,12-34-56,1BoatSLRHtKNngkdXEeobR76b53LETtpyT,x
Bob,bob@example.org,+44 20 7946 0123,-30,15/03/2024 10:30,,GB82WEST12345698765433,20-00-00,0x52908400098527886E0F7030069857D2E4169EE7,
Carol,not an email,Withheld,£99,31/12/2023,K123ABC,,,bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq,x
Alice,alice@example.com,07700900123,0.5,2024-06-30,,,,,x
"""


@pytest.fixture
def plain(tmp_path):
    p = tmp_path / "people.csv"
    p.write_text(TABLE, encoding="utf-8")
    return p


def col(report, name):
    return next(c for c in report["columns"] if c["name"] == name)


def test_table_profile(plain):
    r = summarise([str(plain)])
    assert r["kind"] == "table" and r["rows"] == 4
    name = col(r, "name")
    assert (name["non_empty"], name["distinct"]) == (4, 3)
    assert name["top_values"][0] == {"value": "Alice", "count": 2}
    assert col(r, "email")["identifier_kinds"] == {"email": 3}
    assert col(r, "phone")["identifier_kinds"] == {"phone": 3}
    assert col(r, "amount")["numbers"] == {"count": 4, "min": -30, "max": 1250.5}
    assert col(r, "when")["dates"] == {"count": 4, "min": "2023-12-31T00:00:00",
                                       "max": "2024-06-30T00:00:00"}
    assert col(r, "vehicle")["identifier_kinds"] == {"vrm": 2}
    assert col(r, "iban")["identifier_kinds"] == {"iban": 1}  # the second fails mod-97
    assert col(r, "sort_code")["identifier_kinds"] == {"sort_code": 2}
    assert col(r, "sort_code")["dates"] is None
    assert col(r, "wallet")["identifier_kinds"] == {"wallet": 3}
    assert col(r, "note")["non_empty"] == 3


def test_auto_detection_says_what_it_chose(plain, tmp_path):
    cdr = tmp_path / "cdr.csv"
    synth.write_calls(cdr)
    bank = tmp_path / "tx.csv"
    synth.write_bank_csv(bank)
    for path, kind in ((plain, "table"), (cdr, "calls"), (bank, "bank")):
        r = run_cli(["summarise", path, "--json"])
        assert r.exit_code == 0, r.stderr
        assert json.loads(r.stdout)["kind"] == kind
        assert f"as {kind}:" in r.stderr
    # the shared sample CDR layout is recognised too
    r = run_cli(["summarise", plain, "--kind", "calls"])
    assert r.exit_code == 2 and "--from" in r.stderr


def test_shared_cdr_sample_is_detected_as_calls(shared):
    r = summarise([str(shared / "samples" / "calls" / "cdr_layout_example.csv")])
    assert r["kind"] == "calls"
    assert r["handsets"][0]["handset"] == "+447700900001"
    assert r["handsets"][0]["records"] == 40


def test_table_terminal_fits_100_columns(plain):
    r = run_cli(["summarise", plain])
    assert r.exit_code == 0, r.stderr
    assert max(len(x) for x in r.stdout.splitlines()) <= 100
    assert "email 3" in r.stdout


# ------------------------------------------------------------------------------------- HTML
EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*['"]?\s*(?:https?:|//)|@import|url\(\s*['"]?https?:""", re.I)


def _chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name) or (f"/usr/bin/{name}" if os.path.exists(f"/usr/bin/{name}") else None)
        if path:
            return path
    return None


def _load_in_chromium(html_path, tmp_path):
    exe = _chromium()
    if exe is None:
        pytest.skip("no chromium on this machine (apt-get install chromium) to open the HTML report")
    profile = tmp_path / "profile"
    cmd = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0", "--dump-dom",
           html_path.as_uri()]
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=90)
    return res


@pytest.mark.parametrize("kind", ["calls", "bank", "table"])
def test_html_report_is_self_contained_and_opens_in_chromium(kind, tmp_path, plain):
    if kind == "calls":
        src = tmp_path / "cdr.csv"
        synth.write_calls(src)
    elif kind == "bank":
        src = tmp_path / "tx.csv"
        synth.write_bank_csv(src)
    else:
        src = plain
    out = tmp_path / f"{kind}.html"
    r = run_cli(["summarise", src, "--html", out, "--json"])
    assert r.exit_code == 0, r.stderr
    text = out.read_text(encoding="utf-8")
    assert "<svg" in text and "<script" not in text.lower()
    assert not EXTERNAL.search(text), "the report must not load anything from outside"
    res = _load_in_chromium(out, tmp_path)
    assert res.returncode == 0, res.stderr[-2000:]
    dom = res.stdout
    assert f"toex summarise: {kind}" in dom
    assert dom.count("<svg") == text.count("<svg") >= 1
    log = res.stderr
    assert "CONSOLE" not in log and "Uncaught" not in log, log[-2000:]
    assert "Refused to" not in log and "net::ERR" not in log, log[-2000:]
    if kind == "calls":
        assert "+447700900004" in dom and "0.636" in dom
    if kind == "bank":
        assert "structuring" in dom and "statement_a.csv:11" in dom


def test_html_refuses_to_overwrite(tmp_path, plain):
    out = tmp_path / "r.html"
    out.write_text("keep me", encoding="utf-8")
    r = run_cli(["summarise", plain, "--html", out])
    assert r.exit_code == 2 and "--force" in r.stderr
    assert out.read_text(encoding="utf-8") == "keep me"
    r = run_cli(["summarise", plain, "--html", out, "--force"])
    assert r.exit_code == 0 and "<svg" in out.read_text(encoding="utf-8")


def test_distinct_counting_is_capped_but_honest(tmp_path):
    p = tmp_path / "ids.csv"
    p.write_text("id\n" + "".join(f"R{i:05d}\n" for i in range(300)) + "R00001\n", encoding="utf-8")
    from toexcli.summarise.table import summarise_table
    from toexcli.io import TableInput

    r = summarise_table(TableInput(str(p), batch_rows=50), distinct_cap=100)
    c = r["columns"][0]
    assert c["distinct_is_lower_bound"] is True
    assert 100 < c["distinct"] <= 300
    assert c["non_empty"] == 301
    r = summarise_table(TableInput(str(p)))
    assert r["columns"][0]["distinct"] == 300 and not r["columns"][0]["distinct_is_lower_bound"]
    assert r["columns"][0]["top_values"][0] == {"value": "R00001", "count": 2}


def test_table_dates_go_through_the_time_model(tmp_path):
    """A column's date range is read by the one time model: an impossible date is not a date
    (never rolled into March), two-digit years and 08-JAN-24 are read as everywhere else in
    toex, and nn-nn-nn stays a sort code even when it would make a dd-mm-yy date."""
    p = tmp_path / "t.csv"
    p.write_text("when,sort_code\n31/02/2024,20-11-91\n29/02/2023,01-02-03\n05/01/24,20-11-91\n"
                 "08-JAN-24,01-02-03\n", encoding="utf-8")
    r = summarise([str(p)])
    assert col(r, "when")["dates"] == {"count": 2, "min": "2024-01-05T00:00:00",
                                       "max": "2024-01-08T00:00:00"}
    assert col(r, "sort_code")["dates"] is None
    assert col(r, "sort_code")["identifier_kinds"] == {"sort_code": 4}
