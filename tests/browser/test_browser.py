"""What a reader gets in the browser: search, facets, sorting, counts, links, themes, no-JS.

Each expectation is computed from the catalogue in Python, never read back from the page.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import fm_papers

CATALOGUE = fm_papers.load()
#: The rows of the test site's table, in the directive's order (:sort: -year,title).
ROWS = CATALOGUE.query(domain="pathology", sort="-year,title")
VISIBLE = ".fm-papers-item:not([hidden])"

OpenPage = Callable[..., Any]


def searched(words: str, papers: tuple[fm_papers.Paper, ...] = ROWS) -> list[str]:
    """Ids of the papers whose title, model or venue holds every word, in order."""
    wanted = words.lower().split()
    return [
        p.id
        for p in papers
        if all(w in f"{p.title} {p.model or ''} {p.venue or ''}".lower() for w in wanted)
    ]


def visible_ids(page: Any) -> list[str]:
    ids = page.eval_on_selector_all(VISIBLE, "rows => rows.map(r => r.id)")
    return [i.removeprefix("fm-paper-") for i in ids]


def header(page: Any, column: str) -> Any:
    return page.locator(f"thead th.fm-col-{column}")


@pytest.fixture
def table(sites: dict[str, Path], open_page: OpenPage) -> Any:
    return open_page(sites["alabaster"] / "index.html")


def test_every_row_is_there_with_its_count(table: Any) -> None:
    assert visible_ids(table) == [p.id for p in ROWS]
    assert table.locator(".fm-papers-count").inner_text() == f"{len(ROWS)} of {len(ROWS)} papers"


def test_typing_filters_to_the_exact_rows(table: Any) -> None:
    table.get_by_label("Search papers").fill("CLIP")
    expected = searched("clip")
    assert 2 <= len(expected) < len(ROWS)
    assert visible_ids(table) == expected
    assert (
        table.locator(".fm-papers-count").inner_text() == f"{len(expected)} of {len(ROWS)} papers"
    )
    table.get_by_label("Search papers").fill("whole slide")
    assert visible_ids(table) == searched("whole slide")


def test_facets_combine_with_the_search(table: Any) -> None:
    table.get_by_label("Year").select_option("2024")
    in_2024 = [p for p in ROWS if p.year == 2024]
    assert visible_ids(table) == [p.id for p in in_2024]
    table.get_by_label("Search papers").fill("clip")
    assert visible_ids(table) == searched("clip", tuple(in_2024))
    table.get_by_label("Domain").select_option("single-cell")
    both = [p.id for p in in_2024 if "single-cell" in p.domains]
    assert visible_ids(table) == [i for i in searched("clip", tuple(in_2024)) if i in both]


def test_the_kind_facet_selects_what_papers_are(table: Any) -> None:
    kind = table.get_by_label("Kind", exact=True)
    options = kind.locator("option").evaluate_all("options => options.map(o => o.value)")
    assert options == ["", *sorted({p.kind for p in ROWS if p.kind})]
    kind.select_option("benchmark")
    assert visible_ids(table) == [p.id for p in ROWS if p.kind == "benchmark"]
    table.get_by_label("Year").select_option("2023")
    expected = [p.id for p in ROWS if p.kind == "benchmark" and p.year == 2023]
    assert expected and visible_ids(table) == expected


def test_clear_resets_everything(table: Any) -> None:
    table.get_by_label("Search papers").fill("sam")
    table.get_by_label("Year").select_option("2023")
    table.get_by_role("button", name="Clear").click()
    assert visible_ids(table) == [p.id for p in ROWS]
    assert table.get_by_label("Search papers").input_value() == ""
    assert table.get_by_label("Year").input_value() == ""


def _order(
    papers: tuple[fm_papers.Paper, ...], key: Callable[[fm_papers.Paper], Any], descending: bool
) -> list[str]:
    """Python's stable sort with missing values last, as the directive's :sort: does."""
    valued = [p for p in papers if key(p) is not None]
    missing = [p for p in papers if key(p) is None]
    return [p.id for p in sorted(valued, key=key, reverse=descending) + missing]


def test_the_initial_order_is_the_directives_sort(table: Any) -> None:
    assert header(table, "year").get_attribute("aria-sort") == "descending"
    assert header(table, "title").get_attribute("aria-sort") == "none"
    assert visible_ids(table) == _order(ROWS, lambda p: p.year, descending=True)


def test_headers_sort_ascending_then_descending_and_stably(table: Any) -> None:
    year = header(table, "year")
    year.get_by_role("button").click()
    assert year.get_attribute("aria-sort") == "ascending"
    # Equal years keep the page's original order (title within year).
    assert visible_ids(table) == _order(ROWS, lambda p: p.year, descending=False)
    year.get_by_role("button").click()
    assert year.get_attribute("aria-sort") == "descending"
    assert visible_ids(table) == _order(ROWS, lambda p: p.year, descending=True)
    title = header(table, "title")
    title.get_by_role("button").click()
    assert title.get_attribute("aria-sort") == "ascending"
    assert year.get_attribute("aria-sort") == "none"
    assert visible_ids(table) == _order(ROWS, lambda p: p.title.lower(), descending=False)


def test_headers_sort_from_the_keyboard(table: Any) -> None:
    button = header(table, "model").get_by_role("button")
    button.focus()
    table.keyboard.press("Enter")
    assert header(table, "model").get_attribute("aria-sort") == "ascending"
    assert visible_ids(table) == _order(
        ROWS, lambda p: p.model.lower() if p.model else None, descending=False
    )


def test_sorting_keeps_the_filter(table: Any) -> None:
    table.get_by_label("Search papers").fill("sam")
    header(table, "year").get_by_role("button").click()
    expected = [i for i in _order(ROWS, lambda p: p.year, descending=False) if i in searched("sam")]
    assert visible_ids(table) == expected


def test_title_links_point_to_the_papers(table: Any) -> None:
    links = table.eval_on_selector_all(
        ".fm-papers-item .fm-col-title a", "links => links.map(a => a.href)"
    )
    assert links == [p.url for p in ROWS]


def test_without_javascript_every_row_is_there(sites: dict[str, Path], open_page: OpenPage) -> None:
    page = open_page(sites["alabaster"] / "index.html", java_script_enabled=False)
    assert visible_ids(page) == [p.id for p in ROWS]
    assert page.locator(".fm-papers-controls").count() == 0


def test_printing_gives_the_plain_table(table: Any) -> None:
    table.get_by_label("Search papers").fill("clip")
    table.emulate_media(media="print")
    assert table.locator(".fm-papers-controls").is_hidden()
    shown = table.eval_on_selector_all(
        ".fm-papers-item", "rows => rows.filter(r => getComputedStyle(r).display !== 'none').length"
    )
    assert shown == len(ROWS)


def test_cards_filter_the_same_way(sites: dict[str, Path], open_page: OpenPage) -> None:
    page = open_page(sites["alabaster"] / "cards.html")
    cards = CATALOGUE.query(section="segmentation")
    assert len(visible_ids(page)) == len(cards)
    page.get_by_label("Search papers").fill("sam")
    assert sorted(visible_ids(page)) == sorted(searched("sam", cards))
    assert page.locator(".fm-papers-count").inner_text() == (
        f"{len(searched('sam', cards))} of {len(cards)} papers"
    )


def test_the_script_is_only_on_pages_with_a_table(sites: dict[str, Path]) -> None:
    site = sites["alabaster"]
    assert "fm-papers.js" in (site / "index.html").read_text(encoding="utf-8")
    assert "fm-papers.js" not in (site / "plain.html").read_text(encoding="utf-8")


THEMES = [
    ("alabaster", "light"),
    ("furo", "light"),
    ("furo", "dark"),
    ("pydata_sphinx_theme", "light"),
    ("pydata_sphinx_theme", "dark"),
    ("sphinx_rtd_theme", "light"),
    ("sphinx_book_theme", "light"),
    ("sphinx_book_theme", "dark"),
    ("sphinx_immaterial", "light"),
    ("sphinx_immaterial", "dark"),
]
#: The pages axe checks besides index.html: wide tables and statistics (reST); a table,
#: cards and statistics (MyST).
AXE_PAGES = ("wide.html", "myst.html")


def serious_violations(page: Any) -> tuple[list[Any], str]:
    """axe's serious and critical WCAG 2 A/AA violations inside the blocks, with its report."""
    from axe_playwright_python.sync_playwright import Axe

    # preload off: axe would fetch the theme's stylesheets again itself and resolve
    # pydata-sphinx-theme's @import against the wrong folder (a 404 that is not the page's).
    options = {"runOnly": ["wcag2a", "wcag2aa"], "resultTypes": ["violations"], "preload": False}
    results = Axe().run(page, context=".fm-papers", options=options)
    serious = [
        v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")
    ]
    return serious, results.generate_report()


