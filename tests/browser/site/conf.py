"""A small site rendered in each theme the browser tests cover (FM_PAPERS_THEME)."""

import os

project = "fm-papers browser checks"
extensions = ["fm_papers.sphinxext", "sphinx_design"]
html_theme = os.environ.get("FM_PAPERS_THEME", "alabaster")
exclude_patterns = ["_build"]
if html_theme == "pydata_sphinx_theme":
    # Follow the reader's light or dark preference (the theme's documented setting).
    html_context = {"default_mode": "auto"}
