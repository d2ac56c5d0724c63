"""What a manifest's ``kind`` and ``do`` names mean: each maps to a library function by name.

A *kind* loads a source's files into one table; a *step* turns case tables into a new table
(or a report). Entries are ``"module:function"`` strings resolved on first use, so a kind whose
library is not in this build (another engineer's parser not yet merged) is reported, not
crashed on: it falls back to ``table`` (every column as text) and says so on stderr.

Adding a kind or step is one line here plus, when its function has a different shape, a small
adapter below. Adapters take plain values and return a pandas DataFrame (or Arrow table).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field

from ..errors import UsageError

# kind -> (library function, adapter, natural table name)
KINDS: dict[str, tuple[str, str, str]] = {
    "table": ("toexcli.io:read_table", "load_table", "data"),
    "people": ("toexcli.io:read_table", "load_table", "people"),
    "bank": ("toexcli.bank:parse_statements", "load_bank", "transactions"),
    "calls": ("toexcli.calls:parse_with_report", "load_calls", "calls"),
    "messages": ("toexcli.messages:parse_files", "load_messages", "messages"),
    "anpr": ("toexcli.io:read_table", "load_anpr", "reads"),
}

# step -> (library function, adapter, suffix of the default output table)
STEPS: dict[str, tuple[str, str, str]] = {
    "phones normalise": ("toexcli.phones:normalise", "step_columns", "phones"),
    "vehicles normalise": ("toexcli.vehicles:normalise", "step_columns", "vrm"),
    "merge resolve": ("toexcli.merge:resolve", "step_resolve", "resolved"),
    "summarise": ("toexcli.summarise:summarise", "step_summarise", ""),
    "sql": ("toexcli.sql:SqlSession", "step_sql", ""),
    "timeline": ("toexcli.timeline:timeline", "step_timeline", ""),
    "chart": ("toexcli.chart.build:chart", "step_chart", "links"),
}
ALIASES = {"phones normalize": "phones normalise", "vehicles normalize": "vehicles normalise",
           "summarize": "summarise", "resolve": "merge resolve", "bank parse": "bank",
           "calls parse": "calls", "messages parse": "messages"}


def function(target: str):
    """``'module:function'`` -> the function, or None when that library is not in this build."""
    module, _, name = target.partition(":")
    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name and module.startswith(exc.name):
            return None
        raise
    return getattr(mod, name, None)


def kind(name: str, where: str) -> tuple[str, str, str]:
    key = ALIASES.get(name, name)
    if key not in KINDS:
        raise UsageError(f"{where}: unknown kind '{name}'; kinds are: {', '.join(KINDS)}")
    return KINDS[key]


def step(name: str, where: str) -> tuple[str, str, str]:
    key = ALIASES.get(name, name)
    if key not in STEPS:
        raise UsageError(f"{where}: unknown step '{name}'; steps are: {', '.join(STEPS)}")
    return STEPS[key]


@dataclass
class Loaded:
    """A source or step result: the table, the inputs it came from, and notes for stderr."""

    data: object  # pandas DataFrame or Arrow table
    sources: list = field(default_factory=list)
    history: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    extra: dict = field(default_factory=dict)  # other tables: name -> data
    reports: list = field(default_factory=list)  # files written


# ---------------------------------------------------------------------------------------- kinds

def load_table(fn, paths, options, hints):
    from ..io import TableInput

    t = TableInput(paths, **_read_options(options))
    import pyarrow as pa

    data = pa.Table.from_batches(list(t.batches()), schema=t.schema)
    return Loaded(data, t.sources, t.history)


def load_anpr(fn, paths, options, hints):
    loaded = load_table(fn, paths, options, hints)
    plate = hints.get("plate")
    if plate:
        from ..io.table import to_frame
        from ..vehicles import normalise

        loaded.data = normalise(to_frame(loaded.data), [plate])
    return loaded


def load_bank(fn, paths, options, hints):
    from ..io.sources import resolve

    paths, options = _bare_and_one(paths, options, ("sheet", "encoding"), "bank")
    sources = resolve(paths, "text", options.get("encoding"))
    mapping = None
    if hints.get("map"):
        from ..bank import layouts

        mapping = layouts.from_map(dict(hints["map"]))
    df, reports = fn([s.path for s in sources], names=[s.name for s in sources],
                     account=hints.get("account"), encoding=options.get("encoding"),
                     sheet=options.get("sheet"), mapping=mapping, year=hints.get("year"),
                     include_pending=bool(hints.get("include_pending", False)))
    notes = [f"{r['file']}: {r['layout']}; {r['transactions']:,} transactions" for r in reports]
    return Loaded(df, sources, [], notes)


def _bare_and_one(paths, options, keys, kind):
    """Parsers that take plain paths: per-file #options must agree (one value for the source)."""
    from ..io.options import split_file_options

    bare, merged = [], dict(options)
    for p in paths:
        path, own = split_file_options(p)
        bare.append(path)
        for k, v in own.items():
            if k not in keys:
                raise UsageError(f"{p}: '{k}=' is not an option of a {kind} source (use {', '.join(keys)})")
            if merged.get(k, v) != v:
                raise UsageError(f"{p}: {k}={v} differs from the other files' {k}={merged[k]}; a "
                                 f"{kind} source takes one {k}: split it into two sources")
            merged[k] = v
    return bare, merged


