"""The package's exception types: every failure a user can cause is one of these."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from .safety import one_line

__all__ = [
    "DataError",
    "DataProblem",
    "FmPapersError",
    "QueryError",
    "UnknownPaperError",
    "did_you_mean",
    "hint",
    "suggestion",
    "valid_values",
]


class FmPapersError(Exception):
    """Base class of every error raised by fm-papers."""


def did_you_mean(value: str, choices: Iterable[str], *, n: int = 1) -> list[str]:
    """Return the nearest of ``choices`` to ``value`` (case-insensitive), best first."""
    import difflib  # only once something is misspelt

    by_lower: dict[str, str] = {}
    for choice in choices:
        by_lower.setdefault(choice.lower(), choice)
    matches = difflib.get_close_matches(value.lower(), list(by_lower), n=n, cutoff=0.6)
    return [by_lower[m] for m in matches]


def suggestion(value: str, choices: Iterable[str]) -> str:
    """``; did you mean 'x'?`` for the nearest of ``choices``, or ``""`` when none is near."""
    return _asking(next(iter(did_you_mean(value, choices)), None))


def _asking(near: str | None) -> str:
    return f"; did you mean {near!r}?" if near is not None else ""


#: How many valid values a message lists before ``(and N more)``.
LISTED = 12


def hint(value: str, valid: Sequence[str]) -> str:
    """What follows a mistake in every message of the package, the same in Python, on the
    command line and in the directive's warnings: ``; did you mean 'x'?`` for the nearest of
    ``valid`` to ``value``; else ``; valid values: a, b, c``, in the order given (the first
    :data:`LISTED`, then how many more); ``""`` for an open set.

    >>> hint("jsn", ["json", "csv"])
    "; did you mean 'json'?"
    >>> hint("xml", ["json", "csv"])
    '; valid values: json, csv'
    """
    return _explained(next(iter(did_you_mean(value, valid)), None), valid)


def _explained(near: str | None, valid: Sequence[str]) -> str:
    if near is not None:
        return _asking(near)
    if not valid:
        return ""
    more = f" (and {len(valid) - LISTED} more)" if len(valid) > LISTED else ""
    return f"; valid values: {', '.join(valid[:LISTED])}{more}"


def valid_values(valid: Iterable[str], most: int = 40) -> str:
    """``Valid values: a, b, c.``: the first ``most`` of them and how many more there are."""
    items = list(valid)
    more = f" (and {len(items) - most} more)" if len(items) > most else ""
    return f"Valid values: {', '.join(items[:most])}{more}."


class QueryError(FmPapersError, ValueError):
    """A filter value the query grammar cannot accept.

    :param field: the filter's name (``section``, ``year``...).
    :param value: the offending value as the user wrote it.
    :param message: what is wrong.
    :param valid: the values that would have been accepted, if the set is closed.
    """

    def __init__(self, field: str, value: str, message: str, valid: Sequence[str] = ()) -> None:
        self.field = field
        self.value = value
        self.valid = tuple(valid)
        near = did_you_mean(value, valid)
        self.suggestion: str | None = near[0] if near else None
        #: The message and the suggestion, without the field name and the valid values.
        self.reason = message + _asking(self.suggestion)
        #: The message and its :func:`hint`, without the field name: the text the command
        #: line and the directive print after the flag or option, as ``str()`` does after the
        #: keyword (``kind: unknown kind 'modle'; did you mean 'model'?``).
        self.detail = message + _explained(self.suggestion, self.valid)
        # An unknown filter is named by the message itself.
        super().__init__(self.detail if field == "filter" else f"{field}: {self.detail}")

    @property
    def valid_sentence(self) -> str:
        """``Valid values: ...`` in alphabetical order, or ``""`` for an open set."""
        return valid_values(sorted(self.valid, key=str.lower)) if self.valid else ""


class UnknownPaperError(FmPapersError, LookupError):
    """A name that is no id, alias or short name of any entry of the catalogue, or a short
    name several entries share.

    :param paper_id: the name as the user wrote it.
    :param suggestions: the nearest ids, best first, each with what it names
        (``{"virchow": "Virchow, 2024"}``), so that a suggestion is never mistaken for the
        paper asked for; for an ambiguous name, every paper it finds.
    :param ambiguous: the name finds several papers.
    """

    def __init__(
        self,
        paper_id: str,
        suggestions: Mapping[str, str] | None = None,
        *,
        ambiguous: bool = False,
    ) -> None:
        self.paper_id = paper_id
        described = dict(suggestions or {})
        #: The suggested ids, best first; for an ambiguous name, every paper it finds.
        self.suggestions = list(described)
        #: Whether the name finds several papers (a short name they share), not none.
        self.ambiguous = ambiguous
        text = f"unknown paper id {paper_id!r}"
        if ambiguous:
            text = f"{paper_id!r} names {len(described)} papers: " + ", ".join(
                f"{i!r} ({what})" for i, what in described.items()
            )
            text += "; use an id"
        elif described:
            text += "; did you mean " + ", ".join(
                f"{i!r} ({what})" if what else repr(i) for i, what in described.items()
            )
            text += "?"
        super().__init__(text)

    def __str__(self) -> str:  # LookupError would otherwise repr() the message
        return str(self.args[0])


class DataProblem:
    """One located problem in a data file: ``file:line: entry 'id': field: message``."""

    __slots__ = ("entry", "field", "file", "line", "message")

    def __init__(
        self,
        file: str,
        line: int | None,
        message: str,
        *,
        entry: str | None = None,
        field: str | None = None,
    ) -> None:
        self.file = file
        self.line = line
        self.entry = entry
        self.field = field
        self.message = message

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        parts = [where]
        if self.entry is not None:
            parts.append(f"entry {self.entry!r}")
        if self.field:
            parts.append(self.field)
        parts.append(self.message)
        # Keys and values quoted from a file may hold escapes YAML decoded (\e, \u202e).
        return one_line(": ".join(parts))

    def __repr__(self) -> str:
        return f"DataProblem({str(self)!r})"


class DataError(FmPapersError, ValueError):
    """Invalid data: one or more located problems, each one line of the message."""

    def __init__(self, problems: Sequence[DataProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
