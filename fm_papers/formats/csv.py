"""The ``csv`` format: RFC 4180, one row per paper, list fields joined with ``"; "``.

Spreadsheets run a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage
return) as a formula. Such a cell is written with a leading ``'``, which spreadsheets show as
text and do not display; other readers see the quote.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..catalogue import Catalogue
    from ..records import PaperLike


__all__ = ["COLUMNS", "SEPARATOR", "cell", "render_csv"]

#: The header row, in order.
COLUMNS: tuple[str, ...] = (
    "id",
    "title",
    "authors",
    "model",
    "kind",
    "aliases",
    "year",
    "venue",
    "venue_kind",
    "venue_as_written",
    "url",
    "code",
    "weights",
    "project",
    "doi",
    "arxiv",
    "domains",
    "sections",
    "notes",
    "flags",
)
#: How list fields are joined in one cell. URLs, keys and aliases never contain it.
SEPARATOR = "; "
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(text: str) -> str:
    """A cell's text, quoted with ``'`` if a spreadsheet would read it as a formula."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def _row(paper: PaperLike) -> list[str]:
    def links(kind: str) -> str:
        return SEPARATOR.join(link.url for link in paper.links if link.kind == kind)

    return [
        paper.id,
        paper.title,
        SEPARATOR.join(author.inverted for author in paper.authors),
        paper.model or "",
        paper.kind or "",
        SEPARATOR.join(paper.aliases),
        str(paper.year) if paper.year is not None else "",
        paper.venue or "",
        paper.venue_kind or "",
        paper.venue_as_written or "",
        paper.url or "",
        links("code"),
        links("weights"),
        links("project"),
        paper.doi or "",
        paper.arxiv or "",
        SEPARATOR.join(paper.domains),
        SEPARATOR.join(paper.sections),
        SEPARATOR.join(paper.notes),
        SEPARATOR.join(dict.fromkeys(flag.kind for flag in paper.flags)),
    ]


def render_csv(papers: Sequence[PaperLike], catalogue: Catalogue) -> str:
    """A header row and one row per paper; empty cells where a field is unknown.

    Rows end with CRLF and fields are quoted when needed, as RFC 4180 and spreadsheets expect.

    :param papers: the papers, in order.
    :param catalogue: unused; every format takes it.
    """
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows([cell(value) for value in _row(paper)] for paper in papers)
    return out.getvalue()
