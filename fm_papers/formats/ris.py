"""The ``ris`` format: RIS records, what Zotero, EndNote and Mendeley import.

One record per paper: ``TY`` by the venue's kind (``JOUR``, ``CPAPER``, ``UNPB`` for a
preprint, ``GEN`` otherwise), ``TI``, an ``AU`` line per author (``Family, Given``; an
organisation as written), ``PY``, ``T2`` (the venue), ``DO``, ``UR``, ``N1`` for notes,
``KW`` for domains and sections, ``ID`` the paper's id, and ``ER``. Lines end with CRLF, as
the format asks. A value is one line: the models refuse line breaks in any field.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..catalogue import Catalogue
    from ..records import PaperLike

__all__ = ["render_ris"]

_TYPES = {"journal": "JOUR", "conference": "CPAPER", "workshop": "CPAPER", "preprint": "UNPB"}


def _record(paper: PaperLike) -> list[tuple[str, str]]:
    tags = [("TY", _TYPES.get(paper.venue_kind or "", "GEN")), ("ID", paper.id)]
    tags.append(("TI", paper.title))
    tags += [("AU", author.inverted) for author in paper.authors]
    if paper.year is not None:
        tags.append(("PY", str(paper.year)))
    if paper.venue:
        tags.append(("T2", paper.venue))
    if paper.doi:
        tags.append(("DO", paper.doi))
    if paper.url:
        tags.append(("UR", paper.url))
    tags += [("N1", note) for note in paper.notes]
    if paper.arxiv:
        tags.append(("N1", f"arXiv:{paper.arxiv}"))
    tags += [("KW", key) for key in (*paper.domains, *paper.sections)]
    tags.append(("ER", ""))
    return tags


def render_ris(papers: Sequence[PaperLike], catalogue: Catalogue) -> str:
    """The papers as RIS records, in order.

    :param papers: the papers.
    :param catalogue: unused; every format takes it.
    """
    lines = [f"{tag}  - {value}".rstrip() + "\r\n" for p in papers for tag, value in _record(p)]
    return "".join(lines)