def load_calls(fn, paths, options, hints):
    """``toexcli.calls.parse_with_report``: network returns into the standard call table, the
    two ends of a call paired across the files of the source."""
    from ..io.sources import resolve

    bare, opts = _bare_and_one(paths, options, ("sheet", "encoding"), "calls")
    mapping = dict(hints["map"]) if hints.get("map") else None
    df, reports = fn(bare, tz=hints.get("tz", "Europe/London"), handset=hints.get("handset"),
                     mapping=mapping, encoding=opts.get("encoding"), sheet=opts.get("sheet"),
                     region=hints.get("region", "GB"))
    notes = [f"{r.get('file', '?')}: {r.get('layout', '?')}; {r.get('rows', '?')} rows"
             + (f", {r['duplicates']} paired with an earlier file" if r.get("duplicates") else "")
             for r in reports]
    return Loaded(df, resolve(bare, "text", None), [], notes)


def load_messages(fn, paths, options, hints):
    """``toexcli.messages.parse_files``: chat exports into the standard message table."""
    from ..io.sources import resolve

    bare, opts = _bare_and_one(paths, options, ("format",), "messages")
    df, reports = fn(bare, tz=hints.get("tz"), owner=hints.get("owner"),
                     dayfirst=hints.get("dayfirst"), format=opts.get("format"))
    notes = [f"{r.get('file', '?')}: {r.get('format', '?')}; {r.get('messages', '?')} messages"
             for r in reports]
    return Loaded(df, resolve(bare, "text", None), [], notes)


def load_parser(fn, paths, options, hints):
    """A parser library (calls, messages): ``fn(paths, **hints)`` -> DataFrame or (DataFrame, reports)."""
    from ..io.sources import resolve

    result = fn(list(paths), **hints)
    df = result[0] if isinstance(result, tuple) else result
    return Loaded(df, resolve(paths, None, None), [])


def _read_options(options: dict) -> dict:
    out = {k: v for k, v in options.items() if k in ("sheet", "skip", "encoding", "delimiter")}
    if "format" in options:
        out["format"] = options["format"]
    return out


# ---------------------------------------------------------------------------------------- steps

def step_columns(fn, frame, spec, ctx):
    columns = spec.get("columns") or []
    if isinstance(columns, str):
        columns = [columns]
    if not columns:
        raise UsageError(f"{ctx.where}: give columns = [\"...\"]")
    from ..errors import require_columns

    require_columns(frame.columns, columns, ctx.where)
    kwargs = {"region": spec["region"]} if "region" in spec else {}
    return Loaded(fn(frame, columns, **kwargs))


def step_resolve(fn, frame, spec, ctx):
    ids = spec.get("ids") or []
    res = fn(frame, ids, name=spec.get("name"), dob=spec.get("dob"),
             threshold=float(spec.get("threshold", 90)), source=ctx.table)
    loaded = Loaded(res.table)
    if spec.get("entities"):
        loaded.extra[spec["entities"]] = res.entities()
    return loaded


def step_summarise(fn, frame, spec, ctx):
    import os

    from ..summarise.html import write_html

    report = fn(frame, spec.get("kind", "auto"))
    name = spec.get("report") or f"{ctx.table}_summary.html"
    path = os.path.join(ctx.reports, name)
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    from ..io.writers import write_json_atomic

    write_html(report, path, force=True)
    from ..summarise.rows import Rows

    # a call summary's contacts are a columnar Rows (a sequence of dicts): written as a list
    write_json_atomic(report, os.path.splitext(path)[0] + ".json", force=True,
                      default=lambda o: o.to_list() if isinstance(o, Rows) else str(o))
    loaded = Loaded(None, reports=[path, os.path.splitext(path)[0] + ".json"])
    loaded.notes.append(f"{report['kind']}: {report['detected']}")
    return loaded


def step_timeline(fn, frame, spec, ctx):
    """``toexcli.timeline.timeline`` over several case tables (``tables = [...]``): one ordered
    event table, and an offline HTML page with ``report = "timeline.html"``."""
    import os

    frames = ctx.frames  # the builder reads every table named in ``tables``
    entities = ctx.frames_extra.get("entities")
    res = fn(frames, start=spec.get("start"), end=spec.get("end"), entities=entities,
             keep_duplicates=bool(spec.get("keep_duplicates", False)),
             tz=spec.get("tz", "Europe/London"))
    loaded = Loaded(res.events)
    if spec.get("report"):
        from ..timeline.html import write_html

        path = os.path.join(ctx.reports, spec["report"])
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        write_html(res.events, path, force=True, title=spec.get("title"))
        loaded.reports.append(path)
    return loaded


def step_chart(fn, frame, spec, ctx):
    """``toexcli.chart``: the link chart of a table as an offline HTML page in the reports folder,
    and its links (one row per pair: count, first/last, amount) as a case table."""
    import os

    from ..chart import links_table, write_html

    links = [tuple(p) for p in spec.get("links", [])] or None
    net = fn(frame, links, spec.get("types"), date=spec.get("date"), time=spec.get("time"),
             amount=spec.get("amount"), entities=ctx.frames_extra.get("entities"),
             people=bool(spec.get("people", False)), source_name=ctx.table, title=spec.get("title"))
    path = os.path.join(ctx.reports, spec.get("report") or f"{ctx.table}_chart.html")
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    write_html(net, path, force=True)
    loaded = Loaded(links_table(net), reports=[path])
    loaded.notes.extend(net.notes)
    loaded.notes.append(f"{len(net.nodes):,} identities, {len(net.links):,} links")
    return loaded


def step_sql(fn, frame, spec, ctx):
    """Runs on the case store itself (DuckDB): every table is a view by its name."""
    raise AssertionError("handled by the builder")  # the builder runs SQL on the store directly
