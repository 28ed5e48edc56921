"""A small site rendered in each theme the browser tests cover (FM_PAPERS_THEME).

reST and MyST pages side by side; every theme builds offline with ``-W``.
"""

import os

project = "fm-papers checks"
# Short: pydata-sphinx-theme's header does not wrap a long title and overflows a phone.
html_title = project
extensions = ["fm_papers.sphinxext", "sphinx_design", "myst_parser"]
html_theme = os.environ.get("FM_PAPERS_THEME", "alabaster")
exclude_patterns = ["_build"]
if html_theme in ("pydata_sphinx_theme", "sphinx_book_theme"):
    # Follow the reader's light or dark preference (the themes' documented setting).
    html_context = {"default_mode": "auto"}
elif html_theme == "sphinx_immaterial":
    extensions.append("sphinx_immaterial")
    html_theme_options = {
        # No Google fonts: the site builds and reads offline.
        "font": False,
        # The reader's preference picks the palette (light "default", dark "slate").
        "palette": [
            {
                "media": "(prefers-color-scheme: light)",
                "scheme": "default",
                "toggle": {"icon": "material/weather-night", "name": "Switch to dark mode"},
            },
            {
                "media": "(prefers-color-scheme: dark)",
                "scheme": "slate",
                "toggle": {"icon": "material/weather-sunny", "name": "Switch to light mode"},
            },
        ],
    }
