"""``toex case``: one manifest (case.toml) builds the whole case store, repeatably.

>>> from toexcli.case import build_case                                 # doctest: +SKIP
>>> summary = build_case("examples/case.toml")                         # doctest: +SKIP

The manifest lists the **sources** (files or globs, their kind, read options, hints) and the
**steps** (normalise phones, resolve, summarise, SQL...). ``build_case`` runs them in order into
one DuckDB (or SQLite) case store plus report files. It is idempotent: each source is keyed by the
SHA-256 of its files (and its settings), each step by its settings and the keys of the tables it
reads; a unit whose key has not changed since the last build is skipped, so re-running after
adding one file rebuilds only what depends on it. The keys live in ``toex_case_state``; every
table written gets its ``toex_history`` rows like any ``-o case.duckdb`` write.

Manifest (paths are relative to the manifest's folder)::

    [case]
    name = "Operation Example"
    store = "out/case.duckdb"          # .duckdb or .sqlite
    reports = "out/reports"

    [[source]]
    table = "transactions"             # default: the kind's natural name
    kind = "bank"                      # table, people, bank, calls, messages, anpr
    paths = ["bank_*.csv", "statement.ofx"]
    options = { encoding = "cp1252" }  # sheet, skip, encoding, delimiter, format; or path#sheet=...
    hints = { account = "12-34-56 12345678" }

    [[step]]
    do = "phones normalise"            # see registry.STEPS
    table = "people"
    columns = ["Phone"]
    into = "people_phones"             # default: <table>_phones; the input table stays as read

    [[relationship]]
    from = "calls.Callee_e164"
    to = "people_phones.Phone_e164"
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import time
import tomllib
from dataclasses import dataclass, field

from ..errors import DataError, UsageError
from . import registry

STATE = "toex_case_state"


@dataclass
class Manifest:
    path: str
    folder: str
    name: str
    store: str
    reports: str
    sources: list = field(default_factory=list)
    steps: list = field(default_factory=list)
    relationships: list = field(default_factory=list)


def load_manifest(path: str, store: str | None = None) -> Manifest:
    if not os.path.isfile(path):
        raise UsageError(f"{path}: no such manifest")
    try:
        with open(path, "rb") as fh:
            raw = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: not valid TOML ({exc})") from None
    folder = os.path.dirname(os.path.abspath(path))
    unknown = set(raw) - {"case", "source", "step", "relationship"}
    if unknown:
        raise UsageError(f"{path}: unknown section(s) {', '.join(sorted(unknown))}; use [case], "
                         "[[source]], [[step]], [[relationship]]")
    case = raw.get("case", {})
    store = _tidy(store or os.path.join(folder, case.get("store", "case.duckdb")))
    from ..io.store import db_kind

    if not db_kind(store):
        raise UsageError(f"{path}: store '{store}' must end in .duckdb, .sqlite or .db")
    reports = _tidy(os.path.join(folder, case["reports"])) if "reports" in case else \
        os.path.join(os.path.dirname(store), "reports")
    m = Manifest(path=path, folder=folder, name=case.get("name", os.path.basename(folder)),
                 store=store, reports=reports)
    seen_tables: dict[str, str] = {}
    for i, src in enumerate(raw.get("source", []), start=1):
        where = f"{path}: source {i}"
        if not isinstance(src, dict) or "kind" not in src:
            raise UsageError(f"{where}: give kind = \"...\" ({', '.join(registry.KINDS)})")
        _, _, natural = registry.kind(src["kind"], where)
        paths = src.get("paths", src.get("path"))
        if isinstance(paths, str):
            paths = [paths]
        if not paths:
            raise UsageError(f"{where}: give paths = [\"file or glob\", ...]")
        table = src.get("table") or src.get("name") or natural
        _claim(seen_tables, table, where)
        extra = set(src) - {"kind", "paths", "path", "table", "name", "options", "hints"}
        if extra:
            raise UsageError(f"{where}: unknown setting(s) {', '.join(sorted(extra))}")
        m.sources.append({"kind": src["kind"], "paths": list(paths), "table": table,
                          "options": dict(src.get("options", {})), "hints": dict(src.get("hints", {})),
                          "where": where})
    for i, st in enumerate(raw.get("step", []), start=1):
        where = f"{path}: step {i}"
        if not isinstance(st, dict) or "do" not in st:
            raise UsageError(f"{where}: give do = \"...\" ({', '.join(registry.STEPS)})")
        _, _, suffix = registry.step(st["do"], where)
        st = dict(st)
        st["do"] = registry.ALIASES.get(st["do"], st["do"])
        if st["do"] == "sql":
            if not st.get("sql") or not st.get("into"):
                raise UsageError(f"{where}: an sql step needs sql = \"SELECT ...\" and into = \"table\"")
        elif st["do"] == "timeline":
            tables = st.get("tables")
            if not tables or not isinstance(tables, list):
                raise UsageError(f"{where}: a timeline step needs tables = [\"calls\", \"messages\", ...]")
            for t in tables + ([st["entities_table"]] if st.get("entities_table") else []):
                if t not in seen_tables:
                    raise UsageError(f"{where}: no source or earlier step makes table '{t}' "
                                     f"(tables: {', '.join(seen_tables) or 'none'})")
            st.setdefault("into", "timeline")
        elif not st.get("table"):
            raise UsageError(f"{where}: give table = \"...\" (the case table it reads)")
        elif st.get("entities_table") and st["entities_table"] not in seen_tables:
            raise UsageError(f"{where}: no source or earlier step makes table '{st['entities_table']}'")
        elif st["table"] not in seen_tables:
            raise UsageError(f"{where}: no source or earlier step makes table '{st['table']}' "
                             f"(tables: {', '.join(seen_tables) or 'none'})")
        if suffix and not st.get("into"):
            st["into"] = f"{st['table']}_{suffix}"
        if st.get("into"):
            if st.get("into") == st.get("table"):
                raise UsageError(f"{where}: into must differ from table (the table as read stays "
                                 "as evidence)")
            _claim(seen_tables, st["into"], where)
        if st.get("entities"):
            _claim(seen_tables, st["entities"], where)
        st["where"] = where
        m.steps.append(st)
    for i, rel in enumerate(raw.get("relationship", []), start=1):
        where = f"{path}: relationship {i}"
        try:
            a, ac = rel["from"].split(".", 1)
            b, bc = rel["to"].split(".", 1)
        except (KeyError, ValueError, AttributeError):
            raise UsageError(f"{where}: give from = \"table.column\" and to = \"table.column\"") from None
        m.relationships.append((a, ac, b, bc, rel.get("note", "declared in the manifest")))
    if not m.sources:
        raise UsageError(f"{path}: no [[source]] listed")
    return m


def _tidy(path: str) -> str:
    """A path as short as it can be shown: relative to the working folder when inside it."""
    path = os.path.normpath(os.path.abspath(path))
    rel = os.path.relpath(path)
    return rel if not rel.startswith("..") else path


def _claim(seen: dict, table: str, where: str) -> None:
    from ..io.store import check_table_name

    check_table_name(table, where)
    if table in seen:
        raise UsageError(f"{where}: table '{table}' is already made by {seen[table]}")
    seen[table] = where


# ------------------------------------------------------------------------------------------ build

def _key(*parts) -> str:
    from .. import __version__

    return hashlib.sha256(json.dumps([__version__, *parts], sort_keys=True, default=str)
                          .encode("utf-8")).hexdigest()


def expand(m: Manifest, src: dict) -> list[str]:
    """The files of a source (globs expanded, sorted), each with its #options kept."""
    from ..io.options import split_file_options

    out = []
    for p in src["paths"]:
        bare, opts = split_file_options(os.path.join(m.folder, p))
        suffix = "#" + p.split("#", 1)[1] if opts else ""
        files = sorted(glob.glob(bare, recursive=True)) if any(c in bare for c in "*?[") else [bare]
        files = [f for f in files if os.path.isfile(f)]
        if not files:
            raise UsageError(f"{src['where']}: no file matches '{p}'")
        out.extend(_tidy(f) + suffix for f in files)
    return out