@pytest.mark.parametrize(("theme", "scheme"), THEMES)
def test_each_theme_works_looks_right_and_passes_axe(
    theme: str, scheme: str, sites: dict[str, Path], open_page: OpenPage, out_dir: Path
) -> None:
    page = open_page(
        sites[theme] / "index.html", color_scheme=scheme, viewport={"width": 1280, "height": 900}
    )
    page.get_by_label("Search papers").fill("clip")
    assert visible_ids(page) == searched("clip")
    search = page.get_by_label("Search papers")
    assert search.is_visible()
    # The control's text is readable: its colour differs from its background.
    colours = search.evaluate(
        "e => { const s = getComputedStyle(e); return [s.color, s.backgroundColor]; }"
    )
    assert colours[0] != colours[1]
    shots = out_dir / "screenshots"
    shots.mkdir(exist_ok=True)
    page.locator(".fm-papers").first.screenshot(path=str(shots / f"{theme}-{scheme}.png"))
    serious, report = serious_violations(page)
    assert serious == [], report
    for name in AXE_PAGES:
        page.goto(page.url.rsplit("/", 1)[0] + f"/{name}")
        serious, report = serious_violations(page)
        assert serious == [], f"{name}: {report}"


def test_focus_is_visible(table: Any) -> None:
    table.get_by_label("Search papers").focus()
    table.keyboard.press("Tab")
    outline = table.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none")


def test_the_manual_has_no_console_errors(example_docs: Path, open_page: OpenPage) -> None:
    pages = sorted(example_docs.rglob("*.html"))
    # The script's tag, not its name: a page may show a file name such as fm-papers.json.
    script = re.compile(r'<script [^>]*src="[^"]*/fm-papers\.js[?"]')
    with_tables = [p for p in pages if script.search(p.read_text(encoding="utf-8"))]
    assert with_tables, "no page of the manual loads the table script"
    for path in with_tables:
        page = open_page(path)
        # A filter bar, or sortable headers (a table under fm_papers_filter_threshold).
        enhanced = page.locator(".fm-papers-controls, th button.fm-papers-sort")
        assert enhanced.count() >= 1, path
