"""toex chart: building the network (identities, links, provenance) and cutting it down."""

from __future__ import annotations

import pandas as pd
import pytest

from toexcli.chart import build_network, focus, min_weight, normalise, top
from toexcli.errors import DataError, UsageError
from toexcli.chart.network import check_size


def frame(rows, columns):
    df = pd.DataFrame(rows, columns=columns, dtype="str")
    df["_source"] = "calls.csv"
    df["_row"] = range(1, len(df) + 1)
    return df


CALLS = frame([
    ("05/01/2024", "09:14", "07700 900123", "07700900150"),
    ("05/01/2024", "09:20", "07700900123", "+44 7700 900151"),
    ("05/01/2024", "22:41", "07700900150", "07700900123"),
    ("06/01/2024", "01:02", "07700900123", "Withheld"),
    ("06/01/2024", "11:15", "+44 (0)7700 900123", "020 7946 0123"),
    ("07/01/2024", "08:00", "", "07700900150"),
], ["Date", "Time", "Caller", "Callee"])


def by_id(net):
    return net.nodes.set_index("id")


def test_identities_are_normalised_once_and_spellings_merge():
    net = build_network(CALLS, [("Caller", "Callee")], date="Date", time="Time")
    nodes = by_id(net)
    assert sorted(nodes.index) == ["phone:+442079460123", "phone:+447700900123",
                                   "phone:+447700900150", "phone:+447700900151"]
    a = nodes.loc["phone:+447700900123"]
    # three spellings of one handset, each kept as evidence in `values`
    assert set(a["values"].split(" | ")) == {"07700 900123", "07700900123", "+44 (0)7700 900123"}
    assert a["degree"] == 3 and a["weight"] == 4
    assert a["rows"] == "calls.csv: 1, 2, 3, 4, 5"  # row 4 (to Withheld) still names it
    assert a["first"] == pd.Timestamp("2024-01-05 09:14", tz="UTC") and a["last"] == pd.Timestamp("2024-01-06 11:15", tz="UTC")
    # placeholders and blanks are not nodes, and the user is told
    assert not nodes.index.str.contains("Withheld").any()
    assert any("Withheld" in n for n in net.notes)


def test_links_are_undirected_pairs_with_direction_counts_dates_and_rows():
    net = build_network(CALLS, [("Caller", "Callee")], date="Date", time="Time")
    links = net.links.set_index(["source", "target"])
    ab = links.loc[("phone:+447700900123", "phone:+447700900150")]
    assert ab["count"] == 2 and ab["forward"] == 1 and ab["backward"] == 1
    assert ab["first"] == pd.Timestamp("2024-01-05 09:14", tz="UTC") and ab["last"] == pd.Timestamp("2024-01-05 22:41", tz="UTC")
    assert ab["rows"] == "calls.csv: 1, 3"
    assert ab["kinds"] == "Caller → Callee"
    assert len(net.links) == 3


def test_amounts_people_vehicles_and_types():
    df = frame([
        ("Jordan BLAKE", "QA11 AAA", "£1,250.00"),
        ("jordan  blake", "qa11aaa", "250"),
        ("Casey Moor", "QB22 BBB", "(12.50)"),
        ("Casey Moor", "QB22 BBB", "n/a"),
    ], ["Name", "VRM", "Paid"])
    net = build_network(df, [("Name", "VRM")], amount="Paid")
    nodes = by_id(net)
    assert set(nodes["type"]) == {"person", "vehicle"}
    assert "person:JORDAN BLAKE" in nodes.index and "vehicle:QA11AAA" in nodes.index
    assert nodes.loc["person:JORDAN BLAKE", "label"] == "Jordan BLAKE"  # as first written
    links = net.links.set_index(["source", "target"])
    assert links.loc[("person:JORDAN BLAKE", "vehicle:QA11AAA"), "amount"] == pytest.approx(1500.0)
    assert links.loc[("person:CASEY MOOR", "vehicle:QB22BBB"), "amount"] == pytest.approx(-12.5)
    assert any("not a number" in n for n in net.notes)


