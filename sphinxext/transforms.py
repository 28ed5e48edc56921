"""After reading: the deferred rows for every builder, then polish for one output format.

:class:`RowsTransform` builds the rows, list items and cards the directive left as
:class:`.nodes.fm_papers_rows` placeholders; from then on the doctree holds only standard
nodes, which every builder renders. The others adjust them for one format: sphinx-design
cards and scrolling tables in HTML, plain text with visible link addresses, row anchors
LaTeX can reach.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from fm_papers.models import Paper

from .domain import loaded
from .nodes import fm_papers_rows, fm_papers_scroll
from .render import rows

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__all__ = [
    "CardsHtmlTransform",
    "LatexAnchorTransform",
    "RowsTransform",
    "ScrollHtmlTransform",
    "TextTransform",
    "setup_transforms",
]

_CARD = ["sd-card", "sd-sphinx-override", "sd-mb-3", "sd-shadow-sm", "sd-w-100"]
_ROW = ["sd-row", "sd-row-cols-1", "sd-row-cols-sm-2", "sd-row-cols-lg-3", "sd-g-3"]


def setup_transforms(app: Sphinx) -> None:
    """Register the post-transforms."""
    app.add_post_transform(RowsTransform)
    app.add_post_transform(CardsHtmlTransform)
    app.add_post_transform(ScrollHtmlTransform)
    app.add_post_transform(TextTransform)
    app.add_post_transform(LatexAnchorTransform)


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

        def lookup(paper_id: str) -> Paper | None:
            # A broken data file was reported at load; its pages are re-read once it is fixed.
            if catalogue is None or paper_id not in catalogue:
                return None
            return catalogue.get(paper_id)

        for placeholder in placeholders:
            placeholder.replace_self(rows(placeholder, lookup))


def _component(name: str, classes: list[str], *children: nodes.Node) -> nodes.container:
    """A container marked as sphinx-design marks its components (``create_component``).

    sphinx-design writes such containers as bare ``<div>``s, without the class
    ``container`` that some themes (furo) style; themes that style sphinx-design's grids and
    cards style these too.
    """
    component = nodes.container("", *children, classes=classes)
    component["is_div"] = True
    component["design_component"] = name
    return component


class CardsHtmlTransform(SphinxPostTransform):
    """Make ``:layout: cards`` sphinx-design's grid of cards, when it is loaded.

    Without sphinx-design the plain containers stay, and fm-papers' stylesheet lays them out.
    """

    default_priority = 200
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        """Rebuild each card grid as sphinx-design's grid, row, columns and cards."""
        if "sphinx_design" not in self.config.extensions:
            return
        for grid in _items(self.document, "fm-papers-cards"):
            row = _component("grid-row", list(_ROW))
            for card in list(grid.children):
                assert isinstance(card, nodes.Element)
                for child in card.children:
                    assert isinstance(child, nodes.Element)
                    if "fm-papers-card-title" in child["classes"]:
                        child["classes"] += ["sd-card-title", "sd-font-weight-bold"]
                    else:
                        child["classes"].append("sd-card-text")
                body = _component("card-body", ["sd-card-body"], *card.children)
                card.children = []
                card["classes"] += _CARD
                card["is_div"] = True
                card["design_component"] = "card"
                card += body
                row += _component("grid-item", ["sd-col", "sd-d-flex-row"], card)
            grid.children = []
            grid["classes"] += ["sd-container-fluid", "sd-sphinx-override", "sd-mb-4"]
            grid["is_div"] = True
            grid["design_component"] = "grid-container"
            grid += row


class ScrollHtmlTransform(SphinxPostTransform):
    """Put each table of papers or statistics in a box that scrolls sideways.

    A table wider than the text column then scrolls inside its box instead of widening the
    page (themes such as sphinx-rtd-theme keep table cells on one line).
    """

    default_priority = 200
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        """Wrap each fm-papers table in a :class:`.nodes.fm_papers_scroll` named by its
        caption (or by what it holds)."""
        labels = {"fm-papers-table": "Papers", "fm-papers-stats-table": "Papers per year"}
        for cls, label in labels.items():
            for table in _items(self.document, cls):
                self._wrap(table, label)

    @staticmethod
    def _wrap(table: nodes.Element, label: str) -> None:
        titles = [child for child in table.children if isinstance(child, nodes.title)]
        assert table.parent is not None
        box = fm_papers_scroll(label=titles[0].astext() if titles else label)
        # Not replace_self(), which would give the box the table's ids and classes.
        table.parent.replace(table, box)
        box += table


#: The classes of the blocks whose link addresses follow them in plain text.
_LINKED = ("fm-papers-table", "fm-papers-list", "fm-papers-cards")


def _write_addresses(block: nodes.Element) -> None:
    """Number each link of a table, list or card grid and write the addresses after it.

    ``code [2]`` in the text, then ``[2] https://...`` on a line of its own, so that no
    address is broken across a cell or a wrapped line.
    """
    for linked in [n for n in block.findall(nodes.Element) if _has_class(n, _LINKED)]:
        notes = nodes.line_block(classes=["fm-papers-addresses"])
        for link in list(linked.findall(nodes.reference)):
            url = link.get("refuri", "")
            if url and link.astext() != url and link.parent is not None:
                number = len(notes) + 1
                link.parent.insert(link.parent.index(link) + 1, nodes.Text(f" [{number}]"))
                notes += nodes.line("", f"[{number}] {url}")
        if len(notes) and linked.parent is not None:
            linked.parent.insert(linked.parent.index(linked) + 1, notes)


def _has_class(node: nodes.Element, classes: tuple[str, ...]) -> bool:
    return any(cls in node["classes"] for cls in classes)


class TextTransform(SphinxPostTransform):
    """Plain text: no emphasis markers, and each link's address written out.

    The text writer marks emphasis with ``*`` and strong with ``**`` and drops link
    addresses; a reader of plain text cannot follow a link, so the address is what counts.
    """

    default_priority = 200
    formats = ("text",)

    def run(self, **kwargs: Any) -> None:
        """Unwrap emphasis and strong, and write link addresses, in every block."""
        for block in _items(self.document, "fm-papers"):
            for marked in list(block.findall(_emphasised)):
                assert isinstance(marked, nodes.Element)
                marked.replace_self(marked.children)
            _write_addresses(block)


def _emphasised(node: nodes.Node) -> bool:
    return isinstance(node, nodes.emphasis | nodes.strong)


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
