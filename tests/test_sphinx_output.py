"""What each format shows of a block: clean text, visible addresses, HTML that themes leave be.

Built from a small page with a table, a list and cards of the same papers; expectations come
from the catalogue.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any

import pytest

import fm_papers

PAGE = """Output
======

.. fm-papers::
   :ids: cellvit, scgpt
   :columns: title, model, links
   :caption: Two papers

.. fm-papers::
   :ids: cellvit, scgpt
   :layout: list
   :columns: title, year, links

.. fm-papers::
   :ids: cellvit, scgpt
   :layout: cards
   :columns: model, venue, year, links, id

.. fm-papers-stats::
   :ids: cellvit, scgpt
"""
CONF = 'extensions = ["sphinx_design", "fm_papers.sphinxext"]\n'
PAPERS = fm_papers.load().query(ids="cellvit,scgpt")
#: Every address a block links to: each title's and each other link's.
ADDRESSES = {link.url for paper in PAPERS for link in paper.links}

Build = Callable[..., tuple[Any, str]]


def _notes(text: str) -> list[tuple[str, str]]:
    """The ``[n] address`` lines of a text, each whole on its line."""
    return re.findall(r"(?m)^\s*\[(\d+)\] (\S+)$", text)


def test_text_has_no_markup_characters_and_every_address(build: Build) -> None:
    app, warnings = build({"index.rst": PAGE, "conf.py": CONF}, "text")
    assert warnings == ""
    text = (app.outdir / "index.txt").read_text(encoding="utf-8")
    body = text.split("\n", 2)[2]  # below the title and its underline
    # Card fields read "Venue: Nature Methods", not "*Venue: *Nature Methods"; titles carry
    # no "**", ids no quotes. List bullets are "* " at the start of a line.
    assert "*" not in re.sub(r"(?m)^\* ", "", body)
    assert '"' not in body
    for paper in PAPERS:
        assert f"Venue: {paper.venue}" in body
        assert f"Id: {paper.id}" in body
    # Each address whole, on a line of its own after each of the three blocks.
    notes = _notes(body)
    for url in ADDRESSES:
        assert [u for _, u in notes].count(url) == 3, url
    # ... and each number follows its link in the text.
    for number, _ in notes:
        assert f" [{number}]" in body


def test_manual_pages_show_addresses(build: Build) -> None:
    app, warnings = build({"index.rst": PAGE, "conf.py": CONF}, "man")
    assert warnings == ""
    page = next(app.outdir.glob("*.1")).read_text(encoding="utf-8")
    # What man shows: no terminal hyperlink escapes (\X'...'), no roff escapes.
    shown = re.sub(r"\\X'[^']*'", "", page)
    shown = shown.replace("\\-", "-").replace("\\:", "").replace("\\%", "")
    notes = _notes(shown)
    for url in ADDRESSES:
        assert [u for _, u in notes].count(url) == 3, url
    # The links are text now: the writer adds no address of its own.
    assert "<https://" not in shown


def test_addresses_of_a_block_in_a_table_cell_follow_the_table(build: Build) -> None:
    page = """Nested
======

.. list-table::

   * - .. fm-papers::
          :ids: cellvit
          :layout: list
          :columns: title, links
"""
    app, warnings = build({"index.rst": page, "conf.py": CONF}, "text")
    assert warnings == ""
    text = (app.outdir / "index.txt").read_text(encoding="utf-8")
    cellvit = fm_papers.load().get("cellvit")
    assert _notes(text) == [(str(n), link.url) for n, link in enumerate(cellvit.links, 1)]
    # After the table's last border, not squeezed into its cell.
    assert text.rindex("+-") < text.index("[1] https://")


class _Divs(HTMLParser):
    """The class list of every ``div``, and each table's enclosing div classes."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.divs: list[tuple[str, str | None]] = []
        self.boxes: list[dict[str, str | None]] = []
        self.tables: list[tuple[str, list[str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "div":
            self.stack.append(found.get("class") or "")
            self.divs.append((found.get("class") or "", found.get("id")))
            if found.get("class") == "fm-papers-scroll":
                self.boxes.append(found)
        elif tag == "table":
            self.tables.append((found.get("class") or "", list(self.stack)))

    def handle_endtag(self, tag: str) -> None:
        if tag == "div":
            self.stack.pop()


@pytest.fixture(scope="module")
def html_divs(tmp_path_factory: pytest.TempPathFactory) -> _Divs:
    from sphinx.testing.util import SphinxTestApp

    srcdir = tmp_path_factory.mktemp("html")
    (srcdir / "index.rst").write_text(PAGE, encoding="utf-8")
    (srcdir / "conf.py").write_text(CONF, encoding="utf-8")
    app = SphinxTestApp("html", srcdir=srcdir, freshenv=True)
    try:
        app.build()
        assert app.warning.getvalue() == ""
        parser = _Divs()
        parser.feed((app.outdir / "index.html").read_text(encoding="utf-8"))
    finally:
        app.cleanup()
    return parser


def test_every_table_scrolls_in_its_own_box(html_divs: _Divs) -> None:
    tables = [(c, s) for c, s in html_divs.tables if "fm-papers" in c]
    assert len(tables) == 2  # the papers and the statistics
    for _, enclosing in tables:
        assert enclosing[-1] == "fm-papers-scroll"
    # The box is bare (none of the table's ids or classes), a region a keyboard can focus
    # to scroll, named by the table's caption or by what it holds.
    assert html_divs.boxes == [
        {"class": "fm-papers-scroll", "tabindex": "0", "role": "region", "aria-label": label}
        for label in ("Two papers", "Papers per year")
    ]


def test_without_sphinx_design_no_block_has_the_container_class(build: Build) -> None:
    """Themes restyle ``.container`` (furo strips its padding, Bootstrap sets its width)."""
    app, warnings = build({"index.rst": PAGE, "conf.py": 'extensions = ["fm_papers.sphinxext"]\n'})
    assert warnings == ""
    parser = _Divs()
    parser.feed((app.outdir / "index.html").read_text(encoding="utf-8"))
    ours = [c.split() for c, _ in parser.divs if "fm-papers" in c]
    assert len([c for c in ours if "fm-papers-card" in c]) == len(PAPERS)
    assert all("container" not in classes and "sd-card" not in classes for classes in ours)


def test_cards_are_sphinx_design_components_without_the_container_class(
    html_divs: _Divs,
) -> None:
    """furo (and Bootstrap themes) style ``.container``; sphinx-design's divs never have it."""
    grid = [c.split() for c, _ in html_divs.divs if "sd-" in c or "fm-papers" in c]
    assert len([c for c in grid if "sd-card" in c]) == len(PAPERS)
    for classes in grid:
        assert "container" not in classes, classes
    for wanted in ("sd-container-fluid", "sd-row", "sd-col", "sd-card-body"):
        assert any(wanted in classes for classes in grid), wanted


def test_sphinx_design_loaded_by_another_extension_counts(build: Build) -> None:
    conf = (
        'extensions = ["fm_papers.sphinxext"]\n'
        "def setup(app):\n"
        '    app.setup_extension("sphinx_design")\n'
    )
    app, warnings = build({"index.rst": PAGE, "conf.py": conf})
    assert warnings == ""
    parser = _Divs()
    parser.feed((app.outdir / "index.html").read_text(encoding="utf-8"))
    assert len([c for c, _ in parser.divs if "sd-card" in c.split()]) == len(PAPERS)
