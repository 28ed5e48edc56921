"""Prove an installed wheel is complete: data files inside it, they load (from their JSON
copies: no Sphinx, pydantic or YAML parser imported).

Run by ``nox -s build`` with the interpreter of a fresh venv that has only the wheel (and
its dependencies) installed, from a directory outside the source tree.
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

REQUIRED = (
    "fm_papers/py.typed",
    "fm_papers/data/papers.yaml",
    "fm_papers/data/papers.json",
    "fm_papers/data/taxonomy.yaml",
    "fm_papers/data/taxonomy.json",
    "fm_papers/data/venues.yaml",
    "fm_papers/data/venues.json",
    "fm_papers/cli/__init__.py",
    "fm_papers/cli/app.py",
    "fm_papers/curation/__init__.py",
    "fm_papers/curation/build.py",
    "fm_papers/formats/bibtex.py",
    "fm_papers/sphinxext/__init__.py",
    "fm_papers/sphinxext/static/fm-papers.js",
    "fm_papers/sphinxext/static/fm-papers.css",
    "fm_papers/sphinxext/locale/de/LC_MESSAGES/fm-papers.mo",
    "fm_papers/sphinxext/locale/es/LC_MESSAGES/fm-papers.mo",
    "fm_papers/sphinxext/locale/fr/LC_MESSAGES/fm-papers.mo",
    "fm_papers/sphinxext/locale/zh_CN/LC_MESSAGES/fm-papers.mo",
)


def main(wheel: str) -> int:
    names = set(zipfile.ZipFile(wheel).namelist())
    missing = [name for name in REQUIRED if name not in names]
    stray = sorted(n for n in names if n.split("/")[0] in ("sphinxext", "tests", "curation"))
    if missing or stray:
        print(f"missing from the wheel: {missing}; must not be top-level: {stray}")
        return 1

    import fm_papers

    catalogue = fm_papers.load()
    location = Path(fm_papers.__file__).parent
    if "site-packages" not in str(location):
        print(f"fm_papers imported from {location}, not from the installed wheel")
        return 1
    catalogue.records(domain="pathology")
    heavy = sorted(m for m in ("sphinx", "docutils", "pydantic", "yaml") if m in sys.modules)
    if heavy:
        # The shipped data is read from its JSON copies, as records: a missing or stale copy
        # in the wheel would bring the YAML parser back on this path.
        print(f"loading and querying the shipped catalogue imported {heavy}")
        return 1
    print(f"wheel OK: {len(names)} files, {len(catalogue)} papers loaded from {location}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
