"""The case store: tables in one DuckDB or SQLite file instead of a folder of exports.

``-o case.duckdb`` (DuckDB, embedded, no server) or ``-o case.sqlite`` / ``case.db`` (SQLite)
writes the command's table into the file: ``--table NAME`` or ``-o case.duckdb:NAME`` names it,
otherwise the command's natural table (``transactions``, ``calls``...). A write appends rows to
the table (creating it), or with ``--replace`` builds the new table beside the old and swaps it
in inside one transaction: an interrupted run leaves the old table whole.

Types are kept: DuckDB holds Arrow's types natively (DECIMAL, TIMESTAMP WITH TIME ZONE, DATE);
SQLite has no such types, so the values are stored as exact text (ISO 8601 with the offset,
decimal digits) under a declared type, and the Arrow schema of every table is kept in
``toex_tables`` so that reading it back gives the very same types. Text stays text (leading
zeros kept). Every write adds a row to ``toex_history``: step, table, mode, command line, toex
version, inputs with SHA-256, time, rows in/out, and the history the inputs carried.

``case.duckdb:calls`` (or ``case.sqlite:calls``) is an input like any file; ``case.duckdb``
alone means its only table.
"""

from __future__ import annotations

import base64
import datetime as _dt
import json
import os
import re

import pyarrow as pa

from ..errors import DataError, UsageError

DB_EXTENSIONS = {".duckdb": "duckdb", ".ddb": "duckdb", ".sqlite": "sqlite", ".sqlite3": "sqlite",
                 ".db": "sqlite"}
META_TABLES = ("toex_history", "toex_tables", "toex_relationships", "toex_case_state")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
SQLITE_MAGIC = b"SQLite format 3\x00"


def db_kind(path: str) -> str | None:
    """'duckdb' / 'sqlite' from the extension (or the magic bytes of an existing file)."""
    kind = DB_EXTENSIONS.get(os.path.splitext(path)[1].lower())
    if kind == "sqlite" and os.path.isfile(path):
        with open(path, "rb") as fh:
            head = fh.read(16)
        if head and head != SQLITE_MAGIC and _is_duckdb(path):
            return "duckdb"
    return kind


def _is_duckdb(path: str) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(12)[8:12] == b"DUCK"
    except OSError:
        return False


def split_target(spec: str) -> tuple[str, str | None] | None:
    """``case.duckdb:calls`` -> ('case.duckdb', 'calls'); ``case.duckdb`` -> ('case.duckdb', None);
    None when ``spec`` is not a database path."""
    if spec is None or spec == "-":
        return None
    if db_kind(spec):
        return spec, None
    if ":" in spec:
        path, table = spec.rsplit(":", 1)
        if db_kind(path) and table:
            return path, table
    return None


def check_table_name(name: str, where: str = "--table") -> str:
    if not _NAME.match(name or ""):
        raise UsageError(f"{where}: table name '{name}' must be letters, digits and _ "
                         "(not starting with a digit)")
    if name.lower() in META_TABLES:
        raise UsageError(f"{where}: '{name}' is toex's own bookkeeping table; choose another name")
    return name


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# ------------------------------------------------------------------------------------ connections


def connect_duckdb(path: str, *, read_only: bool = False):
    import duckdb

    try:
        con = duckdb.connect(path, read_only=read_only)
    except duckdb.IOException as exc:
        text = _first_line(exc)
        if "lock" in text.lower():
            m = re.search(r"\(PID (\d+)\)", text)
            who = f" (process {m.group(1)})" if m else ""
            raise UsageError(f"{path}: is open in another program{who}; a DuckDB file has one "
                             "writer at a time: close it there, or wait") from None
        if "not a valid DuckDB" in text:
            raise DataError(f"{path}: exists but is not a DuckDB database") from None
        raise UsageError(f"{path}: cannot open the DuckDB file ({text})") from None
    except duckdb.Error as exc:
        raise DataError(f"{path}: not a readable DuckDB file ({_first_line(exc)})") from None
    con.execute("SET TimeZone='UTC'")
    return con


def connect_sqlite(path: str, *, read_only: bool = False):
    import sqlite3

    try:
        if read_only:
            con = sqlite3.connect(f"file:{os.path.abspath(path)}?mode=ro", uri=True, check_same_thread=False,
                                  isolation_level=None)
        else:
            con = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        con.execute("PRAGMA schema_version").fetchone()
    except sqlite3.DatabaseError as exc:
        raise DataError(f"{path}: not a readable SQLite file ({_first_line(exc)})") from None
    return con


