"""resolve: names from several columns (--name Forename,Surname), dates of birth in many
formats, and a cell holding two phone numbers (split through toex phones, said in
match_ignored) -- all found in a trial on a realistic case."""

import io

import numpy as np
import pandas as pd

from conftest import run_cli
from toexcli.merge.keys import dob_keys
from toexcli.merge.resolution import resolve


def _df(rows, cols):
    df = pd.DataFrame(rows, columns=cols, dtype="str")
    df["_source"] = "t.csv"
    df["_row"] = np.arange(1, len(df) + 1)
    return df


def test_name_from_two_columns_joined_with_a_space():
    df = _df([["Daniel", "OKAFOR", "14/03/1991"], ["Dan", "Okafor", "1991-03-14"],
              ["Daniel", "OKAFOR", "01/01/1980"], ["", "OKAFOR", "14/03/1991"]],
             ["Forename", "Surname", "DOB"])
    res = resolve(df, [], name="Forename,Surname", dob="DOB")
    ids = res.table["entity_id"].tolist()
    assert ids[0] == ids[1]  # nickname Dan = Daniel, same date of birth
    assert ids[2] != ids[0]  # a namesake with another date of birth stays apart
    assert ids[3] != ids[0]  # a surname alone is not the same name
    ent = res.entities()
    assert "Daniel OKAFOR" in ent.loc[ent["entity_id"] == ids[0], "names"].iloc[0]
    assert list(res.table.columns[:3]) == ["Forename", "Surname", "DOB"]  # input columns kept


def test_name_columns_must_exist_and_a_comma_column_is_taken_whole():
    df = _df([["A, B", "x"]], ["Last, First", "Phone"])
    res = resolve(df, [], name="Last, First")
    assert res.table["entity_id"].tolist() == ["E000001"]
    r = run_cli(["merge", "resolve", "-", "--name", "Forename,Nope", "--id", "phone:Phone"],
                input="Forename,Surname,Phone\nA,B,07700900123\n")
    assert r.exit_code == 2 and "Nope" in r.stderr


def test_dob_formats():
    got = dob_keys(pd.Series(["14/03/1991", "14.03.91", "1991-03-14", "1991/03/14", "19910314",
                              "14 Mar 1991", "March 14, 1991", "33311", "1991-03-14T00:00:00",
                              "31/02/1991", "not known", "01/01/1900"])).tolist()
    assert got[:9] == ["1991-03-14"] * 9
    assert all(pd.isna(g) for g in got[9:])  # impossible, words, placeholder: no key


def test_two_numbers_in_one_cell_become_two_keys_and_match_ignored_says_so():
    df = _df([["Mark HOXHA", "+355 67 212 3456 / 07700900303"],
              ["M Hoxha", "07700 900303"],
              ["Arben", "+355672123456"],
              ["Someone", "+355672123456/07700900303"]], ["Name", "Phone"])
    res = resolve(df, ["phone:Phone"])
    t = res.table
    assert t["entity_id"].nunique() == 1  # both numbers link (never one bogus joined number)
    assert "split into +355672123456, +447700900303" in t.loc[0, "match_ignored"]
    assert t.loc[1, "match_ignored"] == ""
    ent = res.entities()
    phones = set(ent.loc[0, "phone"].split("; "))
    assert phones == {"+355672123456", "+447700900303"}
    assert not any("/" in p for p in phones)


def test_cli_name_columns_and_split_in_a_pipe():
    csv = ("Forename,Surname,DOB,Phone\nDaniel,OKAFOR,14/03/1991,07700 900202 / 07700900203\n"
           "Daniel,Okafor,19910314,\nDaniel,Okafor,,07700900203\n")
    r = run_cli(["merge", "resolve", "-", "--id", "phone:Phone", "--name", "Forename,Surname",
                 "--dob", "DOB"], input=csv)
    assert r.exit_code == 0, r.stderr
    out = pd.read_csv(io.StringIO(r.stdout), dtype=str, keep_default_na=False)
    assert out["entity_id"].nunique() == 1
    assert "holds 2 numbers" in out.loc[0, "match_ignored"]
