"""One ordered picture of a case: calls, messages, money and vehicles on one clock.

    >>> from toexcli.timeline import timeline                           # doctest: +SKIP
    >>> res = timeline([calls_df, tx_df, anpr_df], start="2024-03-01", end="2024-03-31")
    >>> res.events.head()                                                # doctest: +SKIP

Inputs are the standard tables of :mod:`toexcli.schema` (recognised by their columns): call
tables (``toex calls parse``), message tables (``toex messages parse``), transactions (``toex
bank parse``), ANPR reads, a timeline read back, or any table with ``Custom`` columns. Output
columns are ``schema.EVENTS`` plus ``duplicate_of`` (and ``subject_name``/``counterpart_name``
with an entities table), then ``_source``/``_row``; ordered by ``time_utc``, ties in input order,
unreadable times last with ``problem``.
"""

from __future__ import annotations

_LAZY = {"Custom", "Result", "KINDS", "EVENT_COLUMNS", "detect", "events_of", "assemble",
         "pair_calls", "read_entities", "anpr_columns"}

__all__ = sorted(_LAZY | {"timeline"})


def timeline(tables, *, kinds=None, custom=None, start=None, end=None, entity=(),
             entities=None, keep_duplicates: bool = False, tz: str = "Europe/London"):
    """The timeline of ``tables`` (DataFrames, every column text, with ``_source``/``_row``
    where known). ``kinds``: one kind per table (None: recognised from the columns).
    ``start``/``end``: dates or date-times in ``tz`` (inclusive) or UTC Timestamps.
    ``entities``: the DataFrame written by ``toex merge resolve --entities``.
    Returns a ``Result`` (``.events``, ``.stats``)."""
    import pandas as pd

    from .. import timemodel
    from ..errors import UsageError
    from .build import assemble, detect, events_of, read_entities

    parts = []
    for i, df in enumerate(tables):
        kind = (kinds[i] if kinds else None) or detect(df.columns)
        if kind is None:
            if custom is None:
                raise UsageError(f"table {i + 1}: columns not recognised as calls, messages, "
                                 "transactions or ANPR reads; give --kind or --time/--subject")
            kind = "custom"
        parts.append(events_of(df, kind, custom, source=f"table {i + 1}"))

    def _bound(v, end_):
        if v is None or isinstance(v, pd.Timestamp):
            return v
        return timemodel.bound(str(v), tz=tz, end=end_)

    ents = read_entities(entities) if entities is not None else None
    return assemble(parts, start=_bound(start, False), end=_bound(end, True), entity=entity,
                    entities=ents, keep_duplicates=keep_duplicates)


def __getattr__(name):
    if name in _LAZY:
        from . import build

        return getattr(build, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
