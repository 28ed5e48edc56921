"""Validate data files and merge them into one catalogue: shipped data first, then overlays.

An overlay may add entries, extend one (``extend: true``: memberships, links, notes and
aliases added) or replace one (``override: true``), found by the one rule names follow
(:mod:`fm_papers.names`); it may add domains, sections and venues too. Every problem of every
file is collected, located, and raised together as one :class:`~fm_papers.errors.DataError`.
Trusted (shipped) entries become records; pydantic and the models are imported only when a
file must be validated.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from .catalogue import Catalogue
from .datafile import DataFile, entry_name, kind_of
from .errors import DataError, DataProblem, QueryError
from .names import NameIndex
from .records import (
    DomainLike,
    DomainRecord,
    MembershipLike,
    PaperLike,
    PaperRecord,
    VenueLike,
    VenueRecord,
    replace,
)
from .taxonomy import Taxonomy
from .venues import VenueTable, fold

if TYPE_CHECKING:
    from .models import Paper, PaperExtension

__all__ = ["merge"]


class _Defined:
    """An entry defined so far, and where: its file and its index there."""

    __slots__ = ("builtin", "file", "index", "paper")

    def __init__(self, paper: PaperLike, file: DataFile, index: int, builtin: bool) -> None:
        self.paper = paper
        self.file = file
        self.index = index
        self.builtin = builtin


def merge(files: Sequence[DataFile], builtin_count: int, *, trust_builtin: bool) -> Catalogue:
    """Validate every file (shipped entries only if not trusted) and merge them into one
    catalogue; the first ``builtin_count`` files are the shipped ones.

    Trusted entries become records (:mod:`fm_papers.records`); pydantic and the models are
    imported only when a file must be validated.
    """
    problems: list[DataProblem] = []

    domains: list[DomainLike] = []
    venues: list[VenueLike] = []
    spelled: dict[str, tuple[str, DataFile, int]] = {}  # spelling -> venue name, where defined
    for number, file in enumerate(files):
        trusted = trust_builtin and number < builtin_count
        for index, raw in enumerate(file.domains):
            name = entry_name(raw, index)
            if trusted:
                domain: DomainLike | None = DomainRecord.from_data(raw)
            else:
                from .models import Domain
                from .validation import validate

                domain, found = validate(Domain, raw, file, "domains", index, name)
                problems += found
            if domain is None:
                continue
            merged = _merge_domain(domains, domain)
            try:
                Taxonomy(merged)  # a key or alias used twice is reported where it is added
            except ValueError as error:
                problems.append(file.problem(str(error), "domains", index, entry=name))
                continue
            domains = merged
        for index, raw in enumerate(file.venues):
            if trusted:
                venue: VenueLike | None = VenueRecord.from_data(raw)
            else:
                from .models import Venue
                from .validation import validate

                venue, found = validate(Venue, raw, file, "venues", index, entry_name(raw, index))
                problems += found
            if venue is None:
                continue
            clashes = _venue_clashes(venue, spelled, file, index)
            problems += clashes
            if not clashes:
                venues.append(venue)
    if problems:
        raise DataError(problems)
    taxonomy = Taxonomy(domains)
    venue_table = VenueTable(venues)

    papers = _Papers()
    for number, file in enumerate(files):
        builtin = number < builtin_count
        for index, raw in enumerate(file.papers):
            name = entry_name(raw, index)
            if not isinstance(raw, dict):
                message = f"an entry must be a mapping, got {kind_of(raw)}"
                problems.append(file.problem(message, "papers", index, entry=name))
                continue
            override = False
            if builtin and trust_builtin:
                paper: PaperLike | None = PaperRecord.from_data(raw)
            else:
                paper, extension, override, found = _validated(raw, file, index, name, builtin)
                problems += found
                if extension is not None:
                    problems += _check_memberships(
                        extension.memberships, taxonomy, file, index, extension.id
                    )
                    problems += papers.extend(extension, file, index)
            if paper is None:
                continue
            paper = _normalise_venue(paper, venue_table)
            problems += _check_memberships(paper.memberships, taxonomy, file, index, paper.id)
            problems += papers.add(_Defined(paper, file, index, builtin), override=override)
    if problems:
        raise DataError(problems)
    return Catalogue(
        (d.paper for d in papers.defined.values()),
        taxonomy,
        venue_table,
        [f.path for f in files],
    )


def _validated(
    raw: dict[str, Any], file: DataFile, index: int, name: str, builtin: bool
) -> tuple[Paper | None, PaperExtension | None, bool, list[DataProblem]]:
    """An untrusted entry validated: a paper and whether it overrides the entry of its id, or
    (in an overlay) an extension of an entry defined before; or the problems found."""
    from .models import Paper, PaperExtension
    from .validation import validate

    if raw.get("extend") is not None and not builtin:
        extension, found = validate(PaperExtension, raw, file, "papers", index, name)
        return None, extension, False, found
    override = False
    if not builtin and "override" in raw:
        # Taken out so that the entry is validated once, as a Paper.
        raw = dict(raw)
        override = raw.pop("override")
        if not isinstance(override, bool):
            return None, None, False, [
                file.problem("must be true or false", "papers", index, "override", entry=name)
            ]  # fmt: skip
    paper, found = validate(Paper, raw, file, "papers", index, name)
    return _with_identifiers(paper) if paper is not None else None, None, override, found


def _with_identifiers(paper: Paper) -> Paper:
    """An overlay's paper with the DOI and arXiv id its link names, by the rules the shipped
    data follows (:func:`fm_papers.derive.doi`, :func:`~fm_papers.derive.arxiv_id`), where it
    gives none of its own."""
    from .derive import arxiv_id, doi

    url = paper.url
    if url is None:
        return paper
    found = {"doi": paper.doi or doi(url), "arxiv": paper.arxiv or arxiv_id(url)}
    if (found["doi"], found["arxiv"]) == (paper.doi, paper.arxiv):
        return paper
    return paper.model_copy(update=found)


class _Papers:
    """The entries defined so far, by id, and the names that find them (:mod:`.names`)."""

    def __init__(self) -> None:
        self.defined: dict[str, _Defined] = {}
        self.names = NameIndex()

    def resolve(
        self, name: str, file: DataFile, index: int, *, loose: bool
    ) -> tuple[str | None, list[DataProblem]]:
        """The id a name stands for: an id or an alias, ignoring case; with ``loose``, by
        the whole rule of :meth:`NameIndex.find <fm_papers.names.NameIndex.find>`, as
        :meth:`Catalogue.resolve <fm_papers.catalogue.Catalogue.resolve>` finds papers. A name
        several entries share is a problem located at the entry's id."""
        if not loose:
            return self.names.owner(name), []
        found = self.names.find(name)
        if len(found) <= 1:
            return (found[0] if found else None), []
        shared = ", ".join(f"{paper_id!r} ({self._where(paper_id)})" for paper_id in found)
        message = f"{name!r} names {len(found)} entries: {shared}; write an id"
        return None, [file.problem(message, "papers", index, "id", entry=name)]

    def _where(self, paper_id: str) -> str:
        previous = self.defined[paper_id]
        return f"{previous.file.name}:{previous.file.line('papers', previous.index)}"

    def _claim(self, new: _Defined, owner: str) -> list[DataProblem]:
        """Make ``new``'s aliases find ``owner``; an alias of another entry is a problem."""
        problems = []
        for number, alias in enumerate(new.paper.aliases):
            taken = self.names.owner(alias)
            if taken is not None and taken != owner:
                problems.append(
                    new.file.problem(
                        f"alias {alias!r} already names {taken!r} ({self._where(taken)})",
                        "papers", new.index, "aliases", number,
                        entry=new.paper.id,
                    )
                )  # fmt: skip
        return problems

    def add(self, new: _Defined, *, override: bool) -> list[DataProblem]:
        """Define an entry, or replace the entry it names with ``override``."""
        paper = new.paper
        owner, problems = self.resolve(paper.id, new.file, new.index, loose=override)
        if problems:
            return problems
        if owner is not None and not override:
            if owner == paper.id:
                message = f"duplicate id, first defined at {self._where(owner)}"
            else:
                message = f"{paper.id!r} is an alias of {owner!r} ({self._where(owner)})"
            if not new.builtin:
                message += "; set 'override: true' to replace it or 'extend: true' to add to it"
            return [new.file.problem(message, "papers", new.index, "id", entry=paper.id)]
        if owner is None and override:
            # A misspelt override must not add a paper and leave the real one as it was.
            return [
                new.file.problem(
                    "'override: true' names no entry defined before it; leave 'override' out "
                    "to add a new entry",
                    "papers", new.index, "id", entry=paper.id,
                )
            ]  # fmt: skip
        if owner is not None:
            # The entry keeps its id and every name it had; the one written becomes an alias.
            old = self.defined.pop(owner).paper
            aliases = _aliases(owner, old.aliases, [paper.id], paper.aliases)
            new.paper = replace(paper, id=owner, aliases=aliases)
        paper_id = new.paper.id
        problems = self._claim(new, paper_id)
        self.defined[paper_id] = new  # an override takes the position of the new entry
        self.names.add(new.paper)
        return problems

    def extend(self, extension: PaperExtension, file: DataFile, index: int) -> list[DataProblem]:
        """Add an overlay's memberships, links, notes and aliases to an entry defined earlier."""
        owner, problems = self.resolve(extension.id, file, index, loose=True)
        if problems:
            return problems
        if owner is None:
            return [
                file.problem(
                    "'extend: true' names no entry defined before it",
                    "papers", index, "id", entry=extension.id,
                )
            ]  # fmt: skip
        from .models import Paper  # links and memberships are merged as models, alike

        previous = self.defined[owner]
        old = Paper.from_record(previous.paper)
        update: dict[str, object] = {
            "memberships": tuple(dict.fromkeys((*old.memberships, *extension.memberships))),
            "links": tuple(dict.fromkeys((*old.links, *extension.links))),
            "notes": tuple(dict.fromkeys((*old.notes, *extension.notes))),
            "aliases": _aliases(owner, old.aliases, extension.aliases),
        }
        if extension.authors and old.authors:
            # Two lists cannot be merged: which order, which spelling? Replacing is override's.
            return [
                file.problem(
                    f"{owner!r} has authors already; an entry with 'override: true' replaces "
                    "the whole entry, its authors included",
                    "papers", index, "authors", entry=extension.id,
                )
            ]  # fmt: skip
        if extension.authors:
            update |= {"authors": extension.authors, "authors_source": extension.authors_source}
        probe = _Defined(old.model_copy(update={"aliases": extension.aliases}), file, index, False)
        problems = self._claim(probe, owner)
        previous.paper = _with_identifiers(old.model_copy(update=update))
        self.names.add(previous.paper)
        return problems


