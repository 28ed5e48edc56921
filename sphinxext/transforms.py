"""After reading: the deferred rows for every builder, then polish for one output format.

:class:`RowsTransform` builds the rows, list items and cards the directive left as
:class:`.nodes.fm_papers_rows` placeholders; from then on the doctree holds only standard
nodes, which every builder renders. The others adjust them for one format: sphinx-design
cards and scrolling tables in HTML, plain text with visible link addresses, row anchors
LaTeX can reach.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from fm_papers.formats.table import FLAG_MARK

from .config import settings
from .labels import Labels
from .nodes import fm_papers_block, fm_papers_div, fm_papers_rows
from .numbers import CaptionNumberTransform, NumrefTextTransform
from .render import one_page_anchor, rows
from .state import loaded

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from fm_papers.records import PaperLike

__all__ = [
    "CardsHtmlTransform",
    "DivsHtmlTransform",
    "FlagMarkTransform",
    "LatexAnchorTransform",
    "ManTransform",
    "OnePageAnchorsTransform",
    "RowsTransform",
    "TextTransform",
    "setup_transforms",
]

_CARD = ["sd-card", "sd-sphinx-override", "sd-mb-3", "sd-shadow-sm", "sd-w-100"]
_ROW = ["sd-row", "sd-row-cols-1", "sd-row-cols-sm-2", "sd-row-cols-lg-3", "sd-g-3"]
_COLUMN = ["sd-col", "sd-d-flex-row"]

#: Whether sphinx-design is loaded, per build. Noted when the builder starts, from the
#: loaded extensions: another extension may load it (``setup_extension``), and then
#: ``conf.extensions`` does not list it.
_DESIGN: weakref.WeakKeyDictionary[BuildEnvironment, bool] = weakref.WeakKeyDictionary()


def setup_transforms(app: Sphinx) -> None:
    """Register the post-transforms."""
    app.connect("builder-inited", _note_design)
    app.add_post_transform(RowsTransform)
    app.add_post_transform(OnePageAnchorsTransform)
    app.add_post_transform(CardsHtmlTransform)
    app.add_post_transform(DivsHtmlTransform)
    app.add_post_transform(TextTransform)
    app.add_post_transform(ManTransform)
    app.add_post_transform(LatexAnchorTransform)
    app.add_post_transform(FlagMarkTransform)
    app.add_post_transform(NumrefTextTransform)
    app.add_post_transform(CaptionNumberTransform)  # both: .numbers


def _note_design(app: Sphinx) -> None:
    _DESIGN[app.env] = "sphinx_design" in app.extensions


def _items(document: nodes.document, cls: str) -> list[nodes.Element]:
    return [node for node in document.findall(nodes.Element) if cls in node.get("classes", ())]


class RowsTransform(SphinxPostTransform):
    """Replace each rows placeholder with the rows, list items or cards it stands for.

    Runs for every builder and before every other post-transform (Sphinx's own start at 5),
    so that they all see the finished doctree, exactly as if the directive had built it.
    """

    default_priority = 1

    def run(self, **kwargs: Any) -> None:
        """Build the rows from this build's catalogue (loaded once per process)."""
        placeholders = list(self.document.findall(fm_papers_rows))
        if not placeholders:
            return
        catalogue = loaded(self.env).catalogue

        def lookup(paper_id: str) -> PaperLike | None:
            # A broken data file was reported at load; its pages are re-read once it is fixed.
            if catalogue is None or paper_id not in catalogue:
                return None
            return catalogue.record(paper_id)

        for placeholder in placeholders:
            placeholder.replace_self(rows(placeholder, lookup, _labels(self)))


class OnePageAnchorsTransform(SphinxPostTransform):
    """Under ``singlehtml``, where all pages are one, give each row an id unique across the
    pages (:func:`.render.one_page_anchor`), as citations to it are resolved there."""

    default_priority = 2  # right after the rows are built
    builders = ("singlehtml",)

    def run(self, **kwargs: Any) -> None:
        """Put each row's page name before its anchor: every page but the root one is
        inlined under a ``start_of_file`` node naming it."""
        self._rename(self.document, self.env.docname)

    def _rename(self, node: nodes.Element, docname: str) -> None:
        for child in node.children:
            if isinstance(child, addnodes.start_of_file):
                self._rename(child, str(child["docname"]))
            elif isinstance(child, nodes.Element):
                if "fm-papers-item" in child["classes"]:
                    child["ids"] = [one_page_anchor(docname, i) for i in child["ids"]]
                self._rename(child, docname)


def _component(node: nodes.Element, name: str) -> nodes.Element:
    """Mark a container as sphinx-design marks its components (``create_component``).

    sphinx-design writes such containers as bare ``<div>``s; themes that style its grids and
    cards style these too.
    """
    node["is_div"] = True
    node["design_component"] = name
    return node


class CardsHtmlTransform(SphinxPostTransform):
    """Make ``:layout: cards`` sphinx-design's grid of cards, when it is loaded.

    Without sphinx-design the plain containers stay, and fm-papers' stylesheet lays them out.
    """

    default_priority = 200
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        """Rebuild each card grid as sphinx-design's grid, row, columns and cards."""
        if not _DESIGN.get(self.env, False):
            return
        for grid in _items(self.document, "fm-papers-cards"):
            row = _component(nodes.container("", classes=list(_ROW)), "grid-row")
            for card in list(grid.children):
                assert isinstance(card, nodes.Element)
                for child in card.children:
                    assert isinstance(child, nodes.Element)
                    if "fm-papers-card-title" in child["classes"]:
                        child["classes"] += ["sd-card-title", "sd-font-weight-bold"]
                    else:
                        child["classes"].append("sd-card-text")
                body = nodes.container("", *card.children, classes=["sd-card-body"])
                card.children = []
                card["classes"] += _CARD
                card += _component(body, "card-body")
                column = nodes.container("", _component(card, "card"), classes=list(_COLUMN))
                row += _component(column, "grid-item")
            grid.children = []
            grid += row
            grid["classes"] += ["sd-container-fluid", "sd-sphinx-override", "sd-mb-4"]
            _component(grid, "grid-container")


class DivsHtmlTransform(SphinxPostTransform):
    """Bare ``<div>``s for the blocks, and a box that scrolls sideways around each table.

    Every container of a block that is not a sphinx-design component becomes a
    :class:`.nodes.fm_papers_div` (no ``container`` class for themes to restyle). A table
    wider than the text column scrolls inside its box instead of widening the page (themes
    such as sphinx-rtd-theme keep table cells on one line); the box is a region a keyboard
    can focus, named by the table's caption.
    """

    default_priority = 210  # after the cards became sphinx-design components
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        """Wrap the tables, then replace the containers."""
        words = _labels(self)
        labels = {"fm-papers-table": words("papers"), "fm-papers-stats-table": words("chart-title")}
        for cls, label in labels.items():
            for table in _items(self.document, cls):
                box = fm_papers_div(classes=["fm-papers-scroll"])
                box["attributes"] = {"tabindex": "0", "role": "region"}
                box["attributes"]["aria-label"] = _label(table) or label
                assert table.parent is not None
                # Not replace_self(), which would give the box the table's ids and classes.
                table.parent.replace(table, box)
                box += table
        for container in list(self.document.findall(nodes.container)):
            ours = any(cls.startswith("fm-papers") for cls in container["classes"])
            if not ours or "design_component" in container:
                continue
            # A numbered block stays itself (its number is its node's), written as a div too.
            div = container if isinstance(container, fm_papers_block) else fm_papers_div()
            if "fm-papers-interactive" in container["classes"]:
                # The browser script's strings, in the page's language (:mod:`.labels`).
                items = container.findall(nodes.Element)
                total = sum("fm-papers-item" in item["classes"] for item in items)
                div["attributes"] = {"data-fm-labels": words.script(total)}
            if div is not container:
                div.extend(container.children)
                div["ids"] = container["ids"]
                div["classes"] = container["classes"]
                container.replace_self(div)


def _labels(transform: SphinxPostTransform) -> Labels:
    """The build's labels, as the directives resolved them when the page was read: a change
    of ``language`` or ``fm_papers_labels`` re-reads the page."""
    return Labels(transform.config.language, settings(transform.config).labels)


def _label(table: nodes.Element) -> str:
    """A table's caption; in a grouped block, the block's caption and the group's heading."""
    parts = [child.astext() for child in table.children if isinstance(child, nodes.title)]
    for ancestor in _ancestors(table):
        parts[:0] = [
            child.astext()
            for child in ancestor.children
            if isinstance(child, nodes.Element)
            and _has_class(child, ("fm-papers-caption", "fm-papers-group-caption"))
        ]
        if "fm-papers" in ancestor["classes"]:
            break
    return " — ".join(dict.fromkeys(parts))


#: The classes of the blocks whose link addresses follow them in plain text.
_LINKED = ("fm-papers-table", "fm-papers-list", "fm-papers-cards")


def _write_addresses(block: nodes.Element) -> None:
    """Number each link of a table, list or card grid and write the addresses after it.

    ``code [2]`` in the text, then ``[2] https://...`` on a line of its own, so that no
    address is broken across a cell or a wrapped line. A block inside a table cell has its
    addresses after the outermost table. The links become plain text: the formats cannot
    follow them, and some writers would add the address a second time.
    """
    for linked in [n for n in block.findall(nodes.Element) if _has_class(n, _LINKED)]:
        notes = nodes.line_block(classes=["fm-papers-addresses"])
        for link in list(linked.findall(nodes.reference)):
            url = link.get("refuri", "")
            if url and link.astext() != url:
                notes += nodes.line("", f"[{len(notes) + 1}] {url}")
                link.replace_self(
                    [nodes.inline("", "", *link.children), nodes.Text(f" [{len(notes)}]")]
                )
        if len(notes):
            after: nodes.Element = linked
            for ancestor in _ancestors(linked):
                if isinstance(ancestor, nodes.table):
                    after = ancestor
            assert after.parent is not None
            after.parent.insert(after.parent.index(after) + 1, notes)


def _ancestors(node: nodes.Node) -> list[nodes.Element]:
    out = []
    parent = node.parent
    while parent is not None:
        out.append(parent)
        parent = parent.parent
    return out


def _has_class(node: nodes.Element, classes: tuple[str, ...]) -> bool:
    return any(cls in node["classes"] for cls in classes)


def _marked(node: nodes.Node) -> bool:
    return isinstance(node, nodes.emphasis | nodes.strong | nodes.literal)


class TextTransform(SphinxPostTransform):
    """Plain text: no markup characters, and each link's address written out.

    The text writer marks emphasis with ``*``, strong with ``**`` and literals with quotes,
    and drops link addresses; a reader of plain text cannot follow a link, so the address is
    what counts.
    """

    default_priority = 200
    formats = ("text",)

    def run(self, **kwargs: Any) -> None:
        """Unwrap marked text and number the links, in every block."""
        for block in _items(self.document, "fm-papers"):
            for marked in list(block.findall(_marked)):
                assert isinstance(marked, nodes.Element)
                marked.replace_self(marked.children)
            _write_addresses(block)


class ManTransform(SphinxPostTransform):
    """Manual pages: each link's address written out, numbered as in plain text.

    (Depending on the docutils release the writer shows a link's address or only a terminal
    hyperlink escape that ``man`` does not display.)
    """

    default_priority = 200
    formats = ("man",)

    def run(self, **kwargs: Any) -> None:
        """Number the links of every block."""
        for block in _items(self.document, "fm-papers"):
            _write_addresses(block)


class LatexAnchorTransform(SphinxPostTransform):
    """Move each row's anchor into a target LaTeX writes as ``\\label``.

    The LaTeX writer ignores ids on table rows, list items and containers, so a citation
    linking to a row would have no label to reach.
    """

    default_priority = 200
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        """Insert a target holding the ids at the start of each item's first paragraph."""
        for item in _items(self.document, "fm-papers-item"):
            paragraph = next(iter(item.findall(nodes.paragraph)), None)
            if paragraph is None or not item["ids"]:
                continue
            paragraph.insert(0, nodes.target("", "", ids=item["ids"]))
            item["ids"] = []


class FlagMarkTransform(SphinxPostTransform):
    """Where there is no tooltip, a flagged paper's mark says what is wrong: ``[!] (source
    defect: the year is 2024, but the link is to the 2023 proceedings)``.

    HTML keeps the mark (:data:`fm_papers.formats.table.FLAG_SIGN`) as an ``<abbr>`` whose title is the
    explanation; the other writers would drop the explanation (man) or typeset a character
    pdflatex lacks (LaTeX), so the mark becomes plain text with the explanation after it.
    """

    default_priority = 200
    formats = ("text", "latex", "man", "texinfo")

    def run(self, **kwargs: Any) -> None:
        """Replace each flag mark by its text."""
        for mark in list(self.document.findall(nodes.abbreviation)):
            if "fm-papers-flag" in mark["classes"]:
                text = f"{FLAG_MARK} ({mark.get('explanation', '')})"
                mark.replace_self(nodes.inline(text, text, classes=mark["classes"]))
