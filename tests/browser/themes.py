"""The themes the browser tests and ``nox -s themes`` cover, as ``html_theme`` names.

Read (without importing anything) by tests/browser/conftest.py and noxfile.py; the test
site's conf.py sets each one up to build offline and to follow the reader's light or dark
preference, and test_layout.py knows each one's text column.
"""

THEMES = (
    "alabaster",
    "furo",
    "pydata_sphinx_theme",
    "sphinx_rtd_theme",
    "sphinx_book_theme",
    "sphinx_immaterial",
)
