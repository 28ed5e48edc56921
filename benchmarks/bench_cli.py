"""Benchmark: start-up of three ``fm-papers`` commands against two baselines, paired.

Every command is a fresh subprocess of this interpreter's environment:

* baselines: ``python -c "pass"`` (the interpreter alone) and ``python -c "import pydantic,
  yaml"`` (the floor any pydantic + PyYAML tool pays);
* information only: ``python -c "import yaml; from pydantic import BaseModel"`` (``import
  pydantic`` is lazy; the first model class pulls in its model machinery);
* measured: ``fm-papers list --domain pathology`` (load the shipped catalogue, query, print
  a table), ``fm-papers show scgpt`` (one paper) and ``fm-papers --version``.

The runs are paired: after one warm-up round, each repeat runs every command once,
interleaved (the order reversed on every other repeat, so no command always runs first), and
each command's time is divided by each baseline's time of the same repeat. The table shows
each command's median time and the median of those per-repeat ratios, so a machine whose
speed drifts during the run slows both sides of a ratio alike. Targets: each of the three
commands ≤ 1.0x ``import pydantic, yaml``; the ratio against ``pass`` is shown, with no
target. A missed target prints a ``MISSED TARGET:`` line and the exit code is 1.

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

#: The ratio to ``import pydantic, yaml`` each measured command must stay under.
TARGET = 1.0
FLOOR = 'python -c "import pydantic, yaml"'
BARE = 'python -c "pass"'
MEASURED = (
    "fm-papers list --domain pathology",
    "fm-papers show scgpt",
    "fm-papers --version",
)


def script() -> list[str]:
    """The installed console script of this interpreter's environment."""
    beside = Path(sys.executable).with_name("fm-papers")
    found = str(beside) if beside.exists() else shutil.which("fm-papers")
    return [found] if found else [sys.executable, "-m", "fm_papers"]


def commands() -> dict[str, list[str]]:
    """Every command run, by the name the table shows, baselines first."""
    fm_papers = script()
    return {
        BARE: [sys.executable, "-c", "pass"],
        FLOOR: [sys.executable, "-c", "import pydantic, yaml"],
        'python -c "import yaml; from pydantic import BaseModel"': [
            sys.executable,
            "-c",
            "import yaml; from pydantic import BaseModel",
        ],
        MEASURED[0]: [*fm_papers, "list", "--domain", "pathology"],
        MEASURED[1]: [*fm_papers, "show", "scgpt"],
        MEASURED[2]: [*fm_papers, "--version"],
    }


def timed(command: list[str]) -> float:
    """Seconds for one fresh process of ``command``, which must succeed."""
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def paired_runs(runs: dict[str, list[str]], repeats: int) -> list[dict[str, float]]:
    """One warm-up round, then ``repeats`` rounds of every command: one dict of times each."""
    for command in runs.values():  # warm the file cache and the .pyc files
        timed(command)
    rounds = []
    names = list(runs)
    for repeat in range(repeats):
        order = names if repeat % 2 == 0 else names[::-1]
        rounds.append({name: timed(runs[name]) for name in order})
    return rounds


def median_ratio(rounds: list[dict[str, float]], name: str, baseline: str) -> float:
    """The median over the rounds of ``name``'s time divided by ``baseline``'s, pair by pair."""
    return statistics.median(r[name] / r[baseline] for r in rounds)


def main(argv: list[str] | None = None) -> int:
    """Measure, print the table, and return 1 if a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="7 paired repeats instead of 31")
    args, _ = parser.parse_known_args(argv)
    repeats = 7 if args.quick else 31
    runs = commands()
    rounds = paired_runs(runs, repeats)
    print(
        f"CLI start-up: {repeats} paired repeats of fresh processes (after one warm-up round);"
        " ratios are the median of the per-repeat ratios"
    )
    header = f"{'command':<56} {'median':>9} {'/ pydantic,yaml':>16} {'/ pass':>7} {'target':>7}"
    print(header)
    print("-" * len(header))
    failures = []
    for name in runs:
        median = statistics.median(r[name] for r in rounds)
        to_floor = median_ratio(rounds, name, FLOOR)
        to_bare = median_ratio(rounds, name, BARE)
        target = f"≤{TARGET:.1f}x" if name in MEASURED else ""
        row = f"{name:<56} {median * 1000:>7.1f}ms {to_floor:>15.2f}x {to_bare:>6.2f}x {target:>7}"
        print(row.rstrip())
        if name in MEASURED and to_floor > TARGET:
            failures.append(
                f"`{name}` is {to_floor:.2f}x `import pydantic, yaml` (target ≤ {TARGET:.1f}x)"
            )
    for failure in failures:
        print(f"MISSED TARGET: {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
