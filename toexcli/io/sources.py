"""Where a table comes from: a path or standard input, its format, its text encoding.

Format is taken from the file extension, and from the first bytes (magic) for standard input and
unknown extensions. Standard input is spooled to a private temporary file (so it can be sniffed,
hashed and read twice) except for an Arrow IPC stream, which is read as it arrives so that
``toex a | toex b`` pipelines stream.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import os
import sys
import tempfile
from dataclasses import dataclass, field

from ..errors import DataError, UsageError

EXTENSIONS = {
    ".csv": "csv", ".tsv": "csv", ".tab": "csv", ".psv": "csv",
    ".parquet": "parquet", ".pq": "parquet",
    ".arrow": "arrow", ".feather": "arrow", ".ipc": "arrow", ".arrows": "arrow",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl",
    ".xlsx": "excel", ".xlsm": "excel", ".xls": "excel", ".ods": "excel", ".xlsb": "excel",
    ".txt": "text", ".log": "text",
}
FORMATS = ("csv", "parquet", "arrow", "jsonl", "excel", "html", "text")

ARROW_STREAM_MAGIC = b"\xff\xff\xff\xff"


@dataclass
class Source:
    """One input: ``name`` is what the user typed ('-' for stdin); ``path`` is readable on disk
    (a spool file for stdin), or None for an Arrow stream read straight from stdin."""

    name: str
    path: str | None
    format: str
    encoding: str | None = None
    stream: object = None  # binary file object for an Arrow stream on stdin
    sha256: str | None = None
    history: list = field(default_factory=list)
    details: dict = field(default_factory=dict)  # delimiter, sheet, ... for inspect and history
    options: dict = field(default_factory=dict)  # this file's own read options (path#skip=1)
    applied: dict = field(default_factory=dict)  # global --input-format/--encoding: did it fit?
    misses: dict = field(default_factory=dict)  # ... and if not, why
    _hasher: object = None

    def digest(self) -> str | None:
        """SHA-256 of the input bytes (computed lazily for files, while reading for streams).
        A table of a case database has none of its own (the file holds every table)."""
        if self.format in ("duckdb", "sqlite"):
            return None
        if self.sha256 is None and self._hasher is not None and self.stream is not None:
            return self._hasher.hexdigest()
        if self.sha256 is None and self.path and os.path.isfile(self.path):
            self.sha256 = sha256_file(self.path)
        return self.sha256


class _HashingReader(io.RawIOBase):
    """Reads ``head`` then the rest of ``raw``, feeding every byte to a hash."""

    def __init__(self, head: bytes, raw, hasher):
        self._head = head
        self._raw = raw
        self._hasher = hasher
        hasher.update(head)

    def readable(self):
        return True

    def readinto(self, buf):
        if self._head:
            n = min(len(buf), len(self._head))
            buf[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._raw.read1(len(buf)) if hasattr(self._raw, "read1") else self._raw.read(len(buf))
        if not data:
            return 0
        self._hasher.update(data)
        buf[: len(data)] = data
        return len(data)


def sniff_format(head: bytes, path_for_zip: str | None = None) -> str | None:
    """Guess a format from the first bytes; None when they look like delimited or plain text."""
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.startswith(b"ARROW1"):
        return "arrow"
    if head.startswith(ARROW_STREAM_MAGIC):
        return "arrow"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "excel"
    text = _head_text(head).lstrip().lower()
    if text.startswith(("<!doctype html", "<html", "<table", "<meta", "<?xml version")) and (
        "<table" in text or "<html" in text
    ):
        return "html"
    if text.startswith("{") and text.rstrip().endswith(("}", '"', ",")) or text.startswith('{"'):
        return "jsonl"
    return None


def _head_text(head: bytes) -> str:
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16")):
        if head.startswith(bom):
            return head.decode(enc, errors="ignore")
    return head.decode("latin-1")


def detect_encoding(path: str, name: str) -> str:
    """Return the encoding of a text file: UTF-8 (with or without BOM), UTF-16 with BOM, or cp1252.

    The whole file is checked for UTF-8 validity (fast, in chunks) because a single cp1252 `£`
    deep in a statement would otherwise fail half-way through. Bytes that are neither UTF-8 nor
    cp1252 raise a DataError naming the line and byte offset.
    """
    with open(path, "rb") as fh:
        head = fh.read(4096)
        wide = wide_encoding(head)
        if wide:
            return wide
        if head.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        fh.seek(0)
        bad = _first_invalid_utf8(fh)
    if bad is None:
        return "utf-8"
    offset, line = bad
    with open(path, "rb") as fh:
        before = fh.read(offset)
    if not before.isascii():
        # real UTF-8 characters before a byte that is not: the file mixes encodings, and
        # reading it all as cp1252 would turn every earlier é into mojibake
        raise DataError(
            f"{name}: line {line}: byte offset {offset}: not UTF-8, though earlier lines are UTF-8 "
            "text (the file mixes encodings); give the encoding with --encoding")
    # Not UTF-8: a Windows export is by far the most likely (cp1252 has £ at 0xA3).
    with open(path, "rb") as fh:
        data_ok, where = _decodes(fh, "cp1252")
    if data_ok:
        return "cp1252"
    offset, line = where
    raise DataError(
        f"{name}: line {line}: byte offset {offset}: bytes are neither UTF-8 nor cp1252; "
        "give the encoding with --encoding (e.g. latin-1, utf-16)"
    )


def wide_encoding(head: bytes) -> str | None:
    """UTF-32 or UTF-16 from a BOM, or (without a BOM) from where the NUL bytes fall: text in
    UTF-16 has a NUL in every other byte, UTF-32 in three of four. None for anything else."""
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    sample = head[:4096]
    n = len(sample) - len(sample) % 4
    if n < 8 or b"\x00" not in sample:
        return None
    sample = sample[:n]
    zero = [sum(1 for b in sample[i::4] if b == 0) / (n // 4) for i in range(4)]
    if zero[0] < 0.05 and min(zero[1:]) > 0.9:
        return "utf-32-le"
    if zero[3] < 0.05 and min(zero[:3]) > 0.9:
        return "utf-32-be"
    even, odd = (zero[0] + zero[2]) / 2, (zero[1] + zero[3]) / 2
    if even < 0.05 and odd > 0.6:
        return "utf-16-le"
    if odd < 0.05 and even > 0.6:
        return "utf-16-be"
    return None


QUICK_CHECK_BYTES = 1 << 20


def detect_encoding_quick(path: str, name: str) -> tuple[str, bool]:
    """(encoding, verified): like ``detect_encoding`` but reads only the first megabyte when it is
    clean UTF-8, so large files are not read twice. ``verified`` is False when the rest of the
    file is still unchecked; a reader that then meets a bad byte calls ``settle_late_utf8_failure``.
    """
    with open(path, "rb") as fh:
        head = fh.read(QUICK_CHECK_BYTES + 1)
    if head.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or wide_encoding(head):
        return detect_encoding(path, name), True
    whole = len(head) <= QUICK_CHECK_BYTES
    if not whole:
        head = head[: head.rfind(b"\n") + 1]
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return detect_encoding(path, name), True
    return "utf-8", whole


def settle_late_utf8_failure(path: str, name: str) -> str:
    """A file whose first megabyte was UTF-8 has a bad byte later. If everything before that byte
    is plain ASCII, the file is cp1252 (the rows already read are the same in both); otherwise it
    mixes encodings, which is reported rather than guessed."""
    with open(path, "rb") as fh:
        where = _first_invalid_utf8(fh)
    if where is None:
        return "utf-8"
    offset, line = where
    with open(path, "rb") as fh:
        prefix_ascii = fh.read(offset).isascii()
    if prefix_ascii and detect_encoding(path, name) == "cp1252":
        return "cp1252"
    raise DataError(
        f"{name}: line {line}: byte offset {offset}: not UTF-8, though earlier lines are UTF-8 text "
        "(the file mixes encodings); give the encoding with --encoding"
    )


def _first_invalid_utf8(fh) -> tuple[int, int] | None:
    """(byte offset, line) of the first invalid UTF-8 sequence, or None if the stream is valid.

    Decoding ASCII-heavy data is close to memory speed; lines are counted only on failure.
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    while True:
        chunk = fh.read(1 << 24)
        final = not chunk
        try:
            decoder.decode(chunk, final)
        except UnicodeDecodeError as exc:
            pending = len(decoder.getstate()[0]) if not final else 0
            start = offset - pending + max(exc.start, 0)
            fh.seek(0)
            return start, fh.read(start).count(b"\n") + 1
        if final:
            return None
        offset += len(chunk)


