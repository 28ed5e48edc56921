"""The ``fm-papers-stats`` directive: papers per year by domain or by section.

Every builder gets a table (years down, series across, totals) and, when a paper is in more
than one series, a sentence saying how it is counted; HTML builders also get a stacked bar
chart, an inline SVG written here from counts and escaped keys: no network, no plotting
library. Other writers skip the ``raw`` HTML node.

The counting rule, shared by table and chart: a series column counts every selected paper in
that series, so a paper in two series appears in both columns; "In several …" counts those
papers, and Total counts each paper once. A bar stacks disjoint groups (each series' papers in
it alone, the papers in several series, the papers in none) so its length is the Total.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from docutils import nodes

from fm_papers.filters import FILTER_SPECS
from fm_papers.query import Query

from .directive import FmPapersDirective, option_spec
from .labels import Labels

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from fm_papers.records import PaperLike
    from fm_papers.taxonomy import Taxonomy

__all__ = ["STATS_OPTIONS", "Counts", "FmPapersStatsDirective", "count", "setup_stats"]

BY: tuple[str, ...] = ("domain", "section")
#: The options of ``fm-papers-stats`` besides the filters, with what each one does.
STATS_OPTIONS: dict[str, str] = {
    "by": "What the series are: domain (default) or section (the top sections of the "
    "selection, or the children of a single :section:). A paper in several series is "
    "counted in each of their columns and once in Total.",
    "chart": "yes (default) or no: the stacked bar chart in HTML, one bar per year as long as "
    "its Total.",
    "caption": "The table's caption.",
    "name": "A label for :ref: and :numref:.",
    "class": "Extra classes for the wrapper.",
}
#: Fill colours of the two segments the stylesheet has no series colour for. Presentation
#: attributes, so any CSS rule for their classes still wins.
SEVERAL_FILL = "#bab0ac"
OTHER_FILL = "#ff9da7"

Year = int | None


def setup_stats(app: Sphinx) -> None:
    """Register the ``fm-papers-stats`` directive."""
    app.add_directive("fm-papers-stats", FmPapersStatsDirective)


@dataclass(frozen=True)
class Counts:
    """Papers per year (rows) and series (columns); ``None`` is the unknown year.

    For every year, ``totals`` (distinct papers) is the sum of the disjoint groups:
    ``only`` of each series, ``several`` and ``other``.
    """

    #: ``"domain"`` or ``"section"``: what a series is.
    by: str
    series: tuple[str, ...]
    years: tuple[Year, ...]
    #: Papers of a year in a series, whatever other series they are in too.
    cells: dict[tuple[Year, str], int]
    #: Papers of a year in that series and in no other.
    only: dict[tuple[Year, str], int]
    #: Papers of a year in more than one series.
    several: dict[Year, int]
    #: Papers of a year in none of the series (listed on a parent section itself).
    other: dict[Year, int]
    #: Papers of a year, each once.
    totals: dict[Year, int]
    #: Each series' title (a domain's or section's), in the order of ``series``.
    titles: tuple[str, ...] = ()

    def title(self, index: int) -> str:
        """The title of series ``index`` (its key when no title is known)."""
        return self.titles[index] if index < len(self.titles) else self.series[index]

    def __getitem__(self, key: tuple[Year, str]) -> int:
        return self.cells.get(key, 0)

    @property
    def overlap(self) -> int:
        """How many papers are in more than one series."""
        return sum(self.several.values())

    @property
    def outside(self) -> int:
        """How many papers are in none of the series."""
        return sum(self.other.values())


def _series(by: str, query: Query, taxonomy: Taxonomy) -> dict[str, frozenset[str]]:
    """Each series key with the section keys it counts (empty for a domain)."""
    if by == "domain":
        domains = [taxonomy.domain(d).key for d in query.domain] or taxonomy.domain_keys()
        return {key: frozenset() for key in domains}
    if len(query.section) == 1:
        node = taxonomy.node(query.section[0])
        children = [child.key for child in node.section.sections] or [node.key]
        return {key: taxonomy.node(key).subtree for key in children}
    wanted = {taxonomy.domain(d).key for d in query.domain}
    return {
        node.key: node.subtree
        for node in taxonomy.nodes()
        if node.depth == 0 and (not wanted or node.domain in wanted)
    }


def count(papers: Sequence[PaperLike], by: str, query: Query, taxonomy: Taxonomy) -> Counts:
    """Count papers per year and series.

    A paper in several series counts once in each of their cells, once in ``several`` and
    once in its year's total; a paper in none counts in ``other`` and in the total.
    """
    series = _series(by, query, taxonomy)
    cells: dict[tuple[Year, str], int] = {}
    only: dict[tuple[Year, str], int] = {}
    several: dict[Year, int] = {}
    other: dict[Year, int] = {}
    totals: dict[Year, int] = {}
    for paper in papers:
        year = paper.year
        totals[year] = totals.get(year, 0) + 1
        sections = set(paper.sections)
        hits = [
            key
            for key, subtree in series.items()
            if (key in paper.domains if by == "domain" else bool(subtree & sections))
        ]
        for key in hits:
            cells[(year, key)] = cells.get((year, key), 0) + 1
        if len(hits) == 1:
            only[(year, hits[0])] = only.get((year, hits[0]), 0) + 1
        elif hits:
            several[year] = several.get(year, 0) + 1
        else:
            other[year] = other.get(year, 0) + 1
    known = sorted(year for year in totals if year is not None)
    years = (*known, None) if None in totals else tuple(known)
    if by == "domain":
        titles = tuple(taxonomy.domain(key).title for key in series)
    else:
        titles = tuple(taxonomy.node(key).title for key in series)
    return Counts(by, tuple(series), years, cells, only, several, other, totals, titles)


def several_label(counts: Counts, labels: Labels | None = None) -> str:
    """The header of the column of papers in more than one series."""
    return (labels or Labels())(f"several-{counts.by}s")


def _year(year: Year, labels: Labels) -> str:
    return str(year) if year is not None else labels("unknown-year")


def stats_table(counts: Counts, caption: str | None, labels: Labels | None = None) -> nodes.table:
    """Years down; series across (headed by their titles), then "In several …" and "Other"
    when not empty, then Total."""
    labels = labels or Labels()
    table = nodes.table(classes=["fm-papers-stats-table"])
    if caption:
        table += nodes.title(caption, caption)
    extras: list[tuple[str, dict[Year, int]]] = []
    if counts.overlap:
        extras.append((several_label(counts, labels), counts.several))
    if counts.outside:
        extras.append((labels("other"), counts.other))
    titles = [counts.title(index) for index in range(len(counts.series))]
    headers = [labels("year"), *titles, *(header for header, _ in extras), labels("total")]
    rows: list[list[str]] = []
    for year in counts.years:
        values = [counts[(year, key)] for key in counts.series]
        more = [column.get(year, 0) for _, column in extras]
        rows.append([_year(year, labels), *map(str, [*values, *more, counts.totals[year]])])
    sums = [sum(counts[(year, key)] for year in counts.years) for key in counts.series]
    more = [sum(column.values()) for _, column in extras]
    rows.append([labels("total"), *map(str, [*sums, *more, sum(counts.totals.values())])])

    group = nodes.tgroup(cols=len(headers))
    table += group
    # Only the text writer reads these (as characters): wide enough that no header wraps.
    for index, header in enumerate(headers):
        group += nodes.colspec(colwidth=max(7, len(header), *(len(r[index]) for r in rows)))
    head = nodes.thead()
    group += head
    body = nodes.tbody()
    group += body

    def row(cells: Sequence[str]) -> nodes.row:
        out = nodes.row()
        for text in cells:
            out += nodes.entry("", nodes.paragraph("", text))
        return out

    head += row(headers)
    for cells in rows:
        body += row(cells)
    return table


def stats_note(counts: Counts, labels: Labels | None = None) -> nodes.paragraph | None:
    """The counting rule with this table's figures, or None when every paper is in one series."""
    labels = labels or Labels()
    sentences = []
    if counts.overlap:
        sentences.append(labels(f"note-several-{counts.by}s", count=counts.overlap))
    if counts.outside:
        sentences.append(labels(f"note-other-{counts.by}s", count=counts.outside))
    if not sentences:
        return None
    text = " ".join(sentences)
    return nodes.paragraph(text, text, classes=["fm-papers-stats-note"])


