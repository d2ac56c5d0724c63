"""Issue 16: charts an analyst can brief from -- names and people, money that follows the money,
collapsed leaves, no stacked nodes, two-number cells, the time model, two-ended calls, i2 events
and ANX (checked structurally against the element/attribute structure of i2's schema)."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from conftest import run_cli, run_toex
from toexcli.chart.anx import anx_tree
from toexcli.chart.build import chart
from toexcli.chart.export import i2_events_table, i2_table
from toexcli.chart.html import chart_data, label_boxes, node_sizes, positions
from toexcli.chart.identity import display
from toexcli.chart.layout import overlaps, separate, spring_layout
from toexcli.chart.network import build_network, collapse_leaves, mark_highlight, top

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
EX = REPO / "examples"

ENTITIES = pd.DataFrame({
    "entity_id": ["E000001", "E000002"],
    "phone": ["+447700900202", "+355672123456; +447700900303"],
    "account": ["04000421345678", "20320613152170"],
    "vrm": ["LB07SEU", "YK19FVX"],
    "names": ["Daniel OKAFOR; DANIEL OKAFOR", "HOXHA, Mark"],
}, dtype="str")


def _calls(rows):
    df = pd.DataFrame(rows, columns=["Date", "Time", "Caller", "Callee"], dtype="str")
    df["_source"] = "calls.csv"
    df["_row"] = np.arange(1, len(df) + 1)
    return df


CALLS = _calls([
    ["01/03/2024", "10:00", "07700 900202", "07700900303"],
    ["01/03/2024", "11:00", "+447700900303", "07700 900202"],
    ["02/03/2024", "09:30", "07700900202", "07700 900404"],
    ["03/03/2024", "20:15", "07700900202", "+355 67 212 3456"],
])


def _tx(rows, source="monzo.csv"):
    df = pd.DataFrame(rows, columns=["account", "date", "amount", "category", "counterparty"], dtype="str")
    df["description"] = df["counterparty"].str.upper()
    df["duplicate_of"] = ""
    df["_source"] = source
    df["_row"] = np.arange(1, len(df) + 1)
    return df


MONZO = _tx([
    ["04-00-04 21345678", "2024-03-02", "60.00", "transfer_in", "J Walsh"],
    ["04-00-04 21345678", "2024-03-03", "40.00", "transfer_in", "T Price"],
    ["04-00-04 21345678", "2024-03-04", "-500.00", "transfer_out", "Mark Hoxha"],
    ["04-00-04 21345678", "2024-03-11", "-500.00", "transfer_out", "Mark Hoxha"],
    ["04-00-04 21345678", "2024-03-20", "150.00", "transfer_in", "Mark Hoxha"],
    ["04-00-04 21345678", "2024-03-07", "-18.40", "card", "Pretend Taxis"],
])
LLOYDS = _tx([
    ["20-32-06 13152170", "2024-03-04", "500.00", "transfer_in", "D OKAFOR"],
    ["20-32-06 13152170", "2024-03-12", "500.00", "transfer_in", "D OKAFOR"],
    ["20-32-06 13152170", "2024-03-20", "-150.00", "transfer_out", "D OKAFOR"],
    ["20-32-06 13152170", "2024-03-05", "-2000.00", "transfer_out", "ARBEN KRASNIQI"],
], source="lloyds.csv")


def _link(net, a, b):
    lk = net.links
    got = lk[(lk["source"] == a) & (lk["target"] == b)]
    assert len(got) == 1, (a, b, lk[["source", "target"]].values.tolist())
    return got.iloc[0]


# ------------------------------------------------------------------------------ display forms
def test_display_forms_are_human_and_identities_stay_normalised():
    assert display("+447700900202", "phone") == "07700 900202"
    assert display("+355672123456", "phone") == "+355 67 212 3456"
    assert display("20320613152170", "account") == "20-32-06 13152170"
    assert display("LB07SEU", "vehicle") == "LB07 SEU"
    assert display("OTHERACCT1", "account", "Acct/other-1") == "Acct/other-1"  # separators kept
    net = build_network(CALLS, [("Caller", "Callee")])
    n = net.nodes.set_index("id")
    assert n.loc["phone:+447700900202", "label"] == "07700 900202"
    assert n.loc["phone:+447700900202", "identity"] == "+447700900202"


# ------------------------------------------------------------------------------ names / people
@pytest.fixture(scope="module")
def named():
    return chart(CALLS, [("Caller", "Callee")], date="Date", time="Time", entities=ENTITIES, people=True)


def test_entities_name_the_identifiers_and_people_own_them(named):
    n = named.nodes.set_index("id")
    assert n.loc["phone:+447700900202", "label"] == "Daniel OKAFOR · 07700 900202"
    assert n.loc["phone:+355672123456", "label"] == "Mark HOXHA · +355 67 212 3456"  # 'HOXHA, Mark'
    assert n.loc["phone:+447700900404", "name"] == ""  # nobody's
    # person nodes linked to phones, accounts and vehicles, even those the calls never mention
    owns = named.links[named.links["link_type"] == "owns"]
    daniel = set(owns.loc[owns["source"] == "person:E000001", "target"])
    assert daniel == {"phone:+447700900202", "account:04000421345678", "vehicle:LB07SEU"}
    mark = set(owns.loc[owns["source"] == "person:E000002", "target"])
    assert mark == {"phone:+355672123456", "phone:+447700900303", "account:20320613152170", "vehicle:YK19FVX"}
    assert n.loc["account:04000421345678", "label"] == "Daniel OKAFOR · 04-00-04 21345678"
    assert n.loc["vehicle:LB07SEU", "label"] == "Daniel OKAFOR · LB07 SEU"
    assert n.loc["person:E000001", "type"] == "person"
    # ownership links are not events: weights count calls only
    assert n.loc["phone:+447700900202", "weight"] == 4


def test_names_reach_graphml_gexf_i2_and_anx(named, tmp_path):
    from toexcli.chart.export import write_gexf, write_graphml

    write_graphml(named, tmp_path / "c.graphml")
    g = nx.read_graphml(tmp_path / "c.graphml")
    assert g.nodes["phone:+447700900202"]["label"] == "Daniel OKAFOR · 07700 900202"
    assert g.nodes["phone:+447700900202"]["identity"] == "+447700900202"
    write_gexf(named, tmp_path / "c.gexf")
    gx = ET.parse(tmp_path / "c.gexf").getroot()
    labels = {n.get("id"): n.get("label") for n in gx.iter("{http://gexf.net/1.3}node")}
    assert labels["person:E000001"] == "Daniel OKAFOR"
    assert labels["vehicle:YK19FVX"] == "Mark HOXHA · YK19 FVX"
    t = i2_table(named)
    row = t[(t["Entity1 Identity"] == "E000001") & (t["Entity2 Identity"] == "+447700900202")].iloc[0]
    assert row["Entity1 Label"] == "Daniel OKAFOR" and row["Entity2 Label"] == "Daniel OKAFOR · 07700 900202"
    assert row["Link Type"] == "Uses"
    items = anx_tree(named).find("ChartItemCollection")
    ents = {e.find("End/Entity").get("Identity"): e.get("Label") for e in items if e.find("End") is not None}
    assert ents["+447700900202"] == "Daniel OKAFOR · 07700 900202"
    assert ents["LB07SEU"] == "Daniel OKAFOR · LB07 SEU"


def test_labels_file_names_nodes_without_entities():
    labels = pd.DataFrame({"identifier": ["07700 900404", "07000 000000"], "label": ["Sophie BLAKE", "nobody"]})
    net = chart(CALLS, [("Caller", "Callee")], labels=labels)
    n = net.nodes.set_index("id")
    assert n.loc["phone:+447700900404", "label"] == "Sophie BLAKE · 07700 900404"
    assert any("1 label row(s) match no node" in x for x in net.notes)


def test_top_keeps_people_and_named_nodes(named):
    cut = top(named, 1)
    ids = set(cut.nodes["id"])
    assert {"person:E000001", "person:E000002", "vehicle:LB07SEU", "account:20320613152170"} <= ids
    assert len(cut.links[cut.links["link_type"] != "owns"]) == 1


def test_highlight_marks_nodes_and_their_links_bold(named):
    net = mark_highlight(named, ["07700 900404"])
    data = chart_data(net)
    edges = {(e["source"], e["target"]): e for e in data["links"]}
    assert edges[("phone:+447700900202", "phone:+447700900404")]["hl"] is True
    assert edges[("phone:+447700900202", "phone:+447700900303")]["hl"] is False
    assert [n["id"] for n in data["nodes"] if n["hl"]] == ["phone:+447700900404"]


# ------------------------------------------------------------------------------ money
@pytest.fixture(scope="module")
def money():
    return chart(pd.concat([MONZO, LLOYDS], ignore_index=True), entities=ENTITIES)


def test_money_direction_by_sign(money):
    daniel, mark = "account:04000421345678", "account:20320613152170"
    # debits: account -> counterparty; credits: counterparty -> account
    assert _link(money, "entity:J WALSH", daniel)["amount"] == pytest.approx(60.0)
    assert _link(money, daniel, "entity:PRETEND TAXIS")["amount"] == pytest.approx(18.40)
    assert _link(money, mark, "entity:ARBEN KRASNIQI")["amount"] == pytest.approx(2000.0)
    assert (money.links.loc[money.links["link_type"] == "payment", "amount"] > 0).all()
    assert money.kind == "money" and money.directed


def test_money_in_and_out_are_never_netted_and_names_join_islands(money):
    daniel, mark = "account:04000421345678", "account:20320613152170"
    out = _link(money, daniel, mark)   # 'Mark Hoxha' on Daniel's statement = Mark's one account
    back = _link(money, mark, daniel)  # 'D OKAFOR' on Mark's = Daniel's (initial + surname)
    assert (out["count"], out["amount"]) == (2, pytest.approx(1000.0))
    assert (back["count"], back["amount"]) == (1, pytest.approx(150.0))
    assert out["forward"] == 2 and out["backward"] == 0
    # each transfer is on both statements: counted once (the payer's row)
    assert any("appear on both" in n for n in money.notes)
    assert len(money.events) == 7  # 6 Monzo + 4 Lloyds - 3 mirrored credits (2 on Lloyds, 1 on Monzo)
    t = i2_table(money)
    row = t[(t["Entity1 Identity"] == "04000421345678") & (t["Entity2 Identity"] == "20320613152170")].iloc[0]
    assert row["Link Amount"] == "1000.00" and row["Link Direction"] == "with"
    rev = t[(t["Entity1 Identity"] == "20320613152170") & (t["Entity2 Identity"] == "04000421345678")].iloc[0]
    assert rev["Link Amount"] == "150.00" and rev["Link Direction"] == "with"


def test_money_without_entities_keeps_names_as_nodes():
    net = chart(MONZO)
    ids = set(net.nodes["id"])
    assert "entity:MARK HOXHA" in ids and "account:04000421345678" in ids
    assert _link(net, "entity:MARK HOXHA", "account:04000421345678")["amount"] == pytest.approx(150)
    assert _link(net, "account:04000421345678", "entity:MARK HOXHA")["amount"] == pytest.approx(1000)


def test_money_duplicate_rows_count_once_and_blank_accounts_stand_for_the_file():
    tx = MONZO.copy()
    tx.loc[len(tx)] = ["04-00-04 21345678", "2024-03-04", "-500.00", "transfer_out", "Mark Hoxha",
                       "MARK HOXHA", "monzo.csv:3", "monzo_b.csv", 1]
    net = chart(tx)
    assert _link(net, "account:04000421345678", "entity:MARK HOXHA")["count"] == 2
    blank = MONZO.assign(account="")
    net = chart(blank)
    assert any("no account number" in n for n in net.notes)
    assert any(i.startswith("account:") and "MONZO" in i for i in net.nodes["id"])


def test_money_cli_in_a_real_pipe():
    buf = io.StringIO()
    pd.concat([MONZO, LLOYDS]).to_csv(buf, index=False)
    r = run_toex(["chart", "-"], input=buf.getvalue())
    assert r.returncode == 0, r.stderr.decode()
    links = pd.read_csv(io.BytesIO(r.stdout), dtype=str, keep_default_na=False)
    row = links[(links["source"] == "account:20320613152170") & (links["target"] == "entity:ARBEN KRASNIQI")]
    assert row["amount"].astype(float).tolist() == [2000.0]


# ------------------------------------------------------------------------------ collapse
def _star():
    rows = [["01/03/2024", "10:00", "07700900500", f"077009006{i:02d}"] for i in range(12)]
    rows += [["01/03/2024", "10:00", "07700900501", f"077009006{i:02d}"] for i in range(3)]  # shared
    rows += [["01/03/2024", "10:00", "07700900501", f"0770090070{i}"] for i in range(3)]
    return _calls(rows)


def test_collapse_leaves_counts_and_keeps_members():
    net = build_network(_star(), [("Caller", "Callee")])
    col = collapse_leaves(net)
    groups = col.nodes[col.nodes["type"] == "group"].set_index("id")
    assert groups.loc["group:phone:+447700900500", "label"] == "9 contacts"  # 12 - 3 shared
    assert groups.loc["group:phone:+447700900501", "label"] == "3 contacts"
    assert len(col.groups["group:phone:+447700900500"]) == 9
    # shared contacts stay, so the two lines are told apart by what they share
    assert {"phone:+447700900600", "phone:+447700900601", "phone:+447700900602"} <= set(col.nodes["id"])
    link = _link(col, "phone:+447700900500", "group:phone:+447700900500")
    assert link["count"] == 9
    assert len(col.nodes) == len(net.nodes) - 12 + 2


def test_collapse_keeps_named_and_big_leaves_and_splits_money_sides():
    payers = _tx([["04-00-04 21345678", f"2024-03-{d:02d}", "20.00", "transfer_in", f"P{d} Payer"]
                  for d in range(1, 9)])
    payees = _tx([["04-00-04 21345678", f"2024-03-{d:02d}", "-5.00", "card", f"Shop {d}"] for d in range(1, 5)])
    big = _tx([["04-00-04 21345678", "2024-03-09", "-2000.00", "transfer_out", "ARBEN KRASNIQI"]])
    col = collapse_leaves(chart(pd.concat([payers, payees, big, LLOYDS], ignore_index=True)))
    ids = set(col.nodes["id"])
    assert "entity:ARBEN KRASNIQI" in ids  # carries most of its hub's money out: too big to hide
    groups = col.nodes[col.nodes["type"] == "group"].set_index("id")
    assert groups.loc["group:account:04000421345678:in", "label"] == "8 payers"
    assert groups.loc["group:account:04000421345678:out", "label"] == "4 payees"
    assert _link(col, "group:account:04000421345678:in", "account:04000421345678")["amount"] == pytest.approx(160)
    assert _link(col, "account:04000421345678", "group:account:04000421345678:out")["amount"] == pytest.approx(20)


# ------------------------------------------------------------------------------ layout
def test_layout_never_stacks_nodes_even_two_hubs_with_the_same_contacts():
    # two deal lines with exactly the same contacts: a force layout puts them on one spot
    assert len(overlaps(np.zeros((6, 2)), [40] * 6)) == 15  # the check sees stacked nodes
    pos = separate(np.zeros((6, 2)), [40] * 6)
    assert overlaps(pos, [40] * 6) == []
    rows = [[f"0{i}/03/2024", "10:00", hub, f"077009006{c:02d}"] for hub in ("07700900500", "07700900501")
            for c in range(15) for i in (1, 2)]
    net = build_network(_calls(rows), [("Caller", "Callee")])
    sizes = node_sizes(net)
    labels = label_boxes(net)
    pos = positions(net, sizes)
    assert overlaps(pos, sizes, labels=labels) == []
    n = net.nodes["id"].tolist()
    a, b = pos[n.index("phone:+447700900500")], pos[n.index("phone:+447700900501")]
    assert np.hypot(*(a - b)) > 60


def test_layout_is_deterministic_and_overlap_free_on_a_bigger_chart():
    rng = np.random.default_rng(3)
    s, t = rng.integers(0, 300, 900), rng.integers(0, 300, 900)
    sizes = rng.uniform(24, 72, 300)
    p1 = spring_layout(300, s, t, sizes=sizes)
    p2 = spring_layout(300, s, t, sizes=sizes)
    assert np.array_equal(p1, p2)
    assert overlaps(p1, sizes) == []


# ------------------------------------------------------------------------------ correctness
def test_two_numbers_in_one_cell_become_two_phone_nodes():
    df = _calls([["01/03/2024", "10:00", "+355 67 212 3456 / 07700900303", "07700900202"]])
    net = build_network(df, [("Caller", "Callee")])
    ids = set(net.nodes["id"])
    assert ids == {"phone:+355672123456", "phone:+447700900303", "phone:+447700900202"}
    assert not any("/" in i for i in ids)
    assert len(net.links) == 2 and any("two or more numbers" in n for n in net.notes)


def test_dates_through_the_time_model_z_offsets_and_header_zones():
    df = pd.DataFrame({"Start (UTC)": ["2024-07-01T09:14:00Z", "2024-07-01 10:00"],
                       "a": ["07700900202", "07700900202"], "b": ["07700900303", "07700900303"]})
    net = build_network(df, [("a", "b")], date="Start (UTC)")
    link = net.links.iloc[0]
    assert link["first"] == pd.Timestamp("2024-07-01 09:14", tz="UTC")
    assert link["last"] == pd.Timestamp("2024-07-01 10:00", tz="UTC")  # the header declares UTC
    df = pd.DataFrame({"when": ["2024-07-01T09:14:00+01:00", "01/07/2024 10:14"], "a": ["07700900202"] * 2,
                       "b": ["07700900303"] * 2})
    net = build_network(df, [("a", "b")], date="when")
    assert net.links.iloc[0]["first"] == pd.Timestamp("2024-07-01 08:14", tz="UTC")
    assert net.links.iloc[0]["last"] == pd.Timestamp("2024-07-01 09:14", tz="UTC")  # BST assumed
    r = run_cli(["chart", "-", "--link", "a", "--date", "when"], input="a,b,when\n")
    assert r.exit_code == 2


def _calls_table():
    """A frame in toexcli.schema.CALLS's columns, as toex calls parse writes it."""
    from toexcli.schema import CALLS as T, conform

    df = pd.DataFrame({
        "handset": ["+447700900202", "+447700900303", "+447700900202", "+447700900202"],
        "direction": ["out", "in", "out", "in"],
        "event": ["voice", "voice", "sms", "voice"],
        "a_party": ["+447700900202", "+447700900202", "+447700900202", ""],
        "b_party": ["+447700900303", "+447700900303", "+447700900404", ""],
        "other_party": ["+447700900303", "+447700900202", "+447700900404", "+447700900505"],
        "start_utc": ["2024-03-01T10:00:00Z", "2024-03-01T10:00:00Z", "2024-03-31T00:30:00Z",
                      "2024-03-31T01:30:00Z"],
        "duplicate_of": ["", "p.csv:1", "", ""],
        "_source": ["p.csv", "q.csv", "p.csv", "p.csv"], "_row": [1, 1, 2, 3],
    })
    return conform(df, T)


