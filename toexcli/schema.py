"""The standard tables of a case: the columns each reader writes and each analysis reads.

Why one module: ``toex calls parse`` writes a call table that ``summarise``, ``chart`` and
``timeline`` must read with no options, and a message table from ``toex messages parse`` must
mean the same thing whichever export it came from. The column names, their order and what they
hold live here and nowhere else; readers build their output with :func:`conform` and analysis
recognises a table with :func:`kind_of`.

Times follow :mod:`toexcli.timemodel`: ``*_utc`` columns are ISO 8601 ending in ``Z`` in text
outputs (a UTC timestamp in Parquet/Arrow), ``*_local`` columns carry their offset, and
``tz_status`` says whether the zone was declared, assumed, nonexistent, ambiguous or unreadable.
"""

from __future__ import annotations

from dataclasses import dataclass

PROVENANCE = ("_source", "_row")


@dataclass(frozen=True)
class Table:
    """A standard table: its name (also the default DuckDB/SQLite table name), its columns in
    order with a one-line meaning each, and the columns that identify it by their presence."""

    name: str
    columns: tuple[tuple[str, str], ...]
    signature: tuple[str, ...]

    @property
    def names(self) -> list[str]:
        return [c for c, _ in self.columns]

    def describe(self) -> dict[str, str]:
        return dict(self.columns)


CALLS = Table(
    "calls",
    (
        ("handset", "E.164 of the return's target (the phone the record is about)"),
        ("direction", "out, in, forward, or empty when the record does not say"),
        ("event", "voice, sms, mms, data, voicemail, other"),
        ("a_party", "calling/originating party, E.164 where it is a phone number"),
        ("b_party", "called/terminating party, E.164 where it is a phone number"),
        ("other_party", "the party that is not the handset (for a forward leg: diverted-to)"),
        ("start_utc", "start instant, ISO 8601 UTC ending in Z"),
        ("start_local", "start as Europe/London wall clock with its offset"),
        ("tz_status", "declared, assumed, nonexistent, ambiguous, unreadable"),
        ("duration_s", "duration in whole seconds"),
        ("imei", "handset IMEI as written (digits kept as text)"),
        ("imsi", "SIM IMSI as written"),
        ("cell_first", "first cell / mast / CGI as written"),
        ("cell_last", "last cell / mast as written"),
        ("duplicate_of", "FILE:ROW of the same event in an earlier return (two-ended call)"),
        ("format", "the layout recognised"),
        ("problem", "why a value could not be read (the row is kept)"),
        ("a_party_raw", "a_party as written, where it differs (07700..., 447700....0, WITHHELD)"),
        ("b_party_raw", "b_party as written, where it differs"),
        ("other_party_raw", "other_party as written, where it differs"),
        ("start_raw", "the start as written (date and time columns joined)"),
        ("event_raw", "the call-type / direction codes as written (MOC, SMS MT / In, CF)"),
    ),
    ("handset", "a_party", "b_party", "other_party", "start_utc", "event"),
)

MESSAGES = Table(
    "messages",
    (
        ("platform", "whatsapp, telegram, messenger, instagram, sms, imessage, signal, report"),
        ("chat", "chat or conversation name"),
        ("message_id", "the export's own id, where it has one"),
        ("sent_local", "wall clock as the file states it (naive when the file has no zone)"),
        ("sent_utc", "instant, ISO 8601 UTC ending in Z, when the zone is known or given"),
        ("tz_status", "declared, assumed, nonexistent, ambiguous, unreadable"),
        ("sender", "display name or number of the sender"),
        ("sender_id", "stable sender id (number, user id) where the export has one"),
        ("recipients", "recipients where the export lists them (; separated)"),
        ("direction", "in, out, or empty"),
        ("kind", "message, system, sms, mms, call, ..."),
        ("text", "the message as written (continuation lines joined with newlines)"),
        ("attachment", "attached file name or media placeholder"),
        ("flags", "deleted, edited, forwarded, reply (; separated)"),
        ("reply_to", "message_id replied to"),
    ),
    ("platform", "sender", "text", "sent_local"),
)

TRANSACTIONS = Table(
    "transactions",
    (
        ("account", "the statement's account"),
        ("date", "posting date (ISO)"),
        ("description", "the narrative as written"),
        ("amount", "signed: credits positive, debits negative"),
        ("currency", "ISO 4217 code"),
        ("balance", "running balance where stated"),
        ("type", "transaction type as written"),
        ("category", "normalised type (card, transfer_in, cash, ...)"),
        ("counterparty", "payer or payee"),
        ("reference", "reference as written"),
        ("fee", "fee netted into the amount"),
        ("format", "the layout recognised"),
        ("balance_ok", "running balance check"),
        ("duplicate_of", "FILE:ROW of the same transaction in an earlier statement"),
        ("problem", "why a value could not be read"),
    ),
    ("account", "date", "amount", "category", "counterparty"),
)

READS = Table(
    "reads",
    (
        ("vrm", "vehicle registration, compact upper case (LB07SEU)"),
        ("seen_utc", "read instant, ISO 8601 UTC"),
        ("tz_status", "declared, assumed, nonexistent, ambiguous, unreadable"),
        ("camera", "camera / site name or id"),
        ("location", "location text"),
        ("lat", "latitude (WGS84) where known"),
        ("lon", "longitude (WGS84) where known"),
        ("problem", "why a value could not be read"),
    ),
    ("vrm", "camera"),
)

EVENTS = Table(
    "timeline",
    (
        ("time_utc", "instant, ISO 8601 UTC ending in Z"),
        ("time_local", "Europe/London wall clock with offset"),
        ("precision", "second, minute, day"),
        ("tz_status", "declared, assumed, nonexistent, ambiguous, unreadable"),
        ("kind", "call, sms, mms, data, voicemail, message, payment_in, payment_out, anpr, custom"),
        ("subject", "the theme line: handset, account, VRM, chat member"),
        ("counterpart", "the other party"),
        ("summary", "one line a person reads"),
        ("amount", "money, signed (in positive)"),
        ("currency", "ISO 4217"),
        ("location", "cell, camera or place"),
        ("problem", "why the event's time could not be read"),
    ),
    ("time_utc", "kind", "subject", "summary"),
)

TABLES = {t.name: t for t in (CALLS, MESSAGES, TRANSACTIONS, READS, EVENTS)}


def kind_of(columns) -> str | None:
    """The standard table a set of columns is (``calls``, ``messages``, ``transactions``,
    ``reads``, ``timeline``), or None. A table is recognised when it has every column of the
    kind's signature; the most specific (longest signature) wins."""
    have = set(columns)
    best, size = None, 0
    for t in TABLES.values():
        if all(c in have for c in t.signature) and len(t.signature) > size:
            best, size = t.name, len(t.signature)
    return best


def conform(frame, table: Table, *, keep_extra: bool = True):
    """Order ``frame``'s columns as the standard says (missing standard columns are added empty,
    as text), provenance last; extra columns are kept after the standard ones unless
    ``keep_extra`` is false."""
    import pandas as pd

    out = frame.copy()
    for c in table.names:
        if c not in out.columns:
            out[c] = pd.Series([""] * len(out), index=out.index, dtype="str")
    extra = [c for c in out.columns if c not in table.names and c not in PROVENANCE]
    order = table.names + (extra if keep_extra else []) + [c for c in PROVENANCE if c in out]
    return out[order]
