"""The manual's first five minutes, in the browser: its front page and its quick start.

At 1280 px (a laptop, 800 and 720 px high), light and dark, the front page's first screen
shows the live table of ``snippets/rst/front-page.txt``: its search box and every paper row
lie inside the viewport. The card grid of the same snippet starts in the first screen (its
heading and the top of its cards are visible) and ends within the second. At 1280 and 390 px
no code block or table of the front page or the quick start widens the page: each lies in the
text column, and one wider than the column scrolls in its own box. axe finds no serious
WCAG 2 A/AA violation on either page, at both widths, in light and dark.

The papers expected are computed from the catalogue with the snippet's own options.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import fm_papers
from fm_papers.filters import filter_values
from fm_papers.sphinxext.config import OPTIONS

OpenPage = Callable[..., Any]

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "example_docs"
#: The manual's catalogue: the shipped papers and its lab overlay (example_docs/conf.py).
CATALOGUE = fm_papers.load(extra=[DOCS / "lab-papers.yaml"])
DEFAULT_SORT = next(o.default for o in OPTIONS if o.name == "fm_papers_sort")
SCHEMES = ("light", "dark")
#: Laptop screens: the table's rows must be above the fold on both.
LAPTOPS = ({"width": 1280, "height": 800}, {"width": 1280, "height": 720})
#: The widths at which nothing may widen the page: a laptop and a phone.
WIDTHS = (1280, 390)
#: The furo theme's text column (example_docs/conf.py sets the theme).
COLUMN = "article[role=main]"
#: Sub-pixel layout: boxes may miss by rounding.
EPS = 1


def _front_page_blocks() -> list[dict[str, str]]:
    """The options of each ``fm-papers`` directive of the front page's snippet, in order."""
    text = (DOCS / "snippets" / "rst" / "front-page.txt").read_text(encoding="utf-8")
    blocks = re.findall(r"^\.\. fm-papers::\n((?:   :.*\n?)+)", text, re.MULTILINE)
    return [dict(re.findall(r"^   :([\w-]+):[ \t]*(.*)$", b, re.MULTILINE)) for b in blocks]


TABLE, CARDS = _front_page_blocks()


def _expected(options: dict[str, str]) -> list[str]:
    """The ids of the papers a block shows, in order, as the directive selects them."""
    filters = filter_values(options)
    filters.setdefault("sort", DEFAULT_SORT)
    return [paper.id for paper in CATALOGUE.query(**filters)]


def _searchable(paper: fm_papers.Paper) -> str:
    """What the search box matches a paper on."""
    return f"{paper.title} {paper.model or ''} {paper.venue or ''}".lower()


def _ids(locator: Any) -> list[str]:
    ids = locator.evaluate_all("items => items.map(i => i.id)")
    return [i.removeprefix("fm-paper-") for i in ids]


def test_the_snippet_is_what_the_front_page_says() -> None:
    """A table then a card grid, each selecting a few papers: the checks below have rows and
    cards to measure."""
    assert TABLE.get("layout", "table") == "table" and CARDS["layout"] == "cards"
    assert 3 <= len(_expected(TABLE)) <= 8
    assert 3 <= len(_expected(CARDS)) <= 6


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("viewport", LAPTOPS, ids=lambda v: f"{v['width']}x{v['height']}")
def test_the_first_screen_shows_the_live_table_and_the_cards(
    scheme: str, viewport: dict[str, int], example_docs: Path, open_page: OpenPage
) -> None:
    page = open_page(example_docs / "index.html", color_scheme=scheme, viewport=viewport)
    height = viewport["height"]
    table, cards = page.locator(".fm-papers").nth(0), page.locator(".fm-papers").nth(1)
    assert page.locator(".fm-papers").count() == 2
    # The table: every row the snippet selects, visible, above the fold.
    rows = table.locator("tbody .fm-papers-item")
    expected = _expected(TABLE)
    assert _ids(rows) == expected
    for index in range(rows.count()):
        row = rows.nth(index)
        box = row.bounding_box()
        assert row.is_visible() and box is not None
        assert box["y"] >= 0 and box["y"] + box["height"] <= height, (expected[index], box)
    caption = table.locator("caption")
    assert caption.inner_text().endswith(TABLE["caption"])
    # It is live: its search box is in the first screen too, and typing filters the rows.
    search = table.get_by_label("Search papers")
    box = search.bounding_box()
    assert search.is_visible() and box is not None and box["y"] + box["height"] <= height
    word = (CATALOGUE.get(expected[0]).model or "").lower()
    search.fill(word)
    # The box matches a paper's title, model and venue (test_browser.py's searched()).
    wanted = [i for i in expected if word in _searchable(CATALOGUE.get(i))]
    assert word and wanted and len(wanted) < len(expected)
    assert _ids(table.locator("tbody .fm-papers-item:not([hidden])")) == wanted
    # The cards: the snippet's papers; the grid starts in the first screen (its heading and
    # the top of its cards visible) and ends within the second.
    grid = cards.locator(".fm-papers-cards")
    assert _ids(grid.locator(".fm-papers-card")) == _expected(CARDS)
    heading = cards.locator(".fm-papers-caption")
    # Numbered, as every captioned block of the manual (numfig), so {numref} can reach it.
    assert heading.locator(".caption-text").inner_text() == CARDS["caption"]
    assert heading.locator(".caption-number").inner_text().strip().startswith("Table ")
    top = heading.bounding_box()
    assert heading.is_visible() and top is not None and top["y"] + top["height"] <= height
    box = grid.bounding_box()
    assert box is not None
    assert box["y"] < height - 40, box  # at least 40 px of the cards in the first screen
    assert box["y"] + box["height"] <= 2 * height, box


