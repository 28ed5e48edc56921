"""Fail unless every module is covered to the floor, and each is reported once, from the tree.

``python tools/check_coverage.py coverage.json --floor 90``, run by ``nox -s coverage`` on
the output of ``coverage json`` (the total's floor is coverage's own ``--fail-under``). A
module's figure is the one coverage prints: lines and branches together, at the report's
precision. Each module must be named as in the checkout (``fm_papers/...``, ``sphinxext/...``),
whichever copy a process imported: the installed package, or from the root the checkout's,
whose ``fm_papers/sphinxext`` is a link (``[tool.coverage.paths]`` in pyproject.toml maps them).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
#: Where measured modules must be reported from, relative to the repository root.
TREES = ("fm_papers/", "sphinxext/")


def problems(report: dict[str, Any], floor: float) -> list[str]:
    """One line per module under ``floor`` percent, or reported from outside the tree."""
    out = []
    for name, data in sorted(report["files"].items()):
        path = Path(name)
        if path.is_absolute() and path.is_relative_to(ROOT):
            path = path.relative_to(ROOT)
        if path.is_absolute() or not path.as_posix().startswith(TREES):
            out.append(f"{name}: measured outside the checkout's fm_papers/ and sphinxext/")
        elif path.as_posix().startswith("fm_papers/sphinxext/"):
            out.append(f"{name}: the extension is reported under its link, not as sphinxext/")
        percent = data["summary"]["percent_covered_display"]
        if float(percent) < floor:
            out.append(f"{name}: {percent}% is under the floor of {floor:g}%")
    return out


def main(argv: list[str] | None = None) -> int:
    """Print each problem; the exit status is 1 when there is one."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", type=Path, help="the output of `coverage json`")
    parser.add_argument("--floor", type=float, required=True, help="percent, for each module")
    args = parser.parse_args(argv)
    report = json.loads(args.report.read_text(encoding="utf-8"))
    found = problems(report, args.floor)
    for line in found:
        print(f"error: {line}", file=sys.stderr)
    if not found:
        name, data = min(
            report["files"].items(), key=lambda item: item[1]["summary"]["percent_covered"]
        )
        print(
            f"all {len(report['files'])} modules are at {args.floor:g}% or more "
            f"(the lowest: {name}, {data['summary']['percent_covered_display']}%)"
        )
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
