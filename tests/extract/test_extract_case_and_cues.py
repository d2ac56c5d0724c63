"""Issue 19: case does not decide whether an identifier is found; a cue anywhere in a short
message counts."""

from __future__ import annotations

import csv
import io

import pytest

from conftest import run_cli
from toexcli.extract import finders


def found(fn, text):
    return [h.normalised for h in fn(text)]


@pytest.mark.parametrize("text,want", [
    ("postcode b338th", ["B33 8TH"]),
    ("DN551PT thats where the parcels go", ["DN55 1PT"]),
    ("dn551pt thats where the parcels go", ["DN55 1PT"]),
    ("send it to Dn55 1pt pls, thats the address", ["DN55 1PT"]),
    ("b33 8th", ["B33 8TH"]),  # lower case with its space: as before
])
def test_postcodes_any_case_with_a_cue(text, want):
    assert found(finders.find_postcode, text) == want


@pytest.mark.parametrize("text", [
    "b338th",                 # no cue: a code, not confidently a postcode
    "HP305XL ink cartridge",  # no cue: an ink cartridge
    "Dn551pt",
    # a cue too far away in a long message does not count
    "parcels " + "blah " * 60 + "dn551pt",
])
def test_postcodes_without_cue_still_need_their_shape(text):
    assert found(finders.find_postcode, text) == []


def test_lower_case_iban_with_a_valid_checksum():
    assert found(finders.find_iban, "gb25exmp12345600112233") == ["GB25EXMP12345600112233"]
    assert found(finders.find_iban, "iban Gb25 Exmp 1234 5600 1122 33") == ["GB25EXMP12345600112233"]
    # a lower-case one that fails the checksum is words and numbers, not a broken IBAN
    assert found(finders.find_iban, "gb26exmp12345600112233") == []
    # an upper-case one that fails is still reported (invalid), as before
    hits = list(finders.find_iban("GB26EXMP12345600112233"))
    assert len(hits) == 1 and not hits[0].valid


@pytest.mark.parametrize("text,want", [
    ("swapped to LKZ 1234", ["LKZ1234"]),
    ("he swapped to AXZ 4521 last week, same blue one", ["AXZ4521"]),
    ("LKZ 1234 is on the van now", ["LKZ1234"]),
])
def test_ni_and_dateless_plates_with_a_cue_anywhere(text, want):
    assert found(finders.find_vrm, text) == want


def test_dateless_plate_without_cue_is_not_taken():
    assert found(finders.find_vrm, "LKZ 1234") == []
    assert found(finders.find_vrm, "see you at 10 AM, room 12") == []


def test_cli_extract_finds_lower_case_identifiers(tmp_path):
    src = tmp_path / "m.csv"
    src.write_text("id,text\n1,postcode b338th\n2,gb25exmp12345600112233\n"
                   "3,swapped to LKZ 1234\n", encoding="utf-8")
    r = run_cli(["extract", src, "-c", "text", "--kinds", "postcode,iban,vrm", "--keep", "id"])
    assert r.exit_code == 0, r.stderr
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    got = {(x["id"], x["kind"]) for x in rows}
    assert got == {("1", "postcode"), ("2", "iban"), ("3", "vrm")}, rows
