"""What records and models derive from their fields, written once for both.

A paper's main link, its domains and sections, its authors as a citation shows them; an
author's names in each order; the walk of a section tree. The models (:mod:`fm_papers.models`)
and the records (:mod:`fm_papers.records`) both inherit these, so the read path (records) and
the typed API (models) can never answer differently.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .records import AuthorLike, LinkLike, MembershipLike, SectionLike

__all__ = ["AuthorProperties", "PaperProperties", "SectionWalk"]


class AuthorProperties:
    """What records and models of an author derive from their fields, written once for both."""

    __slots__ = ()

    if TYPE_CHECKING:
        family: str | None
        given: str | None
        name: str | None

    @property
    def surname(self) -> str:
        """The family name, or an organisation's name: what a short citation shows."""
        return self.family or self.name or ""

    @property
    def full_name(self) -> str:
        """``Ming Y. Lu``, or an organisation's name."""
        return " ".join(part for part in (self.given, self.family) if part) or self.name or ""

    @property
    def inverted(self) -> str:
        """``Lu, Ming Y.``, or an organisation's name (as bibliographies list names)."""
        if self.family is None:
            return self.name or ""
        return f"{self.family}, {self.given}" if self.given else self.family


class PaperProperties:
    """What records and models of a paper derive from their fields, written once for both."""

    __slots__ = ()

    if TYPE_CHECKING:
        title: str
        authors: tuple[AuthorLike, ...]
        model: str | None
        year: int | None
        links: tuple[LinkLike, ...]
        memberships: tuple[MembershipLike, ...]

    @property
    def url(self) -> str | None:
        """The paper's main link: its paper link, else its first; ``None`` for a paper listed
        without links (an overlay's paper in preparation)."""
        for link in self.links:
            if link.kind == "paper":
                return link.url
        return self.links[0].url if self.links else None

    @property
    def short_authors(self) -> str:
        """``Lu``, ``Lu and Chen`` or ``Lu et al.``: the authors as a table cell and an
        author-year citation show them; ``""`` without authors."""
        names = [author.surname for author in self.authors]
        if len(names) > 2:
            return f"{names[0]} et al."
        return " and ".join(names)

    @property
    def author_year(self) -> str:
        """``Lu et al., 2024``: an author-year citation's text (without authors, the short
        name or title stands in; without a year, it is left out)."""
        who = self.short_authors or self.short_name
        return f"{who}, {self.year}" if self.year is not None else who

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