class _Ctx:
    def __init__(self, where, table, reports):
        self.where, self.table, self.reports = where, table, reports


def build_case(manifest_path: str, *, store: str | None = None, force: bool = False,
               only_check: bool = False) -> dict:
    """Build (or bring up to date) the case store of a manifest. Returns what was done."""
    from .. import console
    from ..io.store import Store

    from ..io.sources import sha256_file

    m = load_manifest(manifest_path, store)
    units = len(m.sources) + len(m.steps)
    os.makedirs(os.path.dirname(os.path.abspath(m.store)) or ".", exist_ok=True)
    state = _read_state(m.store)
    keys: dict[str, str] = {}
    done = {"store": m.store, "built": [], "up_to_date": [], "reports": []}
    n = 0
    for src in m.sources:
        n += 1
        files = expand(m, src)
        shas = [(os.path.relpath(f.split("#", 1)[0], m.folder), sha256_file(f.split("#", 1)[0]),
                 f.split("#", 1)[1] if "#" in f else "") for f in files]
        key = _key("source", src["kind"], src["options"], src["hints"], shas)
        unit = f"source:{src['table']}"
        label = f"[{n}/{units}] source {src['table']} ({src['kind']}, {len(files)} file{'s' * (len(files) != 1)})"
        keys[src["table"]] = key
        if not force and state.get(unit) == key and _has(m.store, src["table"]):
            console.info(f"{label}: up to date")
            done["up_to_date"].append(unit)
            continue
        if only_check:
            done["built"].append(unit)
            continue
        t0 = time.monotonic()
        target, adapter, _ = registry.kind(src["kind"], src["where"])
        fn = registry.function(target)
        if fn is None:
            console.warn(f"{label}: {target.split(':')[0]} is not in this build; read as a plain "
                         "table (every column as text)")
            target, adapter, _ = registry.KINDS["table"]
            fn = registry.function(target)
        loaded = getattr(registry, adapter)(fn, files, src["options"], src["hints"])
        rows = _write(m.store, src["table"], loaded, kind=src["kind"], label=label,
                      command=f"toex case build {manifest_path}: source {src['table']}")
        _write_state(m.store, unit, key, rows)
        for note in loaded.notes:
            console.info(f"  {note}")
        console.info(f"{label}: built {rows:,} rows in {time.monotonic() - t0:.1f} s")
        done["built"].append(unit)
    for st in m.steps:
        n += 1
        if st.get("tables"):
            deps = [keys.get(t) for t in st["tables"] + [st.get("entities_table")] if t]
        else:
            deps = [keys.get(st["table"])] if st.get("table") else sorted(keys.items())
            if st.get("entities_table"):
                deps.append(keys.get(st["entities_table"]))
        config = {k: v for k, v in st.items() if k != "where"}
        key = _key("step", config, deps)
        outs = [t for t in (st.get("into"), st.get("entities")) if t]
        unit = f"step:{st['do']}:{'+'.join(outs) or st.get('report') or st.get('table')}"
        reads = st.get("table") or ", ".join(st.get("tables", []))
        label = f"[{n}/{units}] {st['do']} {reads}".rstrip() + \
            (f" -> {', '.join(outs)}" if outs else "")
        for t in outs:
            keys[t] = key
        reports = _step_reports(m, st)
        fresh = all(_has(m.store, t) for t in outs) and all(os.path.isfile(r) for r in reports)
        if not force and state.get(unit) == key and fresh:
            console.info(f"{label}: up to date")
            done["up_to_date"].append(unit)
            continue
        if only_check:
            done["built"].append(unit)
            continue
        t0 = time.monotonic()
        rows = _run_step(m, st, label, manifest_path)
        _write_state(m.store, unit, key, rows)
        done["reports"].extend(reports)
        console.info(f"{label}: " + (f"built {rows:,} rows" if outs else "done")
                     + f" in {time.monotonic() - t0:.1f} s")
        done["built"].append(unit)
    if m.relationships and not only_check:
        s = Store(m.store)
        try:
            for rel in m.relationships:
                s.declare_relationship(*rel)
        finally:
            s.close()
    return done


