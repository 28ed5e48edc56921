"""An overlay made from a markdown list for a catalogue: what ``fm-papers import-markdown`` writes.

The list is read and its entries built by the pipeline (:mod:`.pipeline`), with the
catalogue's taxonomy, venues and ids as the ledger: papers the catalogue knows become
``extend: true`` entries holding only what they add; the others are new entries, each validated.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from ..errors import DataProblem
from ..models import Paper
from ..validation import plain_errors
from .importer import parse_markdown
from .ledger import Ledger
from .pipeline import build_entries

if TYPE_CHECKING:
    from ..catalogue import Catalogue

__all__ = ["Imported", "import_list"]


@dataclass
class Imported:
    """An overlay made from a markdown list, read against a catalogue (:func:`import_list`)."""

    #: New papers, and ``extend: true`` entries adding links or sections to known ones.
    entries: list[dict[str, Any]]
    #: ``domains`` additions (taxonomy format) for headings no section collected.
    domains: list[dict[str, Any]]
    #: ``file:line: ...`` for every line that could not be read or entry that is not valid.
    problems: list[str]
    #: ``file:line: reason`` for every line that is not part of an entry.
    skipped: list[str]
    #: How many entries the list holds.
    read: int
    #: How many of them the catalogue already holds, with every link and section.
    unchanged: int


def import_list(text: str, where: str, catalogue: Catalogue, domain: str | None = None) -> Imported:
    """Read an awesome-list markdown document into overlay entries for ``catalogue``.

    Papers the catalogue knows (by the ledger's matching rules) become ``extend: true``
    entries holding only what they add; the others are new entries, each validated.

    :param where: the document's path, as messages name it.
    :param domain: where headings no section collects go (a new section per heading).
    """
    built = build_entries(
        [parse_markdown(text, where)],
        catalogue.taxonomy,
        catalogue.venues,
        domain=domain,
        ledger=Ledger.from_papers(catalogue),
        strict=False,
    )
    problems = list(built.problems)
    entries: list[dict[str, Any]] = []
    unchanged = 0
    for entry in built.entries:
        if entry["id"] in built.known:
            extension = _extension(entry, catalogue.get(entry["id"]))
            if extension is None:
                unchanged += 1
            else:
                entries.append(extension)
            continue
        try:
            Paper.model_validate(entry)
        except ValidationError as error:
            line = entry["sources"][0]["line"]
            problems += [
                str(
                    DataProblem(
                        where, line, message, entry=entry["id"], field=".".join(map(str, loc))
                    )
                )
                for loc, message in plain_errors(error)
            ]
        entries.append(entry)
    return Imported(entries, built.domains, problems, built.skipped, len(built.entries), unchanged)


def _extension(entry: Mapping[str, Any], paper: Paper) -> dict[str, Any] | None:
    """An ``extend: true`` entry adding what an imported entry has beyond the paper it
    names, or None when it adds nothing."""
    known_links = {link.url for link in paper.links}
    known_places = {(m.domain, m.section) for m in paper.memberships}
    links = [link for link in entry["links"] if link["url"] not in known_links]
    places = [m for m in entry["memberships"] if (m["domain"], m["section"]) not in known_places]
    if not links and not places:
        return None
    extension: dict[str, Any] = {"id": paper.id, "extend": True}
    if places:
        extension["memberships"] = places
    if links:
        extension["links"] = links
    return extension