#: One pass over a page: does it scroll sideways, and where are its code blocks and tables
#: (each with its nearest scroll box, if any) against the text column?
MEASURE = """
(column) => {
  const rect = e => {
    const r = e.getBoundingClientRect();
    return {left: r.left, right: r.right, width: r.width};
  };
  const scrolls = e => ["auto", "scroll"].includes(getComputedStyle(e).overflowX);
  const col = document.querySelector(column);
  const out = {scrollWidth: document.scrollingElement.scrollWidth, innerWidth: innerWidth,
               column: col ? rect(col) : null, boxes: []};
  if (!col) return out;
  for (const e of col.querySelectorAll("pre, table")) {
    if (!e.getClientRects().length) continue;  // in a closed tab
    let box = null;
    for (let a = e; a && a !== col; a = a.parentElement) if (scrolls(a)) { box = a; break; }
    out.boxes.push({tag: e.tagName.toLowerCase(), text: e.textContent.trim().slice(0, 40),
                    rect: rect(e), box: box ? rect(box) : null,
                    wider: e.scrollWidth > e.clientWidth + 1 || e.getBoundingClientRect().width
                      > col.getBoundingClientRect().width + 1});
  }
  return out;
}
"""


def _inside(inner: dict[str, float], outer: dict[str, float]) -> bool:
    return inner["left"] >= outer["left"] - EPS and inner["right"] <= outer["right"] + EPS


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", ["index.html", "quickstart.html"])
def test_no_code_block_or_table_widens_the_page(
    name: str, width: int, scheme: str, example_docs: Path, open_page: OpenPage
) -> None:
    page = open_page(
        example_docs / name, color_scheme=scheme, viewport={"width": width, "height": 800}
    )
    data = page.evaluate(MEASURE, COLUMN)
    assert data["column"] is not None, f"no text column {COLUMN!r}"
    assert data["scrollWidth"] <= data["innerWidth"], "the page scrolls sideways"
    column = data["column"]
    assert column["left"] >= 0 and column["right"] <= width + EPS
    kinds = {box["tag"] for box in data["boxes"]}
    assert "pre" in kinds and (name != "index.html" or "table" in kinds), kinds
    problems = []
    for box in data["boxes"]:
        # In the column, or wider but in a scroll box that is.
        if box["box"] is not None and _inside(box["box"], column):
            continue
        if _inside(box["rect"], column) and not box["wider"]:
            continue
        problems.append(box)
    assert problems == [], f"{name} at {width} px ({scheme}): {problems}"


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", ["index.html", "quickstart.html"])
def test_axe_finds_no_serious_violation(
    name: str, width: int, scheme: str, example_docs: Path, open_page: OpenPage
) -> None:
    """The whole page, the theme's own parts included; on a phone the code blocks scroll,
    so a keyboard must reach them (axe's scrollable-region-focusable)."""
    from axe_playwright_python.sync_playwright import Axe

    page = open_page(
        example_docs / name, color_scheme=scheme, viewport={"width": width, "height": 800}
    )
    # preload off: axe would fetch the theme's stylesheets again itself.
    options = {"runOnly": ["wcag2a", "wcag2aa"], "resultTypes": ["violations"], "preload": False}
    results = Axe().run(page, options=options)
    serious = [
        v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")
    ]
    assert serious == [], results.generate_report()
