"""Rebuild the shipped catalogue from the source lists, the ledger of ids and curation.yaml.

python curation/build.py              # rebuild, update the ledger, print what changed
python curation/build.py --check      # change nothing; exit 1 if anything is out of date
python curation/build.py --root DIR   # work on DIR/curation and DIR/fm_papers/data instead

The build itself is :mod:`fm_papers.curation.build`; this script runs it on this checkout.
"""

from __future__ import annotations

from pathlib import Path

from fm_papers.curation.build import main

if __name__ == "__main__":
    raise SystemExit(main(root=Path(__file__).resolve().parent.parent))
