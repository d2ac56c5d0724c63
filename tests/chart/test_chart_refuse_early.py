"""A chart too big to read is refused as soon as its nodes and links are counted (issue 23:
50-78 s of building before the refusal). The bound is structural: with nothing that would cut
the network (--top, --focus, --min-weight, --collapse-leaves), the refusal comes before any
node or link is aggregated (``_rows_text``, ``_joined``) and before any layout or writing.
"""

from __future__ import annotations

import random
import subprocess

import pytest
from conftest import TOEX, run_cli

from toexcli.chart import network
from toexcli.chart.build import chart
from toexcli.chart.network import build_network, count_network


def _calls(path, rows=3000, seed=1):
    rnd = random.Random(seed)
    lines = ["Date,Caller,Callee"]
    for i in range(rows):  # every number at both ends once rows >= 1000
        a, b = i % 1000, (i * 7 + seed) % 1000
        lines.append(f"{rnd.randint(1, 28):02d}/03/2024 10:00,07700 900{a:03d},020 7946 0{b:03d}")
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture
def no_aggregation(monkeypatch):
    def boom(*args, **kwargs):
        raise AssertionError("the network was aggregated before the refusal")

    monkeypatch.setattr(network, "_rows_text", boom)
    monkeypatch.setattr(network, "_joined", boom)
    from toexcli.chart import layout

    for name in ("spring_layout", "separate", "_force"):
        monkeypatch.setattr(layout, name, boom)


def test_too_big_is_refused_before_anything_is_aggregated(tmp_path, no_aggregation):
    data = _calls(tmp_path / "calls.csv")
    out = tmp_path / "chart.html"
    r = run_cli(["chart", data, "--link", "Caller", "Callee", "--date", "Date", "-o", out])
    assert r.exit_code == 1
    line = [x for x in r.stderr.splitlines() if x.startswith("toex: error")]
    assert len(line) == 1
    assert "the chart would have 2,000 nodes" in line[0] and "limit 1,500 nodes" in line[0]
    assert "--top" in line[0] and "--min-weight" in line[0] and "--focus" in line[0]
    assert not out.exists()
    # the table output's larger limit, given explicitly
    r = run_cli(["chart", data, "--link", "Caller", "Callee", "--max-nodes", "100"])
    assert r.exit_code == 1 and "2,000 nodes" in r.stderr


def test_a_chart_that_will_be_cut_is_still_built_and_cut(tmp_path):
    data = _calls(tmp_path / "calls.csv")
    r = run_cli(["chart", data, "--link", "Caller", "Callee", "--top", "20", "-o", tmp_path / "c.html"])
    assert r.exit_code == 0, r.stderr
    assert (tmp_path / "c.html").exists()


@pytest.mark.parametrize("directed", [False, True])
def test_counts_are_the_built_network_s(tmp_path, directed):
    from toexcli.io import read_table

    df = read_table([str(_calls(tmp_path / "calls.csv", rows=800, seed=3))])
    df.loc[::7, "Callee"] = "Withheld"
    df.loc[5, "Callee"] = df.loc[5, "Caller"]  # a loop
    net = build_network(df, [("Caller", "Callee")], directed=directed)
    seen = {}

    def spy(ids, a, b, directed_):
        seen["counts"] = count_network(ids, a, b, directed_)
        return seen["counts"]

    import toexcli.chart.network as nw

    real = nw.count_network
    nw.count_network = spy
    try:
        build_network(df, [("Caller", "Callee")], directed=directed, limits=(10**6, None))
    finally:
        nw.count_network = real
    assert seen["counts"] == (len(net.nodes), len(net.links))


def test_library_limits(tmp_path, no_aggregation):
    from toexcli.errors import DataError
    from toexcli.io import read_table

    df = read_table([str(_calls(tmp_path / "calls.csv", rows=500))])
    with pytest.raises(DataError, match="more than can be read"):
        chart(df, [("Caller", "Callee")], limits=(100, None))


def test_subprocess_refusal_exit_1(tmp_path):
    data = _calls(tmp_path / "calls.csv")
    r = subprocess.run(f"cat {data} | {TOEX} chart - --link Caller Callee -o {tmp_path / 'x.html'}",
                       shell=True, capture_output=True, text=True, timeout=120)
    assert r.returncode == 1 and "more than can be read" in r.stderr and "Traceback" not in r.stderr
