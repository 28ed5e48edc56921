"""Load the shipped data and users' overlay files into a validated, cached :class:`Catalogue`.

Every problem is reported as ``file:line: entry 'id': field: message`` through
:class:`~fm_papers.errors.DataError`; nothing else escapes :func:`load`. Reading a file is
:mod:`fm_papers.datafile`'s job; this module validates entries, merges files (overlays may
add, extend or override entries) and caches the result.
"""

from __future__ import annotations

import gc
import hashlib
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .catalogue import Catalogue
from .datafile import (
    DataFile,
    StrPath,
    builtin_files,
    entry_name,
    kind_of,
    read_bytes,
    read_data_file,
    read_sidecar,
)
from .errors import DataError, DataProblem, QueryError
from .kinds import compact
from .records import (
    DomainLike,
    DomainRecord,
    MembershipLike,
    PaperLike,
    PaperRecord,
    VenueLike,
    VenueRecord,
    built_data,
    replace,
)
from .taxonomy import Taxonomy
from .venues import VenueTable, fold

if TYPE_CHECKING:
    from .models import Paper, PaperExtension

__all__ = [
    "built_text",
    "builtin_files",
    "clear_cache",
    "from_built_text",
    "load",
    "read_data_file",
]

_CACHE: dict[tuple[object, ...], Catalogue] = {}
_PARSED: dict[tuple[str, bytes], DataFile] = {}
_CACHE_SIZE = 16
_LOCK = threading.Lock()


def clear_cache() -> None:
    """Forget every catalogue :func:`load` has cached."""
    with _LOCK:
        _CACHE.clear()
        _PARSED.clear()


def load(
    extra: StrPath | Iterable[StrPath] = (), include_builtin: bool = True, *, verify: bool = False
) -> Catalogue:
    """Load the catalogue: the shipped papers (unless ``include_builtin`` is false) plus overlays.

    Results are cached per process by the files' paths and contents, so an edited overlay is
    read again and an unchanged one is not. Overlays are always validated. The shipped
    entries were validated when the catalogue was built (and are again by the tests and by
    ``fm-papers validate``), so they are trusted unless ``verify`` is true: validating them
    would be most of the time a command line takes to start.

    :param extra: overlay YAML files (one path or several), merged in order.
    :param include_builtin: whether to start from the shipped catalogue.
    :param verify: validate the shipped entries too.
    :raises DataError: listing every problem found, each with file, line and entry id.
    """
    paths = [extra] if isinstance(extra, str | PathLike) else list(extra)
    shipped = builtin_files() if include_builtin else ()
    files = [*shipped, *(Path(p) for p in paths)]
    contents = [(path, read_bytes(path)) for path in files]
    digests = [(str(p), hashlib.blake2b(b, digest_size=16).digest()) for p, b in contents]
    key = (include_builtin, verify, *digests)
    with _LOCK:
        cached = _CACHE.get(key)
    if cached is not None:
        return cached
    with _gc_paused():
        parsed = [
            _parse_cached(d, path, data) for d, (path, data) in zip(digests, contents, strict=True)
        ]
        catalogue = _build(parsed, len(shipped), trust_builtin=not verify)
    with _LOCK:
        _remember(_CACHE, key, catalogue)
    return catalogue


def built_text(catalogue: Catalogue) -> str:
    """The merged catalogue in its built form, one JSON document: what :func:`from_built_text`
    reads back without validating, as the shipped data is read.

    The Sphinx extension keeps this for a catalogue with overlays, so that a build whose data
    files did not change never validates them again.
    """
    import json

    document = {
        "domains": built_data(catalogue.taxonomy.domains),
        "venues": built_data(catalogue.venues.venues),
        "papers": built_data(tuple(catalogue._papers())),
    }
    return json.dumps(document, ensure_ascii=False)


