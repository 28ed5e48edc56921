"""Geometry, in every theme, light and dark, on a desktop and on a phone.

What the layout bugs of real projects broke, measured in the browser rather than read from
the HTML: sphinx-rtd-theme kept table cells on one line (a five-column table 1164 px wide in a
696 px column, the page scrolling sideways) and furo removed the gutters of cards written as
docutils ``container`` divs (cards touching, text on their border, the grid 8 px wider than
the column). So, for each theme x scheme x width:

* the page never scrolls sideways, and the text column is the one a page without fm-papers has;
* every box of a block, table and card alike, lies inside the text column, or inside a scroll
  box that does; a table scrolls in its own box only when it is wider than the column;
* on a desktop an ordinary table fits the column, its cells wrapping;
* cards lie inside their grid and the column, do not overlap, keep gaps between neighbours
  and padding inside, and no text touches a card's border.

A full-page screenshot of the MyST page (a table, cards, statistics) and of the wide page is
kept per theme x scheme x width in ``screenshots/``.
"""

from __future__ import annotations

import runpy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

OpenPage = Callable[..., Any]

#: The text column of each theme: the element whose content box the blocks must fit.
COLUMN = {
    "alabaster": "div.body",
    "furo": "article[role=main]",
    "pydata_sphinx_theme": "article.bd-article",
    "sphinx_book_theme": "article.bd-article",
    "sphinx_rtd_theme": "div[itemprop=articleBody]",
    "sphinx_immaterial": "article[role=main]",
}
#: The themes every browser test covers; each needs its column above.
THEMES: tuple[str, ...] = runpy.run_path(str(Path(__file__).with_name("themes.py")))["THEMES"]
assert set(COLUMN) == set(THEMES), "test_layout.COLUMN needs the text column of every theme"
SCHEMES = ("light", "dark")
WIDTHS = (1280, 390)
#: Less than this many pixels between two cards, or between a card's border and its text,
#: reads as touching.
GAP = 4
#: Sub-pixel layout: boxes may miss by rounding.
EPS = 1

