"""The typed records of the catalogue: papers, their links, memberships, flags, and the taxonomy."""

from __future__ import annotations

import datetime
import re
from typing import Annotated, Any, Literal, Self, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    model_validator,
)

from .kinds import FLAG_KINDS, KEY, FlagKind, LinkKind, PaperKind, SourceVersion, VenueKind
from .properties import AuthorProperties, PaperProperties, SectionWalk
from .records import Record
from .safety import FIELD_TEXT, check_url

__all__ = [
    "FLAG_KINDS",
    "PARTICLES",
    "Alias",
    "Author",
    "AuthorsSource",
    "Domain",
    "Flag",
    "FlagKind",
    "Link",
    "LinkKind",
    "Membership",
    "Paper",
    "PaperExtension",
    "PaperKind",
    "Section",
    "SourceRef",
    "Venue",
    "VenueKind",
    "max_year",
    "person_names",
]


_KEY = rf"^{KEY}$"
#: A DOI: ``10.``, the registrant, ``/``, and a suffix of visible characters (no space, no
#: forbidden character).
_DOI = FIELD_TEXT.replace("^[^", r"^10\.\d{4,9}/[^\s", 1).replace("]*$", "]+$")
MIN_YEAR = 1950


def max_year() -> int:
    """The latest year accepted: next year, so that accepted-but-unpublished papers fit."""
    return datetime.date.today().year + 1


def _check_year(year: int | None) -> int | None:
    if year is not None and not MIN_YEAR <= year <= max_year():
        raise ValueError(f"year {year} is outside {MIN_YEAR}..{max_year()}")
    return year


def _not_a_boolean(value: object) -> object:
    # YAML reads "true" as a boolean, and pydantic would take it as the number 1.
    if isinstance(value, bool):
        # pydantic reports only ValueError (and AssertionError) as a validation error.
        raise ValueError(f"expected a whole number, got {str(value).lower()}")  # noqa: TRY004
    return value


_LINE_END = re.compile(r"[ \t]*(?:\r\n|\r|\n)\s*")


def _joined_lines(value: object) -> object:
    # A YAML block scalar (``notes: >`` or ``|``) is text on several lines: its lines are
    # joined by spaces, as a folded block already joins them. Other controls stay refused.
    if isinstance(value, str) and ("\n" in value or "\r" in value):
        return _LINE_END.sub(" ", value).strip()
    return value


def _as_items(value: object) -> object:
    # A single value where a list is expected is a list of one: ``notes: Read for the journal
    # club`` is one note, ``links: https://...`` one link, ``memberships: {domain: ...}`` one.
    if isinstance(value, str | int | float | dict | BaseModel):
        return (value,)
    return value


_T = TypeVar("_T")
#: A list in a data file (a tuple in the models), which may be written as its one item.
Items = Annotated[tuple[_T, ...], BeforeValidator(_as_items)]
#: One line of text: no control or bidirectional character, no tab
#: (:func:`fm_papers.safety.check_text`, as a pattern the validator checks without a call
#: into Python; :mod:`fm_papers.validation` words a mismatch as check_text does). Line ends,
#: as a YAML block scalar writes them, are read as spaces.
Text = Annotated[str, Field(pattern=FIELD_TEXT), BeforeValidator(_joined_lines)]
HttpUrl = Annotated[str, Field(pattern=FIELD_TEXT), AfterValidator(check_url)]
Year = Annotated[int | None, BeforeValidator(_not_a_boolean), AfterValidator(_check_year)]
NonEmpty = Annotated[str, Field(min_length=1, pattern=FIELD_TEXT), BeforeValidator(_joined_lines)]
#: Another name a paper is found by: an earlier id or a spelling (``Prov-GigaPath``, ``gigapath``).
Alias = Annotated[str, Field(min_length=1, max_length=80, pattern=r"^\w[\w .+-]*$")]


def _check_aliases(paper_id: str, aliases: tuple[str, ...]) -> None:
    seen: set[str] = {paper_id.casefold()}
    for alias in aliases:
        if alias.casefold() in seen:
            what = "the entry's own id" if alias.casefold() == paper_id.casefold() else "repeated"
            raise ValueError(f"alias {alias!r} is {what}")
        seen.add(alias.casefold())


