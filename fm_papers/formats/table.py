"""The ``table`` format, and the one way a table is fitted to a terminal's width.

:func:`fit` lays out any rows of text under any columns, within a width: every column as wide
as its widest cell (or its :attr:`Column.most`), then, while the table is too wide, the widest
column that may be cut loses a character, and once none may be cut further the next optional
column is dropped. A cut cell ends in ``…``. The ``table`` format (:func:`render_table`, what
``fm-papers list`` prints) and the REPL's ``repr()`` (:func:`fm_papers.display.text_table`)
both use it, each with its own columns.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from ..catalogue import Catalogue
    from ..records import PaperLike

__all__ = [
    "FLAG_LABEL",
    "FLAG_MARK",
    "FLAG_NOTE",
    "FLAG_SIGN",
    "Column",
    "fit",
    "flag_explanation",
    "flags_cell",
    "name_cell",
    "render_table",
    "shows_flags",
    "truncate",
]

_ELLIPSIS = "…"
_GAP = "  "


class Column(NamedTuple):
    """A column of a fitted table.

    :param name: the key of its cells in each row, and its header.
    :param most: the widest it grows.
    :param least: the narrowest it is cut to; ``None``: it is never cut.
    :param keep: the narrowest it is cut to while an optional column is still shown (the
        title keeps room to be read before the venue goes); ``least`` when ``None``.
    :param drop: for an optional column, when it is dropped once nothing else may be cut
        (1 first, then 2...); ``None``: never.
    """

    name: str
    most: int = 10_000
    least: int | None = None
    keep: int | None = None
    drop: int | None = None


def truncate(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters, ending in an ellipsis when cut.

    :param text: a cell's text.
    :param width: the column's width (at least 1).
    """
    if len(text) <= width:
        return text
    return text[: max(width - 1, 0)] + _ELLIPSIS


def fit(
    rows: Sequence[Mapping[str, str]],
    columns: Sequence[Column],
    width: int,
    *,
    cut_first: Sequence[str] = (),
) -> list[str]:
    """The header line and one line per row, no wider than ``width`` where the columns allow.

    :param rows: each row's cells, by column name.
    :param columns: the columns, in order.
    :param width: the width to fit.
    :param cut_first: the order in which columns of equal width are cut (the rest after,
        in column order).
    """
    shown = list(columns)
    order = [*cut_first, *(c.name for c in columns if c.name not in cut_first)]
    droppable = sorted((c for c in columns if c.drop is not None), key=lambda c: c.drop or 0)
    while True:
        widths = {
            c.name: min(c.most, max(len(c.name), *(len(row[c.name]) for row in rows)))
            for c in shown
        }
        floors: dict[str, int | None] = {
            c.name: c.keep if droppable and c.keep is not None else c.least for c in shown
        }

        while _excess(widths, width) > 0:
            cuttable = [
                n
                for n in order
                if n in widths and (floor := floors[n]) is not None and widths[n] > floor
            ]
            if not cuttable:
                break
            widths[max(cuttable, key=widths.__getitem__)] -= 1
        if _excess(widths, width) <= 0 or not droppable:
            break
        shown.remove(droppable.pop(0))

    def line(cells: Mapping[str, str]) -> str:
        parts = [truncate(cells[c.name], widths[c.name]).ljust(widths[c.name]) for c in shown]
        return _GAP.join(parts).rstrip()

    return [line({c.name: c.name for c in shown}), *map(line, rows)]


def _excess(widths: Mapping[str, int], width: int) -> int:
    """How many characters the columns need beyond ``width`` (gaps included)."""
    return sum(widths.values()) + len(_GAP) * (len(widths) - 1) - width


def name_cell(paper: PaperLike) -> str:
    """The name column of every table of papers: the paper's short name (``model``), blank
    for a paper that has none.

    Every table shows it beside the title (the command line's ``NAME`` and ``TITLE``, the
    Python displays' ``name`` and ``title``, the directive's default ``model`` and ``title``
    columns), so a paper without a short name is named by its title there, never twice. A
    citation, which has room for one name only, uses
    :attr:`~fm_papers.properties.PaperProperties.short_name` (the short name, else the title).
    """
    return paper.model or ""


