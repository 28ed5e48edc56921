"""The ``bibtex`` format: one entry per paper, keyed by its id, for reference managers and LaTeX.

The entry type follows the venue's kind: ``@article`` with ``journal`` for journals,
``@inproceedings`` with ``booktitle`` for conferences and workshops, ``@misc`` with
``howpublished`` for preprints and anything else (plus ``eprint``/``archiveprefix`` for arXiv
ids). ``author`` lists the authors as BibTeX reads names, ``Family, Given and ...``, an
organisation in braces (``{Human Cell Atlas Consortium}``) so that no style takes it apart.
A paper without recorded authors is a ``@misc``, whose fields no style requires, rather than
an article a style would print as "missing author": none is ever invented. Words with capitals
are braced so that styles which lowercase titles keep "scGPT".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..catalogue import Catalogue
    from ..records import AuthorLike, PaperLike


__all__ = ["escape", "protect_title", "render_bibtex"]

# Backslash first, so that the backslashes the other replacements add are not doubled. Braces
# are LaTeX commands, not \{ and \}: BibTeX counts every brace, escaped or not, so a lone
# "}" would close the field early.
_SPECIALS = (
    ("\\", r"\textbackslash{}"),
    ("{", r"\textbraceleft{}"),
    ("}", r"\textbraceright{}"),
    ("&", r"\&"),
    ("%", r"\%"),
    ("#", r"\#"),
    ("_", r"\_"),
    ("$", r"\$"),
    ("~", r"\textasciitilde{}"),
    ("^", r"\textasciicircum{}"),
)
_SPECIAL = re.compile("|".join(re.escape(char) for char, _ in _SPECIALS))
_REPLACEMENT = dict(_SPECIALS)
# A word for case protection: a run of characters that are neither spaces nor LaTeX specials.
_WORD = re.compile(r"[^\s\\{}&%#_$~^]+")


def escape(text: str) -> str:
    r"""Escape LaTeX's special characters (``&`` becomes ``\&``); other text, non-ASCII
    included, is kept as it is (BibTeX files are UTF-8).

    :param text: plain text.
    """
    return _SPECIAL.sub(lambda match: _REPLACEMENT[match.group()], text)


def protect_title(title: str) -> str:
    """Escape a title and brace every word that holds a capital letter.

    Bibliography styles lowercase titles ("Scgpt: toward..."); a braced word is left as
    written, so the title reads exactly as the source spells it.

    :param title: the title as written.
    """
    protected = []
    position = 0
    for match in _WORD.finditer(title):
        protected.append(escape(title[position : match.start()]))
        word = match.group()
        protected.append(f"{{{word}}}" if any(c.isupper() for c in word) else word)
        position = match.end()
    protected.append(escape(title[position:]))
    return "".join(protected)


def _url(url: str) -> str:
    # URL and DOI fields are read verbatim (url package, biblatex); only braces would break
    # the entry, and escaping "_" would put a backslash into the link.
    return url.replace("{", "%7B").replace("}", "%7D")


#: The word BibTeX splits names at, in any case (``AND`` too).
_AND = re.compile(r"(?i)(?<!\S)and(?!\S)")


def _name(author: AuthorLike) -> str:
    """An author as BibTeX reads a name: ``Family, Given``; an organisation braced whole.

    A word ``and`` (any case) inside a name is braced, or BibTeX would split the name there; a
    family name holding one or a comma is braced whole, and so are given names holding a
    comma (BibTeX would read a suffix). A person with a family name alone is written
    ``Family,`` so that every word of it stays the family name (``Da Silva,``).
    """
    if author.family is None:
        return "{" + escape(author.name or "") + "}"
    family = escape(author.family)
    if _AND.search(family) or "," in family:
        family = "{" + family + "}"
    given = escape(author.given or "")
    given = "{" + given + "}" if "," in given else _AND.sub("{\\g<0>}", given)
    return f"{family}, {given}" if given else f"{family},"


def _entry(paper: PaperLike) -> str:
    fields: list[tuple[str, str]] = [("title", protect_title(paper.title))]
    kind = paper.venue_kind if paper.authors else None
    if paper.authors:
        fields.insert(0, ("author", " and ".join(map(_name, paper.authors))))
    if kind == "journal" and paper.venue:
        entry_type = "article"
        fields.append(("journal", escape(paper.venue)))
    elif kind in ("conference", "workshop") and paper.venue:
        entry_type = "inproceedings"
        fields.append(("booktitle", escape(paper.venue)))
    else:
        entry_type = "misc"
        if paper.venue:
            fields.append(("howpublished", escape(paper.venue)))
    if paper.year is not None:
        fields.append(("year", str(paper.year)))
    if paper.doi:
        fields.append(("doi", _url(paper.doi)))
    if paper.arxiv:
        fields += [("eprint", paper.arxiv), ("archiveprefix", "arXiv")]
    if paper.url:
        fields.append(("url", _url(paper.url)))
    notes = list(paper.notes)
    written = " ".join([paper.title, *notes]).casefold()
    if paper.model and paper.model.casefold() not in written:
        label = {"benchmark": "Benchmark", "dataset": "Dataset"}.get(paper.kind or "", "Model")
        notes.insert(0, f"{label}: {paper.model}")
    if notes:
        fields.append(("note", escape(". ".join(notes))))
    fields.append(("keywords", escape(", ".join([*paper.domains, *paper.sections]))))
    width = max(len(name) for name, _ in fields)
    body = "".join(f"  {name:<{width}} = {{{value}}},\n" for name, value in fields)
    return f"@{entry_type}{{{paper.id},\n{body}}}\n"


def render_bibtex(papers: Sequence[PaperLike], catalogue: Catalogue) -> str:
    """One BibTeX entry per paper, separated by blank lines.

    :param papers: the papers, in order.
    :param catalogue: unused; every format takes it.
    """
    return "\n".join(_entry(paper) for paper in papers)
