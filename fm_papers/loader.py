"""Read the shipped data and users' overlay files into a validated, cached :class:`Catalogue`.

A data file is YAML: a mapping with any of ``papers`` (a list of entries), ``domains``
(taxonomy additions) and ``venues`` (venue additions); a bare list is read as ``papers``.
Every problem is reported as ``file:line: entry 'id': field: message`` through
:class:`~fm_papers.errors.DataError`; nothing else escapes :func:`load`.

Parsing uses libyaml's ``CSafeLoader`` where available. Line numbers are found only when
there is a problem to report, by composing the file a second time, so a clean load pays
for one parse and one validation per entry.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import json
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from os import PathLike
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from .catalogue import Catalogue
from .errors import DataError, DataProblem, QueryError
from .models import (
    Domain,
    Flag,
    Link,
    Membership,
    Paper,
    PaperExtension,
    Section,
    SourceRef,
    Venue,
)
from .taxonomy import Taxonomy
from .venues import VenueTable

__all__ = ["builtin_files", "clear_cache", "load", "read_data_file"]

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TOP_KEYS = ("papers", "domains", "venues")
_CACHE: dict[tuple[object, ...], Catalogue] = {}
_PARSED: dict[tuple[str, bytes], DataFile] = {}
_CACHE_SIZE = 16
_LOCK = threading.Lock()

StrPath = str | PathLike[str]


@functools.cache
def builtin_files() -> tuple[Path, ...]:
    """The shipped data files, in load order: taxonomy, venues, papers."""
    data = resources.files("fm_papers") / "data"
    return tuple(Path(str(data / name)) for name in ("taxonomy.yaml", "venues.yaml", "papers.yaml"))


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
    files = [*(builtin_files() if include_builtin else ()), *(Path(p) for p in paths)]
    contents: list[tuple[Path, bytes]] = []
    for path in files:
        try:
            contents.append((path, path.read_bytes()))
        except OSError as error:
            raise DataError(
                [DataProblem(str(path), None, f"cannot read: {error.strerror}")]
            ) from None
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
        catalogue = _build(parsed, include_builtin, trust_builtin=not verify)
    with _LOCK:
        _remember(_CACHE, key, catalogue)
    return catalogue


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
        parsed = _read_sidecar(path, data, digest[1]) or read_data_file(path, data)
        with _LOCK:
            _remember(_PARSED, digest, parsed)
    return parsed


@dataclass
class DataFile:
    """One parsed data file, with what is needed to locate problems in it."""

    path: Path
    text: str
    papers: list[Any]
    domains: list[Any]
    venues: list[Any]
    _root: yaml.Node | None = None

    @property
    def name(self) -> str:
        """How messages name the file."""
        return str(self.path)

    def line(self, *keys: str | int) -> int | None:
        """The 1-based line of the node at ``keys`` (e.g. ``"papers", 3, "links", 0``).

        Walks as deep as the path exists, so a missing field gives its entry's line.
        """
        if self._root is None:
            try:
                self._root = yaml.compose(self.text, Loader=_Loader)
            except yaml.YAMLError:
                return None
        node = self._root
        if isinstance(node, yaml.SequenceNode) and keys and keys[0] == "papers":
            keys = keys[1:]  # a bare list is the papers list
        found = node.start_mark.line + 1 if node is not None else None
        for key in keys:
            child = _child(node, key)
            if child is None:
                break
            node, found = child, child.start_mark.line + 1
        return found

    def problem(
        self, message: str, *keys: str | int, entry: str | None = None, field: str | None = None
    ) -> DataProblem:
        """A problem located at ``keys``."""
        return DataProblem(self.name, self.line(*keys), message, entry=entry, field=field)


def _child(node: yaml.Node | None, key: str | int) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode) and isinstance(key, str):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
                return value_node  # type: ignore[no-any-return]
    if isinstance(node, yaml.SequenceNode) and isinstance(key, int) and 0 <= key < len(node.value):
        return node.value[key]  # type: ignore[no-any-return]
    return None


def sidecar_path(path: Path) -> Path:
    """Where the JSON copy of a shipped YAML file lives (``papers.yaml`` → ``papers.json``)."""
    return path.with_suffix(".json")


def sidecar_text(path: Path, data: bytes) -> str:
    """The JSON copy of a shipped YAML file: its parsed document and the YAML's digest."""
    document = yaml.load(data.decode("utf-8"), Loader=_Loader)  # noqa: S506 - a safe loader
    digest = hashlib.blake2b(data, digest_size=16).hexdigest()
    return json.dumps({"yaml": digest, "document": document}, ensure_ascii=False) + "\n"


