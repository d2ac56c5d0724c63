"""`toex crypto check|find` from the command line: in-process and as real piped processes."""

import csv
import io
import subprocess
import sys

import pytest

from conftest import TOEX, run_cli, run_toex

BTC = "12c6DSiU4Rq3P4ZxziKxzrL5LmMBrzjrJX"
ETH = "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359"
TRON = "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"
BECH = "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4"

WALLETS = (
    "name,wallet,ref\n"
    f"Rocco,{BTC},a1\n"
    f"Dee,{ETH.lower()},a2\n"
    f"Bluey,{BECH},a3\n"
    "Skinny,,a4\n"
    f"Smudge,{BTC[:-1]}Y,a5\n"
    "K-Dog,5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyTJ,a6\n"
    f"Auntie,{BTC.lower()},a7\n"
)


def rows(text):
    return list(csv.DictReader(io.StringIO(text)))


def test_check_adds_columns_after_the_column_and_keeps_rows(tmp_path):
    src = tmp_path / "wallets.csv"
    src.write_text(WALLETS)
    r = run_cli(["crypto", "check", src, "-c", "wallet"])
    assert r.exit_code == 0, r.stderr
    out = rows(r.stdout)
    assert list(out[0])[:10] == ["name", "wallet", "wallet_chain", "wallet_type", "wallet_valid",
                                 "wallet_normalised", "wallet_status", "wallet_confidence",
                                 "wallet_note", "ref"]
    assert [x["wallet"] for x in out] == [l.split(",")[1] for l in WALLETS.splitlines()[1:]]
    assert [x["_row"] for x in out] == [str(i) for i in range(1, 8)]
    assert [x["wallet_valid"].lower() for x in out] == ["true", "true", "true", "false", "false", "false", "false"]
    assert out[1]["wallet_normalised"] == ETH and out[1]["wallet_status"] == "ok: no checksum"
    assert out[2]["wallet_normalised"] == BECH.lower()
    assert out[3]["wallet_status"] == "empty"
    assert out[4]["wallet_status"] == "bad checksum"
    assert out[5]["wallet_type"] == "wif_private_key"


def test_check_recover_case(tmp_path):
    src = tmp_path / "w.csv"
    src.write_text(WALLETS)
    r = run_cli(["crypto", "check", src, "-c", "wallet", "--recover-case"])
    out = rows(r.stdout)
    assert out[6]["wallet_normalised"] == BTC and out[6]["wallet_status"] == "ok: case recovered"
    assert out[6]["wallet"] == BTC.lower()  # the evidence itself is untouched


def test_missing_column_is_a_usage_error(tmp_path):
    src = tmp_path / "w.csv"
    src.write_text(WALLETS)
    r = run_cli(["crypto", "check", src, "-c", "walet"])
    assert r.exit_code == 2 and "did you mean 'wallet'" in r.stderr
    r = run_cli(["crypto", "find", src, "-c", "wallet", "-k", "nme"])
    assert r.exit_code == 2 and "did you mean 'name'" in r.stderr


def test_find_cli_with_keep_and_include_invalid(tmp_path):
    src = tmp_path / "chat.csv"
    src.write_text(
        "sender,text\n"
        f"07700 900123,\"send to bitcoin:{BTC}?amount=0.2 asap\"\n"
        "07700 900456,no wallet here 000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f\n"
        f"07700 900789,\"eth {ETH}, old one {BTC[:-1]}Y\"\n")
    r = run_cli(["crypto", "find", src, "-c", "text", "-k", "sender", "-o", tmp_path / "hits.csv"])
    assert r.exit_code == 0, r.stderr
    out = rows((tmp_path / "hits.csv").read_text())
    assert [(x["_row"], x["sender"], x["address"], x["chain"]) for x in out] == [
        ("1", "07700 900123", BTC, "bitcoin"), ("3", "07700 900789", ETH, "ethereum")]
    assert out[0]["start"] == "16" and out[0]["end"] == str(16 + len(BTC))
    r = run_cli(["crypto", "find", src, "-c", "text", "--include-invalid"])
    out = rows(r.stdout)
    assert [x["address"] for x in out] == [BTC, ETH, BTC[:-1] + "Y"]
    assert out[2]["valid"].lower() == "false" and out[2]["status"] == "bad checksum"


@pytest.mark.parametrize("sub", ["check", "find", "lookup"])
def test_help_has_examples(sub):
    r = run_cli(["crypto", sub, "--help"])
    assert r.exit_code == 0 and "Examples" in r.stdout


def test_real_pipe_check_then_find(tmp_path):
    """cat wallets.csv | toex crypto check - -c wallet | toex crypto find - -c wallet_normalised"""
    check = subprocess.Popen([TOEX, "crypto", "check", "-", "-c", "wallet"], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    find = subprocess.Popen([TOEX, "crypto", "find", "-", "-c", "wallet_normalised"],
                            stdin=check.stdout, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    check.stdin.write(WALLETS.encode())
    check.stdin.close()
    check.stdout.close()
    out, err = find.communicate(timeout=120)
    check.wait(timeout=60)
    assert check.returncode == 0 and find.returncode == 0, err
    got = rows(out.decode())
    assert [x["address"] for x in got] == [BTC, ETH, BECH.lower()]
    assert [x["_row"] for x in got] == ["1", "2", "3"]


def test_subprocess_check_parquet_roundtrip(tmp_path):
    src = tmp_path / "w.csv"
    src.write_text(WALLETS)
    out = tmp_path / "w.parquet"
    r = run_toex(["crypto", "check", src, "-c", "wallet", "-o", out])
    assert r.returncode == 0, r.stderr
    import pandas as pd

    df = pd.read_parquet(out)
    assert df["wallet_valid"].tolist() == [True, True, True, False, False, False, False]
    assert df["wallet_confidence"].dtype == "float64"


def test_cli_module_does_not_import_pandas():
    code = "import sys, toexcli.crypto.cli; print('pandas' in sys.modules)"
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.stdout.strip() == "False"