def test_calls_table_charts_without_link_options_and_two_ended_calls_count_once():
    net = chart(_calls_table())
    assert net.kind == "calls"
    assert _link(net, "phone:+447700900202", "phone:+447700900303")["count"] == 1
    assert any("counted once" in n for n in net.notes)
    # an incoming record naming only the other party still links to the handset
    assert "phone:+447700900505" in set(net.nodes["id"])
    ev = i2_events_table(net)
    sms = ev[ev["Link Type"] == "SMS"].iloc[0]
    assert (sms["Date"], sms["Time"], sms["UTC Offset"]) == ("2024-03-31", "00:30:00", "+00:00")
    late = ev[ev["Entity1 Identity"] == "+447700900505"].iloc[0]
    assert (late["Date"], late["Time"], late["UTC Offset"]) == ("2024-03-31", "02:30:00", "+01:00")
    assert late["Date Time UTC"] == "2024-03-31T01:30:00Z"


def test_i2_events_one_row_per_event(named):
    ev = i2_events_table(named)
    assert len(ev) == 4
    assert list(ev.columns[:5]) == ["Date", "Time", "Zone", "UTC Offset", "Date Time UTC"]
    first = ev.iloc[0]
    assert (first["Date"], first["Time"], first["Zone"]) == ("2024-03-01", "10:00:00", "Europe/London")
    assert first["Entity1 Label"] == "Daniel OKAFOR · 07700 900202"
    assert (first["Source"], first["Row"]) == ("calls.csv", "1")