def _read_sidecar(path: Path, data: bytes, digest: bytes) -> DataFile | None:
    """A shipped file parsed from its JSON copy, if the copy was made from these exact bytes.

    JSON parses an order of magnitude faster than YAML; the YAML stays the data people edit
    and the copy is used only while its recorded digest matches, so it can never be stale.
    """
    if path not in builtin_files():
        return None
    try:
        copy = json.loads(sidecar_path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(copy, dict) or copy.get("yaml") != digest.hex():
        return None
    return _data_file(path, data.decode("utf-8"), copy.get("document"))


def read_data_file(path: StrPath, data: bytes | None = None) -> DataFile:
    """Parse one data file (without validating its entries).

    :raises DataError: if it cannot be read, is not YAML, or is not shaped like a data file.
    """
    path = Path(path)
    try:
        raw = path.read_bytes() if data is None else data
        text = raw.decode("utf-8")
    except OSError as error:
        raise DataError([DataProblem(str(path), None, f"cannot read: {error.strerror}")]) from None
    except UnicodeDecodeError as error:
        raise DataError([DataProblem(str(path), None, f"not UTF-8 text: {error.reason}")]) from None
    try:
        document = yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        reason = error.problem or error.context or "invalid YAML"
        raise DataError([DataProblem(str(path), line, f"invalid YAML: {reason}")]) from None
    except (yaml.YAMLError, RecursionError) as error:
        raise DataError([DataProblem(str(path), None, f"invalid YAML: {error}")]) from None
    return _data_file(path, text, document)


def _data_file(path: Path, text: str, document: object) -> DataFile:
    """Check a parsed document's shape and sort its parts out.

    :raises DataError: if it is not a mapping of lists (or a bare list of papers).
    """
    file = DataFile(path, text, [], [], [])
    if document is None:
        return file
    if isinstance(document, list):
        file.papers = document
        return file
    if not isinstance(document, dict):
        raise DataError(
            [file.problem(f"expected a mapping with {', '.join(_TOP_KEYS)}, got {_kind(document)}")]
        )
    problems = []
    for key, value in document.items():
        if key not in _TOP_KEYS:
            problems.append(
                file.problem(
                    f"unknown top-level key {key!r}; expected one of {', '.join(_TOP_KEYS)}",
                    str(key),
                )
            )
        elif value is None:
            continue
        elif not isinstance(value, list):
            problems.append(file.problem(f"{key} must be a list, got {_kind(value)}", key))
        else:
            setattr(file, key, value)
    if problems:
        raise DataError(problems)
    return file


def _kind(value: object) -> str:
    names: dict[type, str] = {dict: "a mapping", list: "a list", str: "text"}
    return names.get(type(value), type(value).__name__)


#: Plainer words for pydantic's messages, by error type.
_MESSAGES = {
    "missing": "required field is missing",
    "extra_forbidden": "unknown field",
    "string_pattern_mismatch": "must be a lowercase slug: letters a-z, digits and '-'",
    "too_short": "needs at least one item",
}


def _errors(
    error: ValidationError, file: DataFile, top: str, index: int, entry: str | None
) -> list[DataProblem]:
    """One located problem per validation error.

    A list whose items failed is also reported as too short by pydantic; that second
    message says nothing new, so it is dropped.
    """
    details = error.errors(include_url=False)
    failed_inside = {tuple(d["loc"][:1]) for d in details if len(d["loc"]) > 1}
    problems = []
    for detail in details:
        loc = [part for part in detail["loc"] if not isinstance(part, str) or "[" not in part]
        if detail["type"] == "too_short" and tuple(loc[:1]) in failed_inside:
            continue
        field = ".".join(str(part) for part in loc) or None
        message = _MESSAGES.get(detail["type"], str(detail["msg"]).removeprefix("Value error, "))
        if detail["type"] == "string_pattern_mismatch" and loc[:1] in (["doi"], ["arxiv"]):
            message = str(detail["msg"])
        problems.append(file.problem(message, top, index, *loc, entry=entry, field=field))
    return problems


def _entry_name(raw: object, index: int) -> str:
    """How messages name an entry: its id (a domain's or venue's key or name), else its number."""
    if isinstance(raw, dict):
        for field in ("id", "key", "name"):
            value = raw.get(field)
            if isinstance(value, str | int) and not isinstance(value, bool):
                return str(value)
    return f"#{index + 1}"


@dataclass
class _Defined:
    paper: Paper
    file: DataFile
    index: int
    builtin: bool


def _build(files: Sequence[DataFile], include_builtin: bool, trust_builtin: bool) -> Catalogue:
    """Validate every file (shipped entries only if not trusted) and merge them into one catalogue."""
    problems: list[DataProblem] = []
    builtin_count = 3 if include_builtin else 0

    domains: list[Domain] = []
    venues: list[Venue] = []
    for number, file in enumerate(files):
        trusted = trust_builtin and number < builtin_count
        for index, raw in enumerate(file.domains):
            try:
                domain = _trusted_domain(raw) if trusted else Domain.model_validate(raw)
            except ValidationError as error:
                problems += _errors(error, file, "domains", index, _entry_name(raw, index))
                continue
            merged = _merge_domain(domains, domain)
            try:
                Taxonomy(merged)  # a key or alias used twice is reported where it is added
            except ValueError as error:
                name = _entry_name(raw, index)
                problems.append(file.problem(str(error), "domains", index, entry=name))
                continue
            domains = merged
        for index, raw in enumerate(file.venues):
            try:
                venues.append(
                    Venue.model_construct(**{**raw, "aliases": tuple(raw.get("aliases", ()))})
                    if trusted
                    else Venue.model_validate(raw)
                )
            except ValidationError as error:
                problems += _errors(error, file, "venues", index, _entry_name(raw, index))
    if problems:
        raise DataError(problems)
    taxonomy = Taxonomy(domains)
    venue_table = VenueTable(venues)

    defined: dict[str, _Defined] = {}
    for number, file in enumerate(files):
        builtin = number < builtin_count
        for index, raw in enumerate(file.papers):
            name = _entry_name(raw, index)
            if not isinstance(raw, dict):
                problems.append(
                    file.problem(
                        f"an entry must be a mapping, got {_kind(raw)}", "papers", index, entry=name
                    )
                )
                continue
            try:
                if raw.get("extend") is not None and not builtin:
                    extension = PaperExtension.model_validate(raw)
                    problems += _check_memberships(
                        extension.memberships, taxonomy, file, index, extension.id
                    )
                    _extend(extension, defined, file, index, problems)
                    continue
                override = False
                if not builtin and "override" in raw:
                    # Taken out so that the entry is validated once, as a Paper.
                    raw = dict(raw)
                    override = raw.pop("override")
                    if not isinstance(override, bool):
                        problems.append(
                            file.problem(
                                "must be true or false", "papers", index, "override",
                                entry=name, field="override",
                            )
                        )  # fmt: skip
                        continue
                if builtin and trust_builtin:
                    paper = _trusted_paper(raw)
                else:
                    paper = Paper.model_validate(raw)
            except ValidationError as error:
                problems += _errors(error, file, "papers", index, name)
                continue
            paper = _normalise_venue(paper, venue_table)
            problems += _check_memberships(paper.memberships, taxonomy, file, index, paper.id)
            previous = defined.get(paper.id)
            if previous is not None and not override:
                where = f"{previous.file.name}:{previous.file.line('papers', previous.index)}"
                hint = (
                    ""
                    if builtin
                    else "; set 'override: true' to replace it or 'extend: true' to add to it"
                )
                problems.append(
                    file.problem(
                        f"duplicate id, first defined at {where}{hint}",
                        "papers",
                        index,
                        "id",
                        entry=paper.id,
                        field="id",
                    )
                )
                continue
            if previous is not None:
                del defined[paper.id]  # an override takes the position of the new entry
            defined[paper.id] = _Defined(paper, file, index, builtin)
    if problems:
        raise DataError(problems)
    return Catalogue(
        (d.paper for d in defined.values()), taxonomy, venue_table, [f.path for f in files]
    )


def _trusted_paper(raw: dict[str, Any]) -> Paper:
    """A shipped entry built without validation (it was validated when the data was built)."""
    data = dict(raw)
    data["links"] = tuple(Link.model_construct(**link) for link in raw["links"])
    data["memberships"] = tuple(Membership.model_construct(**m) for m in raw["memberships"])
    if "flags" in raw:
        data["flags"] = tuple(
            Flag.model_construct(**{**flag, "related": tuple(flag.get("related", ()))})
            for flag in raw["flags"]
        )
    if "notes" in raw:
        data["notes"] = tuple(raw["notes"])
    if "sources" in raw:
        data["sources"] = tuple(SourceRef.model_construct(**ref) for ref in raw["sources"])
    return Paper.model_construct(**data)


def _trusted_section(raw: dict[str, Any]) -> Section:
    """A shipped taxonomy node built without validation, like :func:`_trusted_paper`."""
    return Section.model_construct(
        **{
            **raw,
            "aliases": tuple(raw.get("aliases", ())),
            "headings": tuple(raw.get("headings", ())),
            "sections": tuple(_trusted_section(child) for child in raw.get("sections", ())),
        }
    )


def _trusted_domain(raw: dict[str, Any]) -> Domain:
    """A shipped domain built without validation."""
    return Domain.model_construct(
        **{
            **raw,
            "aliases": tuple(raw.get("aliases", ())),
            "sections": tuple(_trusted_section(child) for child in raw.get("sections", ())),
        }
    )


def _merge_domain(domains: list[Domain], new: Domain) -> list[Domain]:
    """Add a domain, or add the sections of a domain that exists to it."""
    for position, old in enumerate(domains):
        if old.key == new.key:
            merged = old.model_copy(update={"sections": (*old.sections, *new.sections)})
            out = list(domains)
            out[position] = merged
            return out
    return [*domains, new]


def _normalise_venue(paper: Paper, venues: VenueTable) -> Paper:
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
    return paper.model_copy(update=update)


def _check_memberships(
    memberships: Iterable[Membership], taxonomy: Taxonomy, file: DataFile, index: int, entry: str
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


def _extend(
    extension: PaperExtension,
    defined: dict[str, _Defined],
    file: DataFile,
    index: int,
    problems: list[DataProblem],
) -> None:
    """Add an overlay's memberships, links and notes to an entry defined earlier."""
    previous = defined.get(extension.id)
    if previous is None:
        problems.append(
            file.problem(
                "'extend: true' names no entry defined before it",
                "papers",
                index,
                "id",
                entry=extension.id,
                field="id",
            )
        )
        return
    old = previous.paper
    update = {
        "memberships": tuple(dict.fromkeys((*old.memberships, *extension.memberships))),
        "links": tuple(dict.fromkeys((*old.links, *extension.links))),
        "notes": tuple(dict.fromkeys((*old.notes, *extension.notes))),
    }
    previous.paper = old.model_copy(update=update)