def _decodes(fh, encoding: str) -> tuple[bool, tuple[int, int]]:
    offset = 0
    lines = 1
    for chunk in iter(lambda: fh.read(1 << 22), b""):
        try:
            chunk.decode(encoding)
        except UnicodeDecodeError as exc:
            return False, (offset + exc.start, lines + chunk[: exc.start].count(b"\n"))
        lines += chunk.count(b"\n")
        offset += len(chunk)
    return True, (0, 0)


def transcode_to_utf8(path: str, name: str, encoding: str) -> str:
    """A UTF-8 copy (private spool file) of a text file in ``encoding`` (UTF-16, UTF-32...)."""
    spool = tempfile.NamedTemporaryFile(prefix="toex-utf8-", delete=False)
    _SPOOLS.append(spool.name)
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        with open(path, "rb") as fh, spool:
            for chunk in iter(lambda: fh.read(1 << 22), b""):
                spool.write(decoder.decode(chunk).encode("utf-8", "surrogatepass"))
            spool.write(decoder.decode(b"", True).encode("utf-8", "surrogatepass"))
    except UnicodeDecodeError:
        offset, line = locate_decode_error(path, encoding) or (0, 0)
        raise DataError(f"{name}: line {line}: byte offset {offset}: cannot decode as {encoding}; "
                        "give the right --encoding") from None
    return spool.name


