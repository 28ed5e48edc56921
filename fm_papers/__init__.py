"""fm-papers: a curated, queryable catalogue of foundation-model papers.

>>> import fm_papers
>>> catalogue = fm_papers.load()
>>> papers = catalogue.query(domain="pathology", section="segmentation", sort="-year")
"""

from __future__ import annotations

from .catalogue import Catalogue
from .errors import DataError, FmPapersError, QueryError, UnknownPaperError
from .loader import load
from .models import Paper
from .query import Query

__all__ = [
    "Catalogue",
    "DataError",
    "FmPapersError",
    "Paper",
    "Query",
    "QueryError",
    "UnknownPaperError",
    "__version__",
    "load",
]

__version__ = "0.1.0"
