"""Benchmark: Sphinx builds with the ``fm-papers`` directive, side by side with the alternatives.

1. One page showing N rows (title linked to the paper, year, venue, code link) through the
   directive, and the same rows through ``csv-table`` with ``:file:``, which parses reST in
   every cell. Target: directive ≤ 0.6× csv-table at 2,000 and 10,000 rows.
2. Twenty pages, each with one filtered table over a 2,000-entry overlay, against the same
   project without tables. Targets: full build ≤ 1.5×, no-op rebuild ≤ 1.1×.

Each build runs in a fresh subprocess (``sphinx-build -q -E`` or a no-op rebuild), so
caches of one variant never help another; the best of the repeats is reported.

What each variant loads: every project has the same ``conf.py`` (the extension, the shipped
catalogue and an overlay). In (1) the directive's overlay holds the N entries it shows and
the csv-table project's overlay is empty, so both pay for the extension and the shipped
catalogue, and only the directive pays for its data; the csv-table project reads the same
rows from ``papers.csv`` instead. In (2) both projects have the same 2,000-entry overlay.

    python benchmarks/bench_sphinx.py [--quick]
"""

from __future__ import annotations

import argparse
import csv
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml
from bench_load import synthetic_entries  # type: ignore[import-not-found]

DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
CONF = 'extensions = ["fm_papers.sphinxext"]\nfm_papers_extra_files = ["synthetic.yaml"]\n'


def _write_overlay(folder: Path, count: int) -> list[dict[str, object]]:
    entries = synthetic_entries(count)
    text = yaml.dump({"papers": entries}, Dumper=DUMPER, sort_keys=False, allow_unicode=True)
    (folder / "synthetic.yaml").write_text(text, encoding="utf-8")
    return entries


def _build(srcdir: Path, outdir: Path, *, fresh: bool = True) -> float:
    args = [sys.executable, "-m", "sphinx", "-q", "-b", "html", str(srcdir), str(outdir)]
    if fresh:
        args.insert(3, "-E")
    start = time.perf_counter()
    subprocess.run(args, check=True)
    return time.perf_counter() - start


def _best(srcdir: Path, repeats: int, *, noop: bool = False) -> float:
    with tempfile.TemporaryDirectory() as out:
        if noop:
            _build(srcdir, Path(out))
            return min(_build(srcdir, Path(out), fresh=False) for _ in range(repeats))
        return min(_build(srcdir, Path(out)) for _ in range(repeats))


def one_page(rows: int, repeats: int, root: Path) -> tuple[float, float]:
    """Seconds for the directive page and for the csv-table page, N rows each."""
    directive, table = root / f"directive-{rows}", root / f"csv-{rows}"
    for folder in (directive, table):
        folder.mkdir()
        (folder / "conf.py").write_text(CONF, encoding="utf-8")
    entries = _write_overlay(directive, rows)
    (table / "synthetic.yaml").write_text("papers: []\n", encoding="utf-8")
    (directive / "index.rst").write_text(
        "Papers\n======\n\n.. fm-papers::\n   :search: synthetic\n"
        "   :columns: title, year, venue, links\n   :sort:\n",
        encoding="utf-8",
    )
    with (table / "papers.csv").open("w", encoding="utf-8", newline="") as handle:
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
    (table / "index.rst").write_text(
        "Papers\n======\n\n.. csv-table::\n   :header: Title, Year, Venue, Links\n"
        "   :file: papers.csv\n",
        encoding="utf-8",
    )
    return _best(directive, repeats), _best(table, repeats)


def twenty_pages(repeats: int, root: Path) -> dict[str, float]:
    """Full and no-op builds of 20 pages, with and without one filtered table per page."""
    sections = ["fm", "fm-llm", "evaluation", "segmentation", "classification"]
    times = {}
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
        times[f"{variant} full"] = _best(folder, repeats)
        times[f"{variant} no-op"] = _best(folder, repeats, noop=True)
    return times


def main(argv: list[str] | None = None) -> int:
    """Run both measurements and print the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, fewer repeats")
    args = parser.parse_args(argv)
    sizes = [200, 2000] if args.quick else [200, 2000, 10000]
    repeats = 1 if args.quick else 3
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        print("1. one page, N rows: directive vs csv-table (:file:), best of", repeats)
        print(f"{'rows':>7} {'directive s':>12} {'csv-table s':>12} {'ratio':>7}")
        for rows in sizes:
            directive, table = one_page(rows, repeats, root)
            print(f"{rows:>7} {directive:>12.2f} {table:>12.2f} {directive / table:>7.2f}")
        print("2. twenty pages over a 2,000-entry overlay: with vs without one table per page")
        times = twenty_pages(repeats, root)
        for kind in ("full", "no-op"):
            with_, without = times[f"with {kind}"], times[f"without {kind}"]
            print(f"{kind:>7} {with_:>12.2f} {without:>12.2f} {with_ / without:>7.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