def _groups(counts: Counts, labels: Labels) -> list[tuple[str, str, str]]:
    """The disjoint groups a bar stacks, as ``(class, legend, tooltip)``, in legend order."""
    out = []
    for index in range(len(counts.series)):
        title = counts.title(index)
        name = labels("legend-only", series=title) if counts.overlap else title
        out.append((f"fm-series-{index % 8}", name, name))
    if counts.overlap:
        several = labels(f"legend-several-{counts.by}s")
        out.append(("fm-series-several", several, several))
    if counts.outside:
        other = labels("legend-other")
        out.append(("fm-series-other", other, labels(f"legend-other-{counts.by}s")))
    return out


def _values(counts: Counts, year: Year) -> list[int]:
    """A year's papers in each group of :func:`_groups`; they add up to its total."""
    out = [counts.only.get((year, key), 0) for key in counts.series]
    if counts.overlap:
        out.append(counts.several.get(year, 0))
    if counts.outside:
        out.append(counts.other.get(year, 0))
    return out


def _fill(css_class: str) -> str:
    fill = {"fm-series-several": SEVERAL_FILL, "fm-series-other": OTHER_FILL}.get(css_class)
    return f' fill="{fill}"' if fill else ""


def _text_width(text: str) -> float:
    """A generous estimate of a legend's width in the chart's font, in pixels: wide (CJK)
    characters take a whole em."""
    return sum(14.0 if ord(char) >= 0x2E80 else 7.5 for char in text)


