"""A paper's home page, checked once every page is read.

A citation links to the paper's row on its home page when the citing page does not show it
(:meth:`.domain.FmPapersDomain.row_of`): the page ``fm_papers_home`` names, else the first
page by name with a block marked ``:home:`` showing it. This module warns when a choice cannot
hold: a page named in ``conf.py`` that does not show the paper, or two pages' ``:home:``
blocks claiming one paper.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sphinx.util import logging

from .config import settings
from .domain import FmPapersDomain

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

__all__ = ["check_homes", "setup_homes"]

logger = logging.getLogger(__name__)


def setup_homes(app: Sphinx) -> None:
    """Check the home pages after reading."""
    app.connect("env-check-consistency", check_homes)


def check_homes(app: Sphinx, env: BuildEnvironment) -> None:
    """Warn about a page ``fm_papers_home`` names that does not show the paper, and about a
    paper two pages' ``:home:`` blocks claim (the first page by name wins)."""
    domain = FmPapersDomain.of(env)
    for paper_id, page in settings(env.config).home:
        if page not in domain.rows.get(paper_id, {}):
            fallback = domain.row_of(paper_id)
            where = f"page {fallback[0]!r}" if fallback else "the paper itself"
            logger.warning(
                "fm_papers_home: page %r shows no paper %r; its citations link to %s",
                page,
                paper_id,
                where,
                type="fm_papers",
                subtype="config",
            )
    chosen = dict(settings(env.config).home)
    for paper_id, homes in sorted(domain.homes.items()):
        first, *others = sorted(homes)
        for docname in others if paper_id not in chosen else ():
            logger.warning(
                "fm-papers: :home: paper %r has its home on page %r already, the first by "
                "name; citations from other pages do not link here",
                paper_id,
                first,
                location=(docname, homes[docname][1]),
                type="fm_papers",
                subtype="value",
            )