#: Every measurement, in one pass over the page. ``column`` is the theme's text column.
MEASURE = """
(column) => {
  const num = v => parseFloat(v) || 0;
  const rect = e => {
    const r = e.getBoundingClientRect();
    return {left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width,
            height: r.height};
  };
  const inner = e => {
    const r = e.getBoundingClientRect(), s = getComputedStyle(e);
    return {left: r.left + num(s.borderLeftWidth) + num(s.paddingLeft),
            right: r.right - num(s.borderRightWidth) - num(s.paddingRight)};
  };
  const name = e => {
    const cls = typeof e.className === "string" ? e.className.trim().split(/\\s+/) : [];
    return e.tagName.toLowerCase() + cls.filter(c => c).slice(0, 3).map(c => "." + c).join("");
  };
  const scrolls = e => ["auto", "scroll"].includes(getComputedStyle(e).overflowX);
  const visible = e => {
    const r = e.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== "hidden";
  };
  // The nearest scroll box of e inside its block, if any (the element itself counts).
  const scroller = (e, block) => {
    for (let a = e; a && a !== block; a = a.parentElement) if (scrolls(a)) return a;
    return null;
  };
  const col = document.querySelector(column);
  const out = {
    page: {scrollWidth: document.scrollingElement.scrollWidth, innerWidth: window.innerWidth},
    column: col ? inner(col) : null, blocks: [],
  };
  if (!col) return out;
  for (const block of col.querySelectorAll(".fm-papers")) {
    const b = {rect: rect(block), escapes: [], scrolls: [], tables: [], grids: []};
    // Each escaping box once: not its descendants, nor what it scrolls.
    const escaped = new Set();
    const reported = a => {
      for (; a && a !== block; a = a.parentElement) if (escaped.has(a)) return true;
      return false;
    };
    for (const e of block.querySelectorAll("*")) {
      if (!visible(e) || ["fixed", "absolute"].includes(getComputedStyle(e).position)) continue;
      // An element may overflow its scroll box; then the box is what must fit.
      const box = scroller(e.parentElement, block) || e;
      const r = rect(box);
      if (reported(box) || (r.left >= out.column.left - 1 && r.right <= out.column.right + 1)) {
        continue;
      }
      escaped.add(box);
      b.escapes.push({box: name(box), left: r.left, right: r.right});
    }
    for (const s of block.querySelectorAll(".fm-papers-scroll")) {
      // How far the table reaches from the box's left edge (a theme may pad it).
      const table = s.querySelector("table");
      const reach = table ? table.getBoundingClientRect().right - s.getBoundingClientRect().left
        + s.scrollLeft - s.clientLeft : 0;
      b.scrolls.push({rect: rect(s), scrollWidth: s.scrollWidth, clientWidth: s.clientWidth,
                      table: reach});
    }
    for (const t of block.querySelectorAll("table")) {
      const box = scroller(t, block);
      const title = t.querySelector("tbody td.fm-col-title");
      // The header cells' widths, by column.
      const columns = {};
      for (const th of t.querySelectorAll("thead th")) {
        const match = /(?:^|\\s)fm-col-(\\S+)/.exec(th.className);
        if (match) columns[match[1]] = th.getBoundingClientRect().width;
      }
      b.tables.push({rect: rect(t), box: box ? rect(box) : null,
                     scrollWidth: t.scrollWidth, clientWidth: t.clientWidth, columns,
                     titleWhiteSpace: title ? getComputedStyle(title).whiteSpace : null});
    }
    for (const g of block.querySelectorAll(".fm-papers-cards")) {
      const cards = [...g.querySelectorAll(".fm-papers-card")].filter(visible).map(card => {
        const body = card.querySelector(".sd-card-body") || card;
        const s = getComputedStyle(body), c = getComputedStyle(card);
        const border = {left: card.getBoundingClientRect().left + num(c.borderLeftWidth),
                        right: card.getBoundingClientRect().right - num(c.borderRightWidth),
                        top: card.getBoundingClientRect().top + num(c.borderTopWidth),
                        bottom: card.getBoundingClientRect().bottom - num(c.borderBottomWidth)};
        // The boxes of the card's text, line by line.
        const text = {left: Infinity, right: -Infinity, top: Infinity, bottom: -Infinity};
        const walker = document.createTreeWalker(card, NodeFilter.SHOW_TEXT);
        const range = document.createRange();
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          if (!n.textContent.trim()) continue;
          range.selectNodeContents(n);
          for (const r of range.getClientRects()) {
            if (!r.width) continue;
            text.left = Math.min(text.left, r.left); text.right = Math.max(text.right, r.right);
            text.top = Math.min(text.top, r.top); text.bottom = Math.max(text.bottom, r.bottom);
          }
        }
        return {id: card.id, rect: rect(card), border, text,
                padding: [s.paddingTop, s.paddingRight, s.paddingBottom, s.paddingLeft].map(num)};
      });
      b.grids.push({rect: rect(g), cards});
    }
    out.blocks.push(b);
  }
  return out;
}
"""

