"""The ``fm-papers-stats`` directive: papers per year by domain or by section.

Every builder gets a table (years down, series across, totals); HTML builders also get a
stacked bar chart, an inline SVG written here from counts and escaped keys: no network, no
plotting library. Other writers skip the ``raw`` HTML node.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from docutils import nodes

from fm_papers.errors import QueryError
from fm_papers.models import Paper
from fm_papers.query import Query
from fm_papers.taxonomy import Taxonomy

from .directive import FILTER_OPTIONS, FmPapersDirective, option_spec, query_message

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__all__ = ["STATS_OPTIONS", "Counts", "FmPapersStatsDirective", "count", "setup_stats"]

BY: tuple[str, ...] = ("domain", "section")
#: The options of ``fm-papers-stats`` besides the filters, with what each one does.
STATS_OPTIONS: dict[str, str] = {
    "by": "What the series are: domain (default) or section (the top sections of the "
    "selection, or the children of a single :section:).",
    "chart": "yes (default) or no: the stacked bar chart in HTML.",
    "caption": "The table's caption.",
    "name": "A label for :ref: and :numref:.",
    "class": "Extra classes for the wrapper.",
}


def setup_stats(app: Sphinx) -> None:
    """Register the ``fm-papers-stats`` directive."""
    app.add_directive("fm-papers-stats", FmPapersStatsDirective)


@dataclass(frozen=True)
class Counts:
    """Papers per year (rows) and series (columns); ``None`` is the unknown year."""

    series: tuple[str, ...]
    years: tuple[int | None, ...]
    cells: dict[tuple[int | None, str], int]
    totals: dict[int | None, int]

    def __getitem__(self, key: tuple[int | None, str]) -> int:
        return self.cells.get(key, 0)


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


def count(papers: Sequence[Paper], by: str, query: Query, taxonomy: Taxonomy) -> Counts:
    """Count papers per year and series; a paper in two series counts once in each."""
    series = _series(by, query, taxonomy)
    cells: dict[tuple[int | None, str], int] = {}
    totals: dict[int | None, int] = {}
    for paper in papers:
        totals[paper.year] = totals.get(paper.year, 0) + 1
        for key, subtree in series.items():
            hit = key in paper.domains if by == "domain" else bool(subtree & set(paper.sections))
            if hit:
                cells[(paper.year, key)] = cells.get((paper.year, key), 0) + 1
    known = sorted(year for year in totals if year is not None)
    years = (*known, None) if None in totals else tuple(known)
    return Counts(tuple(series), years, cells, totals)


def stats_table(counts: Counts, caption: str | None) -> nodes.table:
    """Years down, series across, a total column and a total row."""
    table = nodes.table(classes=["fm-papers-stats-table"])
    if caption:
        table += nodes.title(caption, caption)
    headers = ["Year", *counts.series, "Total"]
    group = nodes.tgroup(cols=len(headers))
    table += group
    for _ in headers:
        group += nodes.colspec(colwidth=10)
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
    for year in counts.years:
        label = str(year) if year is not None else "unknown"
        values = [str(counts[(year, key)]) for key in counts.series]
        body += row([label, *values, str(counts.totals[year])])
    sums = [str(sum(counts[(year, key)] for year in counts.years)) for key in counts.series]
    body += row(["Total", *sums, str(sum(counts.totals.values()))])
    return table


def svg_chart(counts: Counts) -> str:
    """A horizontal stacked bar chart, one bar per known year, as an SVG string."""
    years = [year for year in counts.years if year is not None]
    biggest = max((sum(counts[(y, k)] for k in counts.series) for y in years), default=0) or 1
    bar, gap, left, width = 16, 6, 44, 420
    legend_top = len(years) * (bar + gap) + 10
    height = legend_top + 20 * ((len(counts.series) + 2) // 3) + 4
    out = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{left + width + 60}" '
            f'height="{height}" viewBox="0 0 {left + width + 60} {height}">'
        ),
        "<title>Papers per year</title>",
    ]
    for row, year in enumerate(years):
        y = row * (bar + gap)
        out.append(f'<text x="0" y="{y + bar - 3}">{year}</text>')
        x = float(left)
        for index, key in enumerate(counts.series):
            value = counts[(year, key)]
            if not value:
                continue
            w = width * value / biggest
            label = html.escape(f"{key}, {year}: {value}")
            out.append(
                f'<rect class="fm-series-{index % 8}" x="{x:.1f}" y="{y}" width="{w:.1f}" '
                f'height="{bar}"><title>{label}</title></rect>'
            )
            x += w
        total = sum(counts[(year, key)] for key in counts.series)
        out.append(f'<text x="{x + 4:.1f}" y="{y + bar - 3}">{total}</text>')
    for index, key in enumerate(counts.series):
        x, y = left + (index % 3) * 150, legend_top + (index // 3) * 20
        out.append(f'<rect class="fm-series-{index % 8}" x="{x}" y="{y}" width="12" height="12"/>')
        out.append(f'<text x="{x + 16}" y="{y + 11}">{html.escape(key)}</text>')
    out.append("</svg>")
    return "\n".join(out)


class FmPapersStatsDirective(FmPapersDirective):
    """Papers per year by domain or section, as a table everywhere and a chart in HTML."""

    option_spec: ClassVar = option_spec(*FILTER_OPTIONS, *STATS_OPTIONS)

    def run(self) -> list[nodes.Node]:
        """Count the selected papers and build the table (and chart)."""
        _, catalogue = self.start()
        if catalogue is None:
            return []
        by = self._choice("by", BY, "domain") or "domain"
        chart = self._choice("chart", ("yes", "no"), "yes") == "yes"
        filters = {name: self.options[name] for name in FILTER_OPTIONS if name in self.options}
        if filters.get("has-code") == "":
            filters["has-code"] = "yes"
        try:
            query = Query.parse(filters)
            papers = query.run(catalogue)
            counts = count(papers, by, query, catalogue.taxonomy)
        except QueryError as error:
            subtype = "id" if error.field in ("ids", "exclude") else "query"
            self.warn(f"fm-papers-stats: {query_message(error)} Left out.", subtype)
            return []
        classes = ["fm-papers", "fm-papers-stats", *self._classes()]
        wrapper = nodes.container(classes=classes)
        table = stats_table(counts, self.options.get("caption") or None)
        wrapper += table
        if chart and any(year is not None for year in counts.years):
            figure = nodes.container(classes=["fm-papers-chart"])
            figure += nodes.raw("", svg_chart(counts), format="html")
            wrapper += figure
        self.set_source_info(wrapper)
        self.set_source_info(table)
        self.add_name(table)
        return [wrapper]
