"""Custom nodes: the rows of a block, deferred from reading to writing; a bare ``<div>`` for
HTML; and a captioned block numbered as one table (:class:`fm_papers_block`, with its
:class:`fm_papers_caption`), which ``:numref:`` reaches.

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

__all__ = [
    "NUMBERED_AS",
    "fm_papers_block",
    "fm_papers_caption",
    "fm_papers_div",
    "fm_papers_rows",
    "setup_nodes",
]

#: What a captioned block is numbered as, for ``:numref:`` (``numfig_format``'s key). Its
#: number is a table's: one counter, in every builder, LaTeX's included.
NUMBERED_AS = "table"


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


class fm_papers_block(nodes.container):
    """A block numbered as one table (:data:`NUMBERED_AS`), with an :class:`fm_papers_caption`
    as its first child: a captioned ``:group-by:`` block, list or card grid.

    ``:name:`` goes on it, so ``:numref:`` reaches the whole block, whose groups are headed
    (rubrics) inside it rather than numbered one by one. Written as a bare ``<div>`` in HTML
    (with the node's ``attributes``, as :class:`fm_papers_div`); the other writers registered
    here show its children only, and any other builder writes it as the container it is.
    """


class fm_papers_caption(nodes.caption):
    """The caption of an :class:`fm_papers_block`, with its number: ``Table 2: By year``.

    HTML writes it as a table's caption (``caption-number``, ``caption-text``); LaTeX as
    ``\\captionof{table}`` followed by the block's labels, so that ``\\ref`` gives the
    number LaTeX counts; others as a paragraph, which
    :class:`.transforms.CaptionNumberTransform` starts with the number.
    """


def _visit_div(self: Any, node: fm_papers_div) -> None:
    self.body.append(self.starttag(node, "div", **node.get("attributes", {})))


def _depart_div(self: Any, node: fm_papers_div) -> None:
    self.body.append("</div>\n")


def _visit_block_html(self: Any, node: fm_papers_block) -> None:
    self.body.append(self.starttag(node, "div", **node.get("attributes", {})))


def _pass(self: object, node: nodes.Element) -> None:
    pass


def _visit_caption_html(self: Any, node: fm_papers_caption) -> None:
    # As Sphinx writes a code block's caption: the number of the block (node.parent) first.
    self.body.append(self.starttag(node, "p", "", CLASS="caption"))
    self.add_fignumber(node.parent)
    self.body.append('<span class="caption-text">')


def _depart_caption_html(self: Any, node: fm_papers_caption) -> None:
    self.body.append("</span></p>\n")


def _visit_caption_latex(self: Any, node: fm_papers_caption) -> None:
    # \captionof (capt-of, which sphinx.sty loads) steps LaTeX's table counter outside a float.
    self.body.append(f"\n\\captionof{{{NUMBERED_AS}}}{{")


def _depart_caption_latex(self: Any, node: fm_papers_caption) -> None:
    assert node.parent is not None
    labels = "".join(self.hypertarget(i, anchor=False) for i in node.parent["ids"])
    self.body.append("}" + labels + "\n")


def _visit_caption_text(self: Any, node: fm_papers_caption) -> None:
    self.new_state(0)


def _depart_caption_text(self: Any, node: fm_papers_caption) -> None:
    self.end_state()


def _visit_paragraph(self: Any, node: nodes.Element) -> None:
    self.visit_paragraph(node)


def _depart_paragraph(self: Any, node: nodes.Element) -> None:
    self.depart_paragraph(node)


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
    plain = (_pass, _pass)
    app.add_enumerable_node(
        fm_papers_block,
        NUMBERED_AS,
        None,  # its title is its fm_papers_caption
        html=(_visit_block_html, _depart_div),
        latex=plain,
        text=plain,
        man=plain,
        texinfo=plain,
    )
    paragraph = (_visit_paragraph, _depart_paragraph)
    app.add_node(
        fm_papers_caption,
        html=(_visit_caption_html, _depart_caption_html),
        latex=(_visit_caption_latex, _depart_caption_latex),
        text=(_visit_caption_text, _depart_caption_text),
        man=paragraph,
        texinfo=paragraph,
    )