#: What a reader sees of each table's scrolling, header and filter bar, in one pass that scrolls
#: each scrolling box to its end and back (a scroll timeline updates on the next frames):
#: * ``cues``: per table, the element that scrolls it (if any), how far it scrolls, and the
#:   fades (``--fm-papers-fade-*``, the mask the stylesheet draws from them) at the start and
#:   at the end; for a table that does not scroll, the fades of its boxes;
#: * ``headers``: per sortable header cell, whether a click at each corner of its padding box
#:   (inside what its scroll box shows) lands on its sort button;
#: * ``bars``: per filter bar, the gaps to what comes before it and to its block's table or
#:   list after it, and per facet whether its label and select share a line, label first.
CUES = """
async (column) => {
  const frames = () => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  const scrolls = e => ["auto", "scroll"].includes(getComputedStyle(e).overflowX)
    && e.scrollWidth > e.clientWidth + 1;
  const fades = e => {
    const s = getComputedStyle(e);
    return {left: parseFloat(s.getPropertyValue("--fm-papers-fade-left")) || 0,
            right: parseFloat(s.getPropertyValue("--fm-papers-fade-right")) || 0,
            mask: s.maskImage || s.webkitMaskImage || "none"};
  };
  const col = document.querySelector(column);
  const out = {cues: [], headers: [], bars: []};
  for (const t of col.querySelectorAll(".fm-papers table")) {
    const boxes = [];
    for (let a = t.parentElement; a && !a.classList.contains("fm-papers"); a = a.parentElement) {
      boxes.push(a);
    }
    const scroller = boxes.find(scrolls) || null;
    const cue = {columns: t.querySelectorAll("thead th").length, scrolls: !!scroller};
    if (scroller) {
      scroller.scrollTo({left: 0, behavior: "instant"}); await frames();
      cue.start = fades(scroller);
      cue.range = scroller.scrollWidth - scroller.clientWidth;
      scroller.scrollTo({left: cue.range, behavior: "instant"}); await frames();
      cue.end = fades(scroller);
      scroller.scrollTo({left: 0, behavior: "instant"}); await frames();
    } else {
      cue.still = boxes.map(fades);
    }
    out.cues.push(cue);
  }
  for (const th of col.querySelectorAll(".fm-papers thead th[aria-sort]")) {
    // Instantly: furo scrolls smoothly.
    th.scrollIntoView({block: "center", inline: "nearest", behavior: "instant"});
    await frames();
    const button = th.querySelector("button.fm-papers-sort");
    const r = th.getBoundingClientRect();
    let clip = {left: 0, right: innerWidth};
    for (let a = th.parentElement; a; a = a.parentElement) {
      if (["auto", "scroll", "hidden"].includes(getComputedStyle(a).overflowX)) {
        const c = a.getBoundingClientRect();
        clip = {left: Math.max(clip.left, c.left), right: Math.min(clip.right, c.right)};
      }
    }
    const corners = [[r.left + 2, r.top + 2], [r.right - 2, r.top + 2],
                     [r.left + 2, r.bottom - 2], [r.right - 2, r.bottom - 2]]
      .filter(([x]) => x >= clip.left && x <= clip.right);
    const hits = corners.map(([x, y]) => {
      const hit = document.elementFromPoint(x, y);
      return !!hit && (hit === button || button.contains(hit));
    });
    out.headers.push({column: th.className, width: r.width, hits});
  }
  for (const e of col.querySelectorAll(".fm-papers *")) e.scrollLeft = 0;
  window.scrollTo({top: 0, left: 0, behavior: "instant"});
  await frames();
  for (const bar of col.querySelectorAll(".fm-papers-controls")) {
    const r = bar.getBoundingClientRect();
    const before = bar.previousElementSibling || bar.parentElement.previousElementSibling;
    const after = bar.nextElementSibling;
    const fields = [...bar.querySelectorAll(".fm-papers-field")].map(f => {
      const label = f.querySelector("label").getBoundingClientRect();
      const select = f.querySelector("select").getBoundingClientRect();
      return {sameLine: Math.abs((label.top + label.bottom) / 2 - (select.top + select.bottom) / 2) <= 4,
              labelFirst: label.right <= select.left + 1};
    });
    out.bars.push({
      before: before ? r.top - before.getBoundingClientRect().bottom : null,
      after: after ? after.getBoundingClientRect().top - r.bottom : null,
      afterClass: after ? after.className : null,
      facets: bar.querySelectorAll("select").length, fields});
  }
  return out;
}
"""


def within(inner: dict[str, float], outer: dict[str, float]) -> bool:
    return inner["left"] >= outer["left"] - EPS and inner["right"] <= outer["right"] + EPS


def column_width(data: dict[str, Any]) -> float:
    return float(data["column"]["right"] - data["column"]["left"])


