r"""The ``markdown`` format: an awesome-list README in the one-line layout of the source lists.

Each paper is one numbered line under the heading of every section it belongs to::

    1. [2023 Nature Methods][**scGPT**] **scGPT: toward ...** [[paper]](URL) [[code]](URL)

Domains are ``##`` headings and sections one level deeper per level of the tree, titled with
the heading the importer maps back to the same section. :mod:`fm_papers.curation.importer` reads this
layout, so exporting and importing again gives back the same titles, links, years, venues and
memberships. Notes are written in the bracket after a known venue, where the importer reads
them back; any other note (one an overlay added, say) follows the links, for readers.

Text from the data never becomes markup: ``<``, ``>`` and ``&`` are written as entities, and
Markdown's own characters (backslash, asterisk, underscore, backtick, brackets, the bar, the
tilde and ``@``) are backslash-escaped, as is what would make a bare ``https://…`` or
``www.…`` a link, so a title like ``<img src=x onerror=…>`` shows as text in every renderer
(the importer reads both forms back). Link targets are percent-encoded where they hold ``<``,
``>``, quotes, backslashes or unbalanced parentheses.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .. import __version__
from ..taxonomy import Node

if TYPE_CHECKING:
    from ..catalogue import Catalogue
    from ..records import PaperLike

__all__ = ["anchor", "escape", "render_markdown"]

_NOT_IN_ANCHOR = re.compile(r"[^\w\- ]")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|~@])")
# What GitHub's renderer would turn into a link on its own: http://…, https://…, www.…
_AUTOLINK = re.compile(r"(?i)(?<=\bhttp)(:)|(?<=\bhttps)(:)|(?<=\bwww)(\.)")


def escape(text: str) -> str:
    """Text as Markdown shows it literally: entities for ``<>&``, backslashes for the rest
    (strike-through tildes, and the ``:`` or ``.`` that would make a bare ``https://…``,
    ``www.…`` or e-mail address a link, included)."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _AUTOLINK.sub(lambda m: "\\" + m[0], _MARKDOWN_SPECIAL.sub(r"\\\1", text))


def anchor(heading: str) -> str:
    """The fragment GitHub gives a heading: lowercase, punctuation dropped, spaces as ``-``.

    :param heading: the heading's text.
    """
    return _NOT_IN_ANCHOR.sub("", heading.strip().lower()).replace(" ", "-")


def heading_of(node: Node) -> str:
    """The heading a section is written under: the first source heading it collects.

    :param node: a section of the taxonomy.
    """
    return node.section.headings[0] if node.section.headings else node.title


def _url(url: str) -> str:
    # The importer reads URLs with balanced parentheses; encode the rest so the link survives,
    # and what a renderer could take for markup.
    pairs = (("<", "%3C"), (">", "%3E"), ('"', "%22"), ("'", "%27"), ("`", "%60"), ("\\", "%5C"))
    for char, code in pairs:
        url = url.replace(char, code)
    depth = 0
    for char in url:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            break
    if depth == 0:
        return url
    return url.replace("(", "%28").replace(")", "%29")


def _bracket(paper: PaperLike, catalogue: Catalogue) -> str:
    """``[year venue]`` as a source would write it, so the importer finds the same venue."""
    venue = paper.venue_as_written or paper.venue or ""
    if venue and paper.notes and catalogue.venues.get(venue):
        # The importer takes text after a known venue (or a known spelling of one) as a note:
        # written this way, notes come back too. A venue written with its notes inside
        # ("Nature Medicine FM4Pathology") is no known spelling, and is written as it is.
        venue = ", ".join([venue, *paper.notes])
    text = " ".join(part for part in (str(paper.year or ""), venue) if part)
    return "[" + escape(text.replace("[", "(").replace("]", ")")) + "]"


def paper_line(paper: PaperLike, catalogue: Catalogue, number: int = 1) -> str:
    """One numbered line: bracket, model tag, bold title, typed links.

    :param paper: the paper.
    :param catalogue: its catalogue (for the venue table).
    :param number: the item's number in its list.
    """
    bracket = _bracket(paper, catalogue)
    parts = [f"{number}. {bracket}"]
    if paper.model:
        parts[0] += f"[**{escape(paper.model)}**]"
    parts.append(f"**{escape(paper.title)}**")
    parts += [f"[[{link.kind}]]({_url(link.url)})" for link in paper.links]
    # Notes the bracket does not carry (one an overlay added, or of a paper without a known
    # venue) follow the links, for readers; the importer reads the bracket's alone.
    rest = [note for note in paper.notes if escape(note) not in bracket]
    if rest:
        parts.append("— " + escape("; ".join(rest)))
    return " ".join(parts)


def render_markdown(papers: Sequence[PaperLike], catalogue: Catalogue) -> str:
    """An awesome-list README: a title, contents, then each domain and section with its papers.

    Sections without any of ``papers`` (in them or below them) are left out.

    :param papers: the papers, in the order to list them in each section.
    :param catalogue: their catalogue, for the section tree and the venue table.
    """
    members: dict[str, list[PaperLike]] = {}
    for paper in papers:
        for key in paper.sections:
            members.setdefault(key, []).append(paper)
    shown = {
        node.key: node
        for node in catalogue.taxonomy.nodes()
        if any(key in members for key in node.subtree)
    }
    domains = [
        d for d in catalogue.taxonomy.domains if any(n.domain == d.key for n in shown.values())
    ]

    lines = [
        "# Foundation-model papers",
        "",
        f"{len(papers)} papers, exported by fm-papers {__version__}; "
        + "each paper is listed under every section it belongs to.",
        "",
        "## Contents",
        "",
    ]
    for domain in domains:
        lines.append(f"- [{escape(domain.title)}](#{anchor(domain.title)})")
        for node in shown.values():
            if node.domain == domain.key:
                heading = heading_of(node)
                lines.append(f"{'  ' * (node.depth + 1)}- [{escape(heading)}](#{anchor(heading)})")
    for domain in domains:
        lines += ["", f"## {escape(domain.title)}"]
        for node in shown.values():
            if node.domain != domain.key:
                continue
            level = min(3 + node.depth, 6)
            lines += ["", f"{'#' * level} {escape(heading_of(node))}"]
            listed = members.get(node.key, [])
            if listed:
                lines.append("")
                lines += [paper_line(p, catalogue, n) for n, p in enumerate(listed, start=1)]
    return "\n".join(lines) + "\n"
