"""``fm-papers-stats`` counts so that its table and its chart agree, and says how.

A paper in several series (domains or sections) is counted in each of their columns, once in
"In several …" and once in Total; the chart stacks disjoint groups, so a bar is as long as its
year's Total and labelled with it. Every figure here comes from a small overlay, so the
expectations are exact and do not move with the shipped data.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
from docutils import nodes
from sphinx.testing.util import SphinxTestApp

import fm_papers
from fm_papers.query import Query
from fm_papers.sphinxext.stats import Counts, count, svg_chart

#: Two domains; alpha's first top section has two children. p-three is in both domains,
#: p-five in both children of a-models, p-seven sits on a-models itself, p-six has no year.
OVERLAY = """\
domains:
  - key: alpha
    title: Alpha
    sections:
      - key: a-models
        title: Alpha models
        sections:
          - key: a-vision
            title: Alpha vision
          - key: a-text
            title: Alpha text
      - key: a-surveys
        title: Alpha surveys
  - key: beta
    title: Beta
    sections:
      - key: b-models
        title: Beta models
papers:
  - id: p-one
    title: Paper one
    year: 2024
    links: [{kind: paper, url: "https://example.org/1"}]
    memberships: [{domain: alpha, section: a-vision}]
  - id: p-two
    title: Paper two
    year: 2025
    links: [{kind: paper, url: "https://example.org/2"}]
    memberships: [{domain: alpha, section: a-vision}]
  - id: p-three
    title: Paper three
    year: 2025
    links: [{kind: paper, url: "https://example.org/3"}]
    memberships:
      - {domain: alpha, section: a-text}
      - {domain: beta, section: b-models}
  - id: p-four
    title: Paper four
    year: 2025
    links: [{kind: paper, url: "https://example.org/4"}]
    memberships: [{domain: beta, section: b-models}]
  - id: p-five
    title: Paper five
    year: 2025
    links: [{kind: paper, url: "https://example.org/5"}]
    memberships:
      - {domain: alpha, section: a-vision}
      - {domain: alpha, section: a-text}
  - id: p-six
    title: Paper six
    links: [{kind: paper, url: "https://example.org/6"}]
    memberships: [{domain: alpha, section: a-surveys}]
  - id: p-seven
    title: Paper seven
    year: 2024
    links: [{kind: paper, url: "https://example.org/7"}]
    memberships: [{domain: alpha, section: a-models}]
"""
CONF = (
    'extensions = ["fm_papers.sphinxext"]\n'
    'fm_papers_extra_files = ["overlay.yaml"]\n'
    "fm_papers_include_builtin = False\n"
)
BY_DOMAIN = "Stats\n=====\n\n.. fm-papers-stats::\n   :by: domain\n   :caption: Per domain\n"
BY_SECTION = (
    "Stats\n=====\n\n.. fm-papers-stats::\n   :by: section\n   :section: a-models\n"
    "   :caption: Per section\n"
)
ALPHA_ONLY = "Stats\n=====\n\n.. fm-papers-stats::\n   :domain: alpha\n"

DOMAIN_NOTE = (
    "A paper in several domains is counted in each of their columns and once in Total; "
    "1 paper is in more than one domain."
)
SECTION_NOTE = (
    "A paper in several sections is counted in each of their columns and once in Total; "
    "1 paper is in more than one section. "
    "1 paper is in none of these sections and counted under Other."
)


Build = Callable[..., tuple[SphinxTestApp, str]]


def _site(build: Build, page: str, buildername: str = "html") -> SphinxTestApp:
    app, warnings = build(
        {"conf.py": CONF, "overlay.yaml": OVERLAY, "index.rst": page}, buildername
    )
    assert warnings == ""
    return app


def _counts(tmp_path: Path, **filters: str) -> Counts:
    path = tmp_path / "overlay.yaml"
    path.write_text(OVERLAY, encoding="utf-8")
    catalogue = fm_papers.load([path], include_builtin=False)
    by = filters.pop("by", "domain")
    query = Query.parse(filters)
    return count(query.run(catalogue), by, query, catalogue.taxonomy)


def _cells(html: str) -> list[list[str]]:
    """The stats table's rows (header first) as lists of cell texts."""
    table = html[html.index("fm-papers-stats-table") : html.index("</table>")]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.DOTALL)
    return [re.findall(r"<p>(.*?)</p>", row, re.DOTALL) for row in rows]