def page_problems(data: dict[str, Any], reference: dict[str, float] | None) -> list[str]:
    """The page does not scroll sideways; its column is the one of a page without blocks;
    every box of every block lies in the column, or in a scroll box that does."""
    problems = []
    page, column = data["page"], data["column"]
    if page["scrollWidth"] > page["innerWidth"]:
        problems.append(f"the page scrolls sideways: {page['scrollWidth']} px wide")
    if reference is not None and not (
        abs(column["left"] - reference["left"]) <= EPS
        and abs(column["right"] - reference["right"]) <= EPS
    ):
        problems.append(f"the column {column} is not the one of a page without blocks {reference}")
    if column["left"] < -EPS or column["right"] > page["innerWidth"] + EPS:
        problems.append(f"the column {column} leaves the window")
    if not data["blocks"]:
        problems.append("no fm-papers block")
    for block in data["blocks"]:
        if not within(block["rect"], column):
            problems.append(f"a block leaves the column {column}: {block['rect']}")
        for escape in block["escapes"][:5]:
            problems.append(f"leaves the column {column}: {escape}")
    return problems


#: The pages measured, with what they show: wide.html (reST) a five-column table, a
#: ten-column one and statistics; cards.html (reST) cards; myst.html a table, cards and
#: statistics written in MyST. plain.html, without any block, gives the reference column.
PAGES = ("wide.html", "cards.html", "myst.html")
_MEASURED: dict[tuple[str, str, int], dict[str, Any]] = {}


@pytest.fixture
def layout(
    sites: dict[str, Path], new_page: Callable[..., Any], server: str, out_dir: Path
) -> Callable[[str, str, int], dict[str, Any]]:
    """``layout(theme, scheme, width)`` → the measurements of every page, each page loaded
    once per theme x scheme x width (the tests of tables and of cards share them); the
    screenshots are taken on the way."""

    def measured(theme: str, scheme: str, width: int) -> dict[str, Any]:
        key = (theme, scheme, width)
        if key not in _MEASURED:
            _MEASURED[key] = _measure_site(theme, scheme, width)
        return _MEASURED[key]

    def _measure_site(theme: str, scheme: str, width: int) -> dict[str, Any]:
        site = sites[theme]
        shots = out_dir / "screenshots"
        shots.mkdir(exist_ok=True)
        wrapper = new_page(color_scheme=scheme, viewport={"width": width, "height": 900})
        page = wrapper.page
        out: dict[str, Any] = {}
        try:
            for name in ("plain.html", *PAGES):
                page.goto(f"{server}/{(site / name).relative_to(out_dir).as_posix()}")
                data = page.evaluate(MEASURE, COLUMN[theme])
                assert data["column"] is not None, f"{theme}: no text column {COLUMN[theme]!r}"
                if name in ("wide.html", "myst.html"):
                    data.update(page.evaluate(CUES, COLUMN[theme]))
                out[name] = data
                stem = f"{theme}-{scheme}-{width}"
                if name == "myst.html":
                    page.screenshot(path=str(shots / f"{stem}.png"), full_page=True)
                elif name == "wide.html":
                    page.screenshot(path=str(shots / f"{stem}-wide.png"), full_page=True)
        finally:
            wrapper.context.close()
        out["errors"] = wrapper.errors
        return out

    return measured


CASES = [
    pytest.param(theme, scheme, width, id=f"{theme}-{scheme}-{width}")
    for theme in THEMES
    for scheme in SCHEMES
    for width in WIDTHS
]
Layout = Callable[[str, str, int], dict[str, Any]]


def _problems(
    measured: dict[str, Any],
    names: tuple[str, ...],
    check: Callable[[str, dict[str, Any]], list[str]],
) -> list[str]:
    """Each named page's problems, prefixed by its name: the page's own (against the column of
    the plain page), then what ``check(name, page)`` finds."""
    reference = measured["plain.html"]["column"]
    problems = []
    for name in names:
        data = measured[name]
        found = page_problems(data, reference) + check(name, data)
        problems += [f"{name}: {problem}" for problem in found]
    return problems


