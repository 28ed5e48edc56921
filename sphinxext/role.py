"""The ``fm-paper`` role: cite one paper inline by id.

``:fm-paper:`scgpt``` renders "scGPT (2024)" and ``:fm-paper:`the scGPT paper <scgpt>```
an explicit text. The link is resolved after reading, by :class:`.domain.FmPapersDomain`:
to the paper's row on this page or the first page that shows it, else to the paper itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes
from sphinx import addnodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxRole
from sphinx.util.nodes import split_explicit_title

from fm_papers.errors import UnknownPaperError
from fm_papers.safety import find_forbidden

from .domain import FmPapersDomain, loaded

if TYPE_CHECKING:
    from docutils.nodes import Node, system_message
    from sphinx.application import Sphinx

__all__ = ["PaperRole", "setup_role"]

logger = logging.getLogger(__name__)


def setup_role(app: Sphinx) -> None:
    """Register the ``fm-paper`` role."""
    app.add_role("fm-paper", PaperRole())


class PaperRole(SphinxRole):
    """Cite a paper by id; an unknown id is a located warning naming the nearest ids."""

    def run(self) -> tuple[list[Node], list[system_message]]:
        """A ``pending_xref`` holding the paper's short name and year."""
        explicit, text, paper_id = split_explicit_title(self.text)
        paper_id = paper_id.strip().lower()
        state = loaded(self.env)
        for path in state.files:
            self.env.note_dependency(path)
        domain = self.env.domains["fm-papers"]
        assert isinstance(domain, FmPapersDomain)
        domain.note_user(self.env.docname)
        found = find_forbidden(self.text)
        if found is not None:
            logger.warning(
                "fm-paper: %s",
                found[2],
                location=self.get_location(),
                type="fm_papers",
                subtype="id",
            )
            return [nodes.inline(self.text, "", classes=["fm-paper-unknown"])], []
        if state.catalogue is None:
            return [nodes.inline(self.text, paper_id, classes=["fm-paper-cite"])], []
        try:
            paper = state.catalogue.get(paper_id)
        except UnknownPaperError as error:
            logger.warning(
                "fm-paper: %s", error, location=self.get_location(), type="fm_papers", subtype="id"
            )
            return [nodes.inline(self.text, paper_id, classes=["fm-paper-unknown"])], []
        if not explicit:
            text = paper.short_name + (f" ({paper.year})" if paper.year is not None else "")
        domain.note_cite(self.env.docname, paper.id)
        xref = addnodes.pending_xref(
            self.rawtext,
            refdomain="fm-papers",
            reftype="paper",
            reftarget=paper.id,
            refexplicit=explicit,
            refwarn=False,
            refdoc=self.env.docname,
            fm_papers_url=paper.url,
        )
        xref += nodes.inline(text, text, classes=["fm-paper-cite"], support_smartquotes=False)
        self.set_source_info(xref)
        return [xref], []