class _Base(BaseModel):
    # defer_build: the validators are built on first validation, not at import, so a command
    # that only reads the shipped (trusted) data never pays for them.
    model_config = ConfigDict(
        frozen=True, extra="forbid", str_strip_whitespace=True, defer_build=True
    )

    @classmethod
    def from_record(cls, value: Self | Record) -> Self:
        """The model of a record of the shipped data, made without validating it again (it was
        validated when the data was built); a model is returned as it is.

        Records and models have the same fields (:mod:`fm_papers.records`), so the record's
        values, nested records made models too, are the model's.
        """
        if isinstance(value, cls):
            return value
        made: Self = _from_record(value)
        return made


class Link(_Base):
    """A typed link of a paper.

    In a data file a link may be written as its URL alone: its kind is then the one its host
    gives (:func:`fm_papers.derive.url_kind`): ``code`` for a repository, ``weights`` on
    huggingface.co, ``project`` for a github.io site, else ``paper``.
    """

    kind: LinkKind = Field(description="What the link points to.")
    url: HttpUrl = Field(description="An http(s) URL.")

    @model_validator(mode="before")
    @classmethod
    def _from_url(cls, value: object) -> object:
        if isinstance(value, str):
            from .derive import url_kind

            return {"kind": url_kind(value), "url": value}
        return value


#: Lowercase words that begin a family name (``van der Laak``, ``de Lima Camillo``).
PARTICLES = frozenset(
    [
        "van",
        "von",
        "der",
        "den",
        "de",
        "del",
        "della",
        "di",
        "da",
        "dos",
        "das",
        "do",
        "du",
        "la",
        "le",
        "ter",
        "ten",
        "zu",
    ]
)


def person_names(text: str) -> tuple[str, str | None]:
    """A person's family and given names as written: ``Family, Given``, or ``Given Family``,
    where the family name is the last word and the lowercase particles before it (``Jeroen
    van der Laak``: ``van der Laak``); write ``Family, Given`` where it is more
    (``de Lima Camillo, Lucas Paulo``)."""
    if "," in text:
        family, _, given = text.partition(",")
        return family.strip(), given.strip() or None
    words = text.split()
    start = max(len(words) - 1, 0)
    while start > 0 and words[start - 1] in PARTICLES:
        start -= 1
    return " ".join(words[start:]), " ".join(words[:start]) or None


def _person(text: str) -> dict[str, str | None]:
    family, given = person_names(text)
    return {"family": family, "given": given}


class Author(_Base, AuthorProperties):
    """An author: a person, by family and given names, or an organisation, by its name.

    In a data file a person may be written as one text, ``Lu, Ming Y.`` (or ``Ming Y. Lu``).
    """

    family: Text | None = Field(default=None, description="A person's family name.")
    given: Text | None = Field(default=None, description="A person's given names or initials.")
    name: Text | None = Field(
        default=None, description="An organisation's name (a consortium), instead of a person's."
    )

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: object) -> object:
        return _person(value) if isinstance(value, str) else value

    @model_validator(mode="after")
    def _one_kind(self) -> Author:
        if (self.family is None) == (self.name is None):
            raise ValueError("an author has a family name (a person) or a name (an organisation)")
        if self.name is not None and self.given is not None:
            raise ValueError("an organisation has a name, not given names")
        if not (self.family or self.name):
            raise ValueError("an author's name is empty")
        return self


class AuthorsSource(_Base):
    """Where a paper's authors were read: a public page a reviewer can open, and the version
    of the paper it shows."""

    url: HttpUrl = Field(description="The page the authors were read from.")
    version: SourceVersion = Field(
        description="journal, proceedings, preprint or other: the version that page shows."
    )
    also: Items[HttpUrl] = Field(
        default=(), description="Other pages that list the same authors in the same order."
    )
    note: Text | None = Field(default=None, description="What a reviewer should know.")


class Membership(_Base):
    """One place the sources list a paper: a domain and a section key of its tree."""

    domain: Annotated[str, Field(pattern=_KEY)] = Field(description="Domain key.")
    section: Annotated[str, Field(pattern=_KEY)] = Field(description="Section key.")


class Flag(_Base):
    """A defect of the sources, recorded rather than silently fixed."""

    kind: FlagKind
    message: NonEmpty
    related: Items[Text] = Field(default=(), description="Ids of the other entries involved.")


