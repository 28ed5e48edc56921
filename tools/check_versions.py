"""Print the versions of the support range's packages, and fail unless each pin holds.

``python tools/check_versions.py "sphinx==7.4.*" "pydantic==2.6"`` (run by ``nox -s compat``).
"""

from __future__ import annotations

import sys
from importlib.metadata import PackageNotFoundError, version

from packaging.requirements import Requirement

SHOWN = ("sphinx", "docutils", "myst-parser", "sphinx-design", "pydantic", "pyyaml")


def main(pins: list[str]) -> int:
    """Check each pin against what is installed; print one line of versions."""
    installed = {}
    for name in SHOWN:
        try:
            installed[name] = version(name)
        except PackageNotFoundError:
            installed[name] = "-"
    print("tested with " + ", ".join(f"{name} {v}" for name, v in installed.items()))
    wrong = []
    for pin in pins:
        requirement = Requirement(pin)
        found = version(requirement.name)
        if not requirement.specifier.contains(found, prereleases=True):
            wrong.append(f"{requirement.name} {found} does not satisfy {pin}")
    for line in wrong:
        print(f"error: {line}", file=sys.stderr)
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