def table_problems(name: str, data: dict[str, Any], width: int) -> list[str]:
    """Tables inside the column or a scroll box that fits it, titles wrapping, five columns
    fitting a desktop column, ten scrolling on a phone, one box per table."""
    found = []
    tables = [t for b in data["blocks"] for t in b["tables"]]
    boxes = [s for b in data["blocks"] for s in b["scrolls"]]
    if len(tables) < 2:
        found.append(f"{len(tables)} tables, expected at least 2")
    for table in tables:
        # Inside the column, or inside a scroll box inside it.
        if not within(table["rect"], data["column"]) and not (
            table["box"] is not None and within(table["box"], data["column"])
        ):
            found.append(f"a table leaves the column: {table}")
        if table["titleWhiteSpace"] in ("nowrap", "pre"):
            found.append(f"titles do not wrap: white-space {table['titleWhiteSpace']}")
    for box in boxes:
        # It scrolls only as far as its table reaches: no stray scroll bar.
        overflow = max(0.0, box["table"] - box["clientWidth"])
        if box["scrollWidth"] - box["clientWidth"] > overflow + EPS:
            found.append(f"a scroll box scrolls past its table: {box}")
    # The first table of each page has five columns: on a desktop it fits the column,
    # nothing to scroll, its cells wrapping.
    if width >= 1000 and tables:
        first = tables[0]
        if first["rect"]["width"] > column_width(data) + EPS:
            found.append(f"a five-column table is wider than the column: {first['rect']}")
        elif first["scrollWidth"] > first["clientWidth"] + EPS:
            found.append(f"a five-column table scrolls: {first}")
    if name == "wide.html" and width < 1000 and len(tables) > 1:
        # Ten columns on a phone: wider than the column, so a box scrolls (the checks
        # above: the page does not). sphinx-immaterial makes the table itself scroll.
        wide = tables[1]
        if max(wide["rect"]["width"], wide["scrollWidth"]) <= column_width(data) + EPS:
            found.append("the wide table is not wider than the column: nothing scrolls")
    if len(boxes) != len(tables):
        found.append(f"{len(tables)} tables in {len(boxes)} .fm-papers-scroll boxes")
    return found


@pytest.mark.parametrize(("theme", "scheme", "width"), CASES)
def test_tables_fit_the_column_or_scroll_in_their_box(
    theme: str, scheme: str, width: int, layout: Layout
) -> None:
    measured = layout(theme, scheme, width)
    assert measured["errors"] == [], f"console errors: {measured['errors']}"
    problems = _problems(
        measured, ("wide.html", "myst.html"), lambda name, data: table_problems(name, data, width)
    )
    assert problems == [], f"{theme} {scheme} {width}px:\n" + "\n".join(problems)


#: The themes whose seven-column tables are measured (issue 24: sphinx-book-theme's 688 px
#: column cut the Notes column, with no sign of it, and squeezed titles to 125-165 px).
NARROW_THEMES = ("sphinx_book_theme", "pydata_sphinx_theme", "furo", "sphinx_rtd_theme")
NARROW_CASES = [case for case in CASES if case.values[0] in NARROW_THEMES]


def cue_problems(cue: dict[str, Any]) -> list[str]:
    """A table that scrolls fades out at the edge where more is hidden (the right at the start,
    the left at the end); one that does not has no fade."""
    if not cue["scrolls"]:
        faded = [box for box in cue["still"] if box["left"] or box["right"]]
        return [f"a table that does not scroll has a fade: {faded}"] if faded else []
    found = []
    start, end = cue["start"], cue["end"]
    if cue["range"] <= 0:
        found.append(f"a scroll box that does not scroll: {cue}")
    if "gradient" not in start["mask"]:
        found.append(f"a scroll box without its fade: mask {start['mask']!r}")
    if not (start["right"] > 0 and start["left"] == 0):
        found.append(f"at the start, no fade at the right edge only: {start}")
    if not (end["left"] > 0 and end["right"] == 0):
        found.append(f"at the end, no fade at the left edge only: {end}")
    return found


