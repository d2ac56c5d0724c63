"""Issue 18: `toex bank parse` on other projects' fixtures (tests/bank/data/peers, cited in its
README), and every statement check shown failing on a tampered file of each format that states
balances (MT940 :60F:/:62F:, MT942 :90D:/:90C:, OFX BALLIST opening + LEDGERBAL, CAMT OPBD/CLBD)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import run_cli

from toexcli.bank import parse_statements

PEERS = Path(__file__).parent / "data" / "peers"
WOLPH = json.loads((PEERS / "expected_wolph_mt940.json").read_text())


def parse(path):
    df, reps = parse_statements([path])
    return df, reps[0]


def results(rep):
    out: dict = {}
    for c in rep["statement_checks"]:
        out[c["result"]] = out.get(c["result"], 0) + 1
    return out


# ------------------------------------------------------------------- WoLpH/mt940 expected
@pytest.mark.parametrize("name", sorted(WOLPH))
def test_mt940_amounts_match_wolph_expected(name):
    df, rep = parse(PEERS / name)
    got = [Decimal(str(x)) for x in df["amount"].tolist()]
    want = [Decimal(x) for x in WOLPH[name]["amounts"]]
    if name == "mt940_betterplace_sepa_mt9401.sta":
        # two ':61:...RCR204,88' lines: SWIFT's RC is a reversal of a credit, i.e. money out;
        # WoLpH/mt940 reads them as credits. Every one of the file's 26 statements adds up with
        # them as debits, so toex keeps the standard's reading.
        diff = [i for i, (a, b) in enumerate(zip(got, want)) if a != b]
        assert len(diff) == 2 and all(got[i] == -want[i] for i in diff)
        assert results(rep) == {"ok": 26}
        return
    assert got == want
    assert not df["date"].isna().any()


@pytest.mark.parametrize("name,checks", [
    ("mt940_asnb.sta", {"ok": 31}),  # 31 daily statements, 444.29 -> 501.23
    ("mt940_cmxl.sta", {"ok": 3}),
    ("mt940_sberbank.sta", {"ok": 1}),  # blank type code 'DF3575,00S   X'
    ("mt942_mbank.sta", {"ok": 1}),  # MT942: :90C: count and sum agree
    ("mt940_php_triodos.sta", {"ok": 2}),  # Triodos 'NIT NONREF'
    ("mt940_php_zetb.sta", {"ok": 1}),  # no type code: 'CN220000,00//19239782213'
    # hand-written peer fixtures that do not balance: now reported, with the difference
    ("mt940_jejik_ing.sta", {"break": 1}),
    ("mt942_self_provided.sta", {"break": 1}),
])
def test_mt940_statement_checks_on_peer_files(name, checks):
    df, rep = parse(PEERS / name)
    assert results(rep) == checks
    assert rep["problems"] == []


def test_old_ing_and_rabobank_lines_are_read():
    df, rep = parse(PEERS / "mt940_php_ing_old.sta")  # ':61:100722C25,03NOV NONREF'
    assert len(df) == 7 and not df["date"].isna().any() and not df["amount"].isna().any()
    assert str(df["amount"][0]) == "25.03" and df["type"][0] == "OV"
    df, rep = parse(PEERS / "mt940_php_rabo_old.sta")  # 'C000000000300.00NMSC' (point decimals)
    assert len(df) == 39 and not df["amount"].isna().any() and rep["problems"] == []
    assert str(df["amount"][0]) == "300.00"


def test_ing_mt940_break_names_the_difference():
    df, rep = parse(PEERS / "mt940_jejik_ing.sta")
    c = rep["statement_checks"][0]
    assert (c["opening_balance"], c["net"], c["closing_balance"], c["difference"]) == \
        ("0.00", "-45.59", "3.47", "-49.06")


# ------------------------------------------------------------------------- tampered files
def _tamper(tmp_path, src, old, new, count=1):
    text = Path(src).read_bytes().decode("latin-1")
    assert old in text
    out = tmp_path / Path(src).name
    out.write_bytes(text.replace(old, new, count).encode("latin-1"))
    return out


def test_mt940_flipped_debit_breaks(tmp_path):
    good = PEERS / "mt940_asnb.sta"
    bad = _tamper(tmp_path, good, ":61:2001050105D801,55", ":61:2001050105C801,55")
    df, rep = parse(bad)
    breaks = [c for c in rep["statement_checks"] if c["result"] == "break"]
    assert len(breaks) == 1 and breaks[0]["difference"] == "1603.10"
    r = run_cli(["bank", "parse", bad])
    assert r.exit_code == 0 and "does not add up" in r.stderr and "off by 1603.10" in r.stderr


def test_mt940_changed_opening_breaks(tmp_path):
    bad = _tamper(tmp_path, PEERS / "mt940_asnb.sta", ":60F:C200101EUR444,29", ":60F:C200101EUR500,00")
    df, rep = parse(bad)
    assert rep["statement_breaks"] >= 1
    assert rep["statement_checks"][0]["difference"] == "55.71"


def test_mt942_count_and_sum_break(tmp_path):
    bad = _tamper(tmp_path, PEERS / "mt942_mbank.sta", "CN0,01NTRFNONREF", "CN0,02NTRFNONREF")
    df, rep = parse(bad)
    assert results(rep) == {"break": 1} and "credits" in rep["statement_checks"][0]["problem"]


def test_camt_peer_file_and_tampered_entry(tmp_path):
    good = PEERS / "iso20022_simple.xml"
    df, rep = parse(good)
    assert results(rep) == {"ok": 1}
    amt = next(x for x in Path(good).read_text().split("<Ntry>")[1].split("\n") if "<Amt" in x).strip()
    value = amt.split(">")[1].split("<")[0]
    bigger = str(Decimal(value) + 1)
    bad = _tamper(tmp_path, good, amt, amt.replace(">" + value + "<", ">" + bigger + "<"))
    df, rep = parse(bad)
    assert results(rep) == {"break": 1}
    assert rep["statement_checks"][0]["difference"] in ("1.00", "-1.00")


def test_camt_changed_opening_breaks(tmp_path):
    good = PEERS / "iso20022_camt053.xml"
    df, rep = parse(good)
    assert results(rep) == {"ok": 1} and rep["opening_balance"] == "832.01"
    bad = _tamper(tmp_path, good, ">832.01<", ">800.00<")
    df, rep = parse(bad)
    assert results(rep) == {"break": 1} and rep["statement_checks"][0]["difference"] == "-32.01"


def test_camt_dates_with_a_zone_are_read():
    df, rep = parse(PEERS / "iso20022_davider80.xml")  # <Dt>2017-04-01+02:00</Dt>
    assert not df["date"].isna().any() and rep["problems"] == []
    assert results(rep) == {"ok": 1}


def test_camt_peer_file_that_does_not_balance():
    df, rep = parse(PEERS / "iso20022_gcamp6.xml")
    assert results(rep) == {"break": 1} and rep["statement_checks"][0]["difference"] == "3010.00"


OFX_OPENING = """OFXHEADER:100
DATA:OFXSGML
VERSION:102
ENCODING:USASCII
CHARSET:1252

