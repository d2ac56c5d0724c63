"""toex merge from the command line: in-process and as a real process with pipes."""

import io

import pandas as pd
import pytest

from conftest import run_cli, run_toex
from toexcli.merge.synthetic import evidence_bound, pairwise_scores, write_ground_truth


@pytest.fixture
def gt(tmp_path, monkeypatch):
    paths, truth = write_ground_truth(str(tmp_path), n_people=150, seed=3)
    monkeypatch.chdir(tmp_path)  # _source is the name as given: custody.csv, as in the truth
    return tmp_path, ["custody.csv", "subscriber.csv", "bank.csv"], truth


def _csv(text):
    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)


def test_help_has_examples():
    for sub in ("stack", "join", "resolve"):
        r = run_cli(["merge", sub, "--help"])
        assert r.exit_code == 0 and "Examples" in r.stdout


def test_resolve_cli_writes_rows_and_entities(gt):
    folder, paths, truth = gt
    out, ents, ign = folder / "people.csv", folder / "entities.csv", folder / "ignored.csv"
    r = run_cli(["merge", "resolve", *paths, "--id", "phone:phone", "--id", "email:email",
                 "--id", "account:account", "--name", "name", "--dob", "dob",
                 "--rename", "Date Of Birth=DOB", "-o", out, "--entities", ents, "--ignored", ign])
    assert r.exit_code == 0, r.stderr
    assert "entities" in r.stderr and "not used to link" in r.stderr
    df = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert len(df) == len(truth)
    m = df.merge(truth.astype({"_row": str}), on=["_source", "_row"])
    scores = pairwise_scores(m["entity_id"], m["person"])
    assert scores["precision"] >= 0.98
    assert scores["recall"] >= 0.95 * evidence_bound(truth)["recall_bound"]
    e = pd.read_csv(ents, dtype=str, keep_default_na=False)
    assert len(e) == df["entity_id"].nunique()
    assert {"entity_id", "rows", "phone", "email", "account", "names", "dates_of_birth", "sources",
            "linked_by"} <= set(e.columns)
    assert e["rows"].astype(int).sum() == len(df)
    assert "phone:+441614960999" in set(pd.read_csv(ign, dtype=str)["key"])
    # refuses to overwrite without --force, before doing any work
    again = run_cli(["merge", "resolve", *paths, "--id", "phone:phone", "-o", out])
    assert again.exit_code == 2 and "--force" in again.stderr


def test_resolve_cli_errors(gt):
    folder, paths, _ = gt
    r = run_cli(["merge", "resolve", *paths, "--id", "phone:phnoe"])
    assert r.exit_code == 2 and "did you mean 'Phone'" in r.stderr
    r = run_cli(["merge", "resolve", *paths, "--id", "phone"])
    assert r.exit_code == 2 and "KIND:COLUMN" in r.stderr
    r = run_cli(["merge", "resolve", *paths, "--id", "phone:phone", "--engine", "spark"])
    assert r.exit_code == 2 and "Splink" in r.stderr
    judged = folder / "judged.csv"
    judged.write_text("record_a,record_b,decision\ncustody.csv:1,custody.csv:2,maybe\n")
    r = run_cli(["merge", "resolve", *paths, "--id", "phone:phone", "--judgements", judged])
    assert r.exit_code == 1 and "not 'same' or 'different'" in r.stderr and "judged.csv: judgements row 2" in r.stderr


def test_judgements_file_from_cli(tmp_path):
    src = tmp_path / "a.csv"
    src.write_text("name,phone\nAnn Lee,07700900001\nAnn Lee,07700 900001\nBob Hall,07700900002\n")
    judged = tmp_path / "judged.csv"
    judged.write_text("record_a,record_b,decision\na.csv:1,a.csv:2,different\na.csv:2,a.csv:3,same\n")
    r = run_cli(["merge", "resolve", src, "--id", "phone:phone", "--judgements", judged])
    assert r.exit_code == 0, r.stderr
    ids = _csv(r.stdout)["entity_id"].tolist()
    assert ids[0] != ids[1] and ids[1] == ids[2]


