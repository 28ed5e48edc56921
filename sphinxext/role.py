"""The paper role: cite one paper inline by id, as ``:fm-paper:`` or ``:fm-papers:paper:``.

``:fm-paper:`scgpt``` renders "scGPT (2024)" and ``:fm-paper:`the scGPT paper <scgpt>```
an explicit text. ``:fm-papers:paper:`` is the same role declared in the domain, so that
``:external:fm-papers:paper:`` and intersphinx reach it. A citation links, in this order,
to the paper's row in this project (:meth:`.domain.FmPapersDomain.resolve_xref`: on its own
page if shown there, else on the first page by name), to its row in an intersphinx project
(``sphinx.ext.intersphinx``, on ``missing-reference``), and last to the paper itself
(:func:`link_to_paper`, on ``missing-reference`` after intersphinx).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, cast

from docutils import nodes
from sphinx import addnodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxRole
from sphinx.util.nodes import split_explicit_title

from fm_papers.errors import UnknownPaperError
from fm_papers.safety import find_forbidden

from .state import note_files

if TYPE_CHECKING:
    from docutils.nodes import Node, system_message
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from fm_papers.records import PaperLike

    from .domain import FmPapersDomain

__all__ = ["PaperRole", "cite_text", "link_to_paper", "setup_role"]

logger = logging.getLogger(__name__)

#: Runs after intersphinx's ``missing-reference`` handler (the default priority, 500), so a
#: row in an intersphinx project wins over the paper's own URL.
URL_FALLBACK_PRIORITY = 900


def setup_role(app: Sphinx) -> None:
    """Register the short ``fm-paper`` role (the domain declares ``fm-papers:paper``) and the
    last-resort link to the paper's own URL."""
    app.add_role("fm-paper", PaperRole())
    app.connect("missing-reference", link_to_paper, priority=URL_FALLBACK_PRIORITY)


def cite_text(paper: PaperLike, style: str = "name-year") -> str:
    """What a citation without an explicit text shows: ``scGPT (2024)``, or in the
    ``author-year`` style ``Cui et al., 2024``. The first is also the display name of the
    paper's object in ``objects.inv``."""
    if style == "author-year":
        return paper.author_year
    return paper.short_name + (f" ({paper.year})" if paper.year is not None else "")


class PaperRole(SphinxRole):
    """Cite a paper by id; an unknown id is a located warning naming the nearest ids.

    An id this project's catalogue does not know but an intersphinx inventory lists as an
    ``fm-papers:paper`` (a paper from another project's overlay) is cited too, by id: that
    project's display name becomes the text when intersphinx resolves it.
    """

    def run(self) -> tuple[list[Node], list[system_message]]:
        """A ``pending_xref`` holding the paper's short name and year."""
        explicit, text, paper_id = split_explicit_title(self.text)
        paper_id = paper_id.strip().lower()
        state = note_files(self.env)
        # Reached through the environment, as the domain module imports this one.
        domain = cast("FmPapersDomain", self.env.get_domain("fm-papers"))
        domain.note_user(self.env.docname)
        found = find_forbidden(self.text)
        if found is not None:
            self._warn(found[2])
            return [nodes.inline(self.text, "", classes=["fm-paper-unknown"])], []
        if state.catalogue is None:
            return [nodes.inline(self.text, paper_id, classes=["fm-paper-cite"])], []
        try:
            paper = state.catalogue.record(paper_id)
        except UnknownPaperError as error:
            if _in_inventories(self.env, paper_id):
                return [self._xref(paper_id, text if explicit else paper_id, explicit, None)], []
            self._warn(str(error))
            return [nodes.inline(self.text, paper_id, classes=["fm-paper-unknown"])], []
        domain.note_cite(self.env.docname, paper.id)
        # The text is final either way: intersphinx keeps it (and its class) rather than
        # putting the inventory's display name in a plain node.
        shown = text if explicit else cite_text(paper, state.settings.cite)
        return [self._xref(paper.id, shown, True, paper.url, paper.title)], []

    def _xref(
        self, paper_id: str, text: str, explicit: bool, url: str | None, title: str = ""
    ) -> Node:
        xref = addnodes.pending_xref(
            self.rawtext,
            refdomain="fm-papers",
            reftype="paper",
            reftarget=paper_id,
            refexplicit=explicit,
            refwarn=False,
            refdoc=self.env.docname,
        )
        if url:
            xref["fm_papers_url"] = url
        if title:
            # The link's title (a tooltip in HTML): the paper's, not its id.
            xref["fm_papers_title"] = title
        xref += nodes.inline(text, text, classes=["fm-paper-cite"], support_smartquotes=False)
        self.set_source_info(xref)
        return xref

    def _warn(self, message: str) -> None:
        logger.warning(
            "%s: %s",
            self.name,
            message,
            location=self.get_location(),
            type="fm_papers",
            subtype="id",
        )


def link_to_paper(
    app: Sphinx, env: BuildEnvironment, node: addnodes.pending_xref, contnode: nodes.Element
) -> nodes.reference | None:
    """Link a citation that no row resolves, here or in an intersphinx project, to the
    paper's own URL."""
    url = node.get("fm_papers_url")
    if node.get("refdomain") != "fm-papers" or not url:
        return None
    title = node.get("fm_papers_title") or node["reftarget"]
    reference = nodes.reference("", "", internal=False, refuri=url, reftitle=title)
    reference += contnode
    return reference


def _in_inventories(env: BuildEnvironment, paper_id: str) -> bool:
    """Whether an intersphinx inventory lists ``paper_id`` as an ``fm-papers:paper``.

    ``sphinx.ext.intersphinx`` keeps the merged inventories in this attribute of the
    environment (Sphinx 7.3 to 9), loaded at ``builder-inited``, before any page is read.
    """
    inventory = getattr(env, "intersphinx_inventory", None)
    papers = inventory.get("fm-papers:paper") if isinstance(inventory, Mapping) else None
    return isinstance(papers, Mapping) and paper_id in papers