def from_built_text(text: str, files: Iterable[Path] = ()) -> Catalogue | None:
    """The catalogue :func:`built_text` wrote, or ``None`` for text that is not one (a file
    cut short, say): the caller then loads the data files again.

    :param files: the data files the catalogue was made from, for :attr:`Catalogue.files`.
    """
    import json

    try:
        document = json.loads(text)
        return Catalogue(
            map(PaperRecord.from_data, document["papers"]),
            Taxonomy(map(DomainRecord.from_data, document["domains"])),
            VenueTable(map(VenueRecord.from_data, document["venues"])),
            files,
        )
    except (ValueError, TypeError, KeyError, AttributeError):
        return None


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small objects.

    Parsing and validating allocate millions of objects that all stay alive; the collector
    would scan the growing heap again and again for nothing, which makes big overlays load
    several times slower and grow worse than linearly.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _remember(cache: dict[Any, Any], key: object, value: object) -> None:
    """Store in a small cache, dropping the oldest entry when it is full."""
    if len(cache) >= _CACHE_SIZE:
        cache.pop(next(iter(cache)))
    cache[key] = value


def _parse_cached(digest: tuple[str, bytes], path: Path, data: bytes) -> DataFile:
    """Parse a file once per content: an overlay beside the shipped data re-parses only itself.

    Validation never changes the parsed lists, so catalogues may share them.
    """
    with _LOCK:
        parsed = _PARSED.get(digest)
    if parsed is None:
        parsed = read_sidecar(path, data, digest[1]) or read_data_file(path, data)
        with _LOCK:
            _remember(_PARSED, digest, parsed)
    return parsed


class _Defined:
    """An entry defined so far, and where: its file and its index there."""

    __slots__ = ("builtin", "file", "index", "paper")

    def __init__(self, paper: PaperLike, file: DataFile, index: int, builtin: bool) -> None:
        self.paper = paper
        self.file = file
        self.index = index
        self.builtin = builtin


def _build(files: Sequence[DataFile], builtin_count: int, trust_builtin: bool) -> Catalogue:
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
                file.problem(
                    "must be true or false", "papers", index, "override",
                    entry=name, field="override",
                )
            ]  # fmt: skip
    paper, found = validate(Paper, raw, file, "papers", index, name)
    return paper, None, override, found