# ------------------------------------------------------------------------------ ANX
STRUCTURE = json.loads((HERE / "data" / "anx_structure.json").read_text())["elements"]


def _check_structure(el, path="Chart"):
    spec = STRUCTURE.get(el.tag)
    assert spec is not None, f"{path}: element {el.tag} is not in the documented structure"
    unknown = set(el.attrib) - set(spec["attributes"])
    assert not unknown, f"{path}: attributes {unknown} not documented for {el.tag}"
    kids = [c.tag for c in el]
    order = spec["children_in_order"] if "children_in_order" in spec else spec.get("children", [])
    for k in kids:
        if el.tag.endswith("Collection") and k == el.tag[:-len("Collection")]:
            continue
        assert k in order, f"{path}: {k} may not be inside {el.tag}"
    ranks = [order.index(k) for k in kids if k in order]
    assert ranks == sorted(ranks), f"{path}: children of {el.tag} out of schema order: {kids}"
    for c in el:
        _check_structure(c, f"{path}/{c.tag}")


def test_anx_matches_the_documented_structure_and_references_resolve(money, tmp_path):
    from toexcli.chart.anx import write_anx

    write_anx(money, str(tmp_path / "m.anx"))
    root = ET.parse(tmp_path / "m.anx").getroot()
    assert root.tag == "Chart"
    _check_structure(root)
    items = root.find("ChartItemCollection")
    entities = [i for i in items if i.find("End/Entity") is not None]
    links = [i for i in items if i.find("Link") is not None]
    ids = [e.find("End/Entity").get("EntityId") for e in entities]
    idents = [e.find("End/Entity").get("Identity") for e in entities]
    assert len(set(ids)) == len(ids) and len(set(idents)) == len(idents)  # identity must be unique
    assert len(entities) == len(money.nodes) and len(links) == len(money.links)
    types = {t.get("Name") for t in root.find("EntityTypeCollection")}
    ltypes = {t.get("Name") for t in root.find("LinkTypeCollection")}
    strengths = {s.get("Id") for s in root.find("StrengthCollection")}
    for e in entities:
        assert e.find("End/Entity/Icon/IconStyle").get("Type") in types
        assert int(e.get("XPosition")) == int(e.find("End").get("X"))
    by_ident = dict(zip(idents, ids))
    for lk in links:
        style = lk.find("Link/LinkStyle")
        assert lk.find("Link").get("End1Id") in ids and lk.find("Link").get("End2Id") in ids
        assert style.get("Type") in ltypes and style.get("StrengthReference") in strengths
        assert style.get("ArrowStyle") in ("ArrowNone", "ArrowOnHead", "ArrowOnTail", "ArrowOnBoth")
        assert style.get("MlStyle") in ("MultiplicityMultiple", "MultiplicitySingle", "MultiplicityDirected")
        if lk.get("DateTime"):
            pd.Timestamp(lk.get("DateTime"))  # ISO date-time (UTC)
            assert lk.find("TimeZone").get("Name") and lk.get("DateSet") == "true"
    # a money link: End1 = payer, arrow on head, positive amount in the label
    pay = [lk for lk in links if lk.find("Link").get("End1Id") == by_ident["20320613152170"]
           and lk.find("Link").get("End2Id") == by_ident["04000421345678"]]
    assert len(pay) == 1 and pay[0].find("Link/LinkStyle").get("ArrowStyle") == "ArrowOnHead"
    assert pay[0].get("Label") == "£150.00 ×1"


