"""Two custom nodes: the rows of a block, deferred from reading to writing, and a bare
``<div>`` for HTML.

At read time the ``fm-papers`` directive emits the real outer structure (wrapper, table with
caption and header, list, card grid) and, where the rows, items or cards go, a
:class:`fm_papers_rows` that holds only paper ids, their anchors and the view. The
post-transform :class:`.transforms.RowsTransform` replaces it with the real nodes before any
builder sees it. So the pickled doctree stays small and the read-time transforms (smart
quotes, domains, collectors) never walk thousands of rows that need none of them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__all__ = ["fm_papers_div", "fm_papers_rows", "setup_nodes"]


class fm_papers_rows(nodes.General, nodes.Element):
    """Placeholder for the rows of one table body, list or card grid.

    Attributes: ``papers`` (paper ids, in order), ``anchors`` (each row's id, taken at read
    time so that they are unique on the page), ``layout`` and ``columns`` (the view).
    """


class fm_papers_div(nodes.General, nodes.Element):
    """A bare ``<div>`` with the node's ids and classes (HTML only).

    A docutils ``container`` is written with the classes ``docutils container``, and themes
    style ``.container`` (furo removes its side padding, Bootstrap gives it a page width), so
    in HTML the blocks' containers become these. Attribute: ``attributes``, more HTML
    attributes (``role``, ``aria-label``...).
    """


def _visit_div(self: Any, node: fm_papers_div) -> None:
    self.body.append(self.starttag(node, "div", **node.get("attributes", {})))


def _depart_div(self: Any, node: fm_papers_div) -> None:
    self.body.append("</div>\n")


def _skip(self: object, node: nodes.Element) -> None:
    # Only reached if a builder bypassed post-transforms: there are no rows to show then.
    raise nodes.SkipNode


def setup_nodes(app: Sphinx) -> None:
    """Register the placeholder, with a visitor for every builder (a fallback that skips it),
    and the HTML div."""
    visitors = (_skip, None)
    app.add_node(
        fm_papers_rows,
        html=visitors,
        latex=visitors,
        text=visitors,
        man=visitors,
        texinfo=visitors,
    )
    # Inserted by HTML-only post-transforms: every HTML builder (epub too) has it.
    app.add_node(fm_papers_div, html=(_visit_div, _depart_div))
