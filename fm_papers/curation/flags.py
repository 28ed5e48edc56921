"""The flags of source defects: what the sources contradict or leave out, recorded, not fixed.

Each flag kind is one rule (:data:`fm_papers.models.FLAG_KINDS` says what each records); the
rules that read the paper link are here, the ones about source lines (listed twice, title
variants, a venue kind the source misnames) where :mod:`.pipeline` merges lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .. import derive

__all__ = ["flag", "flag_shared_urls", "url_flags"]


def url_flags(
    url: str, venue: str | None, kind: str | None, year: int | None
) -> list[dict[str, Any]]:
    """The flags a paper link raises against the venue, its kind and the year."""
    flags = []
    linked = derive.linked_venue(url)
    if linked is not None and venue is not None and kind != "preprint" and linked != venue:
        flags.append(
            flag(
                "venue-publisher-mismatch",
                f"the source gives the venue {venue}, but the paper link names {linked}",
            )
        )
    server = derive.preprint_server(url)
    if kind == "preprint" and server != venue:
        where = f"on {server}" if server else "not on a preprint server"
        flags.append(
            flag(
                "preprint-server-mismatch",
                f"the source gives the venue {venue}, but the paper link is {where}",
            )
        )
    linked_year = derive.url_year(url)
    proceedings = derive.proceedings_year(url)
    if year is not None and proceedings is not None and proceedings != year:
        flags.append(
            flag(
                "year-mismatch",
                f"the year is {year}, but the link is to the {proceedings} proceedings",
            )
        )
    elif linked_year is not None and year is not None and linked_year > year:
        flags.append(
            flag(
                "year-mismatch",
                f"the year is {year}, but the link's identifier names {linked_year}",
            )
        )
    return flags


def flag(kind: str, message: str, related: Sequence[str] = ()) -> dict[str, Any]:
    """A flag as the data file writes it."""
    found: dict[str, Any] = {"kind": kind, "message": message}
    if related:
        found["related"] = list(related)
    return found


def flag_shared_urls(entries: list[dict[str, Any]]) -> None:
    """Flag entries whose paper link is another entry's paper link too."""
    by_url: dict[str, list[dict[str, Any]]] = {}
    for entry in entries:
        by_url.setdefault(entry["links"][0]["url"], []).append(entry)
    for url, sharing in by_url.items():
        if len(sharing) < 2:
            continue
        for entry in sharing:
            others = [e["id"] for e in sharing if e is not entry]
            shared = flag(
                "shared-paper-url",
                f"the paper link {url} is also given for {', '.join(others)}",
                others,
            )
            entry.setdefault("flags", []).append(shared)