def flags_cell(paper: PaperLike) -> str:
    """The flags column: the kinds of a paper's source flags, each once, in order
    (``fm-papers show`` gives their messages)."""
    return ", ".join(dict.fromkeys(flag.kind for flag in paper.flags))


def shows_flags(papers: Sequence[PaperLike]) -> bool:
    """Whether a table of ``papers`` has a flags column: when every paper it lists carries a
    source flag, as the listing of the flagged papers does
    (:meth:`Catalogue.flagged <fm_papers.catalogue.Catalogue.flagged>`)."""
    return bool(papers) and all(paper.flags for paper in papers)


#: The ``table`` format's columns: the id is never cut (ids are what people copy) and the name
#: is always shown (never cut below 8 characters); the title takes the width the others leave,
#: and keeps 24 characters before the venue goes.
_COLUMNS = (
    Column("ID"),
    Column("YEAR", most=4),
    Column("VENUE", most=24, drop=1),
    Column("NAME", most=18, least=8),
    Column("TITLE", least=10, keep=24),
)
#: The column added when every paper listed is flagged (:func:`shows_flags`).
_FLAGS = Column("FLAGS", most=24, least=8)
#: Before the title of a flagged paper, when the table has no flags column: its source has a
#: defect (the Sphinx tables and the Python displays mark it too).
FLAG_MARK = "[!]"
#: The mark in HTML (the Sphinx extension's pages, a notebook's display), whose tooltip says
#: what is wrong (:func:`flag_explanation`).
FLAG_SIGN = "⚠"
#: What a flagged paper's mark means, where there is room to say it.
FLAG_LABEL = "source defect"
#: What the count after such a table adds: what the mark means (``fm-papers show`` lists the
#: flags' messages).
FLAG_NOTE = f"{FLAG_MARK}: a {FLAG_LABEL}"


def flag_explanation(paper: PaperLike, label: str = FLAG_LABEL) -> str:
    """What a flagged paper's mark says: ``source defect: the year is 2024, but...``, each
    flag's message once (``label`` in another language: the Sphinx extension's)."""
    return f"{label}: " + "; ".join(dict.fromkeys(flag.message for flag in paper.flags))


def _cells(paper: PaperLike, marked: bool = False) -> dict[str, str]:
    mark = f"{FLAG_MARK} " if marked and paper.flags else ""
    return {
        "ID": paper.id,
        "YEAR": str(paper.year) if paper.year is not None else "",
        "VENUE": paper.venue or "",
        "NAME": name_cell(paper),
        "TITLE": mark + paper.title,
        "FLAGS": flags_cell(paper),
    }


def render_table(
    papers: Sequence[PaperLike], catalogue: Catalogue, *, width: int | None = None
) -> str:
    """The papers as a table no wider than the terminal, with a count at the end.

    The columns are always ``ID YEAR VENUE NAME TITLE`` (the venue goes on a narrow
    terminal), with ``FLAGS`` before the title when every paper listed is flagged; else a
    flagged paper's title starts with :data:`FLAG_MARK`, explained in the count after it.

    :param papers: the rows, in order.
    :param catalogue: unused; every format takes it.
    :param width: the width to fit; the terminal's (or ``$COLUMNS``) when not given.
    """
    if not papers:
        return "No papers match.\n"
    total = width if width is not None else shutil.get_terminal_size((100, 24)).columns
    flags = shows_flags(papers)
    columns = [*_COLUMNS[:-1], _FLAGS, _COLUMNS[-1]] if flags else _COLUMNS
    lines = fit([_cells(paper, marked=not flags) for paper in papers], columns, total)
    noun = "paper" if len(papers) == 1 else "papers"
    note = f"; {FLAG_NOTE}" if not flags and any(paper.flags for paper in papers) else ""
    lines.append(f"({len(papers)} {noun}{note})")
    return "\n".join(lines) + "\n"
