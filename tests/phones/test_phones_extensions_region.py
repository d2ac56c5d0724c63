"""Issue 19: RFC 3966 extensions, an empty trailing extension marker, and --region "" = none."""

from __future__ import annotations

import csv
import io

import pytest

from conftest import run_cli, run_toex
from toexcli.phones.policy import check_region, normalise_one


@pytest.mark.parametrize("raw,ext", [
    ("020 7946 0126;ext=22", "22"),          # the form phonenumbers itself writes (RFC 3966)
    ("+442079460126;ext=22", "22"),
    ("020 7946 0126 ;ext = 22", "22"),
    ("tel:+44-20-7946-0126;ext=22", "22"),
    ("020 7946 0126 ext. 5", "5"),
    ("020 7946 0126 x5", "5"),
])
def test_extension_forms(raw, ext):
    r = normalise_one(raw)
    assert (r.e164, r.valid) == ("+442079460126", True), r
    assert f"extension {ext} not in E.164" in r.reason


@pytest.mark.parametrize("raw", ["07700 900164 x", "07700 900164 X", "07700 900164x",
                                 "07700 900164 ext.", "07700 900164 #"])
def test_trailing_lone_marker_is_an_empty_extension(raw):
    r = normalise_one(raw)
    assert r.e164 == "+447700900164", r
    assert "empty extension marker" in r.reason


@pytest.mark.parametrize("raw", ["07700 900164 xx", "x 07700 900164", "07700 9001x64",
                                 "0207 946 0126;ext=abc"])
def test_letters_elsewhere_still_reject(raw):
    r = normalise_one(raw)
    assert r.e164 is None and r.status in ("unparseable", "invalid"), r


def test_empty_region_means_no_default_region():
    assert check_region(None) == "GB"
    assert check_region("") == "ZZ" and check_region("  ") == "ZZ"
    r = normalise_one("07700 900164", "")
    assert (r.e164, r.status) == (None, "unparseable")
    assert "no default region" in r.reason
    assert normalise_one("+44 7700 900164", "").e164 == "+447700900164"
    assert normalise_one("07700 900164").e164 == "+447700900164"  # the default stays GB


def test_cli_region_empty(tmp_path):
    src = tmp_path / "p.csv"
    src.write_text("n\n07700 900164\n\"+44 20 7946 0126;ext=22\"\n", encoding="utf-8")
    r = run_cli(["phones", "normalise", src, "-c", "n", "--region", ""])
    assert r.exit_code == 0, r.stderr
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert [x["n_e164"] for x in rows] == ["", "+442079460126"]
    p = run_toex(["phones", "normalise", "-", "-c", "n", "--region", ""], input=src.read_bytes())
    assert p.returncode == 0, p.stderr.decode()
    assert list(csv.DictReader(io.StringIO(p.stdout.decode())))[0]["n_e164"] == ""
