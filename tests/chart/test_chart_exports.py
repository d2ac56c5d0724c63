"""toex chart outputs: GraphML and GEXF read back with networkx, the i2 and Maltego tables, and
the CLI (in-process and as a real process in a pipe)."""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

from conftest import run_cli, run_toex
from toexcli import read_table
from toexcli.chart import build_network, nodes_table
from toexcli.chart.export import I2_TYPE, i2_table, maltego_table, write_gexf, write_graphml

REPO = Path(__file__).resolve().parents[2]
HANDSET_A = REPO / "examples" / "calls_handset_a.csv"
HANDSET_B = REPO / "examples" / "chart_calls_handset_b.csv"
PEOPLE = REPO / "examples" / "chart_people.csv"


@pytest.fixture(scope="module")
def net():
    df = read_table([str(HANDSET_A), str(HANDSET_B)])
    return build_network(df, [("Caller", "Callee")], date="Date", time="Time",
                         highlight=["07700 900188"])


def _same(got, want, kind):
    if kind == "double":
        if want is None or (isinstance(want, float) and math.isnan(want)):
            return got is None
        return got == pytest.approx(float(want))
    return got == want


def test_graphml_read_back_node_by_node(net, tmp_path):
    path = tmp_path / "c.graphml"
    write_graphml(net, str(path))
    g = nx.read_graphml(path)
    table = nodes_table(net).set_index("id")
    assert set(g.nodes) == set(table.index)
    for nid, attrs in g.nodes(data=True):
        row = table.loc[nid]
        assert attrs["type"] == row["type"]
        assert attrs["identity"] == row["identity"]
        assert attrs["label"] == row["label"]
        assert attrs["values"] == row["values"]
        assert attrs["degree"] == row["degree"] and isinstance(attrs["degree"], int)
        assert attrs["weight"] == row["weight"]
        assert attrs["highlight"] is bool(row["highlight"])
        assert attrs["first"] == row["first"] and attrs["last"] == row["last"]
        assert attrs["sources"] == row["sources"] and attrs["rows"] == row["rows"]
        assert "amount" not in attrs  # no amount column given: left out, not 0
        assert g.degree(nid) == row["degree"]
    assert g.number_of_edges() == len(net.links)
    for s, t, attrs in g.edges(data=True):
        match = net.links[((net.links["source"] == s) & (net.links["target"] == t))
                          | ((net.links["source"] == t) & (net.links["target"] == s))]
        assert len(match) == 1
        assert attrs["count"] == int(match["count"].iloc[0])
        assert attrs["weight"] == float(match["count"].iloc[0])
    # handset A's and B's spellings of the same number are one node
    sources = g.nodes["phone:+447700900150"]["sources"].split(" | ")
    assert [Path(s).name for s in sources] == ["calls_handset_a.csv", "chart_calls_handset_b.csv"]
    assert g.nodes["phone:+447700900188"]["highlight"] is True


def test_gexf_read_back(net, tmp_path):
    path = tmp_path / "c.gexf"
    write_gexf(net, str(path))
    g = nx.read_gexf(path)
    table = nodes_table(net).set_index("id")
    assert set(g.nodes) == set(table.index)
    for nid, attrs in g.nodes(data=True):
        assert attrs["label"] == table.loc[nid, "label"]
        assert attrs["type"] == table.loc[nid, "type"]
        assert attrs["degree"] == table.loc[nid, "degree"]
        assert attrs["viz"]["color"]["r"] >= 0 and attrs["viz"]["size"] > 0
        assert math.isfinite(attrs["viz"]["position"]["x"])
    weights = sorted(d["weight"] for _, _, d in g.edges(data=True))
    assert weights == sorted(float(c) for c in net.links["count"])


I2_COLUMNS = ["Entity1 Identity", "Entity1 Type", "Entity1 Label", "Entity2 Identity",
              "Entity2 Type", "Entity2 Label", "Link Label", "Link Type", "Link Date", "Link Time", "Link Zone",
              "Link Amount", "Link Count", "Link Direction", "First Date", "Last Date",
              "Entity1 Highlight", "Entity2 Highlight", "Sources", "Rows"]