def _aliases(paper_id: str, *groups: Iterable[str]) -> tuple[str, ...]:
    """Aliases in order without repeats (ignoring case), and never the id itself."""
    seen = {paper_id.casefold()}
    out = []
    for alias in (a for group in groups for a in group):
        if alias.casefold() not in seen:
            seen.add(alias.casefold())
            out.append(alias)
    return tuple(out)


def _venue_clashes(
    venue: VenueLike, spelled: dict[str, tuple[str, DataFile, int]], file: DataFile, index: int
) -> list[DataProblem]:
    """Claim a venue's name and aliases; one another venue has is a problem (a spelling must
    name one venue, or venue matching would depend on the order files are read in)."""
    problems = []
    for number, spelling in enumerate((venue.name, *venue.aliases)):
        keys = (
            ("venues", index, "name") if number == 0 else ("venues", index, "aliases", number - 1)
        )
        owner = spelled.get(fold(spelling))
        if owner is not None:
            name, where, position = owner
            problems.append(
                file.problem(
                    f"{spelling!r} already names the venue {name!r} "
                    f"({where.name}:{where.line('venues', position)})",
                    *keys, entry=venue.name,
                )
            )  # fmt: skip
    if not problems:
        for spelling in (venue.name, *venue.aliases):
            spelled[fold(spelling)] = (venue.name, file, index)
    return problems


