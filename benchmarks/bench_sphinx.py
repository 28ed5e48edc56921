"""Benchmark: Sphinx builds with the ``fm-papers`` extension, side by side with the alternatives.

1. One page showing N rows (title linked to the paper, year, venue, code link) through the
   directive, and the same rows through ``csv-table`` with ``:file:``, which parses reST in
   every cell. Target: directive ≤ 0.6x csv-table at 2,000 and 10,000 rows (``--quick``
   measures 200 and 2,000 rows, so only 2,000 is checked).
2. Twenty pages, each with one filtered table over a 2,000-entry overlay, against the same
   project without tables. Targets: full build ≤ 1.5x, no-op rebuild ≤ 1.1x.
3. A tiny site: one page with one 11-row ``fm-papers`` table (``:domain: pathology``,
   ``:limit: 11``) and one ``fm-paper`` citation, against the same page without the
   extension (no extension in ``conf.py``; the table and the citation replaced by plain
   text). Targets: full build ≤ 1.15x, no-op rebuild ≤ 1.05x. And the same tiny site with a
   small overlay (``fm_papers_extra_files = ["lab.yaml"]``: a domain, two papers, a note on
   a shipped one; the citation names an overlay paper) against the same page without the
   extension. Target ≤ 1.3x, full build and no-op rebuild. Third, for information (no
   target), the site with the overlay against the site with the extension alone: what the
   overlay adds. The tiny sites are built with ``-W`` and the script checks the HTML: 11
   rows, the citation linked.
4. A filtered view of a large overlay: one page showing one section of a 10,000-entry
   overlay (``:section: segmentation``, ``:year: 2018-``: about a thousand rows), against a
   ``csv-table`` of the same rows, filtered beforehand. The directive's site loads and
   validates the whole overlay; the csv-table's reads its rows only. Target ≤ 1.4x, full
   build (``--quick``: 2,000 entries, not checked).

Each build runs in a fresh subprocess (``sphinx-build -q -E`` into an empty folder for a full
build; a no-op rebuild is a second build into the same folder, nothing changed), so caches of
one variant never help another. The runs are paired: after one warm-up build of every variant,
each round builds every variant of a comparison once, interleaved (the order reversed on every
other round), and each ratio is the median over the rounds of the ratio within a round, so a
machine whose speed drifts slows both sides of a ratio alike. The times shown are the medians.
Every target is checked: a missed one prints a ``MISSED TARGET:`` line and the exit code is 1.

What each variant loads: in (1) and (2) every project has the same ``conf.py`` (the extension,
the shipped catalogue and an overlay). In (1) the directive's overlay holds the N entries it
shows and the csv-table project's overlay is empty, so both pay for the extension and the
shipped catalogue, and only the directive pays for its data; the csv-table project reads the
same rows from ``papers.csv`` instead. In (2) both projects have the same 2,000-entry overlay.
In (3) the project without the extension loads neither the extension nor any catalogue: the
ratios are the whole cost of using fm-papers on a small site.

Rounds: 3 in (1), (2) and (4), 25 in (3); ``--quick``: 1 and 5. ``--only N`` runs measurement N
alone (repeatable).

    python benchmarks/bench_sphinx.py [--quick] [--only N]
"""

from __future__ import annotations

import argparse
import csv
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from bench_load import synthetic_entries  # type: ignore[import-not-found]

import fm_papers

DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
CONF = 'extensions = ["fm_papers.sphinxext"]\nfm_papers_extra_files = ["synthetic.yaml"]\n'

#: The targets, as the largest ratio allowed.
TARGET_ONE_PAGE = 0.6  # directive / csv-table, at these sizes:
ONE_PAGE_CHECKED = (2000, 10000)
TARGET_PAGES = {"full": 1.5, "no-op": 1.1}
TARGET_TINY = {"full": 1.15, "no-op": 1.05}
TARGET_OVERLAY = {"full": 1.3, "no-op": 1.3}
TARGET_FILTERED = 1.4  # one section of a 10,000-entry overlay / csv-table of its rows
FILTERED_ENTRIES = 10_000
#: The filtered view: the options of its directive, as a query.
FILTERED_VIEW = {"section": "segmentation", "year": "2018-"}

