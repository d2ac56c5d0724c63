"""`toex merge resolve` / `stack` on inputs with very many columns (issue 23: a JSON Lines row
with 100,000 keys). Aligning the columns kept them in a list searched once per column
(quadratic: 70 s of CPU at 100,000 keys); now a dict keeps their order.

The budget is CPU time with a wide margin: 60,000 columns align in about 1 s of CPU; the
quadratic version needed over 20 s.
"""

from __future__ import annotations

import json
import time

import pyarrow as pa
from conftest import run_cli

from toexcli.merge.streaming import StackedInputs


class _Table:
    def __init__(self, names):
        self.columns = names
        self.schema = pa.schema([(n, pa.string()) for n in names])
        self.sources = []
        self.rereadable = True


def test_aligning_many_columns_is_linear():
    names = [f"k{i}" for i in range(60_000)]
    t0 = time.process_time()
    stacked = StackedInputs([_Table(names + ["_source", "_row"]), _Table(["k5", "extra", "_row"])])
    cpu = time.process_time() - t0
    assert stacked.columns[:3] == ["k0", "k1", "k2"]
    assert stacked.columns[-3:] == ["extra", "_source", "_row"] and len(stacked.columns) == 60_003
    assert cpu < 8, f"{cpu:.1f} s of CPU to align 60,000 columns"


def test_resolve_a_row_with_many_keys(tmp_path):
    row = {"id": "1", "phone": "07700 900123"}
    row.update({f"k{i}": f"v{i}" for i in range(3000)})
    p = tmp_path / "wide.jsonl"
    p.write_text(json.dumps(row) + "\n" + json.dumps({"id": "2", "phone": "+447700900123"}) + "\n")
    out = tmp_path / "out.csv"
    r = run_cli(["merge", "resolve", p, "--id", "phone:phone", "-o", out])
    assert r.exit_code == 0, r.stderr
    import csv

    with open(out, newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 2 and rows[0]["k2999"] == "v2999" and rows[1]["k2999"] == ""
    assert len({r_["entity_id"] for r_ in rows}) == 1
