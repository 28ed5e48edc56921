"""The shipped catalogue as read from its built form: plain records, without pydantic.

The shipped entries were validated when the data was built (and are again by the tests and by
``fm-papers validate``), so reading them needs no validator and no model class. The records
here hold them as the built JSON gives them, with the attributes and properties of the models
of :mod:`fm_papers.models` (which stay the one schema: a test checks that every record has
exactly its model's fields, in its model's order, with the same defaults and types). A record
is made from the built form by one conversion its annotations drive
(:meth:`Record.from_data`). The query, the command line and the Sphinx extension read records
and models alike (``PaperLike``); the typed API hands out models, made from a record the first
time a caller asks (:meth:`Paper.from_record <fm_papers.models.Paper.from_record>`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Self, TypeAlias, TypeVar

from .kinds import FlagKind, LinkKind, PaperKind, SourceVersion, VenueKind
from .properties import AuthorProperties, PaperProperties, SectionWalk

if TYPE_CHECKING:
    from .models import (
        Author,
        Domain,
        Flag,
        Link,
        Membership,
        Paper,
        Section,
        SourceRef,
        Venue,
    )

__all__ = [
    "RECORDS",
    "AuthorLike",
    "AuthorRecord",
    "AuthorsSourceRecord",
    "DomainLike",
    "DomainRecord",
    "FlagRecord",
    "LinkRecord",
    "MembershipRecord",
    "PaperLike",
    "PaperRecord",
    "Record",
    "SectionLike",
    "SectionRecord",
    "SourceRecord",
    "VenueLike",
    "VenueRecord",
    "built_data",
    "replace",
]


class Record:
    """A read-only record: its fields are its class's annotations, in order, and a field's
    default is the class attribute of its name.

    Every record class names the model of :mod:`fm_papers.models` it stands for
    (``class LinkRecord(Record, stands_for="Link")``), in its class statement: that is the one
    place a record is registered (:data:`RECORDS`), and a class without it is refused. The
    tests compare each record with its model, field by field: names, order, defaults and
    types.

    Plain classes rather than dataclasses: a dataclass writes and compiles its methods when
    its module is imported, which is most of what these few classes would cost a command.
    """

    #: The fields, in order (set for each subclass from its annotations).
    fields: ClassVar[tuple[str, ...]] = ()
    #: The name of the model in :mod:`fm_papers.models` this record stands for.
    stands_for: ClassVar[str] = ""
    _names: ClassVar[frozenset[str]] = frozenset()
    _required: ClassVar[frozenset[str]] = frozenset()
    #: How :meth:`from_data` converts each field that needs it, made on first use.
    _converters: ClassVar[dict[str, Callable[[Any], Any]] | None] = None

    def __init_subclass__(cls, stands_for: str = "", **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not stands_for:
            raise TypeError(f"{cls.__name__}: name the model it stands for (stands_for=...)")
        if stands_for in RECORDS:
            raise TypeError(
                f"{cls.__name__}: {RECORDS[stands_for].__name__} stands for {stands_for} already"
            )
        own = tuple(cls.__annotations__)  # each record class annotates its own fields
        cls.fields = own
        cls.stands_for = stands_for
        cls._names = frozenset(own)
        cls._required = frozenset(name for name in own if name not in cls.__dict__)
        cls._converters = None
        RECORDS[stands_for] = cls

    def __init__(self, **values: Any) -> None:
        names = values.keys()
        if not self._required <= names <= self._names:
            unknown, missing = names - self._names, self._required - names
            name = type(self).__name__
            raise TypeError(f"{name}: unknown {sorted(unknown)}, missing {sorted(missing)}")
        self.__dict__.update(values)

    @classmethod
    def from_data(cls, raw: Mapping[str, Any]) -> Self:
        """The record of one item of the built form (JSON data, fields at their default left
        out), every field converted by its annotation: a list becomes a tuple, a mapping
        inside becomes the record its annotation names, at any depth.

        :raises TypeError: for a field the record does not have, or a required one missing.
        """
        convert = cls._converters
        if convert is None:
            convert = cls._converters = _converters(cls)
        values = dict(raw)
        for name, conversion in convert.items():
            if name in values:
                values[name] = conversion(values[name])
        return cls(**values)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only")

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.fields)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Record) or type(other) is not type(self):
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.fields)
        return f"{type(self).__name__}({shown})"


#: Every record class, by the name of the model it stands for (filled as classes are made).
RECORDS: dict[str, type[Record]] = {}


def _converters(cls: type[Record]) -> dict[str, Callable[[Any], Any]]:
    """For each field of ``cls`` whose built form is not already its value, the conversion.

    Only the annotations that can need one (a tuple, a record) are evaluated, on a class that
    holds them alone: evaluating every annotation of the class and its bases would be most of
    what reading the shipped data costs a command.
    """
    import typing

    own = cls.__annotations__  # its own: every record class annotates its fields
    needed = {
        name: text
        for name, text in own.items()
        if not isinstance(text, str) or "tuple[" in text or "Record" in text
    }
    holder = type(cls.__name__, (), {"__annotations__": needed, "__module__": cls.__module__})
    hints = typing.get_type_hints(holder)
    found = {name: _converter(hints[name]) for name in needed}
    return {name: convert for name, convert in found.items() if convert is not None}


def _converter(hint: Any) -> Callable[[Any], Any] | None:
    """How a value of the built form becomes a value of type ``hint``: ``None`` if as it is.

    ``tuple[X, ...]`` takes a list (of X, converted); a record class takes a mapping;
    ``X | None`` converts X and keeps ``None``. Anything else (text, numbers, literals) is
    kept as it is.
    """
    import types
    import typing

    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is tuple:
        if len(args) != 2 or args[1] is not Ellipsis:
            raise TypeError(f"a record field holds tuple[X, ...], not {hint}")
        item = _converter(args[0])
        if item is None:
            return tuple
        return lambda value: tuple(map(item, value))
    if origin in (typing.Union, types.UnionType):
        inner = [_converter(arg) for arg in args if arg is not type(None)]
        convert = next((c for c in inner if c is not None), None)
        if convert is None:
            return None
        if len(inner) > 1:
            raise TypeError(f"a record field holds one convertible type, not {hint}")
        return lambda value: None if value is None else convert(value)
    if isinstance(hint, type) and issubclass(hint, Record):
        return hint.from_data
    if origin in (list, dict, set, frozenset) or hint in (list, dict, set, frozenset):
        raise TypeError(f"a record field is immutable: {hint} is not")
    return None


class LinkRecord(Record, stands_for="Link"):
    """A link, as :class:`fm_papers.models.Link`."""

    kind: LinkKind
    url: str


class MembershipRecord(Record, stands_for="Membership"):
    """A membership, as :class:`fm_papers.models.Membership`."""

    domain: str
    section: str


class FlagRecord(Record, stands_for="Flag"):
    """A source-defect flag, as :class:`fm_papers.models.Flag`."""

    kind: FlagKind
    message: str
    related: tuple[str, ...] = ()


class SourceRecord(Record, stands_for="SourceRef"):
    """Where an entry came from, as :class:`fm_papers.models.SourceRef`."""

    file: str
    line: int


class AuthorRecord(AuthorProperties, Record, stands_for="Author"):
    """An author, as :class:`fm_papers.models.Author`."""

    family: str | None = None
    given: str | None = None
    name: str | None = None


class AuthorsSourceRecord(Record, stands_for="AuthorsSource"):
    """Where the authors were read, as :class:`fm_papers.models.AuthorsSource`."""

    url: str
    version: SourceVersion
    also: tuple[str, ...] = ()
    note: str | None = None


class PaperRecord(PaperProperties, Record, stands_for="Paper"):
    """A paper, as :class:`fm_papers.models.Paper`."""

    id: str
    aliases: tuple[str, ...] = ()
    title: str
    authors: tuple[AuthorRecord, ...] = ()
    model: str | None = None
    kind: PaperKind | None = None
    year: int | None = None
    venue: str | None = None
    venue_kind: VenueKind | None = None
    venue_as_written: str | None = None
    links: tuple[LinkRecord, ...] = ()
    doi: str | None = None
    arxiv: str | None = None
    notes: tuple[str, ...] = ()
    memberships: tuple[MembershipRecord, ...]
    flags: tuple[FlagRecord, ...] = ()
    sources: tuple[SourceRecord, ...] = ()
    authors_source: AuthorsSourceRecord | None = None


class SectionRecord(SectionWalk, Record, stands_for="Section"):
    """A node of a section tree, as :class:`fm_papers.models.Section`."""

    key: str
    title: str
    aliases: tuple[str, ...] = ()
    headings: tuple[str, ...] = ()
    kind: PaperKind | None = None
    sections: tuple[SectionRecord, ...] = ()


class DomainRecord(Record, stands_for="Domain"):
    """A domain and its section tree, as :class:`fm_papers.models.Domain`."""

    key: str
    title: str
    aliases: tuple[str, ...] = ()
    sections: tuple[SectionRecord, ...] = ()


class VenueRecord(Record, stands_for="Venue"):
    """A known venue, as :class:`fm_papers.models.Venue`."""

    name: str
    kind: VenueKind
    aliases: tuple[str, ...] = ()


#: A paper as the catalogue holds it: a record of shipped data, or a validated model.
PaperLike: TypeAlias = "PaperRecord | Paper"
AuthorLike: TypeAlias = "AuthorRecord | Author"
LinkLike: TypeAlias = "LinkRecord | Link"
MembershipLike: TypeAlias = "MembershipRecord | Membership"
FlagLike: TypeAlias = "FlagRecord | Flag"
SourceLike: TypeAlias = "SourceRecord | SourceRef"
SectionLike: TypeAlias = "SectionRecord | Section"
DomainLike: TypeAlias = "DomainRecord | Domain"
VenueLike: TypeAlias = "VenueRecord | Venue"


_T = TypeVar("_T")


def replace(value: _T, **changes: Any) -> _T:
    """A copy of a record or a model with ``changes`` (neither is ever changed in place)."""
    if isinstance(value, Record):
        return type(value)(**{**value.__dict__, **changes})
    return value.model_copy(update=changes)  # type: ignore[attr-defined, no-any-return]


_NO_DEFAULT = object()


def built_data(value: Any) -> Any:
    """A record's or a model's fields as JSON data, leaving out those at their default: the
    built form, which :meth:`Record.from_data` reads back. A model gives what ``model_dump(mode="json", exclude_defaults=True)`` gives;
    a record the same, without pydantic."""
    if isinstance(value, tuple):
        return [built_data(item) for item in value]
    if isinstance(value, Record):
        kind = type(value)
        return {
            name: built_data(item)
            for name in kind.fields
            if (item := getattr(value, name)) != getattr(kind, name, _NO_DEFAULT)
        }
    dump = getattr(value, "model_dump", None)
    return dump(mode="json", exclude_defaults=True) if dump is not None else value
