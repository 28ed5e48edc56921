"""fm-papers for Sphinx: ``extensions = ["fm_papers.sphinxext"]``.

Filtered paper tables (``.. fm-papers::``), inline citations (``:fm-paper:`id```) and
statistics (``.. fm-papers-stats::``) for every builder, from reST or MyST.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata


def setup(app: Sphinx) -> ExtensionMetadata:
    """Register, in order: the ``fm_papers_*`` config values; the two nodes (the rows
    placeholder and the bare ``<div>``);
    the ``fm-papers`` directive; the ``fm-paper`` role, with the last-resort link to the
    paper on ``missing-reference``; the ``fm-papers-stats`` directive; the ``fm-papers``
    domain (``paper`` objects for ``objects.inv``, ``:any:`` and intersphinx, and the same
    role as ``fm-papers:paper``) with its data-loading and outdated-page events; the
    post-transforms (the deferred rows for every builder, then HTML and LaTeX polish); the
    per-page assets; and, when sphinxcontrib-bibtex is loaded too, the catalogue as a bib file
    of its own.
    """
    from fm_papers import __version__

    from .assets import setup_assets
    from .bibtex import setup_bibtex
    from .config import setup_config
    from .directive import setup_directive
    from .domain import setup_domain
    from .homes import setup_homes
    from .nodes import setup_nodes
    from .role import setup_role
    from .stats import setup_stats
    from .transforms import setup_transforms

    setup_config(app)
    setup_nodes(app)
    setup_directive(app)
    setup_role(app)
    setup_stats(app)
    setup_domain(app)
    setup_homes(app)
    setup_transforms(app)
    setup_assets(app)
    setup_bibtex(app)
    return {
        # The package's own version, not its installed metadata: a checkout works uninstalled.
        "version": __version__,
        # Bump when what a pickled environment holds changes shape: the placeholder nodes in
        # doctrees, or FmPapersDomain's data (whose data_version is bumped with it).
        "env_version": 7,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