def locate_decode_error(path: str, encoding: str) -> tuple[int, int] | None:
    """(byte offset, line) where ``encoding`` fails on the file, or None."""
    with open(path, "rb") as fh:
        ok, where = _decodes(fh, encoding)
    return None if ok else where


def _check_format(fmt: str | None, where: str = "input format") -> str | None:
    if fmt is not None and fmt not in FORMATS and fmt not in ("tsv", "xlsx", "ipc"):
        raise UsageError(f"unknown {where} '{fmt}'; use one of {', '.join(FORMATS)}")
    return {"tsv": "csv", "xlsx": "excel", "ipc": "arrow"}.get(fmt, fmt)


def _check_encoding(encoding: str | None, where: str = "--encoding") -> None:
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise UsageError(f"unknown {where} '{encoding}'; use e.g. utf-8, cp1252, latin-1, "
                             "utf-16") from None


def resolve(paths: list[str] | None, fmt: str | None = None, encoding: str | None = None,
            stdin=None, fit: bool = False) -> list[Source]:
    """Turn the user's paths into Sources; '-' (or no path with a piped stdin) means stdin.

    With ``fit`` (what TableInput asks for) a path may carry its own read options
    (``a.xlsx#sheet=Calls``, see ``options.py``), and with several inputs the global ``fmt`` and
    ``encoding`` apply only to the files they fit."""
    fmt = _check_format(fmt)
    _check_encoding(encoding)
    if fit:
        return _resolve_fitting(paths, fmt, encoding, stdin)
    stdin = stdin if stdin is not None else sys.stdin
    if not paths:
        if _isatty(stdin):
            raise UsageError("no input file given and standard input is a terminal; "
                             "give a file, or pipe data in (e.g. `cat calls.csv | toex ...`)")
        paths = ["-"]
    if paths.count("-") > 1:
        raise UsageError("standard input ('-') can be read only once")
    return [_resolve_one(p, fmt, encoding, stdin) for p in paths]


def _resolve_fitting(paths, fmt, encoding, stdin) -> list[Source]:
    from .options import encoding_fits, format_fits, split_file_options

    specs = [split_file_options(p) for p in (paths or [])]
    if not specs:
        return resolve(None, fmt, encoding, stdin)
    several = len(specs) > 1
    if [p for p, _ in specs].count("-") > 1:
        raise UsageError("standard input ('-') can be read only once")
    out = []
    for name, own in specs:
        own_fmt = _check_format(own.get("format"), f"format in {name}#...")
        _check_encoding(own.get("encoding"), f"encoding in {name}#...")
        use_fmt, fmt_applied = own_fmt, False
        if own_fmt is None and fmt is not None:
            if not several or name == "-" or not os.path.isfile(name) or format_fits(fmt, name):
                use_fmt, fmt_applied = fmt, True
        src = resolve([name], use_fmt, own.get("encoding"), stdin)[0]
        src.options = own
        if fmt is not None:
            src.applied["format"] = fmt_applied
            if not fmt_applied and own_fmt is None:
                src.misses["format"] = f"its first bytes say {src.format}"
        if encoding is not None and "encoding" not in own:
            ok, why = (True, "") if not several else encoding_fits(encoding, src)
            src.applied["encoding"] = ok
            if ok:
                src.encoding = encoding
            else:
                src.misses["encoding"] = why
        out.append(src)
    return out