def _step_reports(m: Manifest, st: dict) -> list[str]:
    if st["do"] == "timeline" and st.get("report"):
        return [os.path.join(m.reports, st["report"])]
    if st["do"] == "chart":
        return [os.path.join(m.reports, st.get("report") or f"{st['table']}_chart.html")]
    if st["do"] != "summarise":
        return []
    name = st.get("report") or f"{st['table']}_summary.html"
    path = os.path.join(m.reports, name)
    return [path, os.path.splitext(path)[0] + ".json"]


def _run_step(m: Manifest, st: dict, label: str, manifest_path: str) -> int:
    from .. import console
    from ..io import TableInput
    from ..io.table import to_frame

    command = f"toex case build {manifest_path}: step {st['do']}"
    if st["do"] == "sql":
        return _run_sql(m, st, label, command)
    target, adapter, _ = registry.step(st["do"], st["where"])
    fn = registry.function(target)
    if fn is None:
        raise UsageError(f"{st['where']}: step '{st['do']}' needs {target.split(':')[0]}, which is "
                         "not in this build")
    import pyarrow as pa

    def read(name):
        t = TableInput([f"{m.store}:{name}"])
        return t, to_frame(pa.Table.from_batches(list(t.batches()), schema=t.schema))

    ctx = _Ctx(st["where"], st.get("table"), m.reports)
    if st.get("tables"):  # a step over several tables (timeline)
        read_in = [read(t) for t in st["tables"]]
        ctx.frames = [f for _, f in read_in]
        ctx.frames_extra = {"entities": read(st["entities_table"])[1]} if st.get("entities_table") else {}
        table = read_in[0][0]
        table.sources = [s for t, _ in read_in for s in t.sources]
        history = [h for t, _ in read_in for h in t.history]
        frame = None
    else:
        table, frame = read(st["table"])
        history = table.history
        ctx.frames_extra = {"entities": read(st["entities_table"])[1]} if st.get("entities_table") else {}
    loaded = getattr(registry, adapter)(fn, frame, st, ctx)
    loaded.sources, loaded.history = table.sources, history
    for note in loaded.notes:
        console.info(f"  {note}")
    rows = 0
    if st.get("into") and loaded.data is not None:
        rows = _write(m.store, st["into"], loaded, kind=st["do"], label=label, command=command)
    for name, data in loaded.extra.items():
        _write(m.store, name, registry.Loaded(data, table.sources, history), kind=st["do"],
               label=label, command=command)
    return rows


