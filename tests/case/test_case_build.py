"""toex case build / init: a manifest into one case store, idempotent by input SHA-256."""

import json
import shutil

import duckdb
import pytest

from conftest import REPO, run_cli, run_toex
from toexcli.case import build_case, detect_kind, load_manifest
from toexcli.errors import UsageError
from toexcli.io import read_table

MANIFEST = """
[case]
name = "Test case"
store = "out/case.duckdb"

[[source]]
table = "transactions"
kind = "bank"
paths = ["bank_lloyds_*.csv"]

[[source]]
kind = "calls"
paths = ["calls/*.csv"]

[[source]]
kind = "people"
paths = ["chart_people.csv"]

[[step]]
do = "phones normalise"
table = "people"
columns = ["Phone"]

[[step]]
do = "sql"
into = "contacts"
sql = "SELECT other_party, count(*) AS n FROM calls GROUP BY ALL ORDER BY n DESC, other_party"

[[step]]
do = "summarise"
table = "transactions"
report = "bank.html"

[[relationship]]
from = "calls.other_party"
to = "people_phones.Phone_e164"
"""


@pytest.fixture
def case(tmp_path):
    ex = REPO / "examples"
    for f in ("bank_lloyds_jan.csv", "bank_lloyds_feb.csv", "chart_people.csv"):
        shutil.copy(ex / f, tmp_path / f)
    (tmp_path / "calls").mkdir()
    shutil.copy(ex / "calls_handset_a.csv", tmp_path / "calls" / "a.csv")
    (tmp_path / "case.toml").write_text(MANIFEST)
    return tmp_path


def _units(done):
    return sorted(done["built"]), sorted(done["up_to_date"])


def test_build_then_rebuild_only_what_changed(case):
    done = build_case(str(case / "case.toml"))
    assert len(done["built"]) == 6 and not done["up_to_date"]
    store = case / "out" / "case.duckdb"
    con = duckdb.connect(str(store), read_only=True)
    tables = {r[0] for r in con.execute("SHOW TABLES").fetchall()}
    assert {"transactions", "calls", "people", "people_phones", "contacts",
            "toex_history", "toex_case_state"} <= tables
    # the calls parser's table, its UTC start instants typed
    assert con.execute("SELECT typeof(start_utc) FROM calls LIMIT 1").fetchone()[0].startswith("TIMESTAMP")
    assert con.execute("SELECT typeof(amount) FROM transactions LIMIT 1").fetchone()[0].startswith("DECIMAL")
    con.close()
    assert (case / "out" / "reports" / "bank.html").is_file()

    again = build_case(str(case / "case.toml"))
    assert not again["built"] and len(again["up_to_date"]) == 6

    # a new call file: calls and the SQL over every table are rebuilt; nothing else
    shutil.copy(REPO / "examples" / "chart_calls_handset_b.csv", case / "calls" / "b.csv")
    third = build_case(str(case / "case.toml"))
    assert sorted(third["built"]) == ["source:calls", "step:sql:contacts"]
    assert len(read_table(f"{store}:calls")) == 15
    # a changed byte in a statement rebuilds the transactions and their summary
    p = case / "bank_lloyds_jan.csv"
    p.write_bytes(p.read_bytes() + b"\n")
    fourth = build_case(str(case / "case.toml"))
    assert sorted(fourth["built"]) == ["source:transactions", "step:sql:contacts",
                                       "step:summarise:bank.html"]


def test_history_and_declared_relationship(case):
    build_case(str(case / "case.toml"))
    store = case / "out" / "case.duckdb"
    r = run_cli(["inspect", str(store), "--json"])
    report = json.loads(r.stdout)
    rel = {(x["from"], x["to"]) for x in report["relationships"]}
    assert ("calls.other_party", "people_phones.Phone_e164") in rel
    hist = report["history"]
    assert hist[0]["table"] == "transactions" and "source transactions" in hist[0]["command"]
    assert len(hist[0]["inputs"]) == 2 and all(len(i["sha256"]) == 64 for i in hist[0]["inputs"])


def test_check_says_what_would_be_built(case):
    done = build_case(str(case / "case.toml"), only_check=True)
    assert len(done["built"]) == 6
    assert not (case / "out" / "case.duckdb").exists()


