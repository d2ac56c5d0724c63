"""Messages and progress on stderr, never on stdout (stdout carries data).

``--quiet`` silences information and progress; warnings and errors always show. Progress bars
appear only when stderr is a terminal, so logs and pipes stay clean.
"""

import sys

QUIET = False


def set_quiet(value: bool) -> None:
    global QUIET
    QUIET = bool(value)


def info(message: str) -> None:
    """A note for the user (suppressed by --quiet)."""
    if not QUIET:
        print(f"toex: {message}", file=sys.stderr, flush=True)


def warn(message: str) -> None:
    """Something the user must know about the result; always shown."""
    print(f"toex: warning: {message}", file=sys.stderr, flush=True)


def rows_left_out(items, limit: int = 10) -> None:
    """One info line per reason for rows a reader left out by design (preamble, footer, page
    break, opening balance...): ``items`` are dicts with ``reason`` and ``row``."""
    by_reason: dict[str, list[str]] = {}
    for x in items:
        by_reason.setdefault(x["reason"], []).append(str(x["row"]))
    for reason, rows in by_reason.items():
        info(f"  left out ({reason}): row {', '.join(rows[:limit])}" + (" ..." if len(rows) > limit else ""))


def error(message: str) -> None:
    print(f"toex: error: {message}", file=sys.stderr, flush=True)


class Progress:
    """Counts rows on a rich status line when stderr is a TTY; otherwise does nothing."""

    def __init__(self, label: str):
        self.label = label
        self.rows = 0
        self._live = None

    def __enter__(self):
        if not QUIET and sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import Progress as RichProgress, SpinnerColumn, TextColumn

            self._live = RichProgress(
                SpinnerColumn(), TextColumn("{task.description}"), console=Console(stderr=True),
                transient=True,
            )
            self._live.start()
            self._task = self._live.add_task(self.label)
        return self

    def advance(self, rows: int) -> None:
        self.rows += rows
        if self._live is not None:
            self._live.update(self._task, description=f"{self.label}: {self.rows:,} rows")

    def __exit__(self, *exc):
        if self._live is not None:
            self._live.stop()
        return False
