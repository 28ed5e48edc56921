"""The shipped catalogue as read from its built form: plain records, without pydantic.

The shipped entries were validated when the data was built (and are again by the tests and by
``fm-papers validate``), so reading them needs no validator and no model class. The records
here hold them as the built JSON gives them, with the attributes and properties of the models
of :mod:`fm_papers.models` (which stay the one schema: a test checks that every record has
exactly its model's fields, in its model's order). The query, the command line and the Sphinx
extension read records and models alike (``PaperLike``); the typed API hands out models,
made from a record the first time a caller asks (:func:`fm_papers.models.as_model`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar, TypeAlias, TypeVar

from .kinds import FlagKind, LinkKind, PaperKind, VenueKind

if TYPE_CHECKING:
    from .models import Domain, Flag, Link, Membership, Paper, Section, SourceRef, Venue

__all__ = [
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
    "domain_record",
    "paper_record",
    "replace",
    "venue_record",
]


class Record:
    """A read-only record: its fields are its class's annotations, in order, and a field's
    default is the class attribute of its name.

    Plain classes rather than dataclasses: a dataclass writes and compiles its methods when
    its module is imported, which is most of what these few classes would cost a command.
    """

    #: The fields, in order (set for each subclass from its annotations).
    fields: ClassVar[tuple[str, ...]] = ()
    _names: ClassVar[frozenset[str]] = frozenset()
    _required: ClassVar[frozenset[str]] = frozenset()

    def __init_subclass__(cls) -> None:
        super().__init_subclass__()
        own = tuple(cls.__annotations__)  # each record class annotates its own fields
        cls.fields = own
        cls._names = frozenset(own)
        cls._required = frozenset(name for name in own if name not in cls.__dict__)

    def __init__(self, **values: Any) -> None:
        names = values.keys()
        if not self._required <= names <= self._names:
            unknown, missing = names - self._names, self._required - names
            name = type(self).__name__
            raise TypeError(f"{name}: unknown {sorted(unknown)}, missing {sorted(missing)}")
        self.__dict__.update(values)

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


class LinkRecord(Record):
    """A link, as :class:`fm_papers.models.Link`."""

    kind: LinkKind
    url: str


class MembershipRecord(Record):
    """A membership, as :class:`fm_papers.models.Membership`."""

    domain: str
    section: str


class FlagRecord(Record):
    """A source-defect flag, as :class:`fm_papers.models.Flag`."""

    kind: FlagKind
    message: str
    related: tuple[str, ...] = ()


class SourceRecord(Record):
    """Where an entry came from, as :class:`fm_papers.models.SourceRef`."""

    file: str
    line: int


class PaperProperties:
    """What records and models of a paper derive from their fields, written once for both."""

    __slots__ = ()

    if TYPE_CHECKING:
        title: str
        model: str | None
        links: tuple[LinkLike, ...]
        memberships: tuple[MembershipLike, ...]

    @property
    def url(self) -> str:
        """The paper's main link."""
        for link in self.links:
            if link.kind == "paper":
                return link.url
        return self.links[0].url

    @property
    def code_urls(self) -> tuple[str, ...]:
        """Links to code, in source order."""
        return tuple(link.url for link in self.links if link.kind == "code")

    @property
    def has_code(self) -> bool:
        """True if the paper links to code or weights."""
        return any(link.kind in ("code", "weights") for link in self.links)

    @property
    def domains(self) -> tuple[str, ...]:
        """The domain keys of the memberships, without repeats."""
        return tuple(dict.fromkeys(m.domain for m in self.memberships))

    @property
    def sections(self) -> tuple[str, ...]:
        """The section keys of the memberships, without repeats."""
        return tuple(dict.fromkeys(m.section for m in self.memberships))

    @property
    def short_name(self) -> str:
        """The short name (``model``), else the title."""
        return self.model or self.title


class PaperRecord(PaperProperties, Record):
    """A paper, as :class:`fm_papers.models.Paper`."""

    id: str
    aliases: tuple[str, ...] = ()
    title: str
    model: str | None = None
    kind: PaperKind | None = None
    year: int | None = None
    venue: str | None = None
    venue_kind: VenueKind | None = None
    venue_as_written: str | None = None
    links: tuple[LinkRecord, ...]
    doi: str | None = None
    arxiv: str | None = None
    notes: tuple[str, ...] = ()
    memberships: tuple[MembershipRecord, ...]
    flags: tuple[FlagRecord, ...] = ()
    sources: tuple[SourceRecord, ...] = ()


