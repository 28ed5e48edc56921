"""Venue normalisation: a source's venue text to a known venue name, its kind and a note."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from .records import VenueLike

__all__ = ["YEAR_IN_TEXT", "VenueMatch", "VenueTable", "fold"]

#: A plausible year inside a text (not part of a longer number, a DOI or a version).
YEAR_IN_TEXT = re.compile(r"(?<![\d.])(?:19|20)\d\d(?![\d.])")


def fold(text: str) -> str:
    """The form two spellings of one venue share: case, years and spacing folded."""
    return re.sub(r"\s+", " ", YEAR_IN_TEXT.sub(" ", text)).strip(" ,").casefold()


class VenueMatch(NamedTuple):
    """The venue a text names, and what the text says beyond it (a note)."""

    venue: VenueLike
    note: str | None


class VenueTable:
    """Known venues, matched case-insensitively by name or alias, longest spelling first."""

    def __init__(self, venues: Iterable[VenueLike]) -> None:
        self.venues: tuple[VenueLike, ...] = tuple(venues)
        spellings: dict[str, VenueLike] = {}
        for venue in self.venues:
            for spelling in (venue.name, *venue.aliases):
                spellings.setdefault(fold(spelling), venue)
        self._spellings = sorted(spellings.items(), key=lambda kv: -len(kv[0]))
        self._exact = spellings

    def get(self, text: str) -> VenueLike | None:
        """The venue ``text`` names exactly (ignoring case and years), or ``None``."""
        return self._exact.get(fold(text))

    def match(self, text: str) -> VenueMatch | None:
        """The venue ``text`` starts with; the rest of the text is returned as a note."""
        folded = fold(text)
        for spelling, venue in self._spellings:
            if folded == spelling:
                return VenueMatch(venue, None)
            if folded.startswith(spelling) and folded[len(spelling)] in " ,":
                # Take the note from the original text so its case is kept.
                stripped = re.sub(r"\s+", " ", YEAR_IN_TEXT.sub(" ", text)).strip(" ,")
                note = stripped[len(spelling) :].strip(" ,")
                return VenueMatch(venue, note or None)
        return None
