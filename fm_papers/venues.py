"""Venue normalisation: a source's venue text to a known venue name, its kind and a note."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .importer import YEAR_IN_TEXT
from .models import Venue

__all__ = ["VenueMatch", "VenueTable", "fold"]


def fold(text: str) -> str:
    """The form two spellings of one venue share: case, years and spacing folded."""
    return re.sub(r"\s+", " ", YEAR_IN_TEXT.sub(" ", text)).strip(" ,").casefold()


@dataclass(frozen=True)
class VenueMatch:
    """The venue a text names, and what the text says beyond it (a note)."""

    venue: Venue
    note: str | None


class VenueTable:
    """Known venues, matched case-insensitively by name or alias, longest spelling first."""

    def __init__(self, venues: Iterable[Venue]) -> None:
        self.venues: tuple[Venue, ...] = tuple(venues)
        spellings: dict[str, Venue] = {}
        for venue in self.venues:
            for spelling in (venue.name, *venue.aliases):
                spellings.setdefault(fold(spelling), venue)
        self._spellings = sorted(spellings.items(), key=lambda kv: -len(kv[0]))
        self._exact = spellings

    def get(self, text: str) -> Venue | None:
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
