"""fm-papers: a curated, queryable catalogue of foundation-model papers.

>>> import fm_papers
>>> catalogue = fm_papers.load()
>>> papers = catalogue.query(domain="pathology", section="segmentation", sort="-year")

The names below are imported on first use, so ``import fm_papers`` (and
``fm-papers --version``) costs almost nothing until the catalogue is needed.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .catalogue import Catalogue
    from .display import Papers
    from .errors import DataError, FmPapersError, QueryError, UnknownPaperError
    from .loader import load
    from .models import Paper
    from .query import Query

__all__ = [
    "Catalogue",
    "DataError",
    "FmPapersError",
    "Paper",
    "Papers",
    "Query",
    "QueryError",
    "UnknownPaperError",
    "__version__",
    "load",
]

__version__ = "0.1.0"

_HOMES = {
    "Catalogue": "catalogue",
    "DataError": "errors",
    "FmPapersError": "errors",
    "QueryError": "errors",
    "UnknownPaperError": "errors",
    "load": "loader",
    "Paper": "models",
    "Papers": "display",
    "Query": "query",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'fm_papers' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{home}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
