"""The ``table`` format: an aligned, terminal-width-aware table for people reading a terminal.

Columns are id, year, venue, short name and title. The title takes the width the others leave
and is cut with an ellipsis; on a narrow terminal the name and venue columns go first.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence

from ..catalogue import Catalogue
from ..records import PaperLike

__all__ = ["render_table", "truncate"]

_ELLIPSIS = "…"
_GAP = "  "
#: (header, widest it may grow), in display order; `_cells` reads each cell.
_COLUMNS: tuple[tuple[str, int], ...] = (
    ("ID", 80),  # never cut: ids are what people copy
    ("YEAR", 4),
    ("VENUE", 24),
    ("NAME", 18),
    ("TITLE", 10_000),
)
#: The narrowest title worth showing before columns are dropped to make room for it.
_MIN_TITLE = 24


def truncate(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters, ending in an ellipsis when cut.

    :param text: a cell's text.
    :param width: the column's width (at least 1).
    """
    if len(text) <= width:
        return text
    return text[: max(width - 1, 0)] + _ELLIPSIS


def _cells(paper: PaperLike) -> dict[str, str]:
    return {
        "ID": paper.id,
        "YEAR": str(paper.year) if paper.year is not None else "",
        "VENUE": paper.venue or "",
        "NAME": paper.model or "",
        "TITLE": paper.title,
    }


def render_table(
    papers: Sequence[PaperLike], catalogue: Catalogue, *, width: int | None = None
) -> str:
    """The papers as a table no wider than the terminal, with a count at the end.

    :param papers: the rows, in order.
    :param catalogue: unused; every format takes it.
    :param width: the width to fit; the terminal's (or ``$COLUMNS``) when not given.
    """
    if not papers:
        return "No papers match.\n"
    total = width if width is not None else shutil.get_terminal_size((100, 24)).columns
    rows = [_cells(paper) for paper in papers]
    names = [name for name, _ in _COLUMNS]
    widths = {
        name: min(limit, max(len(name), *(len(row[name]) for row in rows)))
        for name, limit in _COLUMNS
    }

    def title_room() -> int:
        others = sum(widths[name] for name in names if name != "TITLE")
        return total - others - len(_GAP) * (len(names) - 1)

    # Drop the least useful columns until the title has room to be read.
    for optional in ("NAME", "VENUE"):
        if title_room() >= _MIN_TITLE:
            break
        names.remove(optional)
    widths["TITLE"] = max(min(widths["TITLE"], title_room()), 10)

    def line(cells: dict[str, str]) -> str:
        parts = [truncate(cells[name], widths[name]).ljust(widths[name]) for name in names]
        return _GAP.join(parts).rstrip()

    out = [line({name: name for name in names})]
    out += [line(row) for row in rows]
    noun = "paper" if len(papers) == 1 else "papers"
    out.append(f"({len(papers)} {noun})")
    return "\n".join(out) + "\n"
