"""``toex messages``: chat exports and phone-download messages into one message table.

Library use (the CLI is a thin wrapper)::

    from toexcli.messages import parse
    df = parse(["_chat.txt", "result.json", "sms.xml"], tz="Europe/London", owner="Jonno")
    df.attrs["reports"]        # one dict per file: format, messages, notes, broken

Each file is recognised by its content (see :func:`detect`); the columns are
``toexcli.schema.MESSAGES`` plus ``problem``, ``_source`` and ``_row`` (the line where the
message starts, or the record number). File order is kept.
"""

from __future__ import annotations

from .detect import FORMATS, detect  # noqa: F401  (light: no pandas)

__all__ = ["parse", "parse_files", "detect", "FORMATS"]


def parse(paths, dayfirst: bool | None = None, tz: str | None = None, owner: str | None = None,
          names=None, format: str | None = None):
    """Parse message exports into one DataFrame (file order kept); ``df.attrs['reports']``
    holds each file's report. ``tz``: the zone of files that state none (WhatsApp, Telegram's
    ``date``, signal-export); None leaves ``sent_utc`` empty for them. ``owner``: the phone's
    user, to fill ``direction``. A broken (truncated) file keeps its complete messages and its
    report says where it breaks."""
    df, reports = parse_files(paths, dayfirst=dayfirst, tz=tz, owner=owner, names=names,
                              format=format)
    df.attrs["reports"] = reports
    return df


def parse_files(paths, *, dayfirst=None, tz=None, owner=None, names=None, format=None):
    """(DataFrame, [report dict per file])."""
    import pandas as pd

    from .common import Report, empty_table, finish
    from .readers import read_path

    if isinstance(paths, (str, bytes)) or hasattr(paths, "__fspath__"):
        paths = [paths]
    paths = [str(p) for p in paths]
    names = list(names) if names is not None else paths
    if tz:
        _check_zone(tz)
    frames, reports = [], []
    for path, name in zip(paths, names):
        for source, chunk, report in read_path(path, name, dayfirst=dayfirst, owner=owner,
                                               format=format):
            if chunk is not None and len(chunk.cols["_row"]):
                frame = finish(chunk, source, tz)
                _summarise_report(report, frame, tz)
                frames.append(frame)
            reports.append(report.as_dict())
    if not frames:
        return empty_table(), reports
    if len(frames) == 1:
        return frames[0], reports
    return pd.concat(frames, ignore_index=True), reports


def _check_zone(tz: str) -> None:
    from zoneinfo import ZoneInfo

    from ..errors import UsageError

    try:
        ZoneInfo(tz)
    except Exception:
        raise UsageError(f"--tz {tz!r} is not a time zone name (try Europe/London or UTC)") from None


def _summarise_report(report, frame, tz) -> None:
    report.messages = int(len(frame))
    report.chats = int(frame["chat"].nunique())
    times = frame["sent_utc"].where(frame["sent_utc"] != "", frame["sent_local"])
    times = times[times != ""]
    if len(times):
        report.first, report.last = str(times.min()), str(times.max())
    bad = int((frame["tz_status"] == "unreadable").sum())
    if bad:
        report.notes.append(f"{bad} messages with a time that could not be read (kept; see 'problem')")
    naive = frame["sent_utc"].eq("") & frame["sent_local"].ne("")
    if naive.any() and not tz:
        report.notes.append("the file states no time zone: sent_local is its wall clock; give "
                            "--tz ZONE to fill sent_utc")