def test_stack_then_resolve_through_a_real_pipe(gt):
    folder, paths, truth = gt
    stacked = run_toex(["merge", "stack", *paths, "--rename", "date of birth=dob", "-o", "-", "--to", "arrow"],
                       cwd=folder)
    assert stacked.returncode == 0, stacked.stderr
    resolved = run_toex(["merge", "resolve", "-", "--id", "phone:phone", "--id", "email:email",
                         "--id", "account:account", "--name", "name", "--dob", "dob"],
                        input=stacked.stdout, cwd=folder)
    assert resolved.returncode == 0, resolved.stderr
    df = _csv(resolved.stdout.decode())
    assert len(df) == len(truth)
    # provenance survives the pipe: the original files and rows, not "-"
    assert set(df["_source"]) == {"custody.csv", "subscriber.csv", "bank.csv"}
    m = df.merge(truth.astype({"_row": str}), on=["_source", "_row"])
    assert len(m) == len(truth)
    assert pairwise_scores(m["entity_id"], m["person"])["precision"] >= 0.98
    again = run_toex(["merge", "resolve", "-", "--id", "phone:phone", "--id", "email:email",
                      "--id", "account:account", "--name", "name", "--dob", "dob"],
                     input=stacked.stdout, cwd=folder)
    assert again.stdout == resolved.stdout  # deterministic


def test_stack_dedupe_and_join_cli(tmp_path):
    a = tmp_path / "calls.csv"
    a.write_text("Caller,when\n07700 900001,1\n07700900002,2\nWithheld,3\n")
    b = tmp_path / "subs.csv"
    b.write_text("Phone Number,subscriber\n+44 7700 900001,Ann Lee\n07700900002,Bob Hall\n0044 7700 900002,Robert Hall\n")
    r = run_cli(["merge", "join", a, b, "--on", "caller=phone number", "--as", "phone"])
    assert r.exit_code == 0, r.stderr
    df = _csv(r.stdout)
    assert df["subscriber"].tolist() == ["Ann Lee", "Bob Hall", "Robert Hall", ""]
    assert df["match_count"].tolist() == ["1", "2", "2", "0"]
    assert "one-to-many" in r.stderr
    r = run_cli(["merge", "stack", a, b, "--rename", "phone number=caller", "--dedupe", "caller"])
    assert r.exit_code == 0, r.stderr
    df = _csv(r.stdout)
    assert list(df.columns) == ["Caller", "when", "subscriber", "_seen_in", "_seen_count", "_source", "_row"]
    assert len(df) == 5  # identical text only: 07700 900001 and +44 7700 900001 stay apart
    assert df.loc[1, "_seen_count"] == "2"
    assert [x.rsplit("/", 1)[-1] for x in df.loc[1, "_seen_in"].split("; ")] == ["calls.csv:2", "subs.csv:2"]
    r = run_cli(["merge", "join", a, b, "--on", "caller=phone number", "--as", "telepathy"])
    assert r.exit_code == 2


def test_empty_and_blank_inputs(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("name,phone,dob\n")
    blank = tmp_path / "blank.csv"
    blank.write_text("name,phone,dob\n,,\n,,\n")
    r = run_cli(["merge", "resolve", empty, "--id", "phone:phone", "--name", "name", "--dob", "dob"])
    assert r.exit_code == 0 and r.stdout.startswith('"name","phone","dob","entity_id"')
    r = run_cli(["merge", "resolve", blank, "--id", "phone:phone", "--name", "name", "--dob", "dob"])
    assert r.exit_code == 0, r.stderr
    assert _csv(r.stdout)["entity_id"].tolist() == ["E000001", "E000002"]
    r = run_cli(["merge", "join", blank, empty, "--on", "name", "--as", "name"])
    assert r.exit_code == 0 and _csv(r.stdout)["match_method"].tolist() == ["no key", "no key"]