def _bars(html: str) -> tuple[dict[str, list[tuple[str, int]]], dict[str, int], list[str]]:
    """Per year label: its segments as (tooltip, value); its printed total; the legend."""
    # Our own build's output, not untrusted input.
    svg = ET.fromstring(html[html.index("<svg") : html.index("</svg>") + 6])  # noqa: S314
    ns = "{http://www.w3.org/2000/svg}"
    texts = [
        (float(t.get("y", "0")), float(t.get("x", "0")), t.text or "")
        for t in svg.iter(f"{ns}text")
    ]
    years = {y: text for y, x, text in texts if x == 0}
    segments: dict[str, list[tuple[str, int]]] = {year: [] for year in years.values()}
    widths: dict[str, float] = dict.fromkeys(years.values(), 0.0)
    legend = []
    for rect in svg.iter(f"{ns}rect"):
        title = rect.find(f"{ns}title")
        if title is None:
            legend.append(rect.get("class", ""))
            continue
        tooltip = title.text or ""
        name, value = tooltip.rsplit(": ", 1)
        year = name.rsplit(", ", 1)[1]
        segments[year].append((name.rsplit(", ", 1)[0], int(value)))
        widths[year] += float(rect.get("width", "0"))
        assert rect.get("class", "").startswith("fm-series-")
    labels = {years[y]: int(text) for y, x, text in texts if x > 0 and y in years}
    # Bar lengths are proportional to the totals: the widest bar is the biggest total.
    biggest = max(labels.values())
    for year, width in widths.items():
        assert width == pytest.approx(420 * labels[year] / biggest, abs=0.2)
    legend_texts = [text for y, x, text in texts if y not in years]
    return segments, labels, legend_texts


# count ------------------------------------------------------------------------------------


def test_count_by_domain(tmp_path: Path, fresh_cache: None) -> None:
    counts = _counts(tmp_path)
    assert counts.series == ("alpha", "beta")
    assert counts.years == (2024, 2025, None)
    assert counts.cells == {
        (2024, "alpha"): 2,
        (2025, "alpha"): 3,
        (2025, "beta"): 2,
        (None, "alpha"): 1,
    }
    assert counts.only == {
        (2024, "alpha"): 2,
        (2025, "alpha"): 2,
        (2025, "beta"): 1,
        (None, "alpha"): 1,
    }
    assert counts.several == {2025: 1}
    assert counts.other == {}
    assert counts.totals == {2024: 2, 2025: 4, None: 1}
    assert (counts.overlap, counts.outside) == (1, 0)


def test_count_by_the_children_of_one_section(tmp_path: Path, fresh_cache: None) -> None:
    counts = _counts(tmp_path, by="section", section="a-models")
    assert counts.series == ("a-vision", "a-text")
    assert counts.cells == {
        (2024, "a-vision"): 1,
        (2025, "a-vision"): 2,
        (2025, "a-text"): 2,
    }
    assert counts.several == {2025: 1}
    # p-seven is listed on a-models itself, in none of its children.
    assert counts.other == {2024: 1}
    assert counts.totals == {2024: 2, 2025: 3}


def test_count_by_top_sections(tmp_path: Path, fresh_cache: None) -> None:
    counts = _counts(tmp_path, by="section")
    assert counts.series == ("a-models", "a-surveys", "b-models")
    # p-five is in two children of one top section: one series, not several.
    assert counts.several == {2025: 1}
    assert counts.only[(2025, "a-models")] == 2


@pytest.mark.parametrize(
    "filters", [{}, {"by": "section"}, {"by": "section", "section": "a-models"}, {"domain": "beta"}]
)
def test_groups_add_up_to_the_total(
    tmp_path: Path, fresh_cache: None, filters: dict[str, str]
) -> None:
    counts = _counts(tmp_path, **filters)
    for year in counts.years:
        groups = sum(counts.only.get((year, key), 0) for key in counts.series)
        groups += counts.several.get(year, 0) + counts.other.get(year, 0)
        assert groups == counts.totals[year]


def test_no_note_when_every_paper_is_in_one_series(tmp_path: Path, fresh_cache: None) -> None:
    from fm_papers.sphinxext.stats import stats_note

    counts = _counts(tmp_path, domain="alpha")
    assert counts.series == ("alpha",)
    assert (counts.overlap, counts.outside) == (0, 0)
    assert stats_note(counts) is None
    assert "several" not in svg_chart(counts) and " only" not in svg_chart(counts)


def test_note_says_papers_in_the_plural(tmp_path: Path, fresh_cache: None) -> None:
    from fm_papers.sphinxext.stats import stats_note

    counts = _counts(tmp_path)
    two = Counts(**{**counts.__dict__, "several": {2024: 1, 2025: 1}})
    note = stats_note(two)
    assert note is not None
    assert note.astext().endswith("; 2 papers are in more than one domain.")