class SourceRef(_Base):
    """Where an entry came from: a source list and the line of its item."""

    file: NonEmpty
    line: Annotated[int, BeforeValidator(_not_a_boolean), Field(ge=1)]


class Paper(_Base, PaperProperties):
    """One paper of the catalogue (its properties: :class:`~fm_papers.properties.PaperProperties`)."""

    id: Annotated[str, Field(pattern=_KEY, max_length=80)] = Field(
        description="Stable lowercase slug, never reused."
    )
    aliases: Items[Alias] = Field(
        default=(),
        description="Earlier ids and other spellings; they resolve wherever an id is accepted.",
    )
    title: NonEmpty = Field(description="The title exactly as the source writes it.")
    authors: Items[Author] = Field(
        default=(),
        description="In order: persons by family and given names, organisations by name.",
    )
    model: Text | None = Field(
        default=None,
        description="The paper's short name: its model's, or its benchmark's or dataset's.",
    )
    kind: PaperKind | None = Field(
        default=None, description="model, benchmark, dataset, survey, application or other."
    )
    year: Year = Field(default=None, description="Publication year as the source gives it.")
    venue: Text | None = Field(default=None, description="Normalised venue name.")
    venue_kind: VenueKind | None = None
    venue_as_written: Text | None = Field(
        default=None, description="The source's venue text, where it differs from `venue`."
    )
    links: Items[Link] = Field(
        default=(), description="Paper link first; a paper in preparation may have none."
    )
    doi: str | None = Field(default=None, pattern=_DOI)
    arxiv: str | None = Field(default=None, pattern=r"^\d{4}\.\d{4,5}$")
    notes: Items[Text] = Field(
        default=(), description="Free notes, each a paragraph (line ends are read as spaces)."
    )
    memberships: Items[Membership] = Field(
        min_length=1, description="Every domain and section the paper is listed under."
    )
    flags: Items[Flag] = ()
    sources: Items[SourceRef] = ()
    authors_source: AuthorsSource | None = Field(
        default=None, description="Where the authors were read, and of which version."
    )

    @model_validator(mode="after")
    def _aliases_are_new(self) -> Paper:
        _check_aliases(self.id, self.aliases)
        return self


class PaperExtension(_Base):
    """An overlay entry that adds memberships, links, notes or aliases to an entry that exists,
    or its authors where it has none.

    ``id`` may be the entry's id or one of its aliases.
    """

    id: Annotated[str, Field(min_length=1, max_length=80, pattern=FIELD_TEXT)]
    extend: Literal[True]
    aliases: Items[Alias] = ()
    memberships: Items[Membership] = ()
    links: Items[Link] = ()
    notes: Items[Text] = ()
    authors: Items[Author] = ()
    authors_source: AuthorsSource | None = None


class OverlayPaper(Paper):
    """A full overlay entry; ``override: true`` replaces the entry of the same id."""

    override: bool = False


class Section(_Base, SectionWalk):
    """A node of a domain's section tree."""

    key: Annotated[str, Field(pattern=_KEY)]
    title: NonEmpty
    aliases: Items[Text] = ()
    #: Source headings this section collects (for the importer).
    headings: Items[Text] = ()
    #: The kind of the papers listed here, unless their titles say otherwise; a subsection
    #: without one takes its parent's.
    kind: PaperKind | None = None
    sections: Items[Section] = ()


class Domain(_Base):
    """A top-level area (single-cell, pathology) with its section tree."""

    key: Annotated[str, Field(pattern=_KEY)]
    title: NonEmpty
    aliases: Items[Text] = ()
    sections: Items[Section] = ()


class Venue(_Base):
    """A known venue: its normalised name, kind and the spellings sources use."""

    name: NonEmpty
    kind: VenueKind
    aliases: Items[Text] = ()


def _from_record(value: Any) -> Any:
    """A record as the model it stands for (:attr:`Record.stands_for
    <fm_papers.records.Record.stands_for>`), at any depth; other values as they are."""
    if isinstance(value, tuple):
        return tuple(_from_record(item) for item in value)
    if not isinstance(value, Record):
        return value  # a model already, or a plain value
    model: type[_Base] = globals()[value.stands_for]
    fields = {name: _from_record(getattr(value, name)) for name in value.fields}
    return model.model_construct(**fields)
