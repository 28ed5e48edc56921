"""Benchmark: ``fm_papers.load()`` against a bare libyaml parse of the same overlay file.

For synthetic overlays of 1,000, 10,000 and 100,000 entries, measured side by side in one
run: the bare ``yaml.load(text, CSafeLoader)`` of the file, ``load()`` of it (cache cleared,
so it reads, hashes, parses, validates and indexes), and a typical query over the loaded
catalogue. Targets: load ≤ 1.5× the bare parse at every size, linear growth, and a query
over 100,000 entries under 1/100 of the load time. The bare parse is also shown with the
garbage collector paused, as load() runs, so the table shows where load() gains its time.

    python benchmarks/bench_load.py [--quick]
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

import fm_papers
from fm_papers.datafile import builtin_files
from fm_papers.loader import clear_cache

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
SECTIONS = [
    ("single-cell", "fm"),
    ("single-cell", "fm-llm"),
    ("single-cell", "evaluation"),
    ("pathology", "segmentation"),
    ("pathology", "classification"),
    ("pathology", "vision-representation"),
]
VENUES = [("Nature Methods", "journal"), ("CVPR", "conference"), ("bioRxiv", "preprint")]


def synthetic_entries(count: int) -> list[dict[str, object]]:
    """Entries shaped like the shipped ones: links, memberships, a source reference."""
    entries = []
    for n in range(count):
        domain, section = SECTIONS[n % len(SECTIONS)]
        venue, kind = VENUES[n % len(VENUES)]
        entry: dict[str, object] = {
            "id": f"synthetic-{n}",
            "title": f"SynthModel{n}: a synthetic foundation model number {n} for benchmarks",
            "model": f"SynthModel{n}",
            "year": 2015 + n % 11,
            "venue": venue,
            "venue_kind": kind,
            "links": [
                {"kind": "paper", "url": f"https://example.org/papers/{n}"},
                {"kind": "code", "url": f"https://example.org/code/{n}"},
            ],
            "memberships": [{"domain": domain, "section": section}],
            "sources": [{"file": "synthetic.md", "line": n + 1}],
        }
        if n % 5 == 0:
            entry["memberships"] = [
                {"domain": domain, "section": section},
                {"domain": "single-cell", "section": "surveys"},
            ]
        entries.append(entry)
    return entries


def write_overlay(directory: Path, count: int) -> Path:
    path = directory / f"overlay-{count}.yaml"
    text = yaml.dump({"papers": synthetic_entries(count)}, Dumper=DUMPER, sort_keys=False)
    path.write_text(text, encoding="utf-8")
    return path


def _without_gc(action: Callable[[], object]) -> object:
    """Run ``action`` with the cyclic collector paused, as load() does."""
    gc.disable()
    try:
        return action()
    finally:
        gc.enable()


def median_of(repeats: int, action: Callable[[], object]) -> float:
    """Run ``action`` ``repeats`` times; the median of the timings, in seconds (not the
    fastest: the tables of this script show medians)."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 and 10,000 entries only")
    args, _ = parser.parse_known_args(argv)
    sizes = [1_000, 10_000] if args.quick else [1_000, 10_000, 100_000]
    taxonomy, venues, _ = builtin_files()
    print("load(): overlay of N entries vs a bare yaml.load(CSafeLoader) of the same file")
    print(
        f"{'N':>8} {'bare parse':>11} {'(no GC)':>9} {'load()':>9} {'ratio':>6} {'µs/entry':>9}"
        f" {'query':>9} {'query/load':>11}"
    )
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            path = write_overlay(Path(tmp), size)
            repeats = 5 if size <= 10_000 else 3

            def bare(path: Path = path) -> object:
                return yaml.load(path.read_text(encoding="utf-8"), Loader=LOADER)  # noqa: S506

            def full(path: Path = path) -> fm_papers.Catalogue:
                clear_cache()
                return fm_papers.load(extra=[taxonomy, venues, path], include_builtin=False)

            bare_time = median_of(repeats, bare)
            bare_nogc = median_of(repeats, lambda: _without_gc(bare))
            load_time = median_of(repeats, full)
            catalogue = full()
            assert len(catalogue) == size

            def query(catalogue: fm_papers.Catalogue = catalogue) -> object:
                return catalogue.query(
                    domain="pathology", year="2020-", search="model", sort="-year,title"
                )

            query_time = median_of(repeats, query)
            ratio = load_time / bare_time
            print(
                f"{size:>8,} {bare_time:>10.3f}s {bare_nogc:>8.3f}s {load_time:>8.3f}s {ratio:>5.2f}x "
                f"{load_time / size * 1e6:>9.1f} {query_time * 1000:>7.1f}ms "
                f"{query_time / load_time:>10.4f}"
            )
            if ratio > 1.5:
                failures.append(f"load() is {ratio:.2f}x the bare parse at {size:,} entries")
            if size == 100_000 and query_time > load_time / 100:
                failures.append(f"a query takes {query_time / load_time:.4f} of the load time")
    for failure in failures:
        print(f"MISSED TARGET: {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
