"""QA findings for `toex extract`: a card number stays masked in every row, including the IMEI
reading of the same digits (a 15-digit Amex number is also a Luhn-valid IMEI)."""

from __future__ import annotations

import csv
import io

from conftest import run_cli, run_toex
from toexcli.extract import find_in_text

AMEX = "378282246310005"   # public test card number; also a Luhn-valid 15-digit IMEI


def test_the_imei_reading_of_a_card_number_is_masked_too():
    hits = find_in_text(f"paid with {AMEX} yesterday")
    assert sorted(h["kind"] for h in hits) == ["card", "imei"]   # the ambiguity is still reported
    for h in hits:
        shown = " ".join([h["value"], h["normalised"], h["context"], str(h["detail"])])
        assert "37828224" not in shown and AMEX not in shown, h
        assert h["value"].endswith("0005")


def test_kinds_imei_alone_still_masks_a_card_number(tmp_path):
    src = tmp_path / "chat.csv"
    src.write_text(f"text\npaid with {AMEX} yesterday\nimei 352099001761481 on the old phone\n")
    r = run_cli(["extract", src, "-c", "text", "--kinds", "imei"])
    assert r.exit_code == 0, r.stderr
    assert AMEX not in r.stdout and "37828224" not in r.stdout
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert [row["kind"] for row in rows] == ["imei", "imei"]
    assert rows[1]["value"] == "352099001761481"          # a plain IMEI is not masked
    assert "tac=35209900" in rows[1]["detail"]


def test_unmask_shows_both_readings_in_full(tmp_path):
    p = run_toex(["extract", "-", "-c", "text", "--unmask"], input=f"text\npaid with {AMEX}\n")
    assert p.returncode == 0, p.stderr
    rows = list(csv.DictReader(io.StringIO(p.stdout.decode())))
    assert {row["kind"]: row["value"] for row in rows} == {"card": AMEX, "imei": AMEX}


def _vrms(text):
    return [(h["value"], h["normalised"]) for h in find_in_text(text, ["vrm"])]


def test_car_model_names_are_not_plates():
    # a make followed by its model code is a product code, not a registration mark
    for text in ["car is a BMW 320D", "selling my bmw 118d", "van is a VW T5", "got the Audi RS6",
                 "audi S3 black", "merc CLA 200 outside", "his car, a VW T6.1"]:
        assert _vrms(text) == [], text


def test_plates_next_to_a_make_are_still_found():
    assert _vrms("the BMW AB12 CDE") == [("AB12 CDE", "AB12CDE")]
    assert _vrms("white VW reg ABC 123D") == [("ABC 123D", "ABC123D")]
    assert _vrms("his car is 1234 AB") == [("1234 AB", "1234AB")]
    assert _vrms("old merc A123 BCD still about") == [("A123 BCD", "A123BCD")]
    assert _vrms("classic mini ABC 123D at the garage") == [("ABC 123D", "ABC123D")]
    assert _vrms("the merc 1234 AB") == [("1234 AB", "1234AB")]


def test_current_plate_written_with_a_space_after_the_letters():
    # 'AB 12 CDE' is one current-format plate, not the dateless mark 'AB 12'
    assert _vrms("the reg is AB 12 CDE") == [("AB 12 CDE", "AB12CDE")]
    assert _vrms("car LB 07 SEU parked") == [("LB 07 SEU", "LB07SEU")]
    # without a vehicle word nearby that spacing is too often words and numbers
    assert _vrms("GO 24 HRS a day") == []


def test_keep_column_named_like_an_output_column_is_refused(tmp_path):
    # keeping the input's own 'kind' column used to be overwritten by the hit's kind: evidence lost
    src = tmp_path / "intel.csv"
    src.write_text("kind,value,text\nintel,x,reg AB12 CDE\n")
    r = run_cli(["extract", src, "-c", "text", "--keep", "kind"])
    assert r.exit_code == 2
    assert "kind" in r.stderr and r.stdout == ""


def test_lower_case_words_and_dates_near_a_vehicle_word_are_not_spaced_plates():
    assert _vrms("car back on 12 jan") == []
    assert _vrms("van due on 10 may") == []