def test_i2_table_columns_and_identities(net):
    t = i2_table(net)
    assert list(t.columns) == I2_COLUMNS
    assert len(t) == len(net.links)
    assert set(t["Entity1 Type"]) | set(t["Entity2 Type"]) == {I2_TYPE["phone"]}
    ids = set(t["Entity1 Identity"]) | set(t["Entity2 Identity"])
    assert all(i.startswith("+44") for i in ids)  # normalised, so i2 merges exact matches
    row = t[(t["Entity1 Identity"] == "+447700900123") & (t["Entity2 Identity"] == "+447700900150")].iloc[0]
    # A: 123->150 (09:14), 150->123 (22:41); B: 150->123 (08:55, 23:10)
    assert row["Link Count"] == 4 and row["Link Direction"] == "both"
    assert row["Link Date"] == "2024-01-05" and row["Link Time"] == "08:55:00"
    assert row["First Date"] == "2024-01-05 08:55" and row["Last Date"] == "2024-01-05 23:10"


def test_maltego_table_types(tmp_path):
    df = read_table([str(PEOPLE)])
    net = build_network(df, [("Name", "Phone"), ("Name", "VRM")])
    t = maltego_table(net)
    assert list(t.columns)[:3] == ["From maltego.Person", "To maltego.PhoneNumber",
                                   "To maltego.Vehicle"]
    assert "Link Weight" in t.columns and "Link Label" in t.columns
    # every row names exactly two entities
    entity_cols = [c for c in t.columns if c.startswith(("From maltego.", "To maltego."))]
    assert ((t[entity_cols] != "").sum(axis=1) == 2).all()
    jordan = t[t["From maltego.Person"] == "JORDAN BLAKE"]
    assert set(jordan["To maltego.Vehicle"]) - {""} == {"QA11AAA"}
    assert jordan.loc[jordan["To maltego.Vehicle"] == "QA11AAA", "Link Weight"].iloc[0] == 2


# ------------------------------------------------------------------------------ CLI
def test_cli_formats_and_focus(tmp_path):
    out = tmp_path / "c.graphml"
    r = run_cli(["chart", HANDSET_A, HANDSET_B, "--link", "Caller", "Callee", "--date", "Date",
                 "--time", "Time", "--focus", "07700 900188", "--hops", "1", "-o", out])
    assert r.exit_code == 0, r.stderr
    g = nx.read_graphml(out)
    assert set(g.nodes) == {"phone:+447700900188", "phone:+447700900150"}
    assert "chart: 2 nodes, 1 links" in r.stderr
    r = run_cli(["chart", HANDSET_A, HANDSET_B, "--link", "Caller", "Callee", "-o", out])
    assert r.exit_code == 2 and "already exists" in r.stderr
    r = run_cli(["chart", HANDSET_A, HANDSET_B, "--link", "Caller", "Callee", "--i2",
                 "-o", tmp_path / "i2.csv"])
    assert r.exit_code == 0, r.stderr
    with open(tmp_path / "i2.csv", newline="", encoding="utf-8") as fh:
        assert next(csv.reader(fh)) == I2_COLUMNS


def test_cli_top_min_weight_and_cap(tmp_path):
    base = ["chart", HANDSET_A, HANDSET_B, "--link", "Caller", "Callee"]
    r = run_cli(base + ["--top", "1"])
    assert r.exit_code == 0, r.stderr
    links = pd.read_csv(io.StringIO(r.stdout), dtype=str)
    assert len(links) == 1 and links["count"].tolist() == ["4"]
    r = run_cli(base + ["--min-weight", "3"])
    links = pd.read_csv(io.StringIO(r.stdout), dtype=str)
    assert sorted(links["count"].astype(int)) == [4, 4]
    # labels are the human forms; identities stay E.164
    assert set(links["source_label"]) | set(links["target_label"]) == {"07700 900123", "07700 900150", "07700 900188"}
    assert set(links["source"]) | set(links["target"]) == {"phone:+447700900123", "phone:+447700900150", "phone:+447700900188"}
    r = run_cli(base + ["--max-nodes", "3", "-o", tmp_path / "never.html"])
    assert r.exit_code == 1
    assert "more than can be read" in r.stderr and "--top" in r.stderr and "--focus" in r.stderr
    assert not (tmp_path / "never.html").exists()