def _isatty(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _resolve_one(name: str, fmt: str | None, encoding: str | None, stdin) -> Source:
    if name == "-":
        return _resolve_stream("-", fmt, encoding, getattr(stdin, "buffer", stdin))
    from .store import db_kind, split_target

    target = split_target(name)
    if target is not None and os.path.isfile(target[0]) and fmt == "text":
        # a command that reads the raw bytes itself (bank parse, calls parse): not a table
        raise UsageError(f"{name}: this command reads the original files, not a case-store "
                         f"table; give the file, or export the table first (toex convert {name} "
                         "-o table.csv)")
    if target is not None and os.path.isfile(target[0]):
        path, table = target
        return Source(name=name, path=path, format=db_kind(path),
                      details={"table": table} if table else {})
    if target is not None and target[1]:
        raise UsageError(f"{target[0]}: no such file")
    if not os.path.exists(name):
        raise UsageError(f"{name}: no such file")
    if os.path.isdir(name):
        raise UsageError(f"{name}: is a directory; give the files in it (e.g. {name.rstrip('/')}/*.csv)")
    try:
        fh = open(name, "rb")
    except PermissionError:
        raise UsageError(f"{name}: permission denied") from None
    if not os.path.isfile(name):
        # A FIFO, process substitution (/dev/fd/63) or device: it can be read only once, so it is
        # read through one open handle (spooled, or streamed for an Arrow stream), never reopened.
        return _resolve_stream(name, fmt, encoding, fh)
    with fh:
        head = fh.read(4096)
    if not head:
        raise DataError(f"{name}: file is empty")
    return _classify(name, name, head, fmt, encoding, name)


COMPRESSED_MAGIC = ((b"\x1f\x8b", "gzip"), (b"BZh", "bz2"), (b"\xfd7zXZ\x00", "xz"))
COMPRESSED_EXT = {"gzip": ".gz", "bz2": ".bz2", "xz": ".xz", "zip": ".zip"}
NOT_TABLES = {
    ".dbf": "a dBase .dbf file", ".mdb": "an Access database", ".accdb": "an Access database",
    ".pdf": "a PDF document",
    ".doc": "a Word document", ".docx": "a Word document",
}
NOT_TABLE_MAGIC = ((b"SQLite format 3\x00", "an SQLite database (read its tables as FILE.sqlite:TABLE)"),
                   (b"%PDF-", "a PDF document"))


def _compression(head: bytes, typed_name: str) -> str | None:
    for magic, kind in COMPRESSED_MAGIC:
        if head.startswith(magic):
            return kind
    if head.startswith(b"PK\x03\x04") and typed_name.lower().endswith(".zip"):
        return "zip"
    return None


def _classify(name: str, path: str, head: bytes, fmt: str | None, encoding: str | None,
              typed_name: str) -> Source:
    """Decide the format of ``path`` (what the user called ``name``; ``typed_name`` carries the
    extension to go by) from the extension and the first bytes."""
    kind = _compression(head, typed_name)
    if kind:
        inner_path, inner_name = _decompress(path, kind, name, typed_name)
        with open(inner_path, "rb") as fh:
            inner_head = fh.read(4096)
        if not inner_head:
            raise DataError(f"{name}: the {kind} file holds no data")
        original_sha = sha256_file(path)
        source = _classify(name, inner_path, inner_head, fmt, encoding, inner_name)
        source.sha256 = original_sha  # the evidence is the compressed file as given
        source.details["compressed"] = kind
        return source
    ext = os.path.splitext(typed_name)[1].lower()
    what = NOT_TABLES.get(ext) or next((w for m, w in NOT_TABLE_MAGIC if head.startswith(m)), None)
    if what and fmt is None:
        raise DataError(f"{name}: {what}, not a table format toex reads; export it to CSV or "
                        "Excel first (e.g. with LibreOffice)")
    by_magic = sniff_format(head)
    detected = fmt or EXTENSIONS.get(ext) or by_magic or "csv"
    if fmt is None and detected in ("excel", "parquet", "arrow") and by_magic != detected:
        # An .xls/.xlsx that is really HTML or text (some systems export that), or a mislabelled file.
        if by_magic in ("html", "jsonl", "parquet", "arrow", "excel"):
            detected = by_magic
        elif detected == "excel" and ext == ".xls" or detected == "excel" and by_magic is None:
            detected = "csv" if _looks_delimited(head) else "excel"
    if detected == "jsonl" and ext == ".json" and head.lstrip().startswith(b"["):
        raise DataError(f"{name}: a JSON array, not JSON Lines; convert it first, e.g. "
                        "`jq -c '.[]' file.json > file.jsonl`")
    return Source(name=name, path=path, format=detected, encoding=encoding)


def _decompress(path: str, kind: str, name: str, typed_name: str) -> tuple[str, str]:
    """Decompress into a private spool file: (its path, the name to take the format from)."""
    import shutil

    inner_name = typed_name
    if inner_name.lower().endswith(COMPRESSED_EXT[kind]):
        inner_name = inner_name[: -len(COMPRESSED_EXT[kind])]
    spool = tempfile.NamedTemporaryFile(prefix="toex-unpacked-", delete=False)
    _SPOOLS.append(spool.name)
    try:
        with spool:
            if kind == "zip":
                import zipfile

                with zipfile.ZipFile(path) as archive:
                    members = [i for i in archive.infolist() if not i.is_dir()
                               and not i.filename.startswith("__MACOSX/")]
                    if len(members) != 1:
                        listed = ", ".join(i.filename for i in members[:5]) or "nothing"
                        raise DataError(f"{name}: a zip archive holding {len(members)} files "
                                        f"({listed}); unzip it and give the file(s) you want")
                    inner_name = members[0].filename
                    with archive.open(members[0]) as member:
                        shutil.copyfileobj(member, spool, 1 << 20)
            else:
                import bz2
                import gzip
                import lzma

                opener = {"gzip": gzip.open, "bz2": bz2.open, "xz": lzma.open}[kind]
                with opener(path, "rb") as packed:
                    shutil.copyfileobj(packed, spool, 1 << 20)
    except DataError:
        raise
    except Exception as exc:  # zlib.error, EOFError, lzma.LZMAError, BadZipFile, OSError...
        raise DataError(f"{name}: corrupt or truncated {kind} data ({str(exc)[:120] or type(exc).__name__})") from None
    return spool.name, inner_name


def sha256_file(path: str) -> str:
    """SHA-256 of a file's bytes, read 1 MiB at a time (provenance of inputs and case files)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _looks_delimited(head: bytes) -> bool:
    text = _head_text(head)
    return any(d in text for d in (",", "\t", ";", "|")) and "\x00" not in text


def _resolve_stream(name: str, fmt: str | None, encoding: str | None, raw) -> Source:
    """Standard input, a FIFO or process substitution: read once, through ``raw``."""
    label = "standard input" if name == "-" else name
    head = _read_at_least(raw, 8)
    if not head:
        raise DataError(f"{label} is empty")
    hasher = hashlib.sha256()
    detected = fmt or sniff_format(head) or None
    if detected == "arrow" and head.startswith(ARROW_STREAM_MAGIC):
        stream = io.BufferedReader(_HashingReader(head, raw, hasher), buffer_size=1 << 16)
        return Source(name=name, path=None, format="arrow", stream=stream, _hasher=hasher)
    spool = tempfile.NamedTemporaryFile(prefix="toex-stdin-", delete=False)
    try:
        hasher.update(head)
        spool.write(head)
        for chunk in iter(lambda: raw.read(1 << 20), b""):
            hasher.update(chunk)
            spool.write(chunk)
        spool.close()
    except BaseException:
        spool.close()
        os.unlink(spool.name)
        raise
    finally:
        if name != "-":
            raw.close()
    _SPOOLS.append(spool.name)
    with open(spool.name, "rb") as fh:
        head = fh.read(4096)
    source = _classify(name, spool.name, head, fmt, encoding, "" if name == "-" else name)
    if source.sha256 is None:
        source.sha256 = hasher.hexdigest()
    return source


def _read_at_least(raw, n: int) -> bytes:
    data = b""
    while len(data) < n:
        chunk = raw.read(n - len(data))
        if not chunk:
            break
        data += chunk
    return data


_SPOOLS: list[str] = []


def cleanup_spools() -> None:
    """Remove temporary copies of standard input (called at exit)."""
    while _SPOOLS:
        try:
            os.unlink(_SPOOLS.pop())
        except OSError:
            pass


import atexit  # noqa: E402

atexit.register(cleanup_spools)