def seven_column_problems(data: dict[str, Any]) -> list[str]:
    """The seven-column table fits the column or shows its scroll, and its title column is the
    widest; every other table shows its scroll exactly when it scrolls."""
    tables = [t for b in data["blocks"] for t in b["tables"]]
    cues = data["cues"]
    if len(cues) != len(tables):
        return [f"{len(cues)} cues for {len(tables)} tables"]
    found = [problem for cue in cues for problem in cue_problems(cue)]
    seven = [(t, c) for t, c in zip(tables, cues, strict=True) if len(t["columns"]) == 7]
    if len(seven) != 1:
        return [*found, f"{len(seven)} seven-column tables, expected 1"]
    table, cue = seven[0]
    columns = dict(table["columns"])
    title = columns.pop("title", 0.0)
    widest = max(columns, key=lambda name: float(columns[name]))
    if title <= columns[widest] + EPS:
        found.append(f"the title column ({title:.0f} px) is not the widest: {widest} {columns}")
    fits = table["rect"]["width"] <= column_width(data) + EPS
    if not fits and not cue["scrolls"]:
        found.append(f"wider than the column and nothing scrolls: {table['rect']}")
    return found


def _on_wide_pages(
    measured: dict[str, Any], *checks: Callable[[dict[str, Any]], list[str]]
) -> list[str]:
    """The problems ``checks`` find on the pages with a seven-column table (reST and MyST),
    each named by its page."""
    return [
        f"{name}: {problem}"
        for name in ("wide.html", "myst.html")
        for check in checks
        for problem in check(measured[name])
    ]


@pytest.mark.parametrize(("theme", "scheme", "width"), NARROW_CASES)
def test_seven_columns_fit_or_show_their_scroll_the_title_widest(
    theme: str, scheme: str, width: int, layout: Layout
) -> None:
    # What the pages must be besides (nothing leaves the column) the test above checks.
    problems = _on_wide_pages(layout(theme, scheme, width), seven_column_problems)
    assert problems == [], f"{theme} {scheme} {width}px:\n" + "\n".join(problems)


def header_problems(data: dict[str, Any]) -> list[str]:
    """A click anywhere in a sortable header cell (each corner, where its box shows it) sorts."""
    headers = data["headers"]
    found = [] if len(headers) >= 10 else [f"{len(headers)} sortable headers, expected 10 or more"]
    for header in headers:
        if not header["hits"] or not all(header["hits"]):
            found.append(f"a corner of a header cell does not reach its sort button: {header}")
    return found


def bar_problems(data: dict[str, Any]) -> list[str]:
    """A filter bar is closer to its block's table than to the text before it, and each facet's
    label stays on the line of its select, before it."""
    bars = data["bars"]
    found = [] if bars else ["no filter bar"]
    for bar in bars:
        if bar["after"] is None or bar["before"] is None:
            found.append(f"a filter bar without a table after it or text before: {bar}")
            continue
        if not bar["after"] < bar["before"]:
            found.append(f"a filter bar nearer the text before it than its table: {bar}")
        if len(bar["fields"]) != bar["facets"]:
            found.append(f"{bar['facets']} facets in {len(bar['fields'])} label-select units")
        for field in bar["fields"]:
            if not (field["sameLine"] and field["labelFirst"]):
                found.append(f"a facet's label parted from its select: {field}")
    return found


@pytest.mark.parametrize(("theme", "scheme", "width"), CASES)
def test_headers_sort_from_anywhere_and_filter_bars_hold_together(
    theme: str, scheme: str, width: int, layout: Layout
) -> None:
    problems = _on_wide_pages(layout(theme, scheme, width), header_problems, bar_problems)
    assert problems == [], f"{theme} {scheme} {width}px:\n" + "\n".join(problems)


def _overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return (
        min(a["right"], b["right"]) - max(a["left"], b["left"]) > EPS
        and min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) > EPS
    )


def grids_problems(data: dict[str, Any], width: int) -> list[str]:
    """Every card grid of a page: at least one, each as :func:`card_problems` checks it."""
    grids = [g for b in data["blocks"] for g in b["grids"]]
    found = [] if grids else ["no cards"]
    for grid in grids:
        found += card_problems(grid, data["column"], desktop=width >= 1000)
    return found


@pytest.mark.parametrize(("theme", "scheme", "width"), CASES)
def test_cards_keep_their_gutters_and_padding(
    theme: str, scheme: str, width: int, layout: Layout
) -> None:
    measured = layout(theme, scheme, width)
    problems = _problems(
        measured, ("cards.html", "myst.html"), lambda _, data: grids_problems(data, width)
    )
    assert problems == [], f"{theme} {scheme} {width}px:\n" + "\n".join(problems[:30])


