"""One entry point for the three kinds of chart: what the table is decides how it is drawn.

- ``--link`` given: the columns the analyst named (a legacy call download, sightings...).
- a ``toex bank parse`` table (``toexcli.schema.TRANSACTIONS``, recognised by its columns):
  a money chart, payer -> payee by the sign of ``amount`` (see :mod:`toexcli.chart.money`).
- a ``toex calls parse`` table (``toexcli.schema.CALLS``): a call chart, ``a_party`` ->
  ``b_party`` (``handset``/``other_party`` where a party is missing), ``start_utc`` for dates,
  ``event`` for the kind of event, two-ended calls (``duplicate_of``) counted once.

Then names (``--entities``/``--labels``) and person nodes (``--people``) go on.

In Python::

    from toexcli.chart.build import chart
    net = chart(tx_frame, entities=entities_frame, people=True)
"""

from __future__ import annotations

import pandas as pd

from ..errors import UsageError
from .network import Network, build_network


def table_kind(columns) -> str | None:
    from ..schema import kind_of

    return kind_of(columns)


def calls_frame(df: pd.DataFrame) -> pd.DataFrame:
    """``caller``/``callee`` from a CALLS table: a_party/b_party, else handset/other_party by
    direction (a record that names only the other party still links to the handset)."""
    get = lambda c: df[c].fillna("").astype(str).str.strip() if c in df.columns else pd.Series("", index=df.index)  # noqa: E731
    a, b = get("a_party"), get("b_party")
    hand, other, direction = get("handset"), get("other_party"), get("direction").str.lower()
    incoming = direction.isin(["in", "incoming", "mtc"])
    a = a.where(a != "", other.where(incoming, hand))
    b = b.where(b != "", hand.where(incoming, other))
    out = df.copy()
    out["_caller"] = a
    out["_callee"] = b
    return out


def chart(df: pd.DataFrame, links=None, types=None, *, date=None, time=None, amount=None, event=None,
          entities: pd.DataFrame | None = None, labels: pd.DataFrame | None = None,
          people: bool = False, source_name: str = "input", title: str | None = None,
          limits: tuple[int, int | None] | None = None) -> Network:
    """The network of ``df`` (see the module docstring), names applied. ``limits``: (max nodes,
    max links) checked as soon as the identities are known (see ``build_network``)."""
    from .people import apply_names, read_entities, read_labels

    ents = read_entities(entities) if entities is not None else None
    labs = read_labels(labels) if labels is not None else None
    links = [tuple(p) for p in (links or [])]
    dup = "duplicate_of" if "duplicate_of" in df.columns else None
    kind = table_kind(df.columns)
    if links:
        net = build_network(df, links, types, date=date, time=time, amount=amount,
                            source_name=source_name, title=title or "Link chart", duplicate=dup, limits=limits,
                            event=event or ("event" if "event" in df.columns else None))
    elif kind == "transactions":
        from .money import money_rows

        notes: list[str] = []
        rows = money_rows(df, ents, notes)
        net = build_network(rows, [("payer", "payee")], {"payer": "typed", "payee": "typed"},
                            date="date", amount="amount", source_name=source_name,
                            title=title or "Money chart", directed=True, event="event",
                            duplicate="duplicate_of", link_type="payment", limits=limits)
        net.notes[:0] = notes
        net.kind = "money"
    elif kind == "calls":
        frame = calls_frame(df)
        net = build_network(frame, [("_caller", "_callee")], {"_caller": "phone", "_callee": "phone"},
                            date="start_utc", source_name=source_name, title=title or "Call chart",
                            event="event", duplicate=dup, link_type="call", limits=limits)
        net.kind = "calls"
        net.links["kinds"] = "a_party → b_party"
    else:
        raise UsageError("give at least one --link FROM_COL TO_COL (e.g. --link Caller Callee); "
                         "only a toex bank parse or toex calls parse table is charted without one")
    if ents or labs:
        net = apply_names(net, ents, labs, people=people)
    return net
