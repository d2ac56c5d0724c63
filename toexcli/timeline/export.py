"""The timeline for other tools: i2 Analyst's Notebook (event-level import table) and Timesketch.

i2: one row per event, entity - link - entity, like ``toex chart --i2`` but a link per event (not
per pair) so the Timeline / theme-line chart puts each call, payment and read at its own time.
Identities are normalised (E.164 phones, compact VRMs) because i2 merges equal identities.
``Link Date``/``Link Time`` are UTC (map them with the time zone ``UTC`` in the import
specification); ``Local Date``/``Local Time`` are the Europe/London wall clock for reading. A
date-only event (a statement's posting date) has its local date in both date columns and no time:
i2 gets no invented 00:00:00.

Timesketch: ``message``, ``datetime`` (ISO 8601 with offset), ``timestamp`` (microseconds since
the epoch), ``timestamp_desc``, then every other column of the timeline.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

I2_COLUMNS = ["Entity1 Identity", "Entity1 Type", "Entity1 Label", "Entity2 Identity",
              "Entity2 Type", "Entity2 Label", "Link Type", "Link Label", "Link Date", "Link Time",
              "Time Zone", "Local Date", "Local Time", "Date Precision", "Link Direction",
              "Link Amount", "Currency", "Location", "Description", "Event Kind", "Time Status",
              "Source", "Row"]

_LINK_TYPE = {"call": "Telephone Call", "sms": "SMS", "mms": "MMS", "data": "Data Session",
              "voicemail": "Voicemail", "message": "Message", "payment_in": "Payment",
              "payment_out": "Payment", "payment": "Payment", "anpr": "ANPR Read",
              "custom": "Event"}
_DESC = {"call": "Call start", "sms": "SMS time", "mms": "MMS time", "data": "Data session start",
         "voicemail": "Voicemail time", "message": "Message sent", "payment_in": "Posting date",
         "payment_out": "Posting date", "payment": "Posting date", "anpr": "ANPR read",
         "custom": "Event time"}


def _end_types(kind: pd.Series, subject_key: pd.Series, other_key: pd.Series):
    phone1 = subject_key.str.startswith("+")
    phone2 = other_key.str.startswith("+")
    t1 = np.select([kind.isin(["call", "sms", "mms", "data", "voicemail"]),
                    kind.str.startswith("payment"), kind == "anpr", phone1],
                   ["Telephone", "Account", "Vehicle", "Telephone"], "Person")
    t1 = np.where((kind == "message") & ~phone1, "Person", t1)
    t1 = np.where(kind == "custom", np.where(phone1, "Telephone", "Entity"), t1)
    t2 = np.select([kind.isin(["call", "sms", "mms", "voicemail"]) | phone2,
                    kind.str.startswith("payment"), kind == "anpr", kind == "message"],
                   ["Telephone", "Entity", "Location", "Person"], "Entity")
    return t1, t2


def i2_table(events: pd.DataFrame) -> pd.DataFrame:
    """One i2 import row per event (see the module docstring)."""
    from .build import _keys

    e = events
    n = len(e)
    kind = e["kind"].astype("str")
    s_key = _keys(e["subject"])
    other = e["counterpart"].astype("str")
    # ANPR reads link the vehicle to the camera site; others link the two parties
    other = other.where(~((kind == "anpr") & (other == "")), e["location"].astype("str"))
    o_key = _keys(other).where(kind != "anpr", other)
    t1, t2 = _end_types(kind, s_key, o_key)
    s_label = e["subject"].astype("str")
    o_label = other
    if "subject_name" in e:
        s_label = (e["subject_name"] + " (" + e["subject"] + ")").where(e["subject_name"] != "",
                                                                        s_label)
        t1 = np.where(e["subject_name"] != "", "Person", t1)
    if "counterpart_name" in e:
        o_label = (e["counterpart_name"] + " (" + other + ")").where(e["counterpart_name"] != "",
                                                                    o_label)
    day = (e["precision"] == "day").to_numpy()
    utc, loc = e["time_utc"].astype("str"), e["time_local"].astype("str")
    link_date = np.where(day, loc.str.slice(0, 10), utc.str.slice(0, 10))
    link_time = np.where(day, "", utc.str.slice(11, 19))
    direction = np.select([e["summary"].str.contains(r"^\S+ in\b", regex=True) | (kind == "payment_in")],
                          ["against"], "with")
    amount = e["amount"].astype("str").str.lstrip("+-")
    return pd.DataFrame({
        "Entity1 Identity": s_key.where(s_key != "", e["subject"]).to_numpy(),
        "Entity1 Type": t1, "Entity1 Label": s_label.to_numpy(),
        "Entity2 Identity": o_key.where(o_key != "", other).to_numpy(),
        "Entity2 Type": np.where(other == "", "", t2), "Entity2 Label": o_label.to_numpy(),
        "Link Type": kind.map(_LINK_TYPE).fillna("Event").to_numpy(),
        "Link Label": e["summary"].to_numpy(),
        "Link Date": link_date, "Link Time": link_time,
        "Time Zone": np.where(utc == "", "", np.where(day, "date only (Europe/London)", "UTC")),
        "Local Date": loc.str.slice(0, 10).to_numpy(),
        "Local Time": np.where(day, "", loc.str.slice(11, 19)),
        "Date Precision": e["precision"].to_numpy(), "Link Direction": direction,
        "Link Amount": amount.to_numpy(), "Currency": e["currency"].to_numpy(),
        "Location": e["location"].to_numpy(), "Description": e["summary"].to_numpy(),
        "Event Kind": kind.to_numpy(), "Time Status": e["tz_status"].to_numpy(),
        "Source": e["_source"].astype("str").to_numpy(), "Row": e["_row"].to_numpy(),
    }, index=range(n)).astype({c: "str" for c in I2_COLUMNS if c != "Row"})


def timesketch_table(events: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Timesketch's CSV shape; events without a readable time cannot be imported and are left
    out (returned count)."""
    ok = (events["time_utc"] != "").to_numpy()
    e = events[ok]
    ns = pd.to_datetime(e["time_utc"], utc=True, format="ISO8601")
    micros = (ns.to_numpy(dtype="datetime64[ns]").view(np.int64) // 1000).astype(str)
    front = pd.DataFrame({
        "message": e["summary"].to_numpy(),
        "datetime": e["time_local"].to_numpy(),
        "timestamp": micros,
        "timestamp_desc": e["kind"].map(_DESC).fillna("Event time").to_numpy(),
    })
    rest = e.reset_index(drop=True)
    rest = rest.rename(columns={c: f"toex_{c}" for c in rest.columns if c in front.columns})
    out = pd.concat([front, rest], axis=1)
    return out, int((~ok).sum())
