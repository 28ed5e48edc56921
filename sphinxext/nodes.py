"""The one custom node: the rows of a block, deferred from reading to writing.

At read time the ``fm-papers`` directive emits the real outer structure (wrapper, table with
caption and header, list, card grid) and, where the rows, items or cards go, a
:class:`fm_papers_rows` that holds only paper ids, their anchors and the view. The
post-transform :class:`.transforms.RowsTransform` replaces it with the real nodes before any
builder sees it. So the pickled doctree stays small and the read-time transforms (smart
quotes, domains, collectors) never walk thousands of rows that need none of them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__all__ = ["fm_papers_rows", "setup_nodes"]


class fm_papers_rows(nodes.General, nodes.Element):
    """Placeholder for the rows of one table body, list or card grid.

    Attributes: ``papers`` (paper ids, in order), ``anchors`` (each row's id, taken at read
    time so that they are unique on the page), ``layout`` and ``columns`` (the view).
    """


def _skip(self: object, node: nodes.Element) -> None:
    # Only reached if a builder bypassed post-transforms: there are no rows to show then.
    raise nodes.SkipNode


def setup_nodes(app: Sphinx) -> None:
    """Register the placeholder, with a visitor for every builder (a fallback that skips it)."""
    visitors = (_skip, None)
    app.add_node(
        fm_papers_rows,
        html=visitors,
        latex=visitors,
        text=visitors,
        man=visitors,
        texinfo=visitors,
    )