@pytest.mark.parametrize("text, words", [
    ("[[source]]\nkind = 'persons'\npaths = ['a.csv']\n", "unknown kind 'persons'"),
    ("[[source]]\nkind = 'table'\n", "give paths"),
    ("[[source]]\nkind = 'table'\npaths = ['nothing*.csv']\n", "no file matches"),
    ("[[source]]\nkind = 'table'\npaths = ['a.csv']\n[[step]]\ndo = 'phones normalise'\ntable = 'b'\n",
     "no source or earlier step makes table 'b'"),
    ("[[source]]\nkind = 'table'\npaths = ['a.csv']\ntable = 'a'\n[[step]]\ndo = 'phones normalise'\n"
     "table = 'a'\ninto = 'a'\ncolumns = ['x']\n", "into must differ"),
    ("[[source]]\nkind = 'table'\npaths = ['a.csv']\n[[step]]\ndo = 'dance'\n", "unknown step 'dance'"),
    ("[[source]\n", "not valid TOML"),
    ("[cases]\n", "unknown section"),
])
def test_manifest_errors_are_one_line(tmp_path, text, words):
    (tmp_path / "a.csv").write_text("x\n1\n")
    (tmp_path / "case.toml").write_text(text)
    r = run_toex(["case", "build", str(tmp_path / "case.toml")])
    err = r.stderr.decode()
    assert r.returncode == 2, err
    assert words in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_messages_source_and_mixed_per_file_options(case):
    shutil.copy(REPO / "examples" / "case_chat.txt", case / "chat.txt")
    (case / "m.toml").write_text(
        "[case]\nstore = 'out/m.duckdb'\n[[source]]\nkind = 'messages'\npaths = ['chat.txt']\n"
        "hints = { tz = 'Europe/London', owner = 'Jordan Blake' }\n"
        "[[source]]\nkind = 'calls'\npaths = ['calls/a.csv#sheet=1', 'calls/a.csv#sheet=2']\n")
    with pytest.raises(UsageError, match="differs from the other files"):
        build_case(str(case / "m.toml"))
    df = read_table(f"{case / 'out' / 'm.duckdb'}:messages")
    assert df["sender"].tolist()[1:3] == ["Jordan Blake", "+44 7700 900150"]
    assert df["direction"].tolist()[1] == "out"


def test_init_detects_kinds(case):
    shutil.copy(REPO / "examples" / "vehicles_anpr.csv", case / "anpr.csv")
    shutil.copy(REPO / "examples" / "bank_savings.ofx", case / "savings.ofx")
    assert detect_kind(str(case / "bank_lloyds_jan.csv"))[0] == "bank"
    assert detect_kind(str(case / "savings.ofx"))[0] == "bank"
    assert detect_kind(str(case / "calls" / "a.csv"))[0] == "calls"
    assert detect_kind(str(case / "chart_people.csv"))[0] == "people"
    assert detect_kind(str(case / "anpr.csv"))[0] == "anpr"
    (case / "case.toml").unlink()
    r = run_cli(["case", "init", str(case)])
    assert r.exit_code == 0, r.stderr
    m = load_manifest(str(case / "case.toml"))
    kinds = {s["kind"]: s for s in m.sources}
    assert set(kinds) == {"bank", "calls", "people", "anpr"}
    assert len(kinds["bank"]["paths"]) == 3
    r = run_cli(["case", "init", str(case)])
    assert r.exit_code == 2 and "already exists" in r.stderr
    # the starter manifest builds as it is
    done = build_case(str(case / "case.toml"))
    assert "source:transactions" in done["built"]


def test_build_from_the_command_line(case):
    r = run_toex(["case", "build", str(case / "case.toml")])
    err = r.stderr.decode()
    assert r.returncode == 0, err
    assert "[1/6] source transactions (bank, 2 files): built" in err
    r = run_toex(["case", "build", str(case / "case.toml")])
    assert "built 0, up to date 6" in r.stderr.decode()
    r = run_toex(["sql", "SELECT count(*) AS n FROM contacts", str(case / "out" / "case.duckdb")])
    assert r.returncode == 0 and r.stdout.decode().splitlines()[0] == '"n"'


def test_timeline_step_over_several_tables(case):
    (case / "t.toml").write_text(
        "[case]\nstore = 'out/t.duckdb'\nreports = 'out/r'\n"
        "[[source]]\nkind = 'bank'\npaths = ['bank_lloyds_*.csv']\n"
        "[[source]]\nkind = 'calls'\npaths = ['calls/*.csv']\n"
        "[[step]]\ndo = 'timeline'\ntables = ['calls', 'transactions']\nreport = 'timeline.html'\n"
        "[[step]]\ndo = 'chart'\ntable = 'calls'\n")
    done = build_case(str(case / "t.toml"))
    assert "step:timeline:timeline" in done["built"]
    df = read_table(f"{case / 'out' / 't.duckdb'}:timeline")
    assert set(df["kind"]) >= {"call", "payment_out"}
    assert (case / "out" / "r" / "timeline.html").is_file()
    assert (case / "out" / "r" / "calls_chart.html").is_file()
    assert len(read_table(f"{case / 'out' / 't.duckdb'}:calls_links")) > 0
    again = build_case(str(case / "t.toml"))
    assert "step:timeline:timeline" in again["up_to_date"]
    (case / "u.toml").write_text(
        "[[source]]\nkind = 'calls'\npaths = ['calls/*.csv']\n[[step]]\ndo = 'timeline'\ntables = ['calls', 'x']\n")
    with pytest.raises(UsageError, match="no source or earlier step makes table 'x'"):
        load_manifest(str(case / "u.toml"))