#: The tiny site's table: the first 11 papers of a domain in this order.
TINY_DOMAIN, TINY_SORT, TINY_ROWS = "pathology", "-year,title", 11

#: A small overlay, in the format of example_docs/lab-papers.yaml: a domain of its own, two
#: new papers, and a note on a shipped one (``{noted}``, filled in by the script).
LAB_YAML = """\
domains:
  - key: lab
    title: Our lab's reading list
    sections:
      - key: journal-club
        title: Journal club

papers:
  - id: lab-atlas-2025
    title: 'LabAtlas: a made-up foundation model for this benchmark'
    model: LabAtlas
    year: 2025
    venue: bioRxiv
    links:
      - kind: paper
        url: https://example.org/labatlas
    memberships:
      - domain: lab
        section: journal-club

  - id: lab-stain-2024
    title: 'LabStain: a made-up stain normaliser for this benchmark'
    model: LabStain
    year: 2024
    venue: CVPR
    links:
      - kind: paper
        url: https://example.org/labstain
      - kind: code
        url: https://example.org/labstain/code
    memberships:
      - domain: lab
        section: journal-club

  - id: {noted}
    extend: true
    notes:
      - Read in the journal club
    memberships:
      - domain: lab
        section: journal-club
"""
LAB_CITED, LAB_CITED_TEXT = "lab-atlas-2025", "LabAtlas (2025)"


@dataclass
class Rounds:
    """Build times in seconds, one dict (variant name to time) per round."""

    full: list[dict[str, float]] = field(default_factory=list)
    noop: list[dict[str, float]] = field(default_factory=list)

    def of(self, kind: str) -> list[dict[str, float]]:
        """The rounds of full builds (``"full"``) or of no-op rebuilds (``"no-op"``)."""
        return self.full if kind == "full" else self.noop

    def median(self, kind: str, name: str) -> float:
        """The median time of one variant."""
        return statistics.median(r[name] for r in self.of(kind))

    def ratio(self, kind: str, name: str, baseline: str) -> float:
        """The median over the rounds of ``name``'s time divided by ``baseline``'s."""
        return statistics.median(r[name] / r[baseline] for r in self.of(kind))


def _write_overlay(folder: Path, count: int) -> list[dict[str, object]]:
    entries: list[dict[str, object]] = synthetic_entries(count)
    text = yaml.dump({"papers": entries}, Dumper=DUMPER, sort_keys=False, allow_unicode=True)
    (folder / "synthetic.yaml").write_text(text, encoding="utf-8")
    return entries


def _build(srcdir: Path, outdir: Path, *, fresh: bool = True, strict: bool = False) -> float:
    """Seconds for one ``sphinx-build`` process (``-E`` when ``fresh``; ``-W`` if ``strict``)."""
    args = [sys.executable, "-m", "sphinx", "-q", "-b", "html", str(srcdir), str(outdir)]
    if fresh:
        args.insert(3, "-E")
    if strict:
        args.insert(3, "-W")
    start = time.perf_counter()
    subprocess.run(args, check=True)
    return time.perf_counter() - start


def paired_builds(
    sites: dict[str, Path], rounds: int, *, noop: bool = True, strict: bool = False
) -> Rounds:
    """One warm-up build of every site, then ``rounds`` rounds of a full build of every site,
    interleaved, and (with ``noop``) of a no-op rebuild of every site into the same folder."""
    result = Rounds()
    names = list(sites)
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:  # warm the file cache and the .pyc files
            _build(sites[name], Path(tmp) / f"warm-{name}", strict=strict)
        for n in range(rounds):
            order = names if n % 2 == 0 else names[::-1]
            outs = {name: Path(tmp) / f"{n}-{name}" for name in names}
            result.full.append(
                {name: _build(sites[name], outs[name], strict=strict) for name in order}
            )
            if noop:
                result.noop.append(
                    {
                        name: _build(sites[name], outs[name], fresh=False, strict=strict)
                        for name in order
                    }
                )
            for out in outs.values():
                shutil.rmtree(out)
    return result


def one_page_sites(rows: int, root: Path) -> dict[str, Path]:
    """The directive page and the csv-table page, N rows each."""
    directive, table = root / f"directive-{rows}", root / f"csv-{rows}"
    entries = _new_pair(directive, table, rows)
    _write_pages(directive, table, "   :sort:\n", entries)
    return {"directive": directive, "csv-table": table}