def _run_sql(m: Manifest, st: dict, label: str, command: str) -> int:
    from ..sql import SqlSession

    with SqlSession() as s:
        from ..io.store import PENDING_OUTPUTS

        PENDING_OUTPUTS.add(os.path.abspath(m.store))  # read a copy: the store is written next
        try:
            s.add(m.store)
        finally:
            PENDING_OUTPUTS.discard(os.path.abspath(m.store))
        reader = s.query(st["sql"])
        import pyarrow as pa

        data = pa.Table.from_batches(list(reader), schema=reader.schema)
        return _write(m.store, st["into"], registry.Loaded(data, s.sources, []), kind="sql",
                      label=label, command=command)


def _write(store: str, table: str, loaded, *, kind: str, label: str, command: str) -> int:
    from .. import console
    from ..io import TableWriter

    w = TableWriter(f"{store}:{table}", inputs=loaded.sources, history=loaded.history,
                    replace=True, table_kind=kind)
    w.command = command
    with w, console.Progress(label) as progress:
        w.write(loaded.data)
        progress.advance(w.rows)
    return w.rows


def _has(store: str, table: str) -> bool:
    from ..io.store import Store

    if not os.path.isfile(store):
        return False
    s = Store(store, read_only=True)
    try:
        return s.has_table(table)
    finally:
        s.close()


def _read_state(store: str) -> dict:
    from ..io.store import Store

    if not os.path.isfile(store):
        return {}
    s = Store(store, read_only=True)
    try:
        if not s.has_table(STATE):
            return {}
        return dict(s.execute(f"SELECT unit, key FROM {STATE}").fetchall())
    finally:
        s.close()


def _write_state(store: str, unit: str, key: str, rows: int) -> None:
    from ..io.store import Store

    s = Store(store)
    try:
        s.execute(f"CREATE TABLE IF NOT EXISTS {STATE} (unit VARCHAR PRIMARY KEY, key VARCHAR, "
                  "built VARCHAR, rows BIGINT)")
        s.execute(f"DELETE FROM {STATE} WHERE unit = ?", [unit])
        s.execute(f"INSERT INTO {STATE} VALUES (?, ?, ?, ?)",
                  [unit, key, time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), rows])
    finally:
        s.close()


# ------------------------------------------------------------------------------------------- init

SKIP_EXT = {".toml", ".md", ".sh", ".py", ".html", ".png", ".jpg", ".pdf", ".duckdb", ".sqlite",
            ".db", ".gz", ".zip"}
BANK_EXT = {".ofx", ".qfx", ".qif", ".sta", ".mt940"}


