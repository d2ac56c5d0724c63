"""What ``toex timeline`` does, outside the typer wrapper: read each input in batches, turn each
batch into events (only the event columns are kept, so memory follows the events, not the
inputs' widths), order, filter and write."""

from __future__ import annotations

from .. import cliutil, console
from ..errors import UsageError

_READABLE = {"calls": "calls", "call": "calls", "messages": "messages", "message": "messages",
             "transactions": "transactions", "bank": "transactions", "reads": "reads",
             "anpr": "reads", "custom": "custom", "timeline": "timeline", "events": "timeline"}


def _kinds(kind_args, inputs):
    """``--kind KIND`` (all inputs) or ``--kind FILE=KIND``."""
    every, per = None, {}
    for item in kind_args:
        if "=" in item and item.rsplit("=", 1)[1].strip().lower() in _READABLE:
            f, k = item.rsplit("=", 1)
            per[f.strip()] = _READABLE[k.strip().lower()]
        elif item.strip().lower() in _READABLE:
            every = _READABLE[item.strip().lower()]
        else:
            raise UsageError(f"--kind '{item}': use one of calls, messages, transactions, reads, "
                             "custom, timeline (or FILE=KIND)")
    for f in per:
        if f not in inputs:
            raise UsageError(f"--kind {f}=...: '{f}' is not one of the inputs")
    return every, per