def _new_pair(directive: Path, table: Path, count: int) -> list[dict[str, object]]:
    """Two sites: ``directive`` with a ``count``-entry overlay (its entries returned) and
    ``table`` with an empty one, so that both load the extension the same way."""
    for folder in (directive, table):
        folder.mkdir()
        (folder / "conf.py").write_text(CONF, encoding="utf-8")
    entries = _write_overlay(directive, count)
    (table / "synthetic.yaml").write_text("papers: []\n", encoding="utf-8")
    return entries


def _write_pages(directive: Path, table: Path, options: str, rows: list[dict[str, object]]) -> None:
    """The directive's page (the synthetic papers, with ``options``) and the csv-table page
    of ``rows``, the same columns."""
    (directive / "index.rst").write_text(
        "Papers\n======\n\n.. fm-papers::\n   :search: synthetic\n"
        "   :columns: title, year, venue, links\n" + options,
        encoding="utf-8",
    )
    _csv_rows(rows, table / "papers.csv")
    (table / "index.rst").write_text(
        "Papers\n======\n\n.. csv-table::\n   :header: Title, Year, Venue, Links\n"
        "   :file: papers.csv\n",
        encoding="utf-8",
    )


def _csv_rows(entries: list[dict[str, object]], path: Path) -> None:
    """The rows of a csv-table as the directive shows them: title linked, year, venue, code."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        for entry in entries:
            links = entry["links"]
            assert isinstance(links, list)
            writer.writerow(
                [
                    f"`{entry['title']} <{links[0]['url']}>`__",
                    entry["year"],
                    entry["venue"],
                    f"`code <{links[1]['url']}>`__",
                ]
            )


def filtered_sites(root: Path, count: int) -> tuple[dict[str, Path], int]:
    """One section of a ``count``-entry overlay through the directive, and the same rows,
    filtered beforehand, through csv-table; and how many rows that is."""
    directive, table = root / f"filtered-{count}", root / f"filtered-csv-{count}"
    entries = _new_pair(directive, table, count)
    # The rows the directive shows, in its order, found by the same query.
    catalogue = fm_papers.load([directive / "synthetic.yaml"])
    shown = catalogue.records(**FILTERED_VIEW, search="synthetic", sort="-year,title")
    by_id = {entry["id"]: entry for entry in entries}
    options = "".join(f"   :{name}: {value}\n" for name, value in FILTERED_VIEW.items())
    rows = [by_id[paper.id] for paper in shown]
    _write_pages(directive, table, options + "   :sort: -year,title\n", rows)
    return {"directive": directive, "csv-table": table}, len(shown)


def twenty_pages_sites(root: Path) -> dict[str, Path]:
    """20 pages over a 2,000-entry overlay, with and without one filtered table per page."""
    sections = ["fm", "fm-llm", "evaluation", "segmentation", "classification"]
    sites = {}
    for variant in ("with", "without"):
        folder = root / f"pages-{variant}"
        folder.mkdir()
        (folder / "conf.py").write_text(CONF, encoding="utf-8")
        _write_overlay(folder, 2000)
        names = [f"page{n:02d}" for n in range(20)]
        toc = "".join(f"   {name}\n" for name in names)
        (folder / "index.rst").write_text(f"Pages\n=====\n\n.. toctree::\n\n{toc}")
        for n, name in enumerate(names):
            body = f"{name}\n{'=' * len(name)}\n\nSome text on page {n}.\n"
            if variant == "with":
                body += (
                    f"\n.. fm-papers::\n   :section: {sections[n % len(sections)]}\n"
                    f"   :year: {2015 + n % 11}\n"
                )
            (folder / f"{name}.rst").write_text(body, encoding="utf-8")
        sites[variant] = folder
    return sites


def _tiny_page(citation: str, table: str) -> str:
    return (
        "Reading list\n============\n\n"
        "Foundation models for pathology learn from millions of tiles of whole-slide images.\n"
        f"This page lists a few of the newest; start with {citation}.\n\n"
        f"{table}\n"
        "Each of them is a starting point for the journal club.\n"
    )


def tiny_sites(root: Path) -> tuple[dict[str, Path], dict[str, str]]:
    """The tiny site with the extension, with it and a small overlay, and without it; and
    the id each site with the extension cites."""
    shipped = fm_papers.load().query(domain=TINY_DOMAIN, sort=TINY_SORT)
    assert len(shipped) > TINY_ROWS, f"the shipped {TINY_DOMAIN} papers are too few"
    cited = shipped[0]
    directive = (
        f".. fm-papers::\n   :domain: {TINY_DOMAIN}\n   :sort: {TINY_SORT}\n"
        f"   :limit: {TINY_ROWS}\n"
    )
    plain_table = (
        f"The table of this page would show {TINY_ROWS} papers of the {TINY_DOMAIN} domain, the\n"
        "newest first, each with its title, year, venue and links.\n"
    )
    sites = {name: root / f"tiny-{name}" for name in ("with", "overlay", "without")}
    for folder in sites.values():
        folder.mkdir()
    extension = 'extensions = ["fm_papers.sphinxext"]\n'
    (sites["with"] / "conf.py").write_text(extension, encoding="utf-8")
    (sites["overlay"] / "conf.py").write_text(
        extension + 'fm_papers_extra_files = ["lab.yaml"]\n', encoding="utf-8"
    )
    (sites["overlay"] / "lab.yaml").write_text(LAB_YAML.format(noted=cited.id), encoding="utf-8")
    (sites["without"] / "conf.py").write_text("extensions: list[str] = []\n", encoding="utf-8")
    pages = {
        "with": _tiny_page(f":fm-paper:`{cited.id}`", directive),
        "overlay": _tiny_page(f":fm-paper:`{LAB_CITED}`", directive),
        "without": _tiny_page(f"{cited.short_name} ({cited.year})", plain_table),
    }
    for name, text in pages.items():
        (sites[name] / "index.rst").write_text(text, encoding="utf-8")
    return sites, {"with": cited.id, "overlay": LAB_CITED}


def check_tiny(sites: dict[str, Path], cited: dict[str, str]) -> None:
    """Build each tiny site once (``-W``) and check its HTML: the rows, the citation."""
    with tempfile.TemporaryDirectory() as tmp:
        for name, folder in sites.items():
            out = Path(tmp) / name
            _build(folder, out, strict=True)
            html = (out / "index.html").read_text(encoding="utf-8")
            rows = html.count('class="fm-papers-item ')
            expected = 0 if name == "without" else TINY_ROWS
            assert rows == expected, f"tiny site {name}: {rows} rows, expected {expected}"
            if name in cited:
                paper = cited[name]
                # Shown in the table: linked to its row; else to the paper itself.
                link = f'href="#fm-paper-{paper}"' if name == "with" else "example.org/labatlas"
                assert link in html, f"tiny site {name}: the citation of {paper} is not linked"
            if name == "overlay":
                assert LAB_CITED_TEXT in html, "tiny site overlay: the citation shows no name"


def _row(label: str, with_: float, without: float, ratio: float, target: float | None) -> str:
    goal = f"≤{target:.2f}" if target is not None else ""
    return f"{label:>10} {with_:>10.2f} {without:>10.2f} {ratio:>7.2f} {goal:>7}".rstrip()


def _header(first: str, second: str, label: str = "") -> str:
    return f"{label:>10} {first:>10} {second:>10} {'ratio':>7} {'target':>7}"


Check = Callable[[str, float, float], None]


def measure_one_page(root: Path, sizes: list[int], rounds: int, check: Check) -> None:
    """1: one page of N rows, the directive against csv-table."""
    print("\n1. one page, N rows: directive vs csv-table (:file:)")
    print(_header("directive", "csv-table", "rows"))
    for rows in sizes:
        result = paired_builds(one_page_sites(rows, root), rounds, noop=False)
        ratio = result.ratio("full", "directive", "csv-table")
        target = TARGET_ONE_PAGE if rows in ONE_PAGE_CHECKED else None
        directive, table = result.median("full", "directive"), result.median("full", "csv-table")
        print(_row(f"{rows:,}", directive, table, ratio, target))
        if target is not None:
            check(f"one page of {rows:,} rows, directive / csv-table", ratio, target)


def measure_twenty_pages(root: Path, rounds: int, check: Check) -> None:
    """2: twenty pages over a 2,000-entry overlay, with and without a table on each."""
    print("\n2. twenty pages over a 2,000-entry overlay: with vs without one table per page")
    print(_header("with", "without"))
    result = paired_builds(twenty_pages_sites(root), rounds)
    for kind, target in TARGET_PAGES.items():
        ratio = result.ratio(kind, "with", "without")
        with_, without = result.median(kind, "with"), result.median(kind, "without")
        print(_row(kind, with_, without, ratio, target))
        check(f"twenty pages, {kind} build, with / without tables", ratio, target)


def measure_tiny(root: Path, rounds: int, check: Check) -> None:
    """3: the tiny site with the extension (and with an overlay) against it without."""
    print(
        f"\n3. a tiny site (one page, an {TINY_ROWS}-row table, one citation) vs the same"
        " page without the extension"
    )
    sites, cited = tiny_sites(root)
    check_tiny(sites, cited)
    result = paired_builds(sites, rounds, strict=True)
    comparisons: tuple[tuple[str, str, str, dict[str, float | None]], ...] = (
        ("with", "without", "the extension vs without it", dict(TARGET_TINY)),
        (
            "overlay",
            "without",
            "the extension and a 3-entry overlay vs without it",
            dict(TARGET_OVERLAY),
        ),
        # What the overlay adds, for information.
        (
            "overlay",
            "with",
            "the extension and the overlay vs the extension alone",
            {"full": None, "no-op": None},
        ),
    )
    for name, baseline, label, targets in comparisons:
        print(f"   with {label}")
        print(_header(name, baseline))
        for kind, target in targets.items():
            ratio = result.ratio(kind, name, baseline)
            first, second = result.median(kind, name), result.median(kind, baseline)
            print(_row(kind, first, second, ratio, target))
            if target is not None:
                check(f"tiny site, {kind} build, with {label}", ratio, target)


def measure_filtered(root: Path, count: int, rounds: int, check: Check | None) -> None:
    """4: one section of a large overlay against a csv-table of the same rows."""
    sites, shown = filtered_sites(root, count)
    print(
        f"\n4. one section of a {count:,}-entry overlay ({shown:,} rows): directive vs csv-table"
        " of the same rows, filtered beforehand"
    )
    print(_header("directive", "csv-table"))
    result = paired_builds(sites, rounds, noop=False)
    ratio = result.ratio("full", "directive", "csv-table")
    target = TARGET_FILTERED if check is not None else None
    first, second = result.median("full", "directive"), result.median("full", "csv-table")
    print(_row("full", first, second, ratio, target))
    if check is not None:
        check(f"one section of a {count:,}-entry overlay, directive / csv-table", ratio, target)


def main(argv: list[str] | None = None) -> int:
    """Run the measurements, print the ratios, and return 1 if a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, fewer rounds")
    parser.add_argument(
        "--only",
        type=int,
        choices=(1, 2, 3, 4),
        action="append",
        help="run only this measurement (repeatable)",
    )
    args = parser.parse_args(argv)
    parts = set(args.only or (1, 2, 3, 4))
    sizes = [200, 2000] if args.quick else [200, 2000, 10000]
    rounds = 1 if args.quick else 3
    # A tiny site builds in about a second, and on a shared machine one build can take half
    # as long again as the next: many rounds keep the median ratio steady.
    tiny_rounds = 5 if args.quick else 25
    failures: list[str] = []

    def check(what: str, ratio: float, target: float) -> None:
        if ratio > target:
            failures.append(f"{what}: {ratio:.3f}x (target ≤ {target:.2f}x)")

    print(
        f"Paired builds (after a warm-up build of each variant); times are medians in seconds,\n"
        f"ratios the median of the per-round ratios. Rounds: {rounds} in (1), (2) and (4), "
        f"{tiny_rounds} in (3)."
    )
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        if 1 in parts:
            measure_one_page(root, sizes, rounds, check)
        if 2 in parts:
            measure_twenty_pages(root, rounds, check)
        if 3 in parts:
            measure_tiny(root, tiny_rounds, check)
        if 4 in parts:
            count = 2000 if args.quick else FILTERED_ENTRIES
            measure_filtered(root, count, rounds, None if args.quick else check)
    for failure in failures:
        print(f"MISSED TARGET: {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