@pytest.mark.parametrize(
    "title",
    ["Adaptation of Foundation Models", "计算病理学基础模型的自适应与微调方法综述", "x" * 120],
)
def test_no_legend_runs_out_of_the_chart(tmp_path: Path, fresh_cache: None, title: str) -> None:
    counts = _counts(tmp_path)
    long = Counts(**{**counts.__dict__, "titles": tuple(f"{title} {n}" for n in counts.series)})
    svg = svg_chart(long)
    width = int(re.search(r'width="(\d+)"', svg)[1])  # type: ignore[index]
    legends = re.findall(r'<text x="(\d+)" y="\d+">(?:<title>([^<]*)</title>)?([^<]*)</text>', svg)
    # Not the years (at x=0) nor the bars' totals (numbers): the legends.
    legends = [(int(x), w, shown) for x, w, shown in legends if x != "0" and not shown.isdigit()]
    assert len(legends) == len(counts.series) + bool(counts.overlap) + bool(counts.outside)
    for x, whole, shown in legends:
        wide = sum(14 if ord(c) >= 0x2E80 else 7.5 for c in shown)
        assert x + wide <= width, (x, shown)
        # A legend cut to fit says all of itself in its tooltip; one not cut has none.
        if shown.endswith("…"):
            assert whole.startswith(shown[:-1]) and len(whole) > len(shown), shown
        else:
            assert whole == ""
    assert any(title[:10] in shown for _, _, shown in legends)


# Sphinx builds ----------------------------------------------------------------------------


def test_table_and_chart_agree_by_domain(build: Build, fresh_cache: None) -> None:
    app = _site(build, BY_DOMAIN)
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    assert _cells(html) == [
        ["Year", "Alpha", "Beta", "In several domains", "Total"],
        ["2024", "2", "0", "0", "2"],
        ["2025", "3", "2", "1", "4"],
        ["unknown", "1", "0", "0", "1"],
        ["Total", "6", "2", "1", "7"],
    ]
    assert f'<p class="fm-papers-stats-note">{DOMAIN_NOTE}</p>' in html
    # The note is right under the table, before the chart.
    assert html.index("</table>") < html.index("fm-papers-stats-note") < html.index("<svg")
    segments, labels, legend = _bars(html)
    assert segments == {
        "2024": [("Alpha only", 2)],
        "2025": [("Alpha only", 2), ("Beta only", 1), ("in several domains", 1)],
        # The papers without a year have their bar, as they have their row in the table.
        "unknown": [("Alpha only", 1)],
    }
    assert labels == {"2024": 2, "2025": 4, "unknown": 1}
    assert {year: sum(v for _, v in segs) for year, segs in segments.items()} == labels
    assert legend == ["Alpha only", "Beta only", "in several domains"]
    assert 'class="fm-series-several" fill=' in html


def test_table_and_chart_agree_by_section(build: Build, fresh_cache: None) -> None:
    app = _site(build, BY_SECTION)
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    assert _cells(html) == [
        ["Year", "Alpha vision", "Alpha text", "In several sections", "Other", "Total"],
        ["2024", "1", "0", "0", "1", "2"],
        ["2025", "2", "2", "1", "0", "3"],
        ["Total", "3", "2", "1", "1", "5"],
    ]
    assert f'<p class="fm-papers-stats-note">{SECTION_NOTE}</p>' in html
    segments, labels, legend = _bars(html)
    assert segments == {
        "2024": [("Alpha vision only", 1), ("other (in none of these sections)", 1)],
        "2025": [("Alpha vision only", 1), ("Alpha text only", 1), ("in several sections", 1)],
    }
    assert labels == {"2024": 2, "2025": 3}
    assert legend == ["Alpha vision only", "Alpha text only", "in several sections", "other"]


def test_no_overlap_no_extra_column_nor_note(build: Build, fresh_cache: None) -> None:
    app = _site(build, ALPHA_ONLY)
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    assert _cells(html) == [
        ["Year", "Alpha", "Total"],
        ["2024", "2", "2"],
        ["2025", "3", "3"],
        ["unknown", "1", "1"],
        ["Total", "6", "6"],
    ]
    assert "fm-papers-stats-note" not in html
    segments, labels, legend = _bars(html)
    assert segments == {"2024": [("Alpha", 2)], "2025": [("Alpha", 3)], "unknown": [("Alpha", 1)]}
    assert labels == {"2024": 2, "2025": 3, "unknown": 1}
    assert legend == ["Alpha"]


