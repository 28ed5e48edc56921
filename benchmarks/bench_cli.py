"""Benchmark: start-up of ``fm-papers list --domain pathology`` against importing its dependencies.

Fresh subprocesses, measured side by side in one run and interleaved so that a busy machine
slows both alike: ``python -c "import pydantic, yaml"`` (the floor any pydantic + PyYAML tool
pays), ``fm-papers --version``, and ``fm-papers list --domain pathology`` (import, load and
validate the shipped catalogue, query, print the table). Target: list ≤ 1.5× the floor.

    python benchmarks/bench_cli.py [--quick]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

TARGET = 1.5


def script() -> list[str]:
    """The installed console script of this interpreter's environment."""
    beside = Path(sys.executable).with_name("fm-papers")
    found = str(beside) if beside.exists() else shutil.which("fm-papers")
    return [found] if found else [sys.executable, "-m", "fm_papers"]


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5 repeats instead of 30")
    args, _ = parser.parse_known_args(argv)
    repeats = 5 if args.quick else 30
    commands = {
        "import pydantic, yaml": [sys.executable, "-c", "import pydantic, yaml"],
        # `import pydantic` is lazy; any tool with a pydantic model pays for BaseModel too.
        "from pydantic import BaseModel": [
            sys.executable,
            "-c",
            "import yaml; from pydantic import BaseModel",
        ],
        "fm-papers --version": [*script(), "--version"],
        "fm-papers list --domain pathology": [*script(), "list", "--domain", "pathology"],
    }
    for command in commands.values():  # warm the file cache and .pyc files
        timed(command)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(repeats):
        for name, command in commands.items():
            times[name].append(timed(command))
    floor = statistics.median(times["import pydantic, yaml"])
    print(f"CLI start-up: median of {repeats} fresh processes each")
    print(f"{'command':<36} {'median':>9} {'ratio':>6}")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"{name:<36} {median * 1000:>7.1f}ms {median / floor:>5.2f}x")
    ratio = statistics.median(times["fm-papers list --domain pathology"]) / floor
    if ratio > TARGET:
        print(f"MISSED TARGET: list is {ratio:.2f}x the bare imports (target {TARGET}x)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