def test_anx_check_fails_on_tampered_structure(money):
    root = anx_tree(money)
    root.find("ChartItemCollection")[0].set("Colour", "1")
    with pytest.raises(AssertionError, match="not documented"):
        _check_structure(root)
    root = anx_tree(money)
    kids = list(root)
    root.remove(kids[0])
    root.append(kids[0])  # StrengthCollection after ChartItemCollection
    with pytest.raises(AssertionError, match="schema order"):
        _check_structure(root)


# ------------------------------------------------------------------------------ CLI
def test_cli_case_end_to_end(tmp_path):
    ent = tmp_path / "ent.csv"
    r = run_cli(["merge", "resolve", EX / "case_custody.csv", EX / "case_subscribers.csv",
                 "--id", "phone:Phone", "--id", "account:Account", "--id", "vrm:VRM",
                 "--name", "Forename,Surname", "--dob", "DOB", "--entities", ent, "-o", tmp_path / "p.csv"])
    assert r.exit_code == 0, r.stderr
    out = tmp_path / "c.html"
    r = run_cli(["chart", EX / "case_calls_deal_a.csv", EX / "case_calls_deal_b.csv",
                 EX / "case_calls_daniel.csv", "--link", "Caller", "Callee", "--date", "Date",
                 "--time", "Time", "--entities", ent, "--labels", EX / "case_labels.csv", "--people",
                 "--collapse-leaves", "--highlight", "07700 900500", "--top", "20", "-o", out,
                 "--nodes", tmp_path / "n.csv", "--anx", tmp_path / "c.anx",
                 "--i2-events", tmp_path / "ev.csv"])
    assert r.exit_code == 0, r.stderr
    nodes = pd.read_csv(tmp_path / "n.csv", dtype=str, keep_default_na=False).set_index("id")
    assert nodes.loc["person:E000001", "label"] == "Daniel OKAFOR"
    assert nodes.loc["vehicle:LB07SEU", "label"] == "Daniel OKAFOR · LB07 SEU"
    assert nodes.loc["phone:+447700900500", "label"] == "Deal line A · 07700 900500"
    assert "person:E000003" in nodes.index  # --top 20 kept every person
    ev = pd.read_csv(tmp_path / "ev.csv", dtype=str)
    assert len(ev) > 50 and set(ev["Zone"]) == {"Europe/London"}
    assert ET.parse(tmp_path / "c.anx").getroot().tag == "Chart"


