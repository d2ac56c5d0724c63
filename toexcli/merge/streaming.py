"""``toex merge resolve`` over files in memory that grows with the distinct identifiers, not
with the rows' width: read only the columns linking needs (the identifier, name and date of
birth columns, ``_source``/``_row``), link on integer codes (:func:`resolution.link`), then read
the inputs a second time, batch by batch, and write each batch with its new columns attached
by row position. Standard input is spooled to a temporary file by ``toexcli.io`` and read
twice from there; an Arrow stream on stdin (which is not spooled) is copied to a temporary
Arrow file while it is read the first time.
"""

from __future__ import annotations

import os
import tempfile

import numpy as np

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from pandas.api.types import union_categoricals

from ..io.table import PROVENANCE, to_frame
from .stacking import align_frames, stacked_columns


def _type_key(t: pa.DataType) -> str:
    if pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_string_view(t):
        return "text"
    return str(t)


def _as_text(col: pa.Array) -> pa.Array:
    """A column typed differently in different inputs, as text (the way ``stack`` makes it)."""
    if _type_key(col.type) == "text":
        return col
    from ..io.writers import float_text

    return float_text(col) if pa.types.is_floating(col.type) else col.cast(pa.string())


class StackedInputs:
    """Several opened inputs (TableInput each) seen as one stacked table whose columns are
    aligned by name as ``toex merge stack`` aligns them, read as narrow frames or as batches."""

    def __init__(self, tables, rename: dict | None = None):
        self.tables = list(tables)
        aligned = align_frames([pd.DataFrame(columns=t.columns) for t in self.tables], rename)
        self.maps = [dict(zip(t.columns, a.columns)) for t, a in zip(self.tables, aligned)]
        order, prov = stacked_columns(aligned)
        self.columns = order + prov
        kinds: dict = {}
        types: dict = {}
        for t, m in zip(self.tables, self.maps):
            for f in t.schema:
                kinds.setdefault(m[f.name], set()).add(_type_key(f.type))
                types.setdefault(m[f.name], f.type)
        self.mixed = {c for c, k in kinds.items() if len(k) > 1}
        self.types = {c: pa.string() if c in self.mixed else types[c] for c in self.columns}
        self.sources = [s for t in self.tables for s in t.sources]
        self.rows_read = 0
        self._spools: list = [None] * len(self.tables)

    @property
    def name(self) -> str:
        return ", ".join(s.name for s in self.sources)

    def read_columns(self, wanted) -> pd.DataFrame:
        """The ``wanted`` (aligned) columns of every input, stacked: the first reading. Text
        columns come back categorical (dictionary-encoded batch by batch as they are read), so
        a value repeated on many rows is held once."""
        frames = []
        for i, (t, m) in enumerate(zip(self.tables, self.maps)):
            inv = {v: k for k, v in m.items()}
            cols = [inv[c] for c in wanted if c in inv]
            spool = None if t.rereadable else _Spool(t.schema)
            chunks: dict = {m[c]: [] for c in cols}
            try:
                for batch in t.batches():
                    if spool is not None:
                        spool.write(batch)
                    narrow = self._narrow(batch, cols, m)
                    for name, col in zip(narrow.schema.names, narrow.columns):
                        chunks[name].append(col)
            except BaseException:
                if spool is not None:
                    spool.discard()
                raise
            if spool is not None:
                spool.close()
                self._spools[i] = spool
            frame = {}
            for c in cols:  # one column at a time, its chunks released as soon as it is built
                name = m[c]
                frame[name] = _column(chunks.pop(name), t.schema.field(c).type, name in self.mixed)
            frames.append(pd.DataFrame(frame, index=pd.RangeIndex(t.rows_read)))
        self.rows_read = sum(t.rows_read for t in self.tables)
        out = _concat(frames, list(wanted))
        del frames
        pa.default_memory_pool().release_unused()  # the batches read are gone: give their memory back
        return out

    def _narrow(self, batch: pa.RecordBatch, cols, m) -> pa.RecordBatch:
        arrays = []
        for c in cols:
            col = batch.column(c)
            if m[c] in self.mixed:
                col = _as_text(col)
            if _type_key(col.type) == "text":
                col = pc.dictionary_encode(col.cast(pa.string()) if not pa.types.is_string(col.type) else col)
            arrays.append(col)
        return pa.RecordBatch.from_arrays(arrays, names=[m[c] for c in cols])

    def batches(self, attach=None):
        """Every row again, in order, as Arrow batches with the stacked columns; ``attach(start,
        stop)`` gives the new columns (name -> array) to insert before ``_source``/``_row``."""
        pos = next((i for i, c in enumerate(self.columns) if c in PROVENANCE), len(self.columns))
        start = 0
        for t, m, spool in zip(self.tables, self.maps, self._spools):
            source = spool.batches() if spool is not None else t.reopen().batches()
            for batch in source:
                n = batch.num_rows
                have = {}
                for f, col in zip(batch.schema, batch.columns):
                    name = m.get(f.name, f.name)
                    have[name] = _as_text(col) if name in self.mixed else col
                names = list(self.columns)
                arrays = [have[c] if c in have else pa.nulls(n, pa.string()) for c in names]
                if attach is not None:
                    new = attach(start, start + n)
                    names[pos:pos] = list(new)
                    arrays[pos:pos] = list(new.values())
                start += n
                yield pa.RecordBatch.from_arrays(arrays, names=names)
        self.close()

    def empty_batch(self, attach=None) -> pa.RecordBatch:
        """No rows, every column (a header-only input still gives its columns)."""
        names = list(self.columns)
        arrays = [pa.array([], self.types[c]) for c in names]
        if attach is not None:
            pos = next((i for i, c in enumerate(names) if c in PROVENANCE), len(names))
            new = attach(0, 0)
            names[pos:pos], arrays[pos:pos] = list(new), list(new.values())
        return pa.RecordBatch.from_arrays(arrays, names=names)

    def close(self) -> None:
        for spool in self._spools:
            if spool is not None:
                spool.discard()


