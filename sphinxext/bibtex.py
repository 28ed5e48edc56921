"""Citing the catalogue with sphinxcontrib-bibtex: its papers as a bib file nobody keeps by hand.

When a project loads ``sphinxcontrib.bibtex`` too, the extension writes the BibTeX export of
the build's catalogue (the shipped papers and the overlays) into the doctree folder and adds
it to ``bibtex_bibfiles`` once the configuration is read (``config-inited``, after the
values are checked), so the value is part of the configuration Sphinx compares between
builds (the same each time: no "configuration changed" rebuild) and is in place before
sphinxcontrib-bibtex reads the files. ``{cite}`uni``` then works with no ``.bib`` file in the
project; ``bibtex_bibfiles`` may be left unset or name other files too. The file is written
again only when the data files, the settings or the package change, so sphinxcontrib-bibtex
sees it changed, and re-reads the pages citing it, exactly then. ``fm_papers_bibtex = False``
leaves sphinxcontrib-bibtex alone.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.util import logging

from fm_papers.errors import DataError

from .config import settings
from .state import code_digest, data_files, digest

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__all__ = ["BIB_NAME", "add_bibfile", "setup_bibtex"]

logger = logging.getLogger(__name__)

#: The file, in the doctree folder, that holds the catalogue for sphinxcontrib-bibtex.
BIB_NAME = "fm-papers.bib"


def setup_bibtex(app: Sphinx) -> None:
    """Give sphinxcontrib-bibtex the catalogue, when both are loaded."""
    # After the values are checked (priority 799), before the environment compares them.
    app.connect("config-inited", lambda app, config: add_bibfile(app), priority=800)


def add_bibfile(app: Sphinx) -> None:
    """Write the catalogue's BibTeX (when its data changed) and add it to the bib files."""
    config = settings(app.config)
    if "sphinxcontrib.bibtex" not in app.extensions or not config.bibtex:
        return
    files = data_files(config, Path(app.confdir))
    key = f"% fm-papers {code_digest()} {config.include_builtin} {digest(files)}\n"
    path = Path(app.doctreedir) / BIB_NAME
    try:
        written = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        written = ""
    if not written.startswith(key):
        text = key + _bibtex(config.extra_files, config.include_builtin, app.confdir)
        if text != written:
            from fm_papers.files import write_atomic

            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, text)
    bibfiles = list(app.config.bibtex_bibfiles or [])
    if str(path) not in bibfiles:
        # sphinxcontrib-bibtex joins each path to the folder of conf.py: an absolute one stays.
        app.config.bibtex_bibfiles = [*bibfiles, str(path)]


def _bibtex(extra: tuple[str, ...], include_builtin: bool, confdir: str | Path) -> str:
    """The BibTeX of the catalogue; none when a data file is broken (the load that reads the
    pages reports it, located)."""
    from fm_papers.formats import render
    from fm_papers.loader import load

    try:
        catalogue = load([Path(confdir) / name for name in extra], include_builtin=include_builtin)
    except DataError:
        return "% The data files hold errors: no entries until they are fixed.\n"
    return render("bibtex", catalogue.records(), catalogue)
