"""Issue 19: an IMEI column is an identifier, not a quantity with a range '352,099,001,761,481'."""

from __future__ import annotations

from conftest import run_cli


def test_imei_column_has_no_numeric_range(tmp_path):
    src = tmp_path / "h.csv"
    src.write_text("imei,amount\n352099001761481,12\n356938035643809,5\n", encoding="utf-8")
    r = run_cli(["summarise", src, "--kind", "table"])
    assert r.exit_code == 0, r.stderr
    assert "352,099" not in r.stdout
    imei_line = next(line for line in r.stdout.splitlines() if line.startswith("imei"))
    assert "imei 2" in imei_line
    assert "5 – 12" in r.stdout  # a real quantity still has its range


def test_library_profile():
    import pandas as pd

    from toexcli.summarise.table import ColumnProfile

    p = ColumnProfile("imei", "string", 1000)
    import pyarrow as pa

    p.add(pa.array(["352099001761481", "352099001761482", "12"]))
    res = p.result(5)
    assert res["identifier_kinds"].get("imei") == 1  # only the Luhn-valid one
    assert res["numbers"] == {"count": 1, "min": 12, "max": 12}
    assert pd.notna(res["distinct"])
