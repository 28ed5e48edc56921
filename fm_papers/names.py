"""The names a paper is found by, and the one rule that finds it.

A paper is found by its id, its aliases (earlier ids, other spellings) and its short name
(``model``). :meth:`NameIndex.find` applies one rule, the same for a catalogue
(:meth:`Catalogue.resolve <fm_papers.catalogue.Catalogue.resolve>`) and for an overlay's
``extend:`` and ``override:`` entries while files are merged (:mod:`fm_papers.merge`):

1. an exact id;
2. an id or an alias, ignoring case (an id or alias names one paper: the loader refuses a
   clash);
3. a short name, ignoring case;
4. an id, alias or short name, ignoring everything but letters and digits
   (``Prov-GigaPath``, ``provgigapath`` and ``PROV GIGAPATH`` agree).

The first step that finds something decides; a short name or a loose spelling several papers
share finds all of them, which callers report as ambiguous rather than choose.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from .kinds import compact

if TYPE_CHECKING:
    from .records import PaperLike

__all__ = ["NameIndex"]


class NameIndex:
    """The names of a set of papers, by id; papers may be added and replaced, never removed."""

    __slots__ = ("_aliases", "_compact", "_ids", "_models", "_short")

    def __init__(self, papers: Iterable[PaperLike] = ()) -> None:
        #: Case-folded id -> id, and case-folded alias -> the id it names.
        self._ids: dict[str, str] = {}
        self._aliases: dict[str, str] = {}
        #: Each paper's short name, and case-folded short name -> the ids that have it.
        self._models: dict[str, str] = {}
        self._short: dict[str, dict[str, None]] = {}
        #: Letters and digits of every id, alias and short name -> ids; made on first need
        #: (most lookups are an id, or a name in another case).
        self._compact: dict[str, dict[str, None]] | None = None
        for paper in papers:
            self.add(paper)

    def add(self, paper: PaperLike) -> None:
        """Learn a paper's names; a known id's paper is replaced (its aliases are kept, as an
        overlay's replacement keeps the names the paper had)."""
        previous = self._models.get(paper.id)
        if previous:  # a replaced short name no longer finds the paper
            self._short[previous.casefold()].pop(paper.id, None)
        self._ids[paper.id.casefold()] = paper.id
        for alias in paper.aliases:
            self._aliases.setdefault(alias.casefold(), paper.id)
        self._models[paper.id] = paper.model or ""
        if paper.model:
            self._short.setdefault(paper.model.casefold(), {})[paper.id] = None
        self._compact = None

    def owner(self, name: str) -> str | None:
        """The id an id or alias names, ignoring case (steps 1 and 2 of :meth:`find`)."""
        if name in self._models:
            return name
        folded = name.strip().casefold()
        return self._ids.get(folded) or self._aliases.get(folded)

    def find(self, name: str) -> tuple[str, ...]:
        """The ids of the papers ``name`` finds, by the module's rule: one, none, or several
        (an ambiguous name)."""
        owner = self.owner(name)
        if owner is not None:
            return (owner,)
        text = name.strip()
        short = self._short.get(text.casefold())
        if short:
            return tuple(short)
        loose = compact(text)
        if not loose:
            return ()
        if self._compact is None:
            self._compact = {}
            spellings = [
                *((paper_id, paper_id) for paper_id in self._models),
                *self._aliases.items(),
                *((model, paper_id) for paper_id, model in self._models.items()),
            ]
            for spelling, paper_id in spellings:
                key = compact(spelling)
                if key:
                    self._compact.setdefault(key, {})[paper_id] = None
        return tuple(self._compact.get(loose, ()))
