"""Validate data files and merge them into one catalogue: shipped data first, then overlays.

An overlay may add entries, extend one (``extend: true``: memberships, links, notes and
aliases added) or replace one (``override: true``), found by the one rule names follow
(:mod:`fm_papers.names`); it may add domains, sections and venues too. Every problem of every
file is collected, located, and raised together as one :class:`~fm_papers.errors.DataError`.
Trusted (shipped) entries become records; pydantic and the models are imported only when a
file must be validated.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from .catalogue import Catalogue
from .datafile import DataFile, entry_name, kind_of
from .entries import Defined, Entries, with_identifiers
from .errors import DataError, DataProblem, QueryError, hint, suggestion
from .kinds import paper_kind
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


def merge(files: Sequence[DataFile], builtin_count: int, *, trust_builtin: bool) -> Catalogue:
    """Validate every file (shipped entries only if not trusted) and merge them into one
    catalogue; the first ``builtin_count`` files are the shipped ones.

    Trusted entries become records (:mod:`fm_papers.records`); pydantic and the models are
    imported only when a file must be validated.
    """
    problems: list[DataProblem] = []
    domains: list[DomainLike] = []
    venues: list[VenueLike] = []
    #: Domain keys a file defines but that failed: memberships naming them are not checked.
    broken: set[str] = set()
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
                broken.add(name)
                continue
            merged = _merge_domain(domains, domain)
            try:
                Taxonomy(merged)  # a key or alias used twice is reported where it is added
            except ValueError as error:
                problems.append(file.problem(str(error), "domains", index, entry=name))
                broken.add(domain.key)
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
    # The papers are checked too, so that one run reports every problem of every file.
    taxonomy = Taxonomy(domains)
    venue_table = VenueTable(venues)

    papers = Entries()
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
                        extension.memberships, taxonomy, file, index, extension.id, broken
                    )
                    problems += papers.extend(extension, file, index)
                elif found:
                    # What can still be checked of an entry that failed: its place and its id.
                    problems += _check_memberships(
                        _raw_memberships(raw), taxonomy, file, index, name, broken
                    )
                    if raw.get("extend") is None and isinstance(raw.get("id"), str):
                        problems += papers.clash(raw["id"], file, index, builtin, override)
            if paper is None:
                continue
            paper = _normalise_venue(paper, venue_table)
            found = _check_memberships(paper.memberships, taxonomy, file, index, paper.id, broken)
            problems += found
            if not (builtin and trust_builtin) and paper.kind is None and not found:
                paper = _with_kind(paper, taxonomy)
            problems += papers.add(Defined(paper, file, index, builtin), override=override)
    if problems:
        raise DataError(_in_order(problems, files))
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
    return with_identifiers(paper) if paper is not None else None, None, override, found


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
    memberships: Iterable[MembershipLike | _RawMembership],
    taxonomy: Taxonomy,
    file: DataFile,
    index: int,
    entry: str,
    broken: Collection[str] = (),
) -> list[DataProblem]:
    """Every membership must name a domain key and a section key of that domain; a
    suggestion is only ever a section of the domain written. Memberships of a domain that
    failed (``broken``, reported where it is defined) are not checked."""
    problems = []
    for number, membership in enumerate(memberships):
        keys = ("papers", index, "memberships", number)
        if membership.domain in broken:
            continue
        try:
            domain = taxonomy.domain(membership.domain)
        except QueryError as error:
            problems.append(file.problem(error.detail, *keys, "domain", entry=entry))
            continue
        sections = [node.key for node in taxonomy.nodes(domain.key)]
        if not taxonomy.has_section(membership.section):
            message = f"unknown section {membership.section!r} of domain {domain.key!r}" + hint(
                membership.section, sections
            )
            problems.append(file.problem(message, *keys, "section", entry=entry))
            continue
        node = taxonomy.node(membership.section)
        if node.domain != domain.key:
            message = (
                f"section {node.key!r} belongs to domain {node.domain!r}, not {domain.key!r}"
                + suggestion(membership.section, sections)
            )
        elif (domain.key, node.key) != (membership.domain, membership.section):
            message = f"write the keys {domain.key!r} and {node.key!r}, not aliases"
        else:
            continue
        problems.append(file.problem(message, *keys, entry=entry))
    return problems


class _RawMembership(NamedTuple):
    domain: str
    section: str


def _raw_memberships(raw: dict[str, Any]) -> list[_RawMembership]:
    """The memberships of an entry that failed validation, as far as they are well formed
    (what is not is reported by the validation)."""
    value = raw.get("memberships")
    items = [value] if isinstance(value, dict) else value if isinstance(value, list) else []
    return [
        _RawMembership(item["domain"], item["section"])
        for item in items
        if isinstance(item, dict)
        and isinstance(item.get("domain"), str)
        and isinstance(item.get("section"), str)
    ]


def _with_kind(paper: PaperLike, taxonomy: Taxonomy) -> PaperLike:
    """An overlay's paper that states no kind, with the one the shipped data's rules give
    (:func:`fm_papers.kinds.paper_kind`): the title's, else its first section's, else other."""
    sections = (taxonomy.node(m.section).kind for m in paper.memberships)
    return replace(paper, kind=paper_kind(paper.title, sections))


def _in_order(problems: list[DataProblem], files: Sequence[DataFile]) -> list[DataProblem]:
    """Problems file by file, in the order of their lines."""
    order = {file.name: number for number, file in enumerate(files)}
    return sorted(problems, key=lambda p: (order.get(p.file, len(order)), p.line or 0))
