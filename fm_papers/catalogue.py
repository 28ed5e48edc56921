"""The immutable, indexed collection of papers, and the execution of queries over it.

A :class:`~fm_papers.query.Query` is parsed by :mod:`fm_papers.query`; it runs here, over the
indexes the catalogue builds once (by id, domain, section and kind, and one column of values
per filter and sort key), which nothing outside this module reads.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from .display import Papers, PaperTable
from .errors import QueryError, UnknownPaperError, did_you_mean
from .names import NameIndex
from .query import COLUMNS, FilterValue, Query, sorted_positions
from .records import PaperLike
from .taxonomy import Taxonomy
from .venues import VenueTable

if TYPE_CHECKING:
    from .models import Paper

__all__ = ["Catalogue"]


class Catalogue(PaperTable):
    """Papers in catalogue order, with a taxonomy, venues and indexes built once.

    Iterate over it for :class:`~fm_papers.models.Paper` models; ``len()`` counts them;
    ``name in catalogue`` tests whether :meth:`get` finds a paper by that name. Nothing in it
    can be changed: :func:`fm_papers.load` with other files gives another catalogue.

    The shipped papers are held as they were read, as plain records
    (:mod:`fm_papers.records`), and become models the first time a caller asks for them
    (:attr:`papers`, iteration, :meth:`get`, :meth:`query`). :meth:`record` and
    :meth:`records` give the same papers as they are held, which is all a renderer needs:
    the command line and the Sphinx extension never pay for pydantic when no overlay must be
    validated.

    ``repr()`` and a notebook show its first papers as a table; :meth:`to_records` and
    :meth:`to_pandas` export them all (see :class:`~fm_papers.display.PaperTable`).

    A paper is found by its id, by any of its aliases (earlier ids, other spellings) and by
    its short name, ignoring case, and then ignoring everything but letters and digits
    (``Prov-GigaPath``, ``provgigapath``, ``PROV GIGAPATH``) where that names one paper only.
    """

    __slots__ = (
        "_by_domain",
        "_by_id",
        "_by_kind",
        "_by_section",
        "_columns",
        "_entries",
        "_made",
        "_models",
        "_names",
        "_venue_names",
        "files",
        "taxonomy",
        "venues",
    )

    def __init__(
        self,
        papers: Iterable[PaperLike],
        taxonomy: Taxonomy,
        venues: VenueTable,
        files: Iterable[Path] = (),
    ) -> None:
        self._entries: tuple[PaperLike, ...] = tuple(papers)
        #: Models made so far, by position (see :attr:`papers`).
        self._made: dict[int, Paper] = {}
        self.taxonomy = taxonomy
        self.venues = venues
        #: The data files this catalogue was read from, shipped ones first.
        self.files: tuple[Path, ...] = tuple(files)
        by_id: dict[str, int] = {}
        by_kind: dict[str, list[int]] = {}
        by_domain: dict[str, list[int]] = {}
        by_section: dict[str, list[int]] = {}
        models: dict[str, str] = {}
        venue_names: dict[str, str] = {v.name.casefold(): v.name for v in venues.venues}
        for position, paper in enumerate(self._entries):
            by_id[paper.id] = position
            if paper.kind:
                by_kind.setdefault(paper.kind, []).append(position)
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
        self._names: NameIndex | None = None  # made on first need: most lookups are ids
        self._by_kind = MappingProxyType({k: tuple(v) for k, v in by_kind.items()})
        self._by_domain = MappingProxyType({k: tuple(v) for k, v in by_domain.items()})
        self._by_section = MappingProxyType({k: tuple(v) for k, v in by_section.items()})
        self._models = MappingProxyType(models)
        self._venue_names = MappingProxyType(venue_names)
        self._columns: dict[str, tuple[Any, ...]] = {}  # made as queries need them

    @property
    def papers(self) -> tuple[Paper, ...]:
        """Every paper as a model, in catalogue order."""
        return tuple(self._paper(position) for position in range(len(self._entries)))

    def _paper(self, position: int) -> Paper:
        """The model of the paper at ``position``, made once (a record becomes a model)."""
        made = self._made.get(position)
        if made is None:
            from .models import Paper

            made = self._made[position] = Paper.from_record(self._entries[position])
        return made

    def __iter__(self) -> Iterator[Paper]:
        return iter(self.papers)

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.resolve(name) is not None

    def _papers(self) -> Sequence[PaperLike]:
        return self._entries

    def _heading(self) -> str:
        return f"<Catalogue of {len(self)} papers in {len(self.taxonomy.domains)} domains>"

    def resolve(self, name: str) -> str | None:
        """The id of the paper ``name`` stands for (an id, alias or short name), or ``None``.

        An exact id wins, then an id or alias ignoring case, then a short name ignoring case,
        then any of them ignoring everything but letters and digits
        (:mod:`fm_papers.names`); a name several papers share finds none.
        """
        position = self._position(name)
        return self._entries[position].id if position is not None else None

    def _owners(self, name: str) -> tuple[int, ...]:
        """The positions of the papers a name finds: one, none, or several (ambiguous)."""
        position = self._by_id.get(name)
        if position is not None:
            return (position,)
        if self._names is None:
            self._names = NameIndex(self._entries)
        return tuple(self._by_id[paper_id] for paper_id in self._names.find(name))

    def _position(self, name: str) -> int | None:
        found = self._owners(name)
        return found[0] if len(found) == 1 else None

    def _unknown(self, name: str, found: tuple[int, ...], most: int = 3) -> UnknownPaperError:
        """The error for a name that finds no paper (suggesting at most ``most`` ids), or
        several (``found``)."""
        if len(found) > 1:
            shared = {self._entries[p].id: _described(self._entries[p]) for p in found}
            return UnknownPaperError(name, shared, ambiguous=True)
        return UnknownPaperError(name, dict(list(self._suggestions(name).items())[:most]))

    def get(self, name: str) -> Paper:
        """The paper with this id, alias or short name (see :meth:`resolve`).

        :raises UnknownPaperError: naming the closest ids, with the paper each one names, or
            every paper a name shared by several papers finds.
        """
        return self._paper(self._found(name))

    def record(self, name: str) -> PaperLike:
        """The paper :meth:`get` finds, as the catalogue holds it: a record of the shipped data
        (:mod:`fm_papers.records`) or a validated model, with the same attributes either way.

        :raises UnknownPaperError: as :meth:`get` does.
        """
        return self._entries[self._found(name)]

    def _found(self, name: str) -> int:
        found = self._owners(name)
        if len(found) != 1:
            raise self._unknown(name, found)
        return found[0]

    def _suggestions(self, name: str) -> dict[str, str]:
        """The ids of the papers whose names are nearest to ``name``, each with what it names
        (short name or title, and year)."""
        names: dict[str, str] = {}
        for paper in self._entries:
            for spelling in (paper.id, *paper.aliases, paper.model or ""):
                if spelling:
                    names.setdefault(spelling.casefold(), paper.id)
        near = did_you_mean(name.casefold(), list(names), n=6)
        ids = list(dict.fromkeys(names[n.casefold()] for n in near))[:3]
        return {i: _described(self._entries[self._by_id[i]]) for i in ids}

    def ids(self) -> tuple[str, ...]:
        """Every id, in catalogue order."""
        return tuple(self._by_id)

    def query(
        self, filters: Mapping[str, FilterValue] | None = None, /, **kwargs: FilterValue
    ) -> Papers:
        """Papers matching the filters of :data:`fm_papers.filters.FILTER_SPECS` (AND across
        filters).

        Without ``sort`` they come newest first, then by title
        (:data:`~fm_papers.filters.DEFAULT_SORT`, the order of the command line and the
        directive too), or in the order of ``ids`` when given; ``sort=""`` keeps catalogue
        order, which iterating the catalogue also gives.

        The result is a tuple of papers that shows itself as a table
        (:class:`~fm_papers.display.Papers`).

        >>> from fm_papers import load
        >>> papers = load().query(domain="pathology", section="segmentation", sort="-year", limit=3)
        >>> len(papers)
        3

        :raises QueryError: for a filter or value that is unknown or cannot be read, naming the
            valid values and the nearest one.
        """
        return Papers(map(self._paper, self._select(Query.parse(filters, **kwargs))))

    def records(
        self, filters: Mapping[str, FilterValue] | None = None, /, **kwargs: FilterValue
    ) -> tuple[PaperLike, ...]:
        """The papers :meth:`query` selects, in its order, as the catalogue holds them (see
        :meth:`record`).

        Without any filter it gives every paper in catalogue order, as iterating the
        catalogue does (the built form and the BibTeX file of a build are written from it);
        ``records(sort="-year,title")`` gives them in :meth:`query`'s default order.

        :raises QueryError: as :meth:`query` does.
        """
        if not filters and not kwargs:
            return self._entries
        return self.run(Query.parse(filters, **kwargs))

    def run(self, query: Query) -> tuple[PaperLike, ...]:
        """The papers a parsed query selects, in its order, as the catalogue holds them (see
        :meth:`record`); :meth:`records` parses the filters first.

        :raises QueryError: for a key, venue, model or id the catalogue does not know.
        """
        return tuple(self._entries[i] for i in self._select(query))

    def flagged(self) -> Papers:
        """The papers that carry at least one source-defect flag, in :meth:`query`'s default
        order; their table shows the flags (:class:`~fm_papers.display.PaperTable`)."""
        order = self._select(Query.parse())
        return Papers(self._paper(i) for i in order if self._entries[i].flags)

    def models(self) -> tuple[str, ...]:
        """Model names, sorted case-insensitively."""
        return tuple(sorted(self._models.values(), key=str.casefold))

    def venue_names(self) -> tuple[str, ...]:
        """Venue names in use or known, sorted case-insensitively."""
        return tuple(sorted(self._venue_names.values(), key=str.casefold))

    # Running a query: the indexes it reads are this class's own. --------------------------

    def _select(self, query: Query) -> list[int]:
        """The positions of the papers ``query`` selects, in its order.

        :raises QueryError: as :meth:`run` does.
        """
        selected: set[int] | None = None

        def narrow(positions: Iterable[int]) -> None:
            nonlocal selected
            found = set(positions)
            selected = found if selected is None else selected & found

        if query.domain:
            keys = [self.taxonomy.domain(d).key for d in query.domain]
            narrow(i for key in keys for i in self._positions("domain", key))
        if query.section:
            keys = [self.taxonomy.node(s).key for s in query.section]
            narrow(i for key in keys for i in self._positions("section", key))
        if query.kind:
            narrow(i for kind in query.kind for i in self._positions("kind", kind))
        if query.ids:
            narrow(self._position_of(i, field="ids") for i in query.ids)
        if query.exclude:
            excluded = {self._position_of(i, field="exclude") for i in query.exclude}
            narrow(i for i in range(len(self)) if i not in excluded)
        venues = {self._venue_name(v).casefold() for v in query.venue}
        models = {self._model_name(m).casefold() for m in query.model}

        # Each filter narrows a list of positions through one precomputed column, so a query
        # over many entries runs as a few tight loops instead of one call per paper.
        order = list(range(len(self))) if selected is None else sorted(selected)
        if query.year:
            years = self._column("year")
            ranges = query.year
            order = [i for i in order if any(years[i] in r for r in ranges)]
        if venues:
            venue_column = self._column("venue")
            order = [i for i in order if venue_column[i] in venues]
        if query.venue_kind:
            kinds = set(query.venue_kind)
            kind_column = self._column("venue-kind")
            order = [i for i in order if kind_column[i] in kinds]
        if models:
            model_column = self._column("model")
            order = [i for i in order if model_column[i] in models]
        if query.has_code is not None:
            code = self._column("has-code")
            order = [i for i in order if code[i] == query.has_code]
        if query.author:
            wanted = set(query.author)
            authors = self._column("authors")
            order = [i for i in order if wanted & authors[i]]
        if query.search:
            texts = self._column("search")
            words = query.search
            order = [i for i in order if all(word in texts[i] for word in words)]
        if query.ids and not query.sort:
            rank: dict[int, int] = {}
            for n, paper_id in enumerate(query.ids):
                rank.setdefault(self._position_of(paper_id), n)  # the first mention counts
            order.sort(key=rank.__getitem__)
        for sort_key in reversed(query.sort):
            order = sorted_positions(order, self._column(sort_key.key), sort_key.descending)
        if query.limit is not None:
            order = order[: query.limit]
        return order

    # The indexes Query.run reads: private to the package, free to change with it. ------

    def _positions(self, index: str, key: str) -> tuple[int, ...]:
        """Positions of the papers under a domain or section key, or of a kind."""
        table = {"domain": self._by_domain, "kind": self._by_kind}.get(index, self._by_section)
        return table.get(key, ())

    def _position_of(self, name: str, *, field: str = "ids") -> int:
        """The position of a paper by id, alias or short name; an unknown one is a
        :class:`QueryError` on ``field``."""
        found = self._owners(name)
        if len(found) != 1:
            raise QueryError(field, name, str(self._unknown(name, found, most=1)))
        return found[0]

    def _column(self, name: str) -> tuple[Any, ...]:
        """One value per paper, by position, as queries compare and sort them: ``year``,
        ``kind``, ``venue-kind`` and ``has-code`` as they are; ``id``, ``title``, ``venue`` and
        ``model`` case-folded; ``search`` the folded title, short name and aliases. Each is
        made the first time a query reads it."""
        column = self._columns.get(name)
        if column is None:
            column = self._columns[name] = tuple(map(COLUMNS[name], self._entries))
        return column

    def _venue_name(self, text: str) -> str:
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

    def _model_name(self, text: str) -> str:
        """The model name a case-insensitive spelling stands for.

        :raises QueryError: naming the models and the nearest one.
        """
        name = self._models.get(text.strip().casefold())
        if name is None:
            raise QueryError("model", text, f"unknown model {text!r}", self.models())
        return name


def _described(paper: PaperLike) -> str:
    """``UNI, 2024``: what an id names, for suggestions."""
    return ", ".join(str(v) for v in (paper.model or _short(paper.title), paper.year) if v)


def _short(title: str) -> str:
    return title if len(title) <= 40 else title[:39].rstrip() + "…"
