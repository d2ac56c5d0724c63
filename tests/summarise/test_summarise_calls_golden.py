"""The calls summary of a generated provider CDR is byte-identical to the one recorded before the
summarise speed work (issue 20): the faster path must not change a single figure.

The input is ``benchmarks/bench_summarise.py``'s all-contacts shape (20 targets, one planted
handset swap, 14,900 contacts in four spellings, withheld/unknown parties, day-first times that
cross the March 2024 clock change), 20,000 records. The recorded digest is of ``--json``'s text
without ``sources`` (it names the temporary file). If a deliberate change to what the summary
says breaks this test, re-record the digest with the command in ``_digest``'s docstring and say
why in the commit.
"""

from __future__ import annotations

import hashlib
import importlib.util
from pathlib import Path

import pytest

from toexcli.summarise import summarise
from toexcli.summarise.output import json_text

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = "579f651b5730c1bc1717d317e79cb940bb20a1b355d3d8e2d4c46a024af4e9f5"


def _generate(path: Path, rows: int) -> None:
    spec = importlib.util.spec_from_file_location("bench_summarise", ROOT / "benchmarks" / "bench_summarise.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    mod.generate(path, rows, shape="all-contacts")


def _digest(path: Path) -> tuple[str, dict]:
    """sha256 of the summary's JSON text (to re-record: run this test and copy the digest from
    its failure message into ``GOLDEN``)."""
    report = summarise([str(path)], kind="calls")
    report.pop("sources", None)
    text = json_text(report)
    return hashlib.sha256(text.encode()).hexdigest(), report


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    path = tmp_path_factory.mktemp("golden") / "cdr.csv"
    _generate(path, 20_000)
    return path


def test_calls_summary_identical_to_recorded(generated):
    digest, report = _digest(generated)
    assert report["records"] == 20_000
    assert digest == GOLDEN, f"calls summary changed: digest {digest}"