def test_cli_usage_errors():
    r = run_cli(["chart", HANDSET_A, "--link", "Caller"])
    assert r.exit_code == 2 and "FROM_COL TO_COL" in r.stderr
    r = run_cli(["chart", HANDSET_A, "--link", "Caller", "Calee"])
    assert r.exit_code == 2 and "did you mean 'Callee'" in r.stderr
    r = run_cli(["chart", HANDSET_A])
    assert r.exit_code == 2 and "--link" in r.stderr
    r = run_cli(["chart", HANDSET_A, "--link", "Caller", "Callee", "--i2", "-o", "x.html"])
    assert r.exit_code == 2
    r = run_cli(["chart", "--help"])
    assert r.exit_code == 0 and "Examples" in r.stdout and "--link" in r.stdout


def test_real_process_pipe():
    data = HANDSET_A.read_bytes()
    p = run_toex(["chart", "-", "--link", "Caller", "Callee", "--date", "Date", "--maltego"], input=data)
    assert p.returncode == 0, p.stderr.decode()
    rows = list(csv.DictReader(io.StringIO(p.stdout.decode("utf-8"))))
    assert len(rows) == 3
    assert {r["From maltego.PhoneNumber"] for r in rows} == {"+447700900123", "+442079460123"}
    assert b"Withheld" in p.stderr  # told what was not charted


def test_cli_highlight_file_nodes_table_and_xlsx(tmp_path):
    targets = tmp_path / "targets.txt"
    targets.write_text("# targets\n07700 900199\n+44 7700 900151\n", encoding="utf-8")
    nodes = tmp_path / "nodes.csv"
    r = run_cli(["chart", HANDSET_A, HANDSET_B, "--link", "Caller", "Callee", "--highlight", targets,
                 "--nodes", nodes, "--i2", "-o", tmp_path / "i2.xlsx"])
    assert r.exit_code == 0, r.stderr
    assert "highlighted 2 node(s)" in r.stderr
    table = pd.read_csv(nodes, dtype=str)
    assert sorted(table.loc[table["highlight"].str.lower() == "true", "identity"]) == ["+447700900151", "+447700900199"]
    assert list(table.columns)[:6] == ["id", "type", "identity", "label", "display", "name"]
    i2 = pd.read_excel(tmp_path / "i2.xlsx", dtype=str, engine="calamine").fillna("")
    assert list(i2.columns) == I2_COLUMNS
    hl = i2[i2["Entity2 Identity"] == "+447700900199"]
    assert hl["Entity2 Highlight"].tolist() == ["yes"]


def test_amounts_on_links_from_payments(tmp_path):
    pay = tmp_path / "payments.csv"
    pay.write_text("date,from_account,to_wallet,amount\n"
                   "01/02/2024,20-00-00 12345678,0xAbCdEf0123456789abcdef0123456789ABCDEF01,\"£1,000.00\"\n"
                   "03/02/2024,200000 12345678,0xabcdef0123456789abcdef0123456789abcdef01,£250.50\n",
                   encoding="utf-8")
    r = run_cli(["chart", pay, "--link", "from_account", "to_wallet", "--date", "date",
                 "--amount", "amount", "--maltego"])
    assert r.exit_code == 0, r.stderr
    t = pd.read_csv(io.StringIO(r.stdout), dtype=str)
    assert len(t) == 1  # one account, one wallet, however written
    assert t["Amount"].tolist() == ["1250.50"]
    assert t["From maltego.BankAccount"].tolist() == ["20000012345678"]
    assert t["To maltego.CryptocurrencyAddress"].tolist() == ["0xabcdef0123456789abcdef0123456789abcdef01"]
    assert t["First Seen"].tolist() == ["2024-02-01"] and t["Last Seen"].tolist() == ["2024-02-03"]
