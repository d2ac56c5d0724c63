"""Processing history carried in Parquet/Arrow schema metadata.

A list of steps, oldest first; each step records the toex version, the command line, the UTC
time, each input's name and SHA-256, and rows in/out. Every command appends its own step to the
history it read, so a Parquet file handed to a colleague says how it was made.
"""

from __future__ import annotations

import datetime as _dt
import json
import shlex
import sys

HISTORY_KEY = b"toex.history"


def decode_history(raw) -> list:
    if not raw:
        return []
    try:
        value = json.loads(raw)
    except (ValueError, TypeError):
        return []
    return value if isinstance(value, list) else []


def encode_history(steps: list) -> bytes:
    return json.dumps(steps, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def make_step(sources, rows_in: int | None, rows_out: int | None, command: str | None = None) -> dict:
    from .. import __version__

    return {
        "toex": __version__,
        "command": command if command is not None else _command_line(),
        "time": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "inputs": [
            {"name": s.name, "sha256": s.digest(), "format": s.format,
             **{k: v for k, v in s.details.items() if k in ("sheet", "encoding", "delimiter", "table", "skip", "bytes")}}
            for s in sources
        ],
        "rows_in": rows_in,
        "rows_out": rows_out,
    }


def _command_line() -> str:
    argv = list(sys.argv)
    if argv:
        argv[0] = "toex"
    return shlex.join(argv)


def merged_history(sources) -> list:
    """The histories of all inputs, in input order, without repeating shared steps."""
    steps: list = []
    seen: set[str] = set()
    for s in sources:
        for step in s.history:
            key = json.dumps(step, sort_keys=True)
            if key not in seen:
                seen.add(key)
                steps.append(step)
    return steps
