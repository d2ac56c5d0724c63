"""resolve: accuracy on a fictional ground truth, the junk-number trap, determinism, provenance,
judgements, and evidence missing from some files."""

import numpy as np
import pandas as pd
import pytest

from toexcli.errors import DataError, UsageError
from toexcli.merge.resolution import resolve
from toexcli.merge.stacking import stack
from toexcli.merge.synthetic import evidence_bound, ground_truth, pairwise_scores

IDS = ["phone:phone", "email:email", "account:account"]


def _frames(sources):
    out = []
    for name, df in sources.items():
        df = df.copy()
        df["_source"] = name
        df["_row"] = np.arange(1, len(df) + 1)
        out.append(df)
    return out


@pytest.fixture(scope="module")
def truth_set():
    sources, truth = ground_truth(n_people=600, seed=11)
    df = stack(_frames(sources), rename={"Date Of Birth": "DOB"})
    return df, truth


def _score(result, truth):
    m = result.table[["_source", "_row", "entity_id"]].merge(truth, on=["_source", "_row"], how="left")
    assert m["person"].notna().all()
    return pairwise_scores(m["entity_id"], m["person"])


def test_ground_truth_precision_and_recall_against_the_evidence_bound(truth_set):
    df, truth = truth_set
    res = resolve(df, IDS, name="Name", dob="DOB")
    scores = _score(res, truth)
    bound = evidence_bound(truth)["recall_bound"]
    print(f"\nground truth ({len(df)} rows, {truth['person'].nunique()} people, {scores['true_pairs']} true pairs): "
          f"precision {scores['precision']:.4f}, recall {scores['recall']:.4f}, "
          f"evidence-bound recall {bound:.4f}")
    assert scores["precision"] >= 0.98
    assert scores["recall"] >= 0.95 * bound
    assert scores["recall"] <= bound + 1e-9  # nothing links without evidence (names alone never do)
    # the bound is a real bound: some true pairs share no evidence at all
    assert bound < 0.95


def test_the_taxi_number_and_junk_numbers_do_not_chain_strangers(truth_set):
    df, truth = truth_set
    res = resolve(df, IDS, name="Name", dob="DOB")
    ignored = dict(zip(res.ignored["key"], res.ignored["reason"]))
    assert "phone:+441614960999" in ignored and ignored["phone:+441614960999"].startswith("on ")
    assert ignored.get("phone:+447000000000") == "junk value"
    taxi_rows = res.table["Phone"].fillna("").str.replace(r"\D", "", regex=True).str.endswith("1614960999")
    assert taxi_rows.sum() > 10
    assert res.table.loc[taxi_rows, "match_ignored"].str.contains("1614960999").all()
    assert res.table["entity_size"].max() < 15
    # switch the guards off and the trap springs: precision collapses
    trapped = resolve(df, IDS, name="Name", dob="DOB", max_degree=0)
    assert _score(trapped, truth)["precision"] < 0.9
    assert trapped.table["entity_size"].max() > 20


def test_user_junk_value_in_any_format_is_not_used(truth_set):
    df, truth = truth_set
    res = resolve(df, IDS, name="Name", dob="DOB", max_degree=0, junk=["phone:+44 161 496 0999"])
    assert "phone:+441614960999" in set(res.ignored["key"])
    assert _score(res, truth)["precision"] >= 0.98


def test_deterministic_ids(truth_set):
    df, _ = truth_set
    a = resolve(df, IDS, name="Name", dob="DOB").table
    b = resolve(df.copy(), IDS, name="Name", dob="DOB").table
    pd.testing.assert_frame_equal(a, b)
    # numbered in order of each entity's first row
    first = a.drop_duplicates("entity_id")["entity_id"].tolist()
    assert first == sorted(first) and first[0] == "E000001"


def test_provenance_and_every_value_kept(truth_set):
    df, _ = truth_set
    out = resolve(df, IDS, name="Name", dob="DOB").table
    assert len(out) == len(df)
    pd.testing.assert_frame_equal(out[list(df.columns)], df)
    assert list(out.columns[-2:]) == ["_source", "_row"]
    cols = list(out.columns)
    assert cols[cols.index("entity_id"):cols.index("entity_id") + 4] == \
        ["entity_id", "entity_size", "match_reasons", "match_ignored"]


def test_a_column_absent_from_some_files_contributes_nothing_there():
    a = pd.DataFrame({"name": ["Ann Lee", "Bob Hall"], "dob": ["05/01/1990", "1/2/1980"],
                      "_source": "custody.csv", "_row": [1, 2]})
    b = pd.DataFrame({"name": ["LEE, Ann", "Robert Hall"], "phone": ["07700 900001", ""],
                      "_source": "subscriber.csv", "_row": [1, 2]})
    c = pd.DataFrame({"Name": ["Ann Lee", "Ann Lee"], "DOB": ["1990-01-05", "1990-01-05"],
                      "Phone": ["+447700900001", ""], "_source": "bank.csv", "_row": [1, 2]})
    df = stack([a, b, c])
    res = resolve(df, ["phone:phone"], name="name", dob="dob").table
    # custody 1 and bank 1/2 share name+dob (dates in different formats); bank 1 and
    # subscriber 1 share the phone; Bob/Robert Hall has no dob in the subscriber check: not linked
    ids = res["entity_id"].tolist()
    assert ids[0] == ids[2] == ids[4] == ids[5]
    assert ids[1] != ids[3]
    assert "phone:+447700900001" in res.loc[2, "match_reasons"]
    assert "name+dob" in res.loc[0, "match_reasons"]
    # an --id column missing from every file is a usage error naming the columns
    with pytest.raises(UsageError, match="no column 'imei'"):
        resolve(df, ["imei:imei"])


