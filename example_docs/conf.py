"""Sphinx configuration of the fm-papers manual (example_docs/)."""

from __future__ import annotations

from importlib.metadata import version as _version

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
]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build", "snippets"]
nitpicky = False

autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "show-inheritance": False}
intersphinx_mapping: dict[str, tuple[str, None]] = {}

html_theme = "alabaster"
html_title = "fm-papers"
html_static_path = ["_static"]