def test_text_builder_reads_cleanly(build: Build, fresh_cache: None) -> None:
    app = _site(build, BY_DOMAIN, "text")
    text = (app.outdir / "index.txt").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.startswith("|") and "===" not in line]
    rows = [[cell.strip() for cell in line.strip("|").split("|")] for line in lines]
    assert rows == [
        ["Year", "Alpha", "Beta", "In several domains", "Total"],
        ["2024", "2", "0", "0", "2"],
        ["2025", "3", "2", "1", "4"],
        ["unknown", "1", "0", "0", "1"],
        ["Total", "6", "2", "1", "7"],
    ]
    # The note is one plain paragraph (wrapped by the writer), and no SVG leaks into text.
    assert DOMAIN_NOTE in " ".join(text.split())
    assert "<svg" not in text and "fm-series" not in text


# mistakes ---------------------------------------------------------------------------------

#: OVERLAY and one paper with code, in beta only.
WITH_CODE = (
    OVERLAY
    + """\
  - id: p-code
    title: Paper with code
    year: 2024
    links:
      - {kind: paper, url: "https://example.org/8"}
      - {kind: code, url: "https://example.org/8-code"}
    memberships: [{domain: beta, section: b-models}]
"""
)


def _stats_build(build: Build, page: str) -> tuple[str, str, list[nodes.container]]:
    """Build ``page`` over WITH_CODE; return the HTML, the warnings and the stats blocks."""
    app, warnings = build(
        {"conf.py": CONF, "overlay.yaml": WITH_CODE, "index.rst": "Stats\n=====\n\n" + page}
    )
    doctree = app.env.get_doctree("index")
    blocks = [n for n in doctree.findall(nodes.container) if "fm-papers-stats" in n["classes"]]
    return (app.outdir / "index.html").read_text(encoding="utf-8"), warnings, blocks


#: The filters that select (sort and limit would not change a count), then the stats options:
#: the first twelve a message lists.
STATS_OPTIONS = (
    "domain, section, kind, year, venue, venue-kind, model, author, has-code, search, ids, "
    "exclude (and 5 more)"
)


@pytest.mark.parametrize(
    ("option", "warning"),
    [
        (
            ":section: a-modles",
            (
                "the table is left out: :section: unknown section 'a-modles'; did you mean "
                "'a-models'? [fm_papers.query]"
            ),
        ),
        (
            ":ids: p-one, p-sevn",
            (
                "the table is left out: :ids: unknown paper id 'p-sevn'; did you mean 'p-seven' "
                "(Paper seven, 2024)? [fm_papers.id]"
            ),
        ),
        (
            ":year: 20x4",
            (
                "the table is left out: :year: cannot read year '20x4'; write 2024, 2023-2025, "
                "2024- (from 2024) or -2022 (until 2022) [fm_papers.query]"
            ),
        ),
        # A misspelt option leaves the block out too, rather than counting a wider selection.
        (
            ":domian: beta",
            (
                "the directive is left out: unknown option :domian:; did you mean 'domain'? "
                "[fm_papers.option]"
            ),
        ),
        (
            ":colour: red",
            (
                "the directive is left out: unknown option :colour:; valid values: "
                f"{STATS_OPTIONS} [fm_papers.option]"
            ),
        ),
    ],
)
def test_a_bad_filter_is_one_located_warning_and_no_table(
    build: Build, fresh_cache: None, option: str, warning: str
) -> None:
    page = f"Before.\n\n.. fm-papers-stats::\n   :caption: Counted\n   {option}\n\nAfter.\n"
    html, warnings, blocks = _stats_build(build, page)
    assert warnings.splitlines() == [f"SRC/index.rst:6: WARNING: fm-papers-stats: {warning}"]
    assert blocks == []
    assert "fm-papers-stats" not in html and "<svg" not in html and "Counted" not in html
    # The rest of the page is there.
    assert "<p>Before.</p>" in html and "<p>After.</p>" in html


def test_has_code_without_a_value_means_yes(build: Build, fresh_cache: None) -> None:
    tables = {}
    for value in ("", " yes", " no"):
        html, warnings, blocks = _stats_build(
            build, f".. fm-papers-stats::\n   :has-code:{value}\n"
        )
        assert (warnings, len(blocks)) == ("", 1)
        tables[value] = _cells(html)
    # Only p-code links to code: one beta paper of 2024.
    assert (
        tables[""]
        == tables[" yes"]
        == [
            ["Year", "Alpha", "Beta", "Total"],
            ["2024", "0", "1", "1"],
            ["Total", "0", "1", "1"],
        ]
    )
    assert tables[" no"] == [
        ["Year", "Alpha", "Beta", "In several domains", "Total"],
        ["2024", "2", "0", "0", "2"],
        ["2025", "3", "2", "1", "4"],
        ["unknown", "1", "0", "0", "1"],
        ["Total", "6", "2", "1", "7"],
    ]