<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>GBP
<BANKACCTFROM><BANKID>000000<ACCTID>00000001<ACCTTYPE>CHECKING</BANKACCTFROM>
<BANKTRANLIST><DTSTART>20240301<DTEND>20240331
<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20240304<TRNAMT>-12.50<FITID>1<NAME>FICTIONAL CAFE</STMTTRN>
<STMTTRN><TRNTYPE>CREDIT<DTPOSTED>20240310<TRNAMT>100.00<FITID>2<NAME>A N OTHER</STMTTRN>
</BANKTRANLIST>
<LEDGERBAL><BALAMT>187.50<DTASOF>20240331</LEDGERBAL>
<BALLIST><BAL><NAME>Opening balance<DESC>Balance at start of period<BALTYPE>DOLLAR<VALUE>100.00</BAL></BALLIST>
</STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>
"""


def test_ofx_stated_opening_checked_and_tampered(tmp_path):
    good = tmp_path / "good.ofx"
    good.write_text(OFX_OPENING)
    df, rep = parse(good)
    assert results(rep) == {"ok": 1} and rep["opening_balance"] == "100.00"
    bad = tmp_path / "bad.ofx"
    bad.write_text(OFX_OPENING.replace("<TRNAMT>-12.50", "<TRNAMT>12.50"))
    df, rep = parse(bad)
    assert results(rep) == {"break": 1} and rep["statement_checks"][0]["difference"] == "25.00"


def test_ofx_without_an_opening_is_not_checked_never_passed(tmp_path):
    df, rep = parse(PEERS / "ofxparse_checking.ofx")
    assert results(rep) == {"not checked": 1}
    assert "no stated opening balance" in rep["statement_checks"][0]["problem"]
    assert rep["balances"][0]["derived"] == "opening"
    r = run_cli(["bank", "parse", PEERS / "ofxparse_checking.ofx"])
    assert "statement check not done" in r.stderr and "add up" not in r.stderr.split("not done")[0].split("\n")[-1]


def test_ofx_four_decimal_amounts_kept_exact():
    df, rep = parse(PEERS / "ofxparse_fidelity_savings.ofx")  # TRNAMT +00000000000115.8331
    assert "115.8331" in [str(x) for x in df["amount"]]
    assert str(df["amount"].dtype).startswith("decimal128(20, 4)")
    assert rep["net"] == "-1778.3952" and rep["problems"] == []


def test_ofx_four_decimals_stacked_with_a_two_decimal_file():
    df, reps = parse_statements([PEERS / "ofxparse_checking.ofx", PEERS / "ofxparse_fidelity_savings.ofx"])
    assert str(df["amount"].dtype).startswith("decimal128(20, 4)")
    assert sum(Decimal(str(x)) for x in df["amount"]) == Decimal(reps[0]["net"]) + Decimal("-1778.3952")


def test_ofx_investment_and_signon_files_say_what_was_not_read():
    df, rep = parse(PEERS / "ofxparse_investment_401k.ofx")
    assert len(df) == 0 and any("investment statement" in n and "BUYMF" in n for n in rep["notes"])
    df, rep = parse(PEERS / "ofxparse_signon_fail.ofx")
    assert len(df) == 0 and any("no statement in the file" in n for n in rep["notes"])
    df, rep = parse(PEERS / "ofxparse_multiple_accounts.ofx")
    assert results(rep) == {"not checked": 2}


# ------------------------------------------------------------------------------------ QIF
def test_quiffen_qif_only_transactions_are_rows():
    df, rep = parse(PEERS / "quiffen_test.qif")  # classes, categories, Invst, securities too
    assert len(df) == 5 and rep["net"] == "-35.50"
    assert sorted(str(d) for d in df["date"]) == ["2020-02-10", "2020-02-11", "2020-02-12", "2020-02-14", "2020-02-14"]
    assert any("month-first" in n for n in rep["notes"])
    assert any("4 security records" in n for n in rep["notes"])


def test_quiffen_us_dates_and_quicken_apostrophe_years():
    df, rep = parse(PEERS / "quiffen_us_dates.qif")  # D08/27/21
    assert [str(d) for d in df["date"]] == ["2021-08-27", "2021-08-27"]
    df, rep = parse(PEERS / "quiffen_split.qif")  # D1/ 1'00
    assert [str(d) for d in df["date"]] == ["2000-01-01"]


@pytest.mark.parametrize("name", ["quiffen_clear_autoswitch.qif", "quiffen_nosymbol.qif"])
def test_quiffen_files_with_odd_starts_are_qif(name):
    df, rep = parse(PEERS / name)
    assert rep["format"] == "qif" and len(df) == 0


def test_qif_memorized_records_do_not_enter_the_total(tmp_path):
    p = tmp_path / "m.qif"
    p.write_text("# exported\n!Type:Memorized\nKC\nT-50.00\nPRENT TEMPLATE\n^\n!Type:Bank\nD03/04/2024\nT-5.00\nPSHOP\n^\n")
    df, rep = parse(p)
    assert len(df) == 1 and rep["net"] == "-5.00"
    assert any("memorised" in x["reason"] for x in rep["left_out"])


# ------------------------------------------------------------------ ofxstatement CSV samples
def test_ofxstatement_lloyds_and_revolut_samples():
    df, rep = parse(PEERS / "ofxstatement_lloyds_sample.csv")
    # the sample's running balance breaks once (6039.58 - 5.97 is not 6029.49): found, by row
    assert rep["format"] == "lloyds" and rep["balance_breaks"] == [5] and rep["problems"] == []
    df, rep = parse(PEERS / "ofxstatement_revolut_2021_october.csv")
    assert rep["format"] == "revolut" and rep["problems"] == [] and len(df) == 7
