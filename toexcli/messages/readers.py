"""Open each input (a file, or the members of a .zip) and hand it to its format's reader."""

from __future__ import annotations

import io
import os
import zipfile

from ..errors import DataError
from .common import Report
from .detect import FORMATS, detect_bytes


def read_path(path: str, name: str, *, dayfirst=None, owner=None, format=None):
    """Yield (source, Chunk or None, Report) for one input path (several for a .zip)."""
    if not os.path.exists(path):
        raise DataError(f"{name}: no such file")
    if os.path.isdir(path):
        raise DataError(f"{name}: is a folder; give the export files (e.g. {name}/*.json)")
    with open(path, "rb") as fh:
        head = fh.read(65536)
    kind = format or detect_bytes(head, path)
    if kind == "zip":
        yield from _read_zip(path, name, dayfirst=dayfirst, owner=owner, format=format)
        return
    if kind is None:
        raise DataError(f"{name}: not a message export toex recognises ({', '.join(FORMATS)}); "
                        "see `toex messages formats`")
    if kind == "calls-xml":
        raise DataError(f"{name}: an SMS Backup & Restore *call log* (<calls>), not messages")
    if kind == "xlsx":
        kind = "report"
    if kind in ("mmssms", "imessage"):
        yield _run(kind, path, [], name, dayfirst=dayfirst, owner=owner)
        return
    with open(path, "rb") as fh:
        box = [fh.read()]  # handed over, so the bytes can be freed once decoded
    yield _run(kind, path, box, name, dayfirst=dayfirst, owner=owner)


def _read_zip(path, name, *, dayfirst, owner, format):
    try:
        zf = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise DataError(f"{name}: a damaged .zip ({exc})") from None
    found = False
    with zf:
        for info in zf.infolist():
            if info.is_dir() or info.filename.startswith("__MACOSX"):
                continue
            if not info.filename.lower().endswith((".txt", ".json", ".xml", ".md")):
                continue
            try:
                data = zf.read(info)
            except (zipfile.BadZipFile, EOFError, OSError) as exc:
                rep = Report(f"{name}!/{info.filename}", broken=f"cannot be read from the zip: {exc}")
                yield rep.file, None, rep
                continue
            kind = format or detect_bytes(data[:65536], info.filename)
            if kind is None or kind in ("zip", "xlsx", "calls-xml"):
                continue
            found = True
            source = f"{name}!/{info.filename}"
            box = [data]
            del data
            yield _run(kind, source, box, source, dayfirst=dayfirst, owner=owner,
                       zip_name=path, inner=info.filename)
    if not found:
        raise DataError(f"{name}: a .zip with no message export inside (looked for .txt/.json/.xml)")


def _run(kind, path, box, name, *, dayfirst, owner, zip_name=None, inner=None):
    """``box``: a one-item list holding the file's bytes (None for a database read by path),
    emptied here so that a large export is not held twice while it is parsed."""
    report = Report(name, format=kind)
    data = box.pop() if box else None
    if kind == "whatsapp" or kind == "signal-md":
        from . import whatsapp

        holder = [data]
        del data
        chat = whatsapp.chat_name(zip_name or path, inner)
        chunk = whatsapp.read(holder, name, report, dayfirst=dayfirst, owner=owner, chat=chat)
        return name, chunk, report
    if kind == "signal":
        from . import signal

        if data.lstrip(b"\xef\xbb\xbf \r\n\t").startswith(b"{"):
            chunk = signal.read_json(data, path, report, owner=owner)
        else:
            from . import whatsapp

            text, _ = whatsapp.decode(data)
            chunk = whatsapp.read(text, name, report, dayfirst=dayfirst, owner=owner or "Me",
                                  chat=signal.chat_name(path), platform="signal")
        return name, chunk, report
    module = {"telegram": "telegram", "messenger": "meta", "sms-xml": "smsxml",
              "mmssms": "android", "imessage": "imessage", "report": "forensic"}[kind]
    import importlib

    mod = importlib.import_module(f".{module}", __package__)
    chunk = mod.read(data if data is not None else path, name, report, dayfirst=dayfirst,
                     owner=owner, path=path)
    return name, chunk, report


def as_text_stream(data: bytes):
    return io.BytesIO(data)