class _Papers:
    """The entries defined so far, by id, and the names (ids and aliases) that find them."""

    def __init__(self) -> None:
        self.defined: dict[str, _Defined] = {}
        #: Case-folded id or alias -> id (each names one entry: a clash is a problem).
        self.names: dict[str, str] = {}
        #: Case-folded short names, and every name's letters and digits -> the ids they find;
        #: built on first use (most files never name an entry loosely).
        self.loose: dict[str, set[str]] | None = None

    def resolve(self, name: str, *, loose: bool = False) -> str | None:
        """The id a name stands for: an id or an alias, ignoring case; with ``loose``, also a
        short name or a name's letters and digits, where they find one entry only (as
        :meth:`fm_papers.Catalogue.resolve` does)."""
        if name in self.defined:
            return name
        text = name.strip()
        found = self.names.get(text.casefold())
        if found is None and loose:
            if self.loose is None:
                self.loose = {}
                for defined in self.defined.values():
                    self._learn(defined.paper)
            for key in (text.casefold(), "\0" + compact(text)):
                owners = self.loose.get(key, set())
                if len(owners) == 1:
                    return next(iter(owners))
        return found

    def _learn(self, paper: PaperLike) -> None:
        if self.loose is None:
            return
        spellings = (paper.id, *paper.aliases, *([paper.model] if paper.model else []))
        for key in {
            *(["\0" + compact(s) for s in spellings]),
            *([paper.model.casefold()] if paper.model else []),
        }:
            if key != "\0":
                self.loose.setdefault(key, set()).add(paper.id)

    def _where(self, paper_id: str) -> str:
        previous = self.defined[paper_id]
        return f"{previous.file.name}:{previous.file.line('papers', previous.index)}"

    def _claim(self, new: _Defined, owner: str) -> list[DataProblem]:
        """Make ``new``'s aliases find ``owner``; an alias of another entry is a problem."""
        problems = []
        for number, alias in enumerate(new.paper.aliases):
            taken = self.names.get(alias.casefold())
            if taken is not None and taken != owner:
                problems.append(
                    new.file.problem(
                        f"alias {alias!r} already names {taken!r} ({self._where(taken)})",
                        "papers", new.index, "aliases", number,
                        entry=new.paper.id, field=f"aliases.{number}",
                    )
                )  # fmt: skip
            else:
                self.names[alias.casefold()] = owner
        return problems

    def add(self, new: _Defined, *, override: bool) -> list[DataProblem]:
        """Define an entry, or replace the entry it names with ``override``."""
        paper = new.paper
        owner = self.resolve(paper.id, loose=override)
        if owner is not None and not override:
            if owner == paper.id:
                message = f"duplicate id, first defined at {self._where(owner)}"
            else:
                message = f"{paper.id!r} is an alias of {owner!r} ({self._where(owner)})"
            if not new.builtin:
                message += "; set 'override: true' to replace it or 'extend: true' to add to it"
            return [
                new.file.problem(message, "papers", new.index, "id", entry=paper.id, field="id")
            ]
        if owner is None and override:
            # A misspelt override must not add a paper and leave the real one as it was.
            return [
                new.file.problem(
                    "'override: true' names no entry defined before it; leave 'override' out "
                    "to add a new entry",
                    "papers", new.index, "id", entry=paper.id, field="id",
                )
            ]  # fmt: skip
        if owner is not None:
            # The entry keeps its id and every name it had; the one written becomes an alias.
            old = self.defined.pop(owner).paper
            aliases = _aliases(owner, old.aliases, [paper.id], paper.aliases)
            new.paper = replace(paper, id=owner, aliases=aliases)
        paper_id = new.paper.id
        problems = self._claim(new, paper_id)
        self.names[paper_id.casefold()] = paper_id
        self.defined[paper_id] = new  # an override takes the position of the new entry
        self._learn(new.paper)
        return problems

    def extend(self, extension: PaperExtension, file: DataFile, index: int) -> list[DataProblem]:
        """Add an overlay's memberships, links, notes and aliases to an entry defined earlier."""
        owner = self.resolve(extension.id, loose=True)
        if owner is None:
            return [
                file.problem(
                    "'extend: true' names no entry defined before it",
                    "papers", index, "id", entry=extension.id, field="id",
                )
            ]  # fmt: skip
        from .models import Paper  # links and memberships are merged as models, alike

        previous = self.defined[owner]
        old = Paper.from_record(previous.paper)
        update = {
            "memberships": tuple(dict.fromkeys((*old.memberships, *extension.memberships))),
            "links": tuple(dict.fromkeys((*old.links, *extension.links))),
            "notes": tuple(dict.fromkeys((*old.notes, *extension.notes))),
            "aliases": _aliases(owner, old.aliases, extension.aliases),
        }
        probe = _Defined(old.model_copy(update={"aliases": extension.aliases}), file, index, False)
        problems = self._claim(probe, owner)
        previous.paper = old.model_copy(update=update)
        self._learn(previous.paper)
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
        field = "name" if number == 0 else f"aliases.{number - 1}"
        owner = spelled.get(fold(spelling))
        if owner is not None:
            name, where, position = owner
            problems.append(
                file.problem(
                    f"{spelling!r} already names the venue {name!r} "
                    f"({where.name}:{where.line('venues', position)})",
                    *keys, entry=venue.name, field=field,
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
        field = f"memberships.{number}"
        try:
            domain = taxonomy.domain(membership.domain)
            node = taxonomy.node(membership.section)
        except QueryError as error:
            problems.append(
                file.problem(
                    error.reason, *keys, error.field, entry=entry, field=f"{field}.{error.field}"
                )
            )
            continue
        if (domain.key, node.key) != (membership.domain, membership.section):
            message = f"write the keys {domain.key!r} and {node.key!r}, not aliases"
        elif node.domain != domain.key:
            message = f"section {node.key!r} belongs to domain {node.domain!r}, not {domain.key!r}"
        else:
            continue
        problems.append(file.problem(message, *keys, entry=entry, field=field))
    return problems