def card_problems(grid: dict[str, Any], column: dict[str, float], desktop: bool) -> list[str]:
    """Cards inside their grid and the column, apart, padded, their text off the border."""
    found = []
    cards = grid["cards"]
    if len(cards) < 4:
        found.append(f"{len(cards)} cards: too few to check a grid")
    if not within(grid["rect"], column):
        found.append(f"the grid leaves the column {column}: {grid['rect']}")
    side_by_side = 0
    for card in cards:
        rect, name = card["rect"], card["id"]
        if not within(rect, column):
            found.append(f"{name} leaves the column {column}: {rect}")
        if not within(rect, grid["rect"]):
            found.append(f"{name} leaves its grid {grid['rect']}: {rect}")
        if min(card["padding"]) < GAP:
            found.append(f"{name}: padding {card['padding']}")
        text, border = card["text"], card["border"]
        inset = {
            "left": text["left"] - border["left"],
            "top": text["top"] - border["top"],
            "right": border["right"] - text["right"],
            "bottom": border["bottom"] - text["bottom"],
        }
        touching = {edge: round(gap, 1) for edge, gap in inset.items() if gap < GAP}
        if touching:
            found.append(f"{name}: text touches the border: {touching}")
        others = [c for c in cards if c is not card]
        overlapping = [c["id"] for c in others if _overlap(rect, c["rect"])]
        if overlapping:
            found.append(f"{name} overlaps {overlapping}")
        # The nearest neighbour to the right in the same row, and below in its column.
        right = [
            c["rect"]["left"] - rect["right"]
            for c in others
            if abs(c["rect"]["top"] - rect["top"]) <= EPS and c["rect"]["left"] >= rect["left"]
        ]
        below = [
            c["rect"]["top"] - rect["bottom"]
            for c in others
            if c["rect"]["top"] > rect["top"] + EPS
            and min(c["rect"]["right"], rect["right"]) > max(c["rect"]["left"], rect["left"])
        ]
        if right:
            side_by_side += 1
            if min(right) < GAP:
                found.append(f"{name}: {min(right):.1f} px to the next card on its right")
        if below and min(below) < GAP:
            found.append(f"{name}: {min(below):.1f} px to the next card below")
    if desktop and not side_by_side:
        found.append("a desktop shows one card per row")
    return found


@pytest.mark.parametrize("theme", THEMES)
def test_a_keyboard_can_scroll_every_box_on_a_phone(
    theme: str, sites: dict[str, Path], open_page: OpenPage
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page = open_page(sites[theme] / "wide.html", viewport={"width": 390, "height": 900})
    options = {
        "runOnly": {"type": "rule", "values": ["scrollable-region-focusable"]},
        "resultTypes": ["violations"],
        "preload": False,
    }
    results = Axe().run(page, context=".fm-papers", options=options)
    assert results.response["violations"] == [], results.generate_report()


def test_a_small_table_sorts_without_a_filter_bar(
    sites: dict[str, Path], open_page: OpenPage
) -> None:
    import fm_papers

    papers = fm_papers.load().query(section="pathology-fm")
    assert 0 < len(papers) < 10, "the table of small.html must stay under the threshold"
    page = open_page(sites["alabaster"] / "small.html")
    small = page.locator(".fm-papers.fm-papers-no-filters")
    assert small.count() == 1
    assert page.locator(".fm-papers-controls").count() == 0
    title = small.locator("thead th.fm-col-title")
    assert title.get_attribute("aria-sort") == "none"
    title.scroll_into_view_if_needed()
    box = title.bounding_box()
    # A click at the far end of the cell, away from its label, sorts.
    page.mouse.click(box["x"] + box["width"] - 3, box["y"] + box["height"] / 2)
    assert title.get_attribute("aria-sort") == "ascending"
    ids = small.locator(".fm-papers-item").evaluate_all("rows => rows.map(r => r.id)")
    expected = sorted(papers, key=lambda p: p.title.lower())
    assert ids == [f"fm-paper-{p.id}" for p in expected]
