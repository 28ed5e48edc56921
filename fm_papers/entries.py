"""The papers defined so far while files are merged (:mod:`fm_papers.merge`): by id, with the
names that find them (:mod:`fm_papers.names`), and how an overlay's entry adds one, replaces
one (``override: true``) or extends one (``extend: true``).

An extension adds aliases, memberships, links and notes, and authors to a paper without any.
A paper has one paper link: an extension's paper link replaces it (a correction; the DOI and
arXiv id the old link named go with it); other links are added.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from .datafile import DataFile
from .errors import DataProblem, suggestion
from .names import NameIndex
from .records import PaperLike, replace

if TYPE_CHECKING:
    from .models import Link, Paper, PaperExtension

__all__ = ["Defined", "Entries", "with_identifiers"]


class Defined:
    """An entry defined so far, and where: its file and its index there."""

    __slots__ = ("builtin", "file", "index", "paper")

    def __init__(self, paper: PaperLike, file: DataFile, index: int, builtin: bool) -> None:
        self.paper = paper
        self.file = file
        self.index = index
        self.builtin = builtin


def with_identifiers(paper: Paper) -> Paper:
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


class Entries:
    """The entries defined so far, by id, and the names that find them (:mod:`.names`)."""

    def __init__(self) -> None:
        self.defined: dict[str, Defined] = {}
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

    def _claim(self, new: Defined, owner: str) -> list[DataProblem]:
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

    def clash(
        self, paper_id: str, file: DataFile, index: int, builtin: bool, override: bool
    ) -> list[DataProblem]:
        """What is wrong with defining ``paper_id`` here: an id or alias of an entry defined
        before (unless ``override``), or an ``override`` that names no entry."""
        return self._owner(paper_id, file, index, builtin, override)[1]

    def _owner(
        self, paper_id: str, file: DataFile, index: int, builtin: bool, override: bool
    ) -> tuple[str | None, list[DataProblem]]:
        owner, problems = self.resolve(paper_id, file, index, loose=override)
        if problems:
            return None, problems
        if owner is not None and not override:
            if owner == paper_id:
                message = f"duplicate id, first defined at {self._where(owner)}"
            else:
                message = f"{paper_id!r} is an alias of {owner!r} ({self._where(owner)})"
            if not builtin:
                message += "; set 'override: true' to replace it or 'extend: true' to add to it"
            return None, [file.problem(message, "papers", index, "id", entry=paper_id)]
        if owner is None and override:
            # A misspelt override must not add a paper and leave the real one as it was.
            near = self._nearest(paper_id)
            message = (
                "'override: true' names no entry defined before it"
                + (f"{near} Or leave" if near else "; leave")
                + " 'override' out to add a new entry"
            )
            return None, [file.problem(message, "papers", index, "id", entry=paper_id)]
        return owner, []

    def _nearest(self, name: str) -> str:
        """``; did you mean 'x'?`` for the id nearest to a name that finds no entry."""
        return suggestion(name, self.defined)

    def add(self, new: Defined, *, override: bool) -> list[DataProblem]:
        """Define an entry, or replace the entry it names with ``override``."""
        paper = new.paper
        owner, problems = self._owner(paper.id, new.file, new.index, new.builtin, override)
        if problems:
            return problems
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
            message = "'extend: true' names no entry defined before it" + self._nearest(
                extension.id
            )
            return [file.problem(message, "papers", index, "id", entry=extension.id)]
        from .models import Paper  # links and memberships are merged as models, alike

        previous = self.defined[owner]
        old = Paper.from_record(previous.paper)
        links = _links(old.links, extension.links)
        update: dict[str, object] = {
            "memberships": tuple(dict.fromkeys((*old.memberships, *extension.memberships))),
            "links": links,
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
        probe = Defined(old.model_copy(update={"aliases": extension.aliases}), file, index, False)
        problems = self._claim(probe, owner)
        if links[:1] != old.links[:1]:
            # A corrected paper link: the identifiers the old one gave go with it.
            update |= _identifiers_without(old)
        previous.paper = with_identifiers(old.model_copy(update=update))
        self.names.add(previous.paper)
        return problems


def _links(old: Sequence[Link], added: Sequence[Link]) -> tuple[Link, ...]:
    """An entry's links with an extension's: a paper has one paper link, so an extension's
    paper link replaces the entry's (a correction); other links are added."""
    papers = [link for link in added if link.kind == "paper"][:1]
    if not papers:
        return tuple(dict.fromkeys((*old, *added)))
    others = (link for link in (*old, *added) if link.kind != "paper")
    return tuple(dict.fromkeys((*papers, *others)))


def _identifiers_without(paper: Paper) -> dict[str, str | None]:
    """The DOI and arXiv id a paper keeps once its paper link is replaced: none that the old
    link named (:func:`with_identifiers` reads the new link's), those read elsewhere."""
    from .derive import arxiv_id, doi

    url = paper.url or ""
    return {
        "doi": None if paper.doi == doi(url) else paper.doi,
        "arxiv": None if paper.arxiv == arxiv_id(url) else paper.arxiv,
    }


def _aliases(paper_id: str, *groups: Iterable[str]) -> tuple[str, ...]:
    """Aliases in order without repeats (ignoring case), and never the id itself."""
    seen = {paper_id.casefold()}
    out = []
    for alias in (a for group in groups for a in group):
        if alias.casefold() not in seen:
            seen.add(alias.casefold())
            out.append(alias)
    return tuple(out)
