"""How papers show themselves in a REPL and a notebook, and how they leave for pandas.

:class:`PaperTable` gives a collection of papers, a :class:`~fm_papers.catalogue.Catalogue`
or the :class:`Papers` a query returns, the displays of a data library:

* ``repr()`` is a table of the first :data:`TEXT_ROWS` papers, no wider than :data:`WIDTH`
  characters, under a line that counts them and over a ``… (K more)`` line;
* ``_repr_html_()`` is the table Jupyter shows: every value escaped, each title a link to
  its paper (only for an ``http(s)`` URL the models accept), at most :data:`HTML_ROWS` rows;
* :meth:`~PaperTable.to_records` gives one JSON-ready dict per paper, every field of the
  model in the model's order: the objects of the ``json`` export format;
* :meth:`~PaperTable.to_pandas` gives a ``pandas.DataFrame`` of those records.

>>> from fm_papers import load
>>> papers = load().query(ids="scgpt,uni")
>>> papers == (load().get("scgpt"), load().get("uni"))
True
>>> print(repr(papers).splitlines()[0])
<Papers: 2 papers>
>>> papers.to_records()[0]["id"]
'scgpt'

Nothing here is imported until it is used: no pandas, and no :mod:`html`, at start-up.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, SupportsIndex, overload

from .formats.table import (
    FLAG_MARK,
    FLAG_SIGN,
    Column,
    fit,
    flag_explanation,
    flags_cell,
    name_cell,
    shows_flags,
)
from .safety import check_url, one_line

if TYPE_CHECKING:
    # pandas is optional and ships no stubs: untyped where installed, missing where not.
    import pandas  # type: ignore[import-untyped, import-not-found, unused-ignore]

    from .models import Paper
    from .records import PaperLike

__all__ = ["HTML_ROWS", "TEXT_ROWS", "WIDTH", "PaperTable", "Papers", "json_records"]

#: How many papers ``repr()`` shows before its ``… (K more)`` line.
TEXT_ROWS = 10
#: How many papers a notebook shows before its ``… (K more)`` line.
HTML_ROWS = 60
#: The widest line ``repr()`` writes.
WIDTH = 100

#: Every column's header and how to read its cell from a paper; ``name`` and ``flags`` as
#: every table of papers shows them (:func:`fm_papers.formats.table.name_cell`).
_CELLS: dict[str, Callable[[PaperLike], str]] = {
    "id": lambda p: p.id,
    "name": name_cell,
    "title": lambda p: p.title,
    "year": lambda p: str(p.year) if p.year is not None else "",
    "domains": lambda p: ", ".join(p.domains),
    "sections": lambda p: ", ".join(p.sections),
    "venue": lambda p: p.venue or "",
    "flags": flags_cell,
}
#: The columns of both displays, in order; ``flags`` only when every paper shown is flagged
#: (:func:`fm_papers.formats.table.shows_flags`).
_SHOWN = ("id", "name", "title", "year", "domains", "sections", "venue", "flags")
#: The text table's columns, fitted as the command line's are: the name (never cut below 8
#: characters) and the title are always shown; the title keeps 30 characters before the
#: sections, then the domains, go.
_TEXT_COLUMNS = {
    "id": Column("id", least=8),
    "name": Column("name", most=18, least=8),
    "title": Column("title", least=10, keep=30),
    "year": Column("year"),
    "domains": Column("domains", most=24, least=8, drop=2),
    "sections": Column("sections", most=24, least=8, drop=1),
    "venue": Column("venue", most=24, least=8),
    "flags": Column("flags", most=30, least=20),
}


def _columns(papers: Sequence[PaperLike]) -> tuple[str, ...]:
    """The columns a display of ``papers`` shows."""
    return _SHOWN if shows_flags(papers) else _SHOWN[:-1]


class PaperTable:
    """The displays and exports shared by :class:`~fm_papers.catalogue.Catalogue` and
    :class:`Papers`: a subclass says which papers it holds and what its heading is."""

    __slots__ = ()

    def _papers(self) -> Sequence[PaperLike]:
        raise NotImplementedError

    def _heading(self) -> str:
        raise NotImplementedError

    def __repr__(self) -> str:
        return text_table(self._papers(), self._heading())

    def _repr_html_(self) -> str:
        """An HTML table for Jupyter: values escaped, titles linked to their papers."""
        return html_table(self._papers(), self._heading())

    def to_records(self) -> list[dict[str, Any]]:
        """One dict per paper, every field of :class:`~fm_papers.models.Paper` in order, with
        JSON values only (lists for tuples; ``None`` where a field is unknown): the objects
        the ``json`` export format writes."""
        return json_records(self._papers())

    def to_pandas(self) -> pandas.DataFrame:
        """A ``pandas.DataFrame`` of :meth:`to_records`, one row per paper, in order.

        :raises ModuleNotFoundError: if pandas is not installed.
        """
        import importlib

        try:
            pd = importlib.import_module("pandas")
        except ModuleNotFoundError as missing:
            if missing.name != "pandas":
                raise
            message = "to_pandas() needs pandas, which is not installed: pip install pandas"
            raise ModuleNotFoundError(message, name="pandas") from None
        from .models import Paper

        return pd.DataFrame(self.to_records(), columns=list(Paper.model_fields))


class Papers(PaperTable, tuple["Paper", ...]):
    """What :meth:`Catalogue.query <fm_papers.catalogue.Catalogue.query>` returns: a tuple of
    papers that shows itself as a table.

    It is a tuple in every way (it equals and hashes as the plain tuple of the same papers),
    and a slice of it is :class:`Papers` again. Other tuple operations (``+``, ``*``) give
    plain tuples.
    """

    __slots__ = ()

    @overload
    def __getitem__(self, index: SupportsIndex, /) -> Paper: ...
    @overload
    def __getitem__(self, index: slice, /) -> Papers: ...
    def __getitem__(self, index: SupportsIndex | slice, /) -> Paper | Papers:
        if isinstance(index, slice):
            return Papers(super().__getitem__(index))
        return super().__getitem__(index)

    def _papers(self) -> Sequence[PaperLike]:
        return self

    def _heading(self) -> str:
        return f"<Papers: {_count(len(self))}>"


def json_records(papers: Sequence[PaperLike]) -> list[dict[str, Any]]:
    """Every field of each paper as JSON values, as the model dumps them: what
    :meth:`PaperTable.to_records` gives and the ``json`` format writes."""
    from .models import Paper

    return [Paper.from_record(paper).model_dump(mode="json") for paper in papers]


def _cells(paper: PaperLike) -> dict[str, str]:
    """Every column's text for ``paper``, with any character a terminal or a bidirectional
    display would act on written as an escape (:func:`fm_papers.safety.one_line`)."""
    return {name: one_line(cell(paper)) for name, cell in _CELLS.items()}


def _count(number: int) -> str:
    return f"{number} paper" if number == 1 else f"{number} papers"


def _more(papers: Sequence[PaperLike], shown: int) -> str | None:
    left = len(papers) - shown
    return f"… ({left} more)" if left > 0 else None


def text_table(papers: Sequence[PaperLike], heading: str, rows: int = TEXT_ROWS) -> str:
    """``heading``, then the first ``rows`` papers as a table no wider than :data:`WIDTH`,
    then how many more there are.

    Cells too wide for their column end in ``…`` (the table is fitted as the command line's
    is: :func:`fm_papers.formats.table.fit`).
    """
    if not papers:
        return heading
    table = [_cells(paper) for paper in papers[:rows]]
    if not shows_flags(papers):  # no flags column: a flagged title starts with the mark
        for cells, paper in zip(table, papers, strict=False):
            if paper.flags:
                cells["title"] = f"{FLAG_MARK} {cells['title']}"
    columns = [_TEXT_COLUMNS[name] for name in _columns(papers)]
    lines = [heading, *fit(table, columns, WIDTH)]
    more = _more(papers, len(table))
    return "\n".join([*lines, more] if more else lines)


def html_table(papers: Sequence[PaperLike], heading: str, rows: int = HTML_ROWS) -> str:
    """``heading`` as the caption of a table of the first ``rows`` papers, then how many more
    there are.

    Every value is escaped, and a title links to its paper only when the URL is one the
    models accept (``http(s)``, nothing a browser would run), the rule every link of the
    Sphinx extension passed when its entry was validated.
    """
    from html import escape

    def row(paper: PaperLike) -> str:
        cells = {name: escape(text) for name, text in _cells(paper).items()}
        url = _safe_url(paper.url) if paper.url else None
        if url is not None:
            link = f'<a href="{escape(url)}" target="_blank" rel="noopener noreferrer">'
            cells["title"] = f"{link}{cells['title']}</a>"
        if paper.flags and "flags" not in columns:  # a mark whose tooltip says what is wrong
            explanation = escape(one_line(flag_explanation(paper)))
            cells["title"] += (
                f' <abbr class="fm-papers-flag" title="{explanation}">{FLAG_SIGN}</abbr>'
            )
        return "<tr>" + "".join(f"<td>{cells[name]}</td>" for name in columns) + "</tr>"

    columns = _columns(papers)
    header = "".join(f"<th>{name}</th>" for name in columns)
    parts = [
        '<table class="fm-papers">',
        f"<caption>{escape(heading)}</caption>",
        f"<thead><tr>{header}</tr></thead>",
        "<tbody>",
        *map(row, papers[:rows]),
        "</tbody>",
        "</table>",
    ]
    more = _more(papers, min(rows, len(papers)))
    if more:
        parts.append(f"<p>{escape(more)}</p>")
    return "\n".join(parts)


def _safe_url(url: str) -> str | None:
    """``url`` if the models would accept it as a link (:func:`.safety.check_url`), else
    ``None``: a record built without validation may hold anything."""
    try:
        return check_url(url)
    except ValueError:
        return None
