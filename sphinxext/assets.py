"""Static assets: the stylesheet goes only to HTML pages that show fm-papers output.

A page gets ``fm-papers.css`` when the domain recorded that it shows a table or a chart,
and ``fm-papers.js`` (search, facets, sorting) when it shows an interactive block; both also
when ``html_assets_policy`` is ``"always"``, or under ``singlehtml`` (one page holds every
document). The ``fm-papers-*`` classes the renderer writes are the script's hooks.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from .domain import FmPapersDomain

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

__all__ = ["SCRIPT", "STATIC", "STYLESHEET", "add_page_assets", "add_static_path", "setup_assets"]

STATIC = Path(__file__).resolve().parent / "static"
STYLESHEET = "fm-papers.css"
SCRIPT = "fm-papers.js"


def setup_assets(app: Sphinx) -> None:
    """Connect the handlers that add the static folder and the per-page stylesheet."""
    app.connect("config-inited", add_static_path)
    app.connect("html-page-context", add_page_assets)


def add_static_path(app: Sphinx, config: Config) -> None:
    """Make the static folder part of HTML builds (other builders never read
    ``html_static_path``).

    Added when the configuration is read, before Sphinx compares it with the one the saved
    environment was built with: added later, every rebuild would find the setting changed.
    """
    if str(STATIC) not in config.html_static_path:
        config.html_static_path.append(str(STATIC))


def add_page_assets(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: object
) -> None:
    """Add the stylesheet to this page if it shows fm-papers output."""
    if app.builder.format != "html":
        return
    domain = FmPapersDomain.of(app.env)
    if (
        pagename in domain.assets
        or app.registry.html_assets_policy == "always"
        or (app.builder.name == "singlehtml" and domain.assets)
    ):
        app.add_css_file(STYLESHEET)
    if (
        pagename in domain.scripts
        or app.registry.html_assets_policy == "always"
        or (app.builder.name == "singlehtml" and domain.scripts)
    ):
        app.add_js_file(SCRIPT, loading_method="defer")