def test_explicit_types_and_unknown_type():
    df = frame([("x1", "y1")], ["a", "b"])
    net = build_network(df, [("a", "b")], {"a": "wallet", "b": "email"})
    assert set(net.nodes["type"]) == {"wallet", "email"}
    with pytest.raises(UsageError, match="unknown type"):
        build_network(df, [("a", "b")], {"a": "boat"})
    with pytest.raises(UsageError, match="did you mean 'a'"):
        build_network(df, [("A ", "b")])


def test_normalise_wallets_emails_accounts():
    assert normalise(["0xABCDEFabcdef0123456789abcdef0123456789AB"], "wallet")["identity"][0] == \
        "0xabcdefabcdef0123456789abcdef0123456789ab"
    assert normalise(["1BoatSLRHtKNngkdXEeobR76b53LETtpyT"], "wallet")["identity"][0] == \
        "1BoatSLRHtKNngkdXEeobR76b53LETtpyT"  # base58 keeps its case
    assert normalise(["mailto:Jo.Bloggs@Example.COM "], "email")["identity"][0] == "jo.bloggs@example.com"
    assert normalise(["20-00-00 1234 5678"], "account")["identity"][0] == "20000012345678"
    assert normalise(["unknown", " "], "person")["status"].tolist() == ["no identity (placeholder)", "blank"]


CHAIN = frame([("07700900001", "07700900002")] * 3 + [("07700900002", "07700900003")] * 2
              + [("07700900003", "07700900004")], ["a", "b"])


def test_focus_hops():
    net = build_network(CHAIN, [("a", "b")], {"a": "phone", "b": "phone"})
    one = focus(net, "07700 900001", 1)
    assert sorted(one.nodes["identity"]) == ["+447700900001", "+447700900002"]
    assert one.nodes.set_index("identity").loc["+447700900001", "highlight"]
    two = focus(net, "+447700900001", 2)
    assert sorted(two.nodes["identity"]) == ["+447700900001", "+447700900002", "+447700900003"]
    assert len(two.links) == 2
    with pytest.raises(UsageError, match="not in the chart"):
        focus(net, "07700900999", 1)


def test_top_and_min_weight():
    net = build_network(CHAIN, [("a", "b")], {"a": "phone", "b": "phone"})
    t = top(net, 1)
    assert t.links["count"].tolist() == [3]
    assert sorted(t.nodes["identity"]) == ["+447700900001", "+447700900002"]
    assert top(net, 2).links["count"].tolist() == [3, 2]
    m = min_weight(net, 2)
    assert sorted(m.links["count"]) == [2, 3]
    assert "+447700900004" not in set(m.nodes["identity"])
    # degree and weight are recomputed on what is left
    assert m.nodes.set_index("identity").loc["+447700900003", "degree"] == 1


def test_size_cap_says_how_to_narrow():
    net = build_network(CHAIN, [("a", "b")], {"a": "phone", "b": "phone"})
    check_size(net, 4)
    with pytest.raises(DataError) as err:
        check_size(net, 3)
    assert "--top" in str(err.value) and "--focus" in str(err.value) and "4 nodes" in str(err.value)


def test_highlight_matches_any_spelling():
    net = build_network(CALLS, [("Caller", "Callee")], highlight=["07700 900150", "07700900999"])
    nodes = by_id(net)
    assert nodes.loc["phone:+447700900150", "highlight"]
    assert int(nodes["highlight"].sum()) == 1
    assert any("07700900999" in n for n in net.notes)


def test_multiple_link_pairs_share_nodes():
    df = frame([("Jordan Blake", "07700900123", "QA11 AAA")], ["Name", "Phone", "VRM"])
    net = build_network(df, [("Name", "Phone"), ("Name", "VRM")])
    assert sorted(net.nodes["type"]) == ["person", "phone", "vehicle"]
    assert by_id(net).loc["person:JORDAN BLAKE", "degree"] == 2


def test_layout_is_seeded_and_finite():
    import numpy as np

    from toexcli.chart.layout import spring_layout

    a = spring_layout(50, list(range(49)), list(range(1, 50)))
    b = spring_layout(50, list(range(49)), list(range(1, 50)))
    assert a.shape == (50, 2) and np.isfinite(a).all()
    assert (a == b).all()  # the same data always draws the same chart
    # linked nodes end up nearer each other than the chain's two ends
    near = np.linalg.norm(a[0] - a[1])
    far = np.linalg.norm(a[0] - a[49])
    assert near < far