class SectionWalk:
    """The walk of a section tree, written once for records and models."""

    __slots__ = ()

    if TYPE_CHECKING:
        key: str
        sections: tuple[SectionLike, ...]

    def walk(self) -> list[tuple[SectionLike, tuple[str, ...]]]:
        """This node and its descendants, each with its ancestors' keys."""
        out: list[tuple[SectionLike, tuple[str, ...]]] = [(self, ())]  # type: ignore[list-item]
        for child in self.sections:
            out += [(node, (self.key, *path)) for node, path in child.walk()]
        return out


class SectionRecord(SectionWalk, Record):
    """A node of a section tree, as :class:`fm_papers.models.Section`."""

    key: str
    title: str
    aliases: tuple[str, ...] = ()
    headings: tuple[str, ...] = ()
    kind: PaperKind | None = None
    sections: tuple[SectionRecord, ...] = ()


class DomainRecord(Record):
    """A domain and its section tree, as :class:`fm_papers.models.Domain`."""

    key: str
    title: str
    aliases: tuple[str, ...] = ()
    sections: tuple[SectionRecord, ...] = ()


class VenueRecord(Record):
    """A known venue, as :class:`fm_papers.models.Venue`."""

    name: str
    kind: VenueKind
    aliases: tuple[str, ...] = ()


#: A paper as the catalogue holds it: a record of shipped data, or a validated model.
PaperLike: TypeAlias = "PaperRecord | Paper"
LinkLike: TypeAlias = "LinkRecord | Link"
MembershipLike: TypeAlias = "MembershipRecord | Membership"
FlagLike: TypeAlias = "FlagRecord | Flag"
SourceLike: TypeAlias = "SourceRecord | SourceRef"
SectionLike: TypeAlias = "SectionRecord | Section"
DomainLike: TypeAlias = "DomainRecord | Domain"
VenueLike: TypeAlias = "VenueRecord | Venue"


def paper_record(raw: Mapping[str, Any]) -> PaperRecord:
    """A shipped entry of the built form as a record (lists become tuples)."""
    data = dict(raw)
    data["links"] = tuple(LinkRecord(**link) for link in raw["links"])
    data["memberships"] = tuple(MembershipRecord(**m) for m in raw["memberships"])
    if "flags" in raw:
        data["flags"] = tuple(
            FlagRecord(**{**flag, "related": tuple(flag.get("related", ()))})
            for flag in raw["flags"]
        )
    if "sources" in raw:
        data["sources"] = tuple(SourceRecord(**ref) for ref in raw["sources"])
    for name in ("aliases", "notes"):
        if name in raw:
            data[name] = tuple(raw[name])
    return PaperRecord(**data)


def _section_record(raw: Mapping[str, Any]) -> SectionRecord:
    return SectionRecord(
        **{
            **raw,
            "aliases": tuple(raw.get("aliases", ())),
            "headings": tuple(raw.get("headings", ())),
            "sections": tuple(_section_record(child) for child in raw.get("sections", ())),
        }
    )


def domain_record(raw: Mapping[str, Any]) -> DomainRecord:
    """A shipped domain of the built form as a record, with its section tree."""
    return DomainRecord(
        **{
            **raw,
            "aliases": tuple(raw.get("aliases", ())),
            "sections": tuple(_section_record(child) for child in raw.get("sections", ())),
        }
    )


def venue_record(raw: Mapping[str, Any]) -> VenueRecord:
    """A shipped venue of the built form as a record."""
    return VenueRecord(**{**raw, "aliases": tuple(raw.get("aliases", ()))})


_T = TypeVar("_T")


def replace(value: _T, **changes: Any) -> _T:
    """A copy of a record or a model with ``changes`` (neither is ever changed in place)."""
    if isinstance(value, Record):
        return type(value)(**{**value.__dict__, **changes})
    return value.model_copy(update=changes)  # type: ignore[attr-defined, no-any-return]


_NO_DEFAULT = object()


def built_data(value: Any) -> Any:
    """A record's or a model's fields as JSON data, leaving out those at their default: the
    built form, which :func:`paper_record`, :func:`domain_record` and :func:`venue_record`
    read back. A model gives what ``model_dump(mode="json", exclude_defaults=True)`` gives;
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
