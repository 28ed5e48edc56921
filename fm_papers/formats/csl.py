"""The ``csl-json`` format: CSL-JSON, what Zotero, pandoc, Quarto and every CSL processor read.

One object per paper, keyed by its id: ``type`` by the venue's kind (``article-journal``,
``paper-conference``, ``article`` for a preprint, ``document`` otherwise), ``title``,
``author`` (``family`` and ``given``, an organisation as ``literal``), ``issued``,
``container-title`` (the venue), ``DOI``, ``URL``, and a ``note`` with the paper's notes and
arXiv id. A field the catalogue does not know is left out, never invented.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..catalogue import Catalogue
    from ..records import AuthorLike, PaperLike

__all__ = ["csl_item", "render_csl_json"]

#: CSL's item type for each kind of venue.
_TYPES = {
    "journal": "article-journal",
    "conference": "paper-conference",
    "workshop": "paper-conference",
    "preprint": "article",
}


def _name(author: AuthorLike) -> dict[str, str]:
    if author.family is None:
        return {"literal": author.name or ""}
    name = {"family": author.family}
    if author.given:
        name["given"] = author.given
    return name


def csl_item(paper: PaperLike) -> dict[str, Any]:
    """One paper as a CSL-JSON item.

    :param paper: the paper.
    """
    item: dict[str, Any] = {
        "id": paper.id,
        "type": _TYPES.get(paper.venue_kind or "", "document"),
        "title": paper.title,
    }
    if paper.authors:
        item["author"] = [_name(author) for author in paper.authors]
    if paper.year is not None:
        item["issued"] = {"date-parts": [[paper.year]]}
    if paper.venue:
        item["container-title"] = paper.venue
    if paper.doi:
        item["DOI"] = paper.doi
    if paper.url:
        item["URL"] = paper.url
    notes = [*paper.notes, *([f"arXiv:{paper.arxiv}"] if paper.arxiv else [])]
    if notes:
        item["note"] = ". ".join(notes)
    return item


def render_csl_json(papers: Sequence[PaperLike], catalogue: Catalogue) -> str:
    """A JSON array of CSL items, one per paper.

    :param papers: the papers, in order.
    :param catalogue: unused; every format takes it.
    """
    return json.dumps([csl_item(p) for p in papers], indent=2, ensure_ascii=False) + "\n"