def _first_line(exc) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__


class Store:
    """One open case file (DuckDB or SQLite) with the few operations toex needs."""

    def __init__(self, path: str, kind: str | None = None, *, read_only: bool = False):
        self.path = path
        self.kind = kind or db_kind(path) or "duckdb"
        self.read_only = read_only
        if read_only and not os.path.exists(path):
            raise UsageError(f"{path}: no such file")
        self.con = (connect_duckdb if self.kind == "duckdb" else connect_sqlite)(path, read_only=read_only)

    def close(self):
        try:
            self.con.close()
        except Exception:
            pass

    def execute(self, sql, params=()):
        return self.con.execute(sql, params) if params else self.con.execute(sql)

    def tables(self) -> list[str]:
        """User tables and views (not toex's bookkeeping), in name order."""
        if self.kind == "duckdb":
            rows = self.execute("SELECT table_name FROM information_schema.tables "
                                "WHERE table_schema = 'main' ORDER BY table_name").fetchall()
        else:
            rows = self.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view') "
                                "AND name NOT LIKE 'sqlite_%' ORDER BY name").fetchall()
        return [r[0] for r in rows if r[0].lower() not in META_TABLES and not r[0].startswith("__toex")]

    def has_table(self, name: str) -> bool:
        if self.kind == "duckdb":
            return bool(self.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = "
                                     "'main' AND table_name = ?", [name]).fetchone()[0])
        return bool(self.execute("SELECT count(*) FROM sqlite_master WHERE type IN ('table','view') "
                                 "AND name = ?", (name,)).fetchone()[0])

    def columns(self, table: str) -> list[tuple[str, str]]:
        if self.kind == "duckdb":
            return [(r[0], r[1]) for r in self.execute(f"DESCRIBE {quote(table)}").fetchall()]
        return [(r[1], r[2]) for r in self.execute(f"PRAGMA table_info({quote(table)})").fetchall()]

    def count(self, table: str) -> int:
        return self.execute(f"SELECT count(*) FROM {quote(table)}").fetchone()[0]

    def stored_schema(self, table: str) -> pa.Schema | None:
        if not self.has_table("toex_tables"):
            return None
        row = self.execute("SELECT arrow_schema FROM toex_tables WHERE table_name = ?", [table]).fetchone()
        if not row or not row[0]:
            return None
        try:
            return pa.ipc.read_schema(pa.py_buffer(base64.b64decode(row[0])))
        except (pa.ArrowInvalid, ValueError):
            return None

    def table_kind(self, table: str) -> str | None:
        if not self.has_table("toex_tables"):
            return None
        row = self.execute("SELECT kind FROM toex_tables WHERE table_name = ?", [table]).fetchone()
        return row[0] if row else None

    def history(self, table: str | None = None) -> list[dict]:
        """toex_history rows (oldest first), for one table or all."""
        if not self.has_table("toex_history"):
            return []
        sql = ("SELECT step, table_name, mode, command, toex, time, inputs, rows_in, rows_out "
               "FROM toex_history")
        rows = (self.execute(sql + " WHERE table_name = ? ORDER BY step", [table]).fetchall()
                if table else self.execute(sql + " ORDER BY step").fetchall())
        out = []
        for step, tname, mode, command, toex, time, inputs, rows_in, rows_out in rows:
            out.append({"step": step, "table": tname, "mode": mode, "command": command, "toex": toex,
                        "time": str(time), "inputs": json.loads(inputs or "[]"),
                        "rows_in": rows_in, "rows_out": rows_out})
        return out

    def steps_for(self, table: str) -> list[dict]:
        """The processing history of ``table`` as toex history steps (what a Parquet file carries):
        the steps its inputs carried, then the writes into the table."""
        if not self.has_table("toex_history"):
            return []
        steps: list = []
        seen: set = set()
        rows = self.execute("SELECT prior, command, toex, time, inputs, rows_in, rows_out, mode "
                            "FROM toex_history WHERE table_name = ? ORDER BY step", [table]).fetchall()
        starts = [i for i, r in enumerate(rows) if r[7] in ("create", "replace")]
        rows = rows[starts[-1]:] if starts else rows  # what was replaced is not this table's past
        for (prior, command, toex, time, inputs, rows_in, rows_out, mode) in rows:
            for s in json.loads(prior or "[]"):
                key = json.dumps(s, sort_keys=True)
                if key not in seen:
                    seen.add(key)
                    steps.append(s)
            steps.append({"toex": toex, "command": command, "time": str(time),
                          "inputs": json.loads(inputs or "[]"), "rows_in": rows_in,
                          "rows_out": rows_out, "table": table, "mode": mode})
        return steps

    # -------------------------------------------------------------------------------- bookkeeping
    def ensure_meta(self):
        self.execute("CREATE TABLE IF NOT EXISTS toex_history (step BIGINT, table_name VARCHAR, "
                     "mode VARCHAR, command VARCHAR, toex VARCHAR, time VARCHAR, inputs VARCHAR, "
                     "input_sha256 VARCHAR, rows_in BIGINT, rows_out BIGINT, prior VARCHAR)")
        self.execute("CREATE TABLE IF NOT EXISTS toex_tables (table_name VARCHAR PRIMARY KEY, "
                     "kind VARCHAR, arrow_schema VARCHAR, updated VARCHAR)")
        self.execute("CREATE TABLE IF NOT EXISTS toex_relationships (from_table VARCHAR, "
                     "from_column VARCHAR, to_table VARCHAR, to_column VARCHAR, note VARCHAR)")

    def record(self, table: str, mode: str, step: dict, prior: list, schema: pa.Schema,
               kind: str | None):
        """Inside the writing transaction: one history row and the table's Arrow schema."""
        n = self.execute("SELECT coalesce(max(step), 0) + 1 FROM toex_history").fetchone()[0]
        shas = [i.get("sha256") for i in step.get("inputs", []) if i.get("sha256")]
        self.execute("INSERT INTO toex_history VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     [n, table, mode, step.get("command"), step.get("toex"), step.get("time"),
                      json.dumps(step.get("inputs", []), ensure_ascii=False), ",".join(shas) or None,
                      step.get("rows_in"), step.get("rows_out"),
                      json.dumps(prior, ensure_ascii=False) if prior else None])
        encoded = base64.b64encode(schema.remove_metadata().serialize().to_pybytes()).decode("ascii")
        old_kind = self.table_kind(table)
        self.execute("DELETE FROM toex_tables WHERE table_name = ?", [table])
        self.execute("INSERT INTO toex_tables VALUES (?, ?, ?, ?)",
                     [table, kind or old_kind, encoded,
                      _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")])

    def declare_relationship(self, from_table, from_column, to_table, to_column, note=""):
        self.ensure_meta()
        self.execute("DELETE FROM toex_relationships WHERE from_table = ? AND from_column = ? AND "
                     "to_table = ? AND to_column = ?", [from_table, from_column, to_table, to_column])
        self.execute("INSERT INTO toex_relationships VALUES (?, ?, ?, ?, ?)",
                     [from_table, from_column, to_table, to_column, note])

    def drop_table(self, table: str):
        self.execute(f"DROP TABLE IF EXISTS {quote(table)}")
        if self.has_table("toex_tables"):
            self.execute("DELETE FROM toex_tables WHERE table_name = ?", [table])


# ----------------------------------------------------------------------------------------- writing

class StoreWriter:
    """The database half of TableWriter: every batch goes into one open transaction."""

    def __init__(self, path: str, table: str, *, replace: bool = False, kind: str | None = None):
        self.path = path
        self.table = check_table_name(table)
        self.replace = replace
        self.table_kind = kind
        parent = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(parent):
            raise UsageError(f"{path}: folder {parent} does not exist")
        self.store = Store(path, db_kind(path))
        self.kind = self.store.kind
        self.rows = 0
        self.schema: pa.Schema | None = None
        self.exists = self.store.has_table(self.table)
        self.target = self.table
        self._begin()

    def _begin(self):
        if self.kind == "duckdb":
            self.store.con.begin()
        else:
            self.store.execute("BEGIN IMMEDIATE")
        self.store.ensure_meta()
        if self.replace or not self.exists:
            self.target = f"__toex_new_{self.table}"
            self.store.execute(f"DROP TABLE IF EXISTS {quote(self.target)}")

    def open(self, schema: pa.Schema):
        self.schema = schema
        if self.target != self.table:
            self._create(self.target, schema)
        else:
            have = {c for c, _ in self.store.columns(self.table)}
            extra = [n for n in schema.names if n not in have]
            if extra:
                raise DataError(f"{self.path}: table '{self.table}' has no column(s) "
                                f"{', '.join(extra[:5])}; add --replace to replace the table, or "
                                "write to another --table")

    def _create(self, name: str, schema: pa.Schema):
        if self.kind == "duckdb":
            self.store.con.register("__toex_batch", schema.empty_table())
            self.store.execute(f"CREATE TABLE {quote(name)} AS SELECT * FROM __toex_batch")
            self.store.con.unregister("__toex_batch")
        else:
            cols = ", ".join(f"{quote(f.name)} {sqlite_decl(f.type)}" for f in schema)
            self.store.execute(f"CREATE TABLE {quote(name)} ({cols})")

    def write(self, batch):
        if batch.num_rows == 0:
            return
        if self.kind == "duckdb":
            import duckdb

            self.store.con.register("__toex_batch", batch)
            try:
                self.store.execute(f"INSERT INTO {quote(self.target)} BY NAME SELECT * FROM __toex_batch")
            except duckdb.ConversionException as exc:
                raise DataError(f"{self.path}: table '{self.table}': {_first_line(exc)}; add "
                                "--replace to replace the table, or write to another --table") from None
            finally:
                self.store.con.unregister("__toex_batch")
        else:
            names = ", ".join(quote(n) for n in batch.schema.names)
            marks = ", ".join("?" for _ in batch.schema.names)
            self.store.con.executemany(f"INSERT INTO {quote(self.target)} ({names}) VALUES ({marks})",
                                       sqlite_rows(batch))
        self.rows += batch.num_rows

    def commit(self, step: dict, prior: list):
        if self.schema is None or not len(self.schema):
            raise DataError(f"{self.path}: nothing to write into table '{self.table}' (no columns)")
        schema = self.schema
        if self.target != self.table:
            if self.schema is None:
                self._create(self.target, schema)
            if self.exists:
                self.store.execute(f"DROP TABLE {quote(self.table)}")
            self.store.execute(f"ALTER TABLE {quote(self.target)} RENAME TO {quote(self.table)}")
        mode = "replace" if (self.replace and self.exists) else ("append" if self.exists else "create")
        if mode == "append":
            old = self.store.stored_schema(self.table)
            if old is not None:
                schema = old
        self.store.record(self.table, mode, step, prior, schema, self.table_kind)
        if self.kind == "duckdb":
            self.store.con.commit()
        else:
            self.store.execute("COMMIT")
        self.store.close()

    def abort(self):
        try:
            if self.kind == "duckdb":
                self.store.con.rollback()
            else:
                self.store.execute("ROLLBACK")
        except Exception:
            pass
        self.store.close()


# ------------------------------------------------------------------------------- SQLite encodings

def sqlite_decl(t: pa.DataType) -> str:
    if pa.types.is_boolean(t):
        return "BOOLEAN"
    if pa.types.is_integer(t):
        return "INTEGER"
    if pa.types.is_floating(t):
        return "REAL"
    if pa.types.is_decimal(t):
        # SQLite gives DECIMAL numeric affinity: exact through a double up to 15 digits (and
        # numeric for Power BI); longer ones are kept as text so that no digit is lost
        if t.precision <= 15:
            return f"DECIMAL({t.precision},{t.scale})"
        return f"DECIMAL_TEXT({t.precision},{t.scale})"
    if pa.types.is_timestamp(t):
        return "TIMESTAMP" if t.tz is None else "TIMESTAMPTZ"
    if pa.types.is_date(t):
        return "DATE"
    return "TEXT"


def _sqlite_column(col: pa.Array) -> list:
    t = col.type
    values = col.to_pylist()
    if pa.types.is_decimal(t):
        if t.precision <= 15:
            return [None if v is None else (int(v) if v == v.to_integral_value() else float(v))
                    for v in values]
        return [None if v is None else format(v, "f") for v in values]
    if pa.types.is_timestamp(t) or pa.types.is_date(t) or pa.types.is_time(t):
        return [None if v is None else v.isoformat() for v in values]
    if pa.types.is_boolean(t):
        return [None if v is None else int(v) for v in values]
    if pa.types.is_integer(t) or pa.types.is_floating(t) or pa.types.is_string(t) \
            or pa.types.is_large_string(t):
        return values
    return [None if v is None else (v if isinstance(v, str) else json.dumps(v, default=str))
            for v in values]


def sqlite_rows(batch):
    return zip(*[_sqlite_column(c) for c in batch.columns]) if batch.num_columns else iter([])


def _from_text(values: list, t: pa.DataType) -> pa.Array:
    """SQLite cells back to the Arrow type recorded when they were written."""
    from decimal import Decimal

    if pa.types.is_decimal(t):
        step = Decimal(1).scaleb(-t.scale)
        return pa.array([None if v is None else Decimal(str(v)).quantize(step) for v in values], t)
    if pa.types.is_timestamp(t):
        parsed = [None if v is None else _dt.datetime.fromisoformat(str(v)) for v in values]
        return pa.array(parsed, pa.timestamp(t.unit, tz="UTC" if t.tz else None)).cast(t)
    if pa.types.is_date(t):
        return pa.array([None if v is None else _dt.date.fromisoformat(str(v)) for v in values], t)
    if pa.types.is_boolean(t):
        return pa.array([None if v is None else bool(v) for v in values], t)
    if pa.types.is_string(t):
        try:
            return pa.array(values, t)  # text written as text: no per-value work
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            return pa.array([None if v is None else str(v) for v in values], t)
    try:
        return pa.array(values, t)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return pa.array([None if v is None else str(v) for v in values], pa.string())


# ----------------------------------------------------------------------------------------- reading

class StoreReader:
    """A table of a case file as a toex input (record batches, types as written)."""

    def __init__(self, source, opts):
        self.source = source
        self.opts = opts
        path = source.path
        table = source.details.get("table")
        self.store = Store(path, source.format, read_only=not _is_pending_output(path))
        tables = self.store.tables()
        if table is None:
            if len(tables) != 1:
                listing = ", ".join(tables) if tables else "none"
                raise UsageError(f"{source.name}: holds {len(tables)} tables ({listing}); name one as "
                                 f"{path}:TABLE")
            table = tables[0]
            source.details["table"] = table
        elif not self.store.has_table(table):
            listing = ", ".join(tables) if tables else "none"
            raise UsageError(f"{source.name}: no table '{table}' (tables: {listing})")
        self.table = table
        self.stored = self.store.stored_schema(table)
        source.history = self.store.steps_for(table)
        self._schema = self._compute_schema()

    def _compute_schema(self) -> pa.Schema:
        cols = self.store.columns(self.table)
        stored = {f.name: f for f in self.stored} if self.stored is not None else {}
        fields = []
        for name, decl in cols:
            if name in stored:
                fields.append(stored[name])
            elif self.store.kind == "duckdb":
                fields.append(None)  # taken from DuckDB's Arrow output below
            else:
                fields.append(pa.field(name, _sqlite_affinity(decl)))
        if self.store.kind == "duckdb" and any(f is None for f in fields):
            native = self.store.con.sql(f"SELECT * FROM {quote(self.table)} LIMIT 0").to_arrow_table().schema
            fields = [f if f is not None else _plain(native.field(i)) for i, f in enumerate(fields)]
        return pa.schema(fields)

    def schema(self):
        return self._schema

    def batches(self):
        n = self.opts.batch_rows
        if self.store.kind == "duckdb":
            reader = self.store.con.sql(f"SELECT * FROM {quote(self.table)}").to_arrow_reader(n)
            for batch in reader:
                if batch.num_rows:
                    yield _cast_to(batch, self._schema)
        else:
            cur = self.store.execute(f"SELECT * FROM {quote(self.table)}")
            while True:
                rows = cur.fetchmany(n)
                if not rows:
                    break
                cols = list(zip(*rows))
                arrays = [_from_text(list(c), f.type) for c, f in zip(cols, self._schema)]
                yield _cast_to(pa.RecordBatch.from_arrays(arrays, names=self._schema.names), self._schema)
        self.store.close()


def _plain(f: pa.Field) -> pa.Field:
    t = f.type
    if pa.types.is_large_string(t) or pa.types.is_string_view(t):
        t = pa.string()
    return pa.field(f.name, t)


def _sqlite_affinity(decl: str) -> pa.DataType:
    d = (decl or "").upper()
    if "INT" in d:
        return pa.int64()
    if any(k in d for k in ("REAL", "FLOA", "DOUB")):
        return pa.float64()
    return pa.string()


def _cast_to(batch: pa.RecordBatch, schema: pa.Schema) -> pa.RecordBatch:
    if batch.schema.equals(schema, check_metadata=False):
        return batch
    arrays = []
    for col, f in zip(batch.columns, schema):
        if col.type != f.type:
            try:
                col = col.cast(f.type)
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                col = col.cast(pa.string())
        arrays.append(col)
    return pa.RecordBatch.from_arrays(arrays, names=schema.names)


# The database path a command is about to write (set by the CLI): reading a table of the same
# DuckDB file must then share the read-write connection instead of a read-only one.
PENDING_OUTPUTS: set[str] = set()


def _is_pending_output(path: str) -> bool:
    return os.path.abspath(path) in PENDING_OUTPUTS


# --------------------------------------------------------------------------------- relationships

KEY_ENDINGS = ("e164", "_id", "phone", "number", "msisdn", "handset", "imei", "imsi", "account",
               "iban", "sort_code", "vrm", "plate", "email", "e-mail", "wallet", "address", "party",
               "caller", "callee", "person", "entity")


def _keyish(column: str) -> bool:
    c = column.lower().strip()
    return not c.startswith("_") and (c == "id" or c.endswith(KEY_ENDINGS))


def relationships(store: Store, tables: list[str] | None = None, sample_cap: int = 200_000) -> list[dict]:
    """Which column joins which: the declared ones (``toex_relationships``); tables holding the
    same rows (one derived from the other: shared ``_source``/``_row``); then identifier columns
    of different tables whose values overlap (counted, not guessed from names alone)."""
    tables = tables if tables is not None else store.tables()
    found: list[dict] = []
    seen = set()
    if store.has_table("toex_relationships"):
        for a, ac, b, bc, note in store.execute("SELECT * FROM toex_relationships").fetchall():
            found.append({"from": f"{a}.{ac}", "to": f"{b}.{bc}", "how": note or "declared"})
            seen.add(frozenset((f"{a}.{ac}", f"{b}.{bc}")))
    cols = {t: [c for c, _ in store.columns(t)] for t in tables}
    keyish = {t: [c for c in cols[t] if _keyish(c)] for t in tables}
    same_rows = set()
    for i, a in enumerate(tables):
        for b in tables[i + 1:]:
            if not all(p in cols[a] and p in cols[b] for p in ("_source", "_row")):
                continue
            try:
                n = store.execute(
                    f"SELECT count(*) FROM (SELECT DISTINCT _source, _row FROM {quote(a)} LIMIT "
                    f"{sample_cap}) x JOIN (SELECT DISTINCT _source, _row FROM {quote(b)}) y "
                    "USING (_source, _row)").fetchone()[0]
            except Exception:
                continue
            if n:
                same_rows.add(frozenset((a, b)))
                found.append({"from": f"{a}._source+_row", "to": f"{b}._source+_row",
                              "how": f"the same {n:,} input rows: one table made from the other"})
    pairs = []
    for i, a in enumerate(tables):
        for b in tables[i + 1:]:
            derived = frozenset((a, b)) in same_rows
            for ac in keyish[a]:
                for bc in keyish[b]:
                    if derived and ac == bc:
                        continue  # a copied column, not a join
                    if ac == bc or _same_kind(ac, bc):
                        pairs.append((a, ac, b, bc))
    for a, ac, b, bc in pairs[:80]:
        key = frozenset((f"{a}.{ac}", f"{b}.{bc}"))
        if key in seen:
            continue
        try:
            n = store.execute(
                f"SELECT count(*) FROM (SELECT DISTINCT CAST({quote(ac)} AS VARCHAR) v FROM "
                f"(SELECT {quote(ac)} FROM {quote(a)} LIMIT {sample_cap}) WHERE {quote(ac)} IS NOT NULL "
                f"AND CAST({quote(ac)} AS VARCHAR) <> '') x JOIN (SELECT DISTINCT CAST({quote(bc)} AS "
                f"VARCHAR) v FROM (SELECT {quote(bc)} FROM {quote(b)} LIMIT {sample_cap})) y "
                f"ON x.v = y.v").fetchone()[0]
        except Exception:
            continue
        if n:
            seen.add(key)
            found.append({"from": f"{a}.{ac}", "to": f"{b}.{bc}", "how": f"{n:,} shared values"})
    return found


def _same_kind(a: str, b: str) -> bool:
    """Two differently named columns of the same kind of key (both E.164 phones, both VRMs...)."""
    for suffix in ("_e164", "_vrm", "entity_id", "_iban", "_account"):
        if a.lower().endswith(suffix) and b.lower().endswith(suffix):
            return True
    return False


def describe(path: str) -> dict:
    """``toex inspect case.duckdb``: tables with rows, columns and kind, relationships, history."""
    store = Store(path, db_kind(path), read_only=True)
    try:
        tables = store.tables()
        out = []
        for t in tables:
            cols = store.columns(t)
            out.append({"table": t, "kind": store.table_kind(t), "rows": store.count(t),
                        "columns": [{"name": c, "type": d} for c, d in cols]})
        return {"store": path, "engine": store.kind, "tables": out,
                "relationships": relationships(store, tables), "history": store.history()}
    finally:
        store.close()


def render_description(report: dict, console) -> None:
    from rich.table import Table

    console.print(f"[bold]{report['store']}[/bold]: {report['engine']}, {len(report['tables'])} tables")
    t = Table(show_header=True, header_style="bold", width=min(console.width, 100))
    for head in ("table", "kind", "rows", "columns"):
        t.add_column(head, overflow="fold", justify="right" if head == "rows" else "left")
    for tab in report["tables"]:
        cols = ", ".join(c["name"] for c in tab["columns"])
        t.add_row(tab["table"], tab["kind"] or "", f"{tab['rows']:,}", cols[:300])
    console.print(t)
    if report["relationships"]:
        console.print("[bold]relationships[/bold] (which column joins which)")
        for r in report["relationships"]:
            console.print(f"  {r['from']} = {r['to']}  [dim]({r['how']})[/dim]")
    else:
        console.print("no relationships found (no shared key values between tables)")
    if report["history"]:
        console.print(f"[bold]history[/bold]: {len(report['history'])} writes (last: "
                      f"{report['history'][-1]['command']})")


# ------------------------------------------------------------------ the command line's --table/--replace

class _CliTarget:
    """What the running command was given: its -o, --table, --replace, and its natural table
    name (set by the CLI wrapper around every command that writes; see toexcli.cliutil)."""

    output: str | None = None
    table: str | None = None
    replace: bool = False
    default: str | None = None

    def set(self, output=None, table=None, replace=False, default=None):
        self.output, self.table, self.replace, self.default = output, table, replace, default
        PENDING_OUTPUTS.clear()
        target = split_target(output) if output else None
        if target is not None:
            PENDING_OUTPUTS.add(os.path.abspath(target[0]))

    def clear(self):
        self.set()


CLI = _CliTarget()


def table_from_name(name: str) -> str:
    """A table name from a file name: its stem, with anything but letters, digits and _ as _."""
    target = split_target(name)
    if target is not None and target[1]:
        return target[1]
    stem = os.path.splitext(os.path.basename(name.split("#", 1)[0]))[0] or "data"
    stem = re.sub(r"[^A-Za-z0-9_]+", "_", stem).strip("_") or "data"
    return stem if not stem[0].isdigit() else "t_" + stem


def resolve_table(output: str, table: str | None, replace: bool | None, inputs=()):
    """(path, table, replace) for a database output."""
    path, named = split_target(output)
    from_cli = CLI.output is not None and output == CLI.output
    if from_cli:
        if CLI.table and named and CLI.table != named:
            raise UsageError(f"-o {output} and --table {CLI.table} name different tables; give one")
        table = table or CLI.table
        replace = CLI.replace if replace is None else replace
    if named and table and named != table:
        raise UsageError(f"{output}: names table '{named}' but '{table}' was asked for")
    name = named or table
    if name is None and from_cli:
        name = CLI.default
    if name is None and (from_cli or CLI.output is None):
        real = [s for s in inputs if getattr(s, "name", "-") != "-"]
        name = table_from_name(real[0].name) if real else None
    if name is None:
        raise UsageError(f"{output}: name the table, e.g. {path}:NAME")
    return path, check_table_name(name, output), bool(replace)


def check_not_store_options(output, table, replace) -> None:
    """--table/--replace given with an output that is not a database: a usage error."""
    if output is not None and CLI.output is not None and output != CLI.output:
        return
    asked_table = table or (CLI.table if CLI.output == output else None)
    asked_replace = replace or (CLI.replace if CLI.output == output else False)
    if asked_table or asked_replace:
        what = "--table" if asked_table else "--replace"
        raise UsageError(f"{what} applies only to a database output (-o case.duckdb or case.sqlite)")
