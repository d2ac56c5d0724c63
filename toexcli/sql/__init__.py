"""``toex sql``: DuckDB SQL over toex inputs, each a view named after its file stem.

>>> from toexcli.sql import SqlSession                                     # doctest: +SKIP
>>> with SqlSession() as s:                                                # doctest: +SKIP
...     s.add("calls.csv"); s.add("people=examples/people.xlsx#sheet=Staff")
...     df = s.query("SELECT * FROM calls JOIN people USING (phone)").to_pandas()

How each input becomes a view (read with toex's rules):

* Parquet (a file, or a glob of Parquet files): a view over ``read_parquet`` -- nothing is loaded,
  DuckDB reads only the columns and row groups the query needs, types as Parquet holds them;
  ``_source``/``_row`` are added (file name, row number from 1) when the files lack them.
* a DuckDB case file: ``case.duckdb`` attaches it read-only and makes a view of each of its
  tables; ``case.duckdb:calls`` only that table. Types as stored.
* anything else (CSV, Excel, JSON Lines, Arrow, SQLite table, stdin...): read by toex (every column
  as text, ``_source``/``_row`` added, per-file options such as ``file.xlsx#sheet=Calls``) into a
  DuckDB table, which spills to disk when it is larger than the memory limit.

Queries run out of core: DuckDB's memory limit defaults to half the machine's memory (or the
``TOEX_SQL_MEMORY`` environment variable, or ``--memory-limit``), and it spills sorts, joins and
groupings to a private temporary folder (``--temp-dir``; removed at the end).
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import tempfile

from ..errors import DataError, ToexError, UsageError

GLOB_CHARS = re.compile(r"[*?\[]")
_VIEW = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def default_memory_limit() -> str:
    """Half of the machine's (or the container's) memory, as DuckDB text ('11GB')."""
    env = os.environ.get("TOEX_SQL_MEMORY")
    if env:
        return env
    total = 0
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        pass
    try:
        with open("/sys/fs/cgroup/memory.max") as fh:
            raw = fh.read().strip()
        if raw.isdigit():
            total = min(total, int(raw)) if total else int(raw)
    except OSError:
        pass
    if not total:
        return "2GB"
    return f"{max(total // 2 // (1 << 20), 256)}MB"


def split_spec(spec: str) -> tuple[str | None, str]:
    """``name=path`` -> ('name', 'path'); a bare path -> (None, path). A path that itself holds
    '=' (and exists) is taken whole."""
    if "=" in spec:
        name, path = spec.split("=", 1)
        if _VIEW.match(name) and not os.path.exists(spec):
            return name, path
    return None, spec


def one_line(exc) -> str:
    lines = [ln.strip() for ln in str(exc).strip().splitlines() if ln.strip()]
    text = lines[0] if lines else type(exc).__name__
    for extra in lines[1:]:
        if extra.startswith(("Did you mean", "Candidate bindings")):
            text += "; " + extra.rstrip(".")
    return text[:300]


class SqlSession:
    """An in-memory DuckDB with toex inputs registered as views."""

    def __init__(self, memory_limit: str | None = None, temp_dir: str | None = None,
                 threads: int | None = None):
        import duckdb

        self.con = duckdb.connect(":memory:")
        self._own_temp = temp_dir is None
        self.temp_dir = temp_dir or tempfile.mkdtemp(prefix="toex-sql-")
        try:
            self.con.execute("SET TimeZone='UTC'")
            self.con.execute(f"SET memory_limit='{memory_limit or default_memory_limit()}'")
            self.con.execute(f"SET temp_directory='{self.temp_dir}'")
            if threads:
                self.con.execute(f"SET threads={int(threads)}")
        except duckdb.Error as exc:
            self.close()
            raise UsageError(f"sql: {one_line(exc)}") from None
        self.views: dict[str, str] = {}  # name -> what it reads
        self.sources: list = []
        self.history: list = []
        self._attached = 0

    # -- context manager
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def close(self):
        try:
            self.con.close()
        except Exception:
            pass
        if self._own_temp:
            shutil.rmtree(self.temp_dir, ignore_errors=True)

    # -- inputs
    def add(self, spec: str, *, read_options: dict | None = None) -> list[str]:
        """Register one input; returns the view names it made."""
        from ..io.store import db_kind, split_target, table_from_name

        name, path = split_spec(spec)
        bare = path.split("#", 1)[0]
        target = split_target(bare)
        if target is not None and db_kind(target[0]) == "duckdb" and os.path.isfile(target[0]):
            return self._add_duckdb(name, target[0], target[1], spec)
        if GLOB_CHARS.search(bare) and not os.path.exists(bare):
            files = sorted(glob.glob(bare, recursive=True))
            if not files:
                raise UsageError(f"{path}: no file matches")
            if all(_is_parquet(f) for f in files):
                return [self._add_parquet(name or _glob_stem(bare), files, path)]
            raise UsageError(f"{path}: a glob can name only Parquet files for toex sql; give the "
                             "other files one by one (or stack them with toex convert first)")
        view = name or table_from_name(bare if bare != "-" else "stdin")
        if bare != "-" and os.path.isfile(bare) and "#" not in path and _is_parquet(bare) \
                and not (read_options or {}).get("input_format"):
            return [self._add_parquet(view, [bare], path)]
        return [self._add_toex(view, path, read_options or {})]

    def add_all(self, specs, read_options: dict | None = None) -> None:
        """Register every input; global read options go only to the inputs toex reads that
        they fit (as for every command with several inputs)."""
        from ..io.options import per_input

        read_options = {k: v for k, v in (read_options or {}).items() if v}
        specs = list(specs or [])
        toex_read = [i for i, spec in enumerate(specs) if self._read_by_toex(spec, read_options)]
        paths = [split_spec(specs[i])[1] for i in toex_read]
        planned = dict(zip(toex_read, per_input(paths, **read_options))) if read_options else {}
        for i, spec in enumerate(specs):
            self.add(spec, read_options=planned.get(i, read_options))

    @staticmethod
    def _read_by_toex(spec: str, read_options: dict) -> bool:
        from ..io.store import db_kind, split_target

        _, path = split_spec(spec)
        bare = path.split("#", 1)[0]
        target = split_target(bare)
        if target is not None and db_kind(target[0]) == "duckdb" and os.path.isfile(target[0]):
            return False
        if GLOB_CHARS.search(bare) and not os.path.exists(bare):
            return False
        return not (bare != "-" and os.path.isfile(bare) and "#" not in path and _is_parquet(bare)
                    and not read_options.get("format"))

    def _claim(self, view: str, what: str) -> str:
        if not _VIEW.match(view):
            raise UsageError(f"sql: '{view}' cannot be a view name; name the input: NAME={what}")
        if view.lower() in (v.lower() for v in self.views):
            raise UsageError(f"sql: two inputs would both be the view '{view}' ({self.views[view]} "
                             f"and {what}); name one: OTHER={what}")
        self.views[view] = what
        return view

    def _add_parquet(self, view: str, files: list[str], what: str) -> str:
        import pyarrow.parquet as pq

        self._claim(view, what)
        try:
            names = pq.read_schema(files[0]).names
        except Exception as exc:  # noqa: BLE001 -- a corrupt file is named in one line
            raise DataError(f"{files[0]}: not a readable Parquet file ({one_line(exc)})") from None
        listing = "[" + ", ".join(_literal(f) for f in files) + "]"
        plain = f"SELECT * FROM read_parquet({listing}, union_by_name=true)"
        if ("_source" in names and "_row" in names) or "filename" in names or "file_row_number" in names:
            sql = plain
        else:  # the file name and row number (from 1) as toex's provenance
            sql = (f"SELECT * EXCLUDE (filename, file_row_number), filename AS _source, "
                   f"file_row_number + 1 AS _row FROM read_parquet({listing}, union_by_name=true, "
                   "filename=true, file_row_number=true)")
        self._run(f"CREATE VIEW {_q(view)} AS {sql}")
        self._note_files(files, "parquet")
        return view

    def _add_duckdb(self, name: str | None, path: str, table: str | None, what: str) -> list[str]:
        from ..io.store import Store

        store = Store(path, "duckdb", read_only=True)
        try:
            tables = store.tables()
            history = [s for t in tables for s in store.steps_for(t)]
        finally:
            store.close()
        if table is not None and table not in tables:
            raise UsageError(f"{path}: no table '{table}' (tables: {', '.join(tables) or 'none'})")
        from ..io.store import PENDING_OUTPUTS

        # the result goes into this same file: copy what is read (DuckDB spills) and let go of
        # the file, so that the writer can open it
        copy = os.path.abspath(path) in PENDING_OUTPUTS
        self._attached += 1
        alias = f"__toex_db{self._attached}"
        self._run(f"ATTACH {_literal(path)} AS {alias} (READ_ONLY)")
        made = []
        for t in ([table] if table else tables):
            view = name if (name and table) else (f"{name}_{t}" if name else t)
            self._claim(view, f"{path}:{t}")
            kind = "TABLE" if copy else "VIEW"
            self._run(f"CREATE {kind} {_q(view)} AS SELECT * FROM {alias}.{_q(t)}")
            made.append(view)
        if copy:
            self._run(f"DETACH {alias}")
        from ..io.sources import Source

        src = Source(name=what, path=path, format="duckdb")
        src.history = history
        self.sources.append(src)
        return made

    def _add_toex(self, view: str, path: str, read_options: dict) -> str:
        import pyarrow as pa

        from ..io import TableInput

        self._claim(view, path)
        table = TableInput([path], **read_options)
        failed: list[BaseException] = []

        def batches():
            # DuckDB reports an error raised while it pulls batches as its own error, with the
            # Python traceback in the text: keep toex's one-line error to raise it as it is
            try:
                yield from table.batches()
            except BaseException as exc:
                failed.append(exc)
                raise

        reader = pa.RecordBatchReader.from_batches(table.schema, batches())
        self.con.register("__toex_in", reader)
        try:
            self._run(f"CREATE TABLE {_q(view)} AS SELECT * FROM __toex_in")
        except ToexError:
            if failed:
                raise failed[0] from None
            raise
        finally:
            self.con.unregister("__toex_in")
        self.sources.extend(table.sources)
        self.history.extend(table.history)
        return view

    def _note_files(self, files, fmt):
        from ..io.history import decode_history, HISTORY_KEY
        from ..io.sources import Source

        for f in files[:1000]:
            # queried in place, maybe 50 GB of it: not hashed (that would read every byte the
            # query skips); the history names the files and their sizes instead
            s = Source(name=f, path=None, format=fmt, details={"bytes": os.path.getsize(f)})
            if fmt == "parquet" and len(files) <= 20:
                try:
                    import pyarrow.parquet as pq

                    meta = pq.read_schema(f).metadata or {}
                    s.history = decode_history(meta.get(HISTORY_KEY))
                except Exception:  # noqa: BLE001
                    pass
            self.sources.append(s)

    def _run(self, sql: str):
        import duckdb

        try:
            return self.con.execute(sql)
        except duckdb.Error as exc:
            raise _translate(exc, self.views) from None

    # -- queries
    def query(self, sql: str, batch_rows: int = 65536):
        """The result as an Arrow RecordBatchReader (streamed, not loaded)."""
        import duckdb

        if not sql or not sql.strip():
            raise UsageError("sql: the query is empty")
        try:
            statements = self.con.extract_statements(sql)
            if not statements:
                raise UsageError("sql: the query is empty")
            # earlier statements (CREATE TEMP TABLE ..., SET ...) prepare; the last one answers
            for st in statements[:-1]:
                self.con.execute(st.query)
            last = statements[-1]
            if last.type.name not in ("SELECT", "EXPLAIN", "PRAGMA"):
                raise UsageError(f"sql: the last statement is a {last.type.name}, which returns no "
                                 "table; toex sql runs queries (SELECT ...) and writes their result "
                                 "with -o")
            rel = self.con.sql(last.query)
        except duckdb.Error as exc:
            raise _translate(exc, self.views) from None
        if rel is None:
            raise UsageError("sql: the statement returned no table; toex sql runs queries "
                             "(SELECT ...), and writes their result with -o")
        try:
            return rel.to_arrow_reader(batch_rows)
        except duckdb.Error as exc:
            raise _translate(exc, self.views) from None


def _translate(exc, views: dict):
    import duckdb

    text = one_line(exc)
    listing = ", ".join(views) if views else "none (give input files after the query)"
    if isinstance(exc, duckdb.ParserException):
        return UsageError(f"sql: {text}")
    if isinstance(exc, duckdb.CatalogException):
        m = re.search(r"with name (\S+) does not exist", text)
        if m:
            return UsageError(f"sql: no table or view '{m.group(1)}'; the views are: {listing}")
        return UsageError(f"sql: {text}; the views are: {listing}")
    if isinstance(exc, (duckdb.BinderException, duckdb.ProgrammingError, duckdb.NotImplementedException)):
        return UsageError(f"sql: {text}")
    if isinstance(exc, duckdb.OutOfMemoryException):
        return DataError(f"sql: {text}; give DuckDB more memory (--memory-limit) or a roomier "
                         "--temp-dir")
    if isinstance(exc, duckdb.IOException):
        return DataError(f"sql: {text}")
    return DataError(f"sql: {text}")


def _is_parquet(path: str) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(4) == b"PAR1"
    except OSError:
        return False


def _glob_stem(pattern: str) -> str:
    from ..io.store import table_from_name

    fixed = pattern.split("*", 1)[0].rstrip("/")
    base = os.path.basename(fixed) or os.path.basename(os.path.dirname(fixed)) or "data"
    return table_from_name(base)


def _literal(text: str) -> str:
    return "'" + str(text).replace("'", "''") + "'"


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
