"""The immutable, indexed collection of papers that every query runs on."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .errors import QueryError, UnknownPaperError
from .models import Paper
from .query import FilterValue, Query
from .taxonomy import Taxonomy
from .venues import VenueTable

__all__ = ["Catalogue"]


class Catalogue:
    """Papers in catalogue order, with a taxonomy, venues and indexes built once.

    Iterate over it for :class:`~fm_papers.models.Paper` records; ``len()`` counts them;
    ``paper_id in catalogue`` tests an id. Nothing in it can be changed: :func:`fm_papers.load`
    with other files gives another catalogue.
    """

    __slots__ = (
        "_by_domain",
        "_by_id",
        "_by_section",
        "_columns",
        "_models",
        "_venue_names",
        "files",
        "papers",
        "taxonomy",
        "venues",
    )

    def __init__(
        self,
        papers: Iterable[Paper],
        taxonomy: Taxonomy,
        venues: VenueTable,
        files: Iterable[Path] = (),
    ) -> None:
        self.papers: tuple[Paper, ...] = tuple(papers)
        self.taxonomy = taxonomy
        self.venues = venues
        #: The data files this catalogue was read from, shipped ones first.
        self.files: tuple[Path, ...] = tuple(files)
        by_id: dict[str, int] = {}
        by_domain: dict[str, list[int]] = {}
        by_section: dict[str, list[int]] = {}
        models: dict[str, str] = {}
        venue_names: dict[str, str] = {v.name.casefold(): v.name for v in venues.venues}
        for position, paper in enumerate(self.papers):
            by_id[paper.id] = position
            for domain in paper.domains:
                by_domain.setdefault(domain, []).append(position)
            # A paper is found under its sections and under each of their ancestors.
            seen: set[str] = set()
            for section in paper.sections:
                node = taxonomy.node(section)
                for key in (*node.ancestors, node.key):
                    if key not in seen:
                        seen.add(key)
                        by_section.setdefault(key, []).append(position)
            if paper.model:
                models.setdefault(paper.model.casefold(), paper.model)
            if paper.venue:
                venue_names.setdefault(paper.venue.casefold(), paper.venue)
        self._by_id: Mapping[str, int] = MappingProxyType(by_id)
        self._by_domain = MappingProxyType({k: tuple(v) for k, v in by_domain.items()})
        self._by_section = MappingProxyType({k: tuple(v) for k, v in by_section.items()})
        self._models = MappingProxyType(models)
        self._venue_names = MappingProxyType(venue_names)
        # Built here rather than on first use, so the catalogue never changes after this.
        self._columns = MappingProxyType(
            {name: tuple(map(value, self.papers)) for name, value in _COLUMNS.items()}
        )

    def __iter__(self) -> Iterator[Paper]:
        return iter(self.papers)

    def __len__(self) -> int:
        return len(self.papers)

    def __contains__(self, paper_id: object) -> bool:
        return isinstance(paper_id, str) and paper_id in self._by_id

    def __repr__(self) -> str:
        return f"<Catalogue of {len(self)} papers in {len(self.taxonomy.domains)} domains>"

    def get(self, paper_id: str) -> Paper:
        """The paper with this id.

        :raises UnknownPaperError: naming the closest ids.
        """
        position = self._by_id.get(paper_id)
        if position is None:
            raise UnknownPaperError(paper_id, list(self._by_id))
        return self.papers[position]

    def ids(self) -> tuple[str, ...]:
        """Every id, in catalogue order."""
        return tuple(self._by_id)

    def query(
        self, filters: Mapping[str, FilterValue] | None = None, /, **kwargs: FilterValue
    ) -> tuple[Paper, ...]:
        """Papers matching the filters of :mod:`fm_papers.query` (AND across filters).

        >>> load().query(domain="pathology", section="segmentation", sort="-year", limit=3)

        :raises QueryError: for a filter or value that is unknown or cannot be read, naming the
            valid values and the nearest one.
        """
        return Query.parse(filters, **kwargs).run(self)

    def flagged(self) -> tuple[Paper, ...]:
        """Papers that carry at least one source-defect flag."""
        return tuple(p for p in self.papers if p.flags)

    def models(self) -> tuple[str, ...]:
        """Model names, sorted case-insensitively."""
        return tuple(sorted(self._models.values(), key=str.casefold))

    def venue_names(self) -> tuple[str, ...]:
        """Venue names in use or known, sorted case-insensitively."""
        return tuple(sorted(self._venue_names.values(), key=str.casefold))

    # Helpers for Query.run -------------------------------------------------------------

    def positions(self, index: str, key: str) -> tuple[int, ...]:
        """Positions of the papers under a domain or section key."""
        table = self._by_domain if index == "domain" else self._by_section
        return table.get(key, ())

    def position(self, paper_id: str, *, field: str = "ids") -> int:
        """The position of an id; an unknown one is a :class:`QueryError` on ``field``."""
        position = self._by_id.get(paper_id)
        if position is None:
            raise QueryError(field, paper_id, f"unknown paper id {paper_id!r}", list(self._by_id))
        return position

    def venue_name(self, text: str) -> str:
        """The venue name a spelling or alias stands for.

        :raises QueryError: naming the venues and the nearest one.
        """
        venue = self.venues.get(text)
        if venue is not None:
            return venue.name
        name = self._venue_names.get(text.strip().casefold())
        if name is None:
            raise QueryError("venue", text, f"unknown venue {text!r}", self.venue_names())
        return name

    def model_name(self, text: str) -> str:
        """The model name a case-insensitive spelling stands for.

        :raises QueryError: naming the models and the nearest one.
        """
        name = self._models.get(text.strip().casefold())
        if name is None:
            raise QueryError("model", text, f"unknown model {text!r}", self.models())
        return name

    def column(self, name: str) -> tuple[Any, ...]:
        """One value per paper, by position, as queries compare and sort them.

        ``year``, ``venue-kind`` and ``has-code`` as they are; ``id``, ``title``, ``venue`` and
        ``model`` case-folded; ``search`` the folded title and model that ``search`` looks in.
        """
        return self._columns[name]


def _folded(text: str | None) -> str | None:
    return text.casefold() if text is not None else None


_COLUMNS: dict[str, Callable[[Paper], object]] = {
    "id": lambda p: p.id,
    "title": lambda p: p.title.casefold(),
    "year": lambda p: p.year,
    "venue": lambda p: _folded(p.venue),
    "venue-kind": lambda p: p.venue_kind,
    "model": lambda p: _folded(p.model),
    "has-code": lambda p: p.has_code,
    "search": lambda p: f"{p.title} {p.model or ''}".casefold(),
}
