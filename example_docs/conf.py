"""Sphinx configuration of the fm-papers manual (example_docs/)."""

from __future__ import annotations

from importlib.metadata import version as _version
from pathlib import Path
from typing import Any

project = "fm-papers"
author = "The fm-papers team"
copyright = "2026, The fm-papers team"
release = _version("fm-papers")
version = release

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.intersphinx",
    "sphinx_design",
    "myst_parser",
    "fm_papers.sphinxext",
]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build", "snippets"]
numfig = True

# fm-papers: the sample lab overlay of overlays.rst joins the shipped catalogue.
fm_papers_extra_files = ["lab-papers.yaml"]
nitpicky = False

autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "show-inheritance": False}
intersphinx_mapping: dict[str, tuple[str, None]] = {}

# The sizes of the browser assets, read from the installed package so the manual cannot drift.
_STATIC = Path(__import__("fm_papers.sphinxext.assets").sphinxext.assets.STATIC)
rst_epilog = "\n".join(
    f".. |{name.replace('.', '_')}_size| replace:: {(_STATIC / name).stat().st_size:,} bytes"
    for name in ("fm-papers.js", "fm-papers.css")
)

html_theme = "alabaster"
html_title = "fm-papers"
html_static_path = ["_static"]


def _options_table(rows: list[tuple[str, str, str]]) -> list[Any]:
    """A three-column table (name, default, what it does) as docutils nodes."""
    from docutils import nodes

    table = nodes.table()
    group = nodes.tgroup(cols=3)
    table += group
    for width in (25, 20, 55):
        group += nodes.colspec(colwidth=width)
    body = nodes.tbody()
    head = nodes.thead()
    group += head
    group += body
    for index, cells in enumerate([("Name", "Default", "What it does"), *rows]):
        row = nodes.row()
        for text in cells:
            row += nodes.entry("", nodes.paragraph("", text))
        (head if index == 0 else body).append(row)
    return [table]


def setup(app: Any) -> None:
    """``.. fm-papers-options:: config|directive|stats``: tables read from the extension's own
    declarations, so the manual cannot drift from the code."""
    from fm_papers.sphinxext.config import OPTIONS
    from fm_papers.sphinxext.directive import FILTER_OPTIONS, PRESENTATION_OPTIONS
    from fm_papers.sphinxext.stats import STATS_OPTIONS
    from sphinx.util.docutils import SphinxDirective

    filters = [
        (f":{name}:", "", "Filter: the query field of the same name.") for name in FILTER_OPTIONS
    ]

    class OptionsTable(SphinxDirective):
        required_arguments = 1

        def run(self) -> list[Any]:
            which = self.arguments[0]
            if which == "config":
                rows = [(o.name, repr(o.default), o.description) for o in OPTIONS]
            elif which == "directive":
                rows = filters + [(f":{k}:", "", v) for k, v in PRESENTATION_OPTIONS.items()]
            else:
                rows = filters + [(f":{k}:", "", v) for k, v in STATS_OPTIONS.items()]
            return _options_table(rows)

    app.add_directive("fm-papers-options", OptionsTable)