def _column(chunks, type_, mixed: bool) -> pd.Series:
    """One narrow column from its per-batch chunks: text (dictionary-encoded per batch) as a
    categorical whose codes are found by factorising the batches' dictionaries, never the rows."""
    if chunks and pa.types.is_dictionary(chunks[0].type):
        dicts = pa.chunked_array([c.dictionary for c in chunks], type=pa.string())
        dcodes, uniq = pd.factorize(pd.Series(pd.arrays.ArrowStringArray(dicts)), use_na_sentinel=True)
        small = np.int32 if len(uniq) < 2**31 - 1 else np.int64
        dcodes = dcodes.astype(small)
        out = np.empty(sum(len(c) for c in chunks), small)
        pos = off = 0
        for c in chunks:
            idx = c.indices.to_numpy(zero_copy_only=False)
            got = np.full(len(c), -1, small)
            valid = ~np.asarray(c.is_null().to_numpy(zero_copy_only=False), dtype=bool) if c.null_count \
                else slice(None)
            got[valid] = dcodes[off + idx[valid].astype(np.int64)]
            out[pos:pos + len(c)] = got
            pos += len(c)
            off += len(c.dictionary)
        del dcodes
        return pd.Series(pd.Categorical.from_codes(out, categories=pd.Index(uniq, dtype="str"), validate=False))
    if not chunks:
        t = pa.string() if (mixed or _type_key(type_) == "text") else type_
        return pd.Series(pd.Categorical([], categories=pd.Index([], dtype="str"))) if t == pa.string() \
            else to_frame(pa.table({"c": pa.array([], t)}))["c"]
    return to_frame(pa.table({"c": pa.chunked_array(chunks)}))["c"]


def _concat(frames, columns) -> pd.DataFrame:
    """Stack narrow frames: categorical columns keep one set of categories (their union), a
    column missing from a frame is empty (missing) there."""
    out = {}
    for c in columns:
        pieces = [f[c] if c in f.columns else None for f in frames]
        if all(p is None or isinstance(p.dtype, pd.CategoricalDtype) for p in pieces):
            cats = [p.array if p is not None else
                    pd.Categorical.from_codes(np.full(len(f), -1, np.int8), categories=pd.Index([], dtype="str"))
                    for p, f in zip(pieces, frames)]
            out[c] = pd.Series(union_categoricals(cats) if len(cats) > 1 else cats[0])
        else:
            out[c] = pd.concat([p if p is not None else pd.Series(pd.NA, index=range(len(f)), dtype="str")
                                for p, f in zip(pieces, frames)], ignore_index=True)
    return pd.DataFrame(out)


class _Spool:
    """A temporary Arrow file holding the batches of an input that cannot be read twice."""

    def __init__(self, schema: pa.Schema):
        fd, self.path = tempfile.mkstemp(prefix="toex-resolve-", suffix=".arrow")
        os.close(fd)
        self.schema = schema
        self._sink = pa.OSFile(self.path, "wb")
        self._writer = pa.ipc.new_file(self._sink, schema)

    def write(self, batch) -> None:
        self._writer.write_batch(batch)

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._sink.close()
            self._writer = None

    def batches(self):
        with pa.memory_map(self.path) as source:
            reader = pa.ipc.open_file(source)
            for i in range(reader.num_record_batches):
                yield reader.get_batch(i)

    def discard(self) -> None:
        try:
            self.close()
        except Exception:
            pass
        try:
            os.unlink(self.path)
        except OSError:
            pass