def _fit(text: str, width: int) -> str:
    """``text``, cut with an ellipsis to fit ``width`` pixels (:func:`_text_width`)."""
    while len(text) > 1 and _text_width(text) > width:
        text = text[:-2] + "…"
    return text


def _legend_places(names: list[str], left: int, width: int) -> list[tuple[int, int]]:
    """Where each legend entry goes, ``(x, line)``: side by side while they fit in the
    chart's width, then on the next line, so that no legend runs out of the chart."""
    places: list[tuple[int, int]] = []
    x, line = left, 0
    for name in names:
        entry = 16 + int(_text_width(name)) + 18
        if x > left and x + entry > width:
            x, line = left, line + 1
        places.append((x, line))
        x += entry
    return places


def svg_chart(counts: Counts, labels: Labels | None = None) -> str:
    """A horizontal stacked bar chart, one bar per row of the table, as an SVG string.

    A bar stacks the year's disjoint groups, so its length and its label are the table's
    Total for that year; the papers without a year have their bar too, last, as in the table.
    """
    labels = labels or Labels()
    years = list(counts.years)
    biggest = max((counts.totals[year] for year in years), default=0) or 1
    groups = _groups(counts, labels)
    names = [html.escape(_year(year, labels)) for year in years]
    # Room for the longest year label ("unknown" or its translation).
    bar, gap, width = 16, 6, 420
    left = max(44, 8 + 8 * max((len(name) for name in names), default=0))
    legend_top = len(years) * (bar + gap) + 10
    total_width = left + width + 60
    shown = [_fit(name, total_width - left - 34) for _, name, _ in groups]
    places = _legend_places(shown, left, total_width)
    lines = max((line for _, line in places), default=-1) + 1
    height = legend_top + 20 * lines + 4
    out = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{total_width}" '
            f'height="{height}" viewBox="0 0 {total_width} {height}">'
        ),
        f"<title>{html.escape(labels('chart-title'))}</title>",
    ]
    for row, (year, name) in enumerate(zip(years, names, strict=True)):
        y = row * (bar + gap)
        out.append(f'<text x="0" y="{y + bar - 3}">{name}</text>')
        x = float(left)
        for (css_class, _, group), value in zip(groups, _values(counts, year), strict=True):
            if not value:
                continue
            w = width * value / biggest
            label = html.escape(f"{group}, {_year(year, labels)}: {value}")
            out.append(
                f'<rect class="{css_class}"{_fill(css_class)} x="{x:.1f}" y="{y}" '
                f'width="{w:.1f}" height="{bar}"><title>{label}</title></rect>'
            )
            x += w
        out.append(f'<text x="{x + 4:.1f}" y="{y + bar - 3}">{counts.totals[year]}</text>')
    for (css_class, name, _), text, (x, line) in zip(groups, shown, places, strict=True):
        y = legend_top + line * 20
        out.append(
            f'<rect class="{css_class}"{_fill(css_class)} x="{x}" y="{y}" width="12" height="12"/>'
        )
        # A legend cut to fit keeps its whole text as its tooltip.
        tooltip = f"<title>{html.escape(name)}</title>" if text != name else ""
        out.append(f'<text x="{x + 16}" y="{y + 11}">{tooltip}{html.escape(text)}</text>')
    out.append("</svg>")
    return "\n".join(out)


class FmPapersStatsDirective(FmPapersDirective):
    """Papers per year by domain or section, as a table everywhere and a chart in HTML."""

    #: The filters that select: sort and limit would not change what is counted.
    filters: ClassVar = tuple(f for f in FILTER_SPECS if f.selects)
    option_spec: ClassVar = option_spec(*(f.option for f in filters), *STATS_OPTIONS)

    def run(self) -> list[nodes.Node]:
        """Count the selected papers and build the table (and chart)."""
        state, catalogue = self.start()
        if catalogue is None:
            return []
        labels = self.labels(state)
        by = self.choice("by", BY, "domain") or "domain"
        chart = self.yes_no("chart", True)
        selected = self.select(catalogue)
        if selected is None:
            return []
        query, papers = selected
        counts = count(papers, by, query, catalogue.taxonomy)
        classes = ["fm-papers", "fm-papers-stats", *self.class_names()]
        wrapper = nodes.container(classes=classes)
        table = stats_table(counts, self.options.get("caption") or None, labels)
        wrapper += table
        note = stats_note(counts, labels)
        if note is not None:
            wrapper += note
        if chart and counts.years:
            figure = nodes.container(classes=["fm-papers-chart"])
            figure += nodes.raw("", svg_chart(counts, labels), format="html")
            wrapper += figure
        self.set_source_info(wrapper)
        self.set_source_info(table)
        self.add_name(table)
        return [wrapper]