def test_chains_link_transitively_and_reasons_say_why():
    df = pd.DataFrame({"phone": ["07700900001", "07700 900001", "", ""],
                       "email": ["", "a@example.com", "A@Example.com ", ""],
                       "imei": ["", "", "356938035643809", "35693803564380"],
                       "_source": "x.csv", "_row": [1, 2, 3, 4]}).astype({"phone": "str", "email": "str", "imei": "str"})
    df.loc[3, "imei"] = "35-693803-564380-9"
    res = resolve(df, ["phone:phone", "email:email", "imei:imei"])
    assert res.table["entity_id"].nunique() == 1
    assert res.table.loc[0, "match_reasons"] == "phone:+447700900001"
    assert res.table.loc[2, "match_reasons"] == "email:a@example.com; imei:35693803564380"
    ents = res.entities()
    assert len(ents) == 1 and ents.loc[0, "rows"] == 4
    assert ents.loc[0, "linked_by"] == "email, imei, phone"


def test_names_alone_never_link_when_dob_is_given_and_namesakes_stay_apart():
    df = pd.DataFrame({"name": ["John Smith", "John Smith", "Jon Smith", "SMITH, Bob"],
                       "dob": ["01/01/1990", "02/01/1990", "", "1985-06-07"]}).astype("str")
    res = resolve(df, [], name="name", dob="dob").table
    assert res["entity_id"].nunique() == 4


def test_judgements_override_the_automatic_decision():
    df = pd.DataFrame({"name": ["Ann Lee", "Ann Lee", "Bob Hall", "Robert Hall"],
                       "phone": ["07700900001", "07700900001", "07700900002", "07700900003"],
                       "_source": "a.csv", "_row": [1, 2, 3, 4]}).astype({"name": "str", "phone": "str"})
    auto = resolve(df, ["phone:phone"]).table
    assert auto.loc[0, "entity_id"] == auto.loc[1, "entity_id"]
    assert auto.loc[2, "entity_id"] != auto.loc[3, "entity_id"]
    judged = pd.DataFrame({"record_a": ["a.csv:1", "a.csv:3"], "record_b": ["a.csv:2", "phone:07700 900003"],
                           "decision": ["different", "same"]})
    res = resolve(df, ["phone:phone"], judgements=judged)
    t = res.table
    assert t.loc[0, "entity_id"] != t.loc[1, "entity_id"]
    assert t.loc[2, "entity_id"] == t.loc[3, "entity_id"]
    assert "judged same" in t.loc[3, "match_reasons"]
    assert res.stats["refused_links"] == 1
    bad = pd.DataFrame({"record_a": ["a.csv:99"], "record_b": ["a.csv:1"], "decision": ["same"]})
    with pytest.raises(DataError, match="judgements row 2"):
        resolve(df, ["phone:phone"], judgements=bad)


def test_different_judgement_cuts_the_weakest_link_in_a_chain():
    # 1 -phone- 2 -name+dob- 3 : analyst says 1 and 3 differ -> the name link is cut, not the phone
    df = pd.DataFrame({"name": ["Ann Lee", "Ann Lee", "Anne Lee"], "dob": ["1/1/1990"] * 3,
                       "phone": ["07700900001", "07700900001", ""],
                       "_source": "a.csv", "_row": [1, 2, 3]}).astype({"name": "str", "dob": "str", "phone": "str"})
    df.loc[0, "dob"] = ""
    df.loc[1, "name"] = "Anne Leigh"
    judged = pd.DataFrame({"record_a": ["a.csv:1"], "record_b": ["a.csv:3"], "decision": ["different"]})
    t = resolve(df, ["phone:phone"], name="name", dob="dob", threshold=70, judgements=judged).table
    assert t.loc[0, "entity_id"] == t.loc[1, "entity_id"] != t.loc[2, "entity_id"]


def test_over_max_degree_identifier_reported_with_its_count():
    df = pd.DataFrame({"phone": ["07700900009"] * 6, "name": [f"Person {c}" for c in "ABCDEF"]}).astype("str")
    res = resolve(df, ["phone:phone"], name="name", max_degree=5)
    assert res.table["entity_id"].nunique() == 6
    assert res.ignored.loc[0, "reason"] == "on 6 records"
    # the same person's number repeated on identical records is not "many records"
    same = pd.DataFrame({"phone": ["07700900009"] * 30, "name": ["Ann Lee"] * 30}).astype("str")
    assert resolve(same, ["phone:phone"], max_degree=5).table["entity_id"].nunique() == 1


def test_splink_engine_on_the_ground_truth(truth_set):
    pytest.importorskip("splink")
    df, truth = truth_set
    res = resolve(df, IDS, name="Name", dob="DOB", engine="splink", threshold=90)
    scores = _score(res, truth)
    bound = evidence_bound(truth)["recall_bound"]
    print(f"\nsplink engine: precision {scores['precision']:.4f}, recall {scores['recall']:.4f}, "
          f"bound {bound:.4f}")
    assert scores["precision"] >= 0.98
    assert scores["recall"] >= 0.95 * bound
    # identifiers and the junk guard are the same as the native engine's
    assert "phone:+441614960999" in set(res.ignored["key"])


def test_unknown_engine_is_a_usage_error(truth_set):
    df, _ = truth_set
    with pytest.raises(UsageError, match="--engine"):
        resolve(df, IDS, engine="spark")