def run(*, inputs, output, start, end, entity, entities, html, i2, timesketch, title, kind,
        keep_duplicates, time_col, subject_col, counterpart_col, label_col, force, excel_safe,
        read_options):
    from .. import timemodel
    from ..schema import TABLES
    from .build import Custom, anpr_columns, assemble, detect, events_of, read_entities

    inputs = list(inputs or ["-"])
    if inputs.count("-") > 1:
        raise UsageError("stdin (-) can be read only once")
    from ..io.writers import check_outputs

    # every output checked before anything is read or written: one file named twice (also
    # through a symlink or ./ spelling), an existing file without --force, an unknown format
    check_outputs([("-o", output), ("--html", html), ("--i2", i2), ("--timesketch", timesketch)],
                  force=force, table_outputs=("-o", "--i2", "--timesketch"))
    every, per = _kinds(kind, inputs)
    custom = None
    if time_col or subject_col:
        if not (time_col and subject_col):
            raise UsageError("a custom table needs both --time COL and --subject COL")
        custom = Custom(time_col, subject_col, counterpart_col, label_col)
    elif counterpart_col or label_col:
        raise UsageError("--counterpart and --label go with --time and --subject")
    try:
        lo = timemodel.bound(start, end=False) if start else None
        hi = timemodel.bound(end, end=True) if end else None
    except ValueError as exc:
        raise UsageError(f"--from/--to: {exc}") from None
    if lo is not None and hi is not None and lo > hi:
        raise UsageError(f"--from {start} is after --to {end}")
    ents = None
    if entities:
        ents = read_entities(cliutil.open_input([entities]).read())
    elif any(e.strip().upper().startswith("E0") and e.strip()[1:].isdigit() for e in entity):
        console.warn("--entity looks like an entity id but no --entities FILE was given: "
                      "matched as an identifier")

    parts, tables = [], []
    with console.Progress("building the timeline") as progress:
        from ..io.options import per_input

        options = per_input(inputs, **{("format" if k == "input_format" else k): v
                                       for k, v in read_options.items()})
        for path, opts in zip(inputs, options):  # global read options only where they fit
            opts = {("input_format" if k == "format" else k): v for k, v in opts.items()}
            table = cliutil.open_input([path], batch_rows=1 << 17, **opts)
            tables.append(table)
            name = table.sources[0].name
            k = per.get(path) or every or detect(table.columns)
            how = "forced" if (per.get(path) or every) else "recognised"
            if k is None:
                if custom is None:
                    shown = ", ".join(c for c in table.columns if not c.startswith("_"))
                    raise UsageError(
                        f"{name}: columns not recognised as calls, messages, transactions or ANPR "
                        f"reads ({shown}); give --kind, or --time COL --subject COL for any table")
                k, how = "custom", "--time/--subject"
            if k == "custom" and custom is None:
                raise UsageError(f"{name}: --kind custom needs --time COL and --subject COL")
            n = 0
            # the next batch is read (Arrow, no GIL) while this one becomes events
            for batch in cliutil.prefetch(table.batches()):
                parts.append(events_of(batch, k, custom, source=name))
                n += batch.num_rows
                progress.advance(batch.num_rows)
            if n == 0:
                parts.append(events_of(table.schema.empty_table(), k, custom, name))
            label = k
            if k == "custom":
                sig = f"--time {custom.time} --subject {custom.subject}"
            elif k == "reads" and detect(table.columns) != "reads" or (
                    k == "reads" and "vrm" not in table.columns):
                cols = anpr_columns(table.columns) or {}
                sig = ", ".join(v for key, v in cols.items() if v and key in ("vrm", "time",
                                                                             "camera", "location"))
                label = "ANPR reads"
            else:
                sig = ", ".join(TABLES[k].signature)
            console.info(f"timeline: {name}: {label} ({how}: {sig}) -> {n:,} events")
        res = assemble(parts, start=lo, end=hi, entity=entity, entities=ents,
                       keep_duplicates=keep_duplicates)
    st = res.stats
    if st["duplicates"]:
        how = []
        if st["duplicates_marked"]:
            how.append(f"{st['duplicates_marked']:,} marked duplicate_of by the call tables")
        if st["duplicates_found"]:
            how.append(f"{st['duplicates_found']:,} paired here (reversed ends, starts within "
                       "30 s, texts 120 s)")
        verb = ("both ends listed, the later marked duplicate_of" if keep_duplicates else
                "counted once: the later end left out (--keep-duplicates lists it)")
        console.info(f"timeline: {st['duplicates']:,} events seen from both ends ({'; '.join(how)}): "
                     f"{verb}")
    if lo is not None or hi is not None or entity:
        what = []
        if lo is not None or hi is not None:
            what.append(f"--from {start or '…'} --to {end or '…'}")
        if entity:
            what.append("--entity " + " ".join(entity))
        console.info(f"timeline: {' '.join(what)}: {st['events']:,} of "
                     f"{st['events_in'] - (0 if keep_duplicates else st['duplicates']):,} events kept")
    if st["unreadable"]:
        n = st['unreadable']
        console.warn(f"timeline: {n:,} event{'s' if n > 1 else ''} with no readable time: kept at the end "
                     "with problem")
    events = res.events if (html or i2 or timesketch) else None
    history = tables[0].history if len(tables) == 1 else []
    sources = [s for t in tables for s in t.sources]
    rows_in = sum(t.rows_read for t in tables)

    class _Tables:  # what write_frame needs to record the inputs' history
        def __init__(self):
            self.sources, self.history, self.rows_read = sources, history, rows_in

    bundle = _Tables()
    side = html or i2 or timesketch
    if output is not None or not side:
        writer = cliutil.open_output(output, force=force, excel_safe=excel_safe,
                                     inputs=sources, history=history)
        with writer:
            # a slice at a time (the text exists once per slice), the next rendered while this
            # one is written
            for batch in cliutil.prefetch(res.batches()):
                writer.write(batch)
            writer.close(rows_in=rows_in)
        cliutil.report_written(writer)
    if i2:
        from .export import i2_table

        cliutil.write_frame(i2_table(events), output=i2, force=force, excel_safe=excel_safe,
                            table=bundle, rows_in=rows_in)
    if timesketch:
        from .export import timesketch_table

        ts, left_out = timesketch_table(events)
        if left_out:
            console.warn(f"--timesketch: {left_out:,} event{'s' if left_out > 1 else ''} with no "
                         "readable time left out "
                         "(Timesketch needs a datetime); they are in the timeline table")
        cliutil.write_frame(ts, output=timesketch, force=force, excel_safe=excel_safe,
                            table=bundle, rows_in=rows_in)
    if html:
        from .html import write_html

        write_html(events, html, force=force, title=title,
                   sources=[s.name for s in sources])
        console.info(f"wrote the timeline page to {html}")
    return res
