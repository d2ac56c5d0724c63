"""Vectorised parsing of the values a summary needs: UK day-first timestamps, durations, call
types and phone numbers (through ``toex phones``). Each distinct value is parsed once."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

NAT = np.iinfo(np.int64).min
_YEAR_1900 = -2_208_988_800  # seconds since 1970 at 1900-01-01
_YEAR_2200 = 7_258_118_400


class TimestampParser:
    """Times to int64 nanoseconds of the Europe/London wall clock (``NAT`` where unreadable),
    through the toolbox's one time model (:mod:`toexcli.timemodel`).

    A value with ``Z`` or an offset is an exact instant and is shown at its UK wall-clock time
    (``2024-05-06T09:14:21Z`` is 10:14:21 BST); a value with no zone is UK wall-clock time as
    written; numeric dates are day first. So the same call in a UTC return and in a local-time
    return falls on the same hour and day. (Before the time model, ``Z`` was dropped and UTC
    read as local time: an hour out from the end of March.)
    """

    def __init__(self, dayfirst: bool = True, tz: str = "Europe/London"):
        self.dayfirst = dayfirst
        self.tz = tz

    def parse(self, values) -> np.ndarray:
        from ..timemodel import parse as parse_times
        from ..timemodel import wall_clock

        if isinstance(values, pa.ChunkedArray):
            values = values.chunk(0) if values.num_chunks == 1 else values.combine_chunks()
        if isinstance(values, pa.Array):
            if pa.types.is_timestamp(values.type) or pa.types.is_date(values.type):
                series = values.cast(pa.timestamp("ns", tz=values.type.tz if pa.types.is_timestamp(
                    values.type) else None)).to_pandas()
            else:
                if not pa.types.is_string(values.type) and not pa.types.is_large_string(values.type):
                    values = values.cast(pa.string())
                # Arrow-backed text (no Python string per row): the time model reads it in Arrow
                series = values.fill_null("").to_pandas()
        else:
            series = pd.Series([("" if v is None else str(v)) for v in values], dtype=object)
        if not pd.api.types.is_datetime64_any_dtype(series.dtype):
            return wall_clock(series, tz=self.tz, dayfirst=self.dayfirst)
        utc = parse_times(series, tz=self.tz, dayfirst=self.dayfirst)["utc"]
        local = utc.dt.tz_convert(self.tz).dt.tz_localize(None)
        return local.to_numpy(dtype="datetime64[ns]").view(np.int64).copy()


def iso(ns: int | None) -> str | None:
    if ns is None or ns == NAT or (isinstance(ns, float) and np.isnan(ns)):
        return None
    return pd.Timestamp(int(ns)).isoformat()


_DUR_HMS = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{1,2}(?:\.\d+)?)$")
_DUR_NUM = re.compile(r"^\d+(?:\.\d+)?$")
_DUR_WORDS = re.compile(r"^(?:(\d+)\s*h(?:ours?|rs?)?)?\s*(?:(\d+)\s*m(?:in(?:ute)?s?)?)?\s*"
                        r"(?:(\d+(?:\.\d+)?)\s*s(?:ec(?:ond)?s?)?)?$", re.I)


def duration_seconds(value) -> float:
    """'00:02:10', '2:10', '130', '130s', '2m 10s' -> seconds; NaN when unreadable/empty."""
    if value is None:
        return float("nan")
    if isinstance(value, (int, float)):
        return float(value)
    s = str(value).strip()
    if not s:
        return float("nan")
    if _DUR_NUM.match(s):
        return float(s)
    m = _DUR_HMS.match(s)
    if m:
        h = int(m.group(1) or 0)
        return h * 3600 + int(m.group(2)) * 60 + float(m.group(3))
    m = _DUR_WORDS.match(s)
    if m and any(m.groups()):
        return int(m.group(1) or 0) * 3600 + int(m.group(2) or 0) * 60 + float(m.group(3) or 0)
    return float("nan")


_TEXT_TYPE = re.compile(r"sms|mms|text|message|msg|imessage|chat|whatsapp msg|rcs", re.I)


def is_text_type(value) -> bool:
    """A record type that is a message rather than a call (SMS, MMS, text, message, chat)."""
    return bool(value) and bool(_TEXT_TYPE.search(str(value)))


def as_text_array(values) -> pa.Array:
    """A pandas Series / list / Arrow array as one Arrow string array."""
    if isinstance(values, pa.ChunkedArray):  # one chunk: itself (combining would copy it)
        values = (values.chunk(0) if values.num_chunks == 1 else values.combine_chunks()
                  if values.num_chunks else pa.array([], pa.string()))
    if not isinstance(values, pa.Array):
        values = pa.array(pd.Series(values, dtype="str") if not isinstance(values, pd.Series)
                          else values.astype("str"))
        if isinstance(values, pa.ChunkedArray):
            values = values.combine_chunks()
    if pa.types.is_large_string(values.type) or pa.types.is_string_view(values.type):
        values = values.cast(pa.string())
    elif not pa.types.is_string(values.type):
        values = values.cast(pa.string())
    return values


class ValueMap:
    """Map each distinct text value through ``fn`` once, remembering across batches.

    Lookups are Arrow hash joins (``index_in``), so a batch costs one C pass over its rows plus
    ``fn`` on the values never seen before.
    """

    def __init__(self, fn=None, dtype=np.float64, missing=np.nan):
        self.fn = fn
        self.dtype = dtype
        self.missing = missing
        self.known = pa.array([], pa.string())
        self.results = np.zeros(0, dtype)

    def map_new(self, values: list[str]) -> list:
        return [self.fn(v) for v in values]

    def __call__(self, values) -> np.ndarray:
        arr = as_text_array(values)
        idx = pc.index_in(arr, value_set=self.known)
        unseen = pc.and_(pc.is_null(idx), pc.is_valid(arr))
        if pc.any(unseen).as_py():
            new = pc.unique(arr.filter(unseen))
            mapped = np.array(self.map_new(new.to_pylist()), dtype=self.dtype)
            self.known = pa.concat_arrays([self.known, new])
            self.results = np.concatenate([self.results, mapped])
            idx = pc.index_in(arr, value_set=self.known)
        lut = np.append(self.results, np.array([self.missing], dtype=self.dtype))
        return lut[idx.fill_null(len(self.results)).to_numpy(zero_copy_only=False)]


class NumberCodes(ValueMap):
    """Phone numbers -> integer codes of their E.164 form (-1: not a contact).

    Every distinct raw value is normalised once by ``toex phones``
    (``toexcli.phones.e164_values``); a value is a contact when it has an E.164 form, so
    withheld, empty and unparseable values are not contacts.
    """

    def __init__(self, region: str = "GB"):
        super().__init__(None, dtype=np.int64, missing=-1)
        self.region = region
        self.numbers: list[str] = []
        self.index: dict[str, int] = {}

    def __call__(self, values) -> np.ndarray:
        """Codes for a column: the batch is dictionary-encoded in C and its distinct spellings
        are matched against every spelling seen so far in C too (``index_in``: a hash table of
        the ~60,000 known spellings, not of the rows), so Python only touches spellings never
        seen before, and normalises each once per run."""
        arr = as_text_array(values)
        if not len(arr):
            return np.zeros(0, np.int64)
        enc = pc.dictionary_encode(arr)
        if isinstance(enc, pa.ChunkedArray):
            enc = enc.combine_chunks()
        uniq = enc.dictionary
        pos = pc.index_in(uniq, value_set=self.known)
        new = pc.is_null(pos)
        if pc.any(new).as_py():
            fresh = uniq.filter(new)
            mapped = np.array(self.map_new(fresh.to_pylist()), np.int64)
            self.known = pa.concat_arrays([self.known, fresh.cast(self.known.type)])
            self.results = np.concatenate([self.results, mapped])
            pos = pc.index_in(uniq, value_set=self.known)
        lut = np.append(self.results[pos.to_numpy(zero_copy_only=False)], np.int64(self.missing))
        return lut[enc.indices.fill_null(len(uniq)).to_numpy(zero_copy_only=False)]

    def code_of(self, e164: str) -> int:
        code = self.index.get(e164)
        if code is None:
            code = self.index[e164] = len(self.numbers)
            self.numbers.append(e164)
        return code

    def map_new(self, values: list[str]) -> list[int]:
        from ..phones import e164_values

        if not values:
            return []
        # toex phones' e164-only path: spellings that differ only by separators or by the UK
        # international prefix share one key, and a plain UK number needs no parse at all
        return [self.code_of(e) if isinstance(e, str) and e.strip() else -1
                for e in e164_values(values, region=self.region)]