def _merge_domain(domains: list[DomainLike], new: DomainLike) -> list[DomainLike]:
    """Add a domain, or add the sections and aliases of a domain that exists to it (its
    title stays the first file's)."""
    for position, old in enumerate(domains):
        if old.key == new.key:
            from .models import Domain  # an overlay's domain: the models are loaded

            # Models throughout: a shipped domain's sections are records until made models.
            base, added = Domain.from_record(old), Domain.from_record(new)
            aliases = tuple(dict.fromkeys((*base.aliases, *added.aliases)))
            update = {"sections": (*base.sections, *added.sections), "aliases": aliases}
            merged = base.model_copy(update=update)
            out = list(domains)
            out[position] = merged
            return out
    return [*domains, new]


def _normalise_venue(paper: PaperLike, venues: VenueTable) -> PaperLike:
    """Write a known venue's canonical name and, if missing, its kind."""
    if paper.venue is None:
        return paper
    venue = venues.get(paper.venue)
    if venue is None or (venue.name == paper.venue and paper.venue_kind is not None):
        return paper
    update: dict[str, Any] = {"venue": venue.name}
    if paper.venue_kind is None:
        update["venue_kind"] = venue.kind
    if paper.venue != venue.name and paper.venue_as_written is None:
        update["venue_as_written"] = paper.venue
    return replace(paper, **update)


def _check_memberships(
    memberships: Iterable[MembershipLike],
    taxonomy: Taxonomy,
    file: DataFile,
    index: int,
    entry: str,
) -> list[DataProblem]:
    """Every membership must name a domain key and a section key of that domain."""
    problems = []
    for number, membership in enumerate(memberships):
        keys = ("papers", index, "memberships", number)
        try:
            domain = taxonomy.domain(membership.domain)
            node = taxonomy.node(membership.section)
        except QueryError as error:
            problems.append(file.problem(error.reason, *keys, error.field, entry=entry))
            continue
        if (domain.key, node.key) != (membership.domain, membership.section):
            message = f"write the keys {domain.key!r} and {node.key!r}, not aliases"
        elif node.domain != domain.key:
            message = f"section {node.key!r} belongs to domain {node.domain!r}, not {domain.key!r}"
        else:
            continue
        problems.append(file.problem(message, *keys, entry=entry))
    return problems