def detect_kind(path: str) -> tuple[str, str]:
    """(kind, why) for one file, from its content."""
    from ..io import TableInput

    ext = os.path.splitext(path)[1].lower()
    if ext in BANK_EXT:
        return "bank", f"a {ext[1:].upper()} statement"
    try:
        from ..bank import detect_format

        fmt = detect_format(path)
        if fmt in ("ofx", "qif", "mt940", "camt053", "santander_txt"):
            return "bank", f"a {fmt} statement"
    except Exception:  # noqa: BLE001
        pass
    if ext in (".txt", ".json", ".xml"):
        with open(path, "rb") as fh:
            head = fh.read(4096).decode("utf-8", "replace")
        if ext == ".json" and '"messages"' in head or ext == ".xml" and "<smses" in head or \
                ext == ".txt" and _looks_like_chat(head):
            return "messages", "a chat export"
    try:
        t = TableInput([path], batch_rows=64)
        columns = t.columns
    except Exception:  # noqa: BLE001 -- not a table: leave it out
        return "", "not a table toex can read"
    from ..bank import layouts
    from ..summarise.detect import detect_kind as detect_table_kind

    header = [c for c in columns if not c.startswith("_")]
    if layouts.match_header(header):
        return "bank", "a bank statement layout"
    low = {c.lower().replace(" ", "_") for c in header}
    kind, why = detect_table_kind(header)
    if kind == "calls":
        return "calls", why
    if kind == "bank":
        return "table", "transactions already parsed by toex bank parse"
    if low & {"plate", "vrm", "registration"} and low & {"camera", "location", "seen_at", "site"}:
        return "anpr", "plate and camera columns"
    if any("name" in c for c in low) and any(k in c for c in low for k in ("phone", "email", "dob", "vrm")):
        return "people", "name and identifier columns"
    return "table", "a table"


def _looks_like_chat(head: str) -> bool:
    import re

    return bool(re.search(r"^\[?\d{1,2}/\d{1,2}/\d{2,4},? \d{1,2}:\d{2}", head, re.M))


def init_manifest(folder: str, output: str | None = None, force: bool = False) -> tuple[str, list]:
    """Write a starter case.toml for the files in ``folder``; returns (path, [(file, kind, why)])."""
    if not os.path.isdir(folder):
        raise UsageError(f"{folder}: not a folder")
    output = output or os.path.join(folder, "case.toml")
    if os.path.exists(output) and not force:
        raise UsageError(f"{output}: already exists; use --force to overwrite it")
    found = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in ("out", "reports"))
        for f in sorted(files):
            if f.startswith(".") or os.path.splitext(f)[1].lower() in SKIP_EXT or \
                    ".expected." in f or f.endswith(".expected.json"):
                continue
            p = os.path.join(root, f)
            kind, why = detect_kind(p)
            found.append((os.path.relpath(p, folder), kind, why))
    groups: dict[str, list] = {}
    for rel, kind, why in found:
        if not kind:
            continue
        key = kind if kind in ("bank", "calls", "messages", "anpr", "people") else f"table:{rel}"
        groups.setdefault(key, []).append((rel, why))
    if not groups:
        raise DataError(f"{folder}: no file toex can read as a table")
    lines = [f"# toex case manifest, written by `toex case init {folder}`: review it, then run",
             f"#   toex case build {output}",
             "# Paths are relative to this file. Read options: options = {{ sheet = \"...\", skip = 1 }}",
             "# or per file: \"returns/ee.xlsx#sheet=Call Data\". Kinds: " + ", ".join(registry.KINDS),
             "", "[case]", f"name = {json.dumps(os.path.basename(os.path.abspath(folder)))}",
             'store = "out/case.duckdb"', 'reports = "out/reports"', ""]
    from ..io.store import table_from_name

    made = []
    for key, items in groups.items():
        kind = key.split(":", 1)[0]
        table = registry.KINDS[kind][2] if kind != "table" else table_from_name(items[0][0])
        made.append((kind, table))
        lines += ["[[source]]", f"table = {json.dumps(table)}", f"kind = {json.dumps(kind)}",
                  "paths = [" + ", ".join(json.dumps(r) for r, _ in items) + "]"]
        lines += [f"# {r}: {why}" for r, why in items]
        if kind == "bank":
            lines.append('# hints = { account = "12-34-56 12345678" }   # when the files do not say')
        lines.append("")
    for kind, table in made:
        if kind in ("bank", "calls"):
            lines += ["[[step]]", 'do = "summarise"', f"table = {json.dumps(table)}",
                      f"report = {json.dumps(table + '.html')}", ""]
        if kind == "people":
            lines += ["# [[step]]", '# do = "phones normalise"', f"# table = {json.dumps(table)}",
                      '# columns = ["Phone"]', ""]
    from ..io.writers import write_bytes_atomic

    # whole or not at all (checked above: an existing manifest only with --force)
    write_bytes_atomic(("\n".join(lines).rstrip() + "\n").encode("utf-8"), output, force=True)
    return output, found
