"""Errors a user can act on.

Every failure caused by the input or the command line is raised as one of these; the CLI prints
the message on one line (no traceback) and exits with the class's code. Library users catch
``ToexError``.
"""


class ToexError(Exception):
    """Base class: ``exit_code`` is what the CLI exits with."""

    exit_code = 1


class DataError(ToexError):
    """The input data is wrong or unreadable (exit 1)."""

    exit_code = 1


class UsageError(ToexError):
    """The command line asks for something impossible (exit 2)."""

    exit_code = 2


class NetworkError(ToexError):
    """A network service could not be reached or refused us (exit 3)."""

    exit_code = 3


def did_you_mean(name: str, choices) -> str:
    """Return ' (did you mean 'x'?)' for the closest of ``choices``, or ''."""
    import difflib

    choices = [str(c) for c in choices]
    lowered = {c.lower(): c for c in choices}
    if name.lower() in lowered:
        return f" (did you mean '{lowered[name.lower()]}'?)"
    close = difflib.get_close_matches(name, choices, n=1, cutoff=0.5)
    if not close:
        close = difflib.get_close_matches(name.lower(), list(lowered), n=1, cutoff=0.5)
        close = [lowered[c] for c in close]
    return f" (did you mean '{close[0]}'?)" if close else ""


def require_columns(columns, wanted, source: str = "input") -> None:
    """Raise a UsageError naming the first of ``wanted`` missing from ``columns``."""
    columns = list(columns)
    for name in wanted:
        if name not in columns:
            shown = ", ".join(c for c in columns if not c.startswith("_")) or "(none)"
            raise UsageError(
                f"{source}: no column '{name}'{did_you_mean(name, columns)}; columns are: {shown}"
            )