@pytest.mark.parametrize("args,code,text", [
    (["--people"], 2, "--people needs"),
    (["--anx", "x.xml"], 2, "must end in .anx"),
    (["--width-by", "size"], 2, "--width-by"),
    (["--entities", "nope.csv"], 2, "no such file"),
])
def test_cli_usage_errors_for_new_options(args, code, text):
    r = run_cli(["chart", EX / "case_calls_deal_a.csv", "--link", "Caller", "Callee", *args])
    assert r.exit_code == code and text in r.stderr, r.stderr


def test_cli_bad_entities_and_unknown_table(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("x,y\n1,2\n")
    r = run_cli(["chart", EX / "case_calls_deal_a.csv", "--link", "Caller", "Callee", "--entities", bad])
    assert r.exit_code == 1 and "not an entities table" in r.stderr
    r = run_cli(["chart", EX / "case_calls_deal_a.csv"])
    assert r.exit_code == 2 and "--link" in r.stderr


def test_hand_made_people_table_with_plural_columns():
    people = pd.DataFrame({"Name": ["Sophie BLAKE"], "Phones": ["07700 900404 / 07700900405"],
                           "Vehicles": ["ab62cde"]})
    net = chart(CALLS, [("Caller", "Callee")], entities=people, people=True)
    owns = net.links[net.links["link_type"] == "owns"]
    assert set(owns["target"]) == {"phone:+447700900404", "phone:+447700900405", "vehicle:AB62CDE"}
    assert net.nodes.set_index("id").loc["phone:+447700900404", "label"] == "Sophie BLAKE · 07700 900404"
