"""Numbers where the writer does not write them: plain text, manual pages and Texinfo.

HTML and LaTeX number a numbered block's caption and a ``:numref:`` themselves; the writers
of these formats write neither, so these post-transforms put the numbers Sphinx assigned
(``numfig``) into the tree: a reference shows ``Table 2`` and the block's caption starts
``Table 2: ``.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from .nodes import NUMBERED_AS, fm_papers_caption

__all__ = ["CaptionNumberTransform", "NumrefTextTransform"]


class NumrefTextTransform(SphinxPostTransform):
    """Plain text, manual pages and Texinfo: a ``:numref:`` shows its number (``Table 2``),
    not ``Table %s``.

    Sphinx's writers for these formats write a number reference's format (its ``title``)
    rather than the text the reference resolved to; this makes the two the same, so that a
    reader finds ``Table 2`` where the block's caption says ``Table 2: ...``.
    """

    default_priority = 200  # after the references are resolved (10)
    formats = ("text", "man", "texinfo")

    def run(self, **kwargs: Any) -> None:
        """Give each number reference its resolved text as its title."""
        for reference in self.document.findall(addnodes.number_reference):
            reference["title"] = reference.astext()


class CaptionNumberTransform(SphinxPostTransform):
    """Plain text, manual pages and Texinfo: a numbered block's caption starts with its number
    (``Table 2: By year``), which HTML and LaTeX write themselves, so that a reader finds what
    ``:numref:`` names."""

    default_priority = 200
    formats = NumrefTextTransform.formats

    def run(self, **kwargs: Any) -> None:
        """Put the number Sphinx assigned (with ``numfig``) before each block's caption."""
        if not self.config.numfig:
            return
        self._number(self.document, self.env.docname)

    def _number(self, node: nodes.Element, docname: str) -> None:
        """Number the captions under ``node`` by ``docname``'s figure numbers; a manual page
        or Texinfo file inlines other pages, each under a ``start_of_file`` naming it."""
        numbers = self.env.toc_fignumbers.get(docname, {}).get(NUMBERED_AS, {})
        prefix = self.config.numfig_format.get(NUMBERED_AS, "%s")
        for child in node.children:
            if isinstance(child, addnodes.start_of_file):
                self._number(child, str(child["docname"]))
                continue
            if not isinstance(child, nodes.Element):
                continue
            if isinstance(child, fm_papers_caption):
                ids = child.parent["ids"] if child.parent is not None else []
                number = numbers.get(ids[0]) if ids else None
                if number:
                    child.insert(0, nodes.Text(prefix % ".".join(map(str, number)) + ": "))
            self._number(child, docname)
