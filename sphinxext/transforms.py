"""After reading: the deferred rows for every builder, then polish for one output format.

:class:`RowsTransform` builds the rows, list items and cards the directive left as
:class:`.nodes.fm_papers_rows` placeholders; from then on the doctree holds only standard
nodes, which every builder renders. The others adjust them for one format: sphinx-design
cards in HTML, row anchors LaTeX can reach.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from fm_papers.models import Paper

from .domain import loaded
from .nodes import fm_papers_rows
from .render import rows

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__all__ = ["CardsHtmlTransform", "LatexAnchorTransform", "RowsTransform", "setup_transforms"]

_CARD = ["sd-card", "sd-sphinx-override", "sd-mb-3", "sd-shadow-sm", "sd-w-100"]
_ROW = ["sd-row", "sd-row-cols-1", "sd-row-cols-sm-2", "sd-row-cols-lg-3", "sd-g-3"]


def setup_transforms(app: Sphinx) -> None:
    """Register the post-transforms."""
    app.add_post_transform(RowsTransform)
    app.add_post_transform(CardsHtmlTransform)
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


class CardsHtmlTransform(SphinxPostTransform):
    """Give ``:layout: cards`` the markup of sphinx-design's grid of cards, when it is loaded.

    Without sphinx-design the plain containers stay, and fm-papers' stylesheet lays them out.
    """

    default_priority = 200
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        """Wrap each card grid in sphinx-design's grid and card classes."""
        if "sphinx_design" not in self.config.extensions:
            return
        for grid in _items(self.document, "fm-papers-cards"):
            row = nodes.container(classes=list(_ROW))
            for card in list(grid.children):
                assert isinstance(card, nodes.Element)
                body = nodes.container(classes=["sd-card-body"])
                for child in list(card.children):
                    assert isinstance(child, nodes.Element)
                    if "fm-papers-card-title" in child["classes"]:
                        child["classes"] += ["sd-card-title", "sd-font-weight-bold"]
                    else:
                        child["classes"].append("sd-card-text")
                    body += child
                card.children = []
                card["classes"] += _CARD
                card += body
                column = nodes.container(classes=["sd-col", "sd-d-flex-row"])
                column += card
                row += column
            grid.children = []
            grid["classes"] += ["sd-container-fluid", "sd-sphinx-override", "sd-mb-4"]
            grid += row


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
