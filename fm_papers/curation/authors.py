"""The reviewed authors of the shipped papers (``curation/authors.yaml``), checked and applied.

Each record names a paper by id and gives its authors in order (a person as ``Family, Given``,
an organisation as ``{name: ...}``), the page they were read from (``source``, with the
``version`` of the paper it shows), other pages that agree (``also``), an optional ``note``
shipped with them, identifiers met on those pages (``doi``, ``arxiv``) and the curator's
``review`` notes (kept here, not shipped). ``without_authors`` names the papers no accepted
page was found for, each with the reason. Every problem is a message naming the record; the
build stops on any.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from ..models import Author, AuthorsSource
from ..validation import plain_errors

__all__ = ["Authored", "apply_authors", "read_authors"]

_FIELDS = {"id", "version", "source", "also", "authors", "doi", "arxiv", "note", "review"}
_DOI = re.compile(r"10\.\d{4,9}/\S+")
_ARXIV = re.compile(r"\d{4}\.\d{4,5}")


@dataclass(frozen=True)
class Authored:
    """One paper's reviewed authors, as they are shipped."""

    authors: tuple[Author, ...]
    source: AuthorsSource
    doi: str | None = None
    arxiv: str | None = None


def read_authors(
    data: object, names: Mapping[str, str], retired: Collection[str], problems: list[str]
) -> tuple[dict[str, Authored], dict[str, str]]:
    """The records of ``curation/authors.yaml`` by paper id, and the papers it says have none
    (with why); a record that cannot be read is a problem, never a guess.

    :param data: the file's parsed YAML.
    :param names: the ids of the papers being built, and their aliases, to the id each names
        (a record of an id that became an alias is the paper's now).
    :param retired: ids of papers the sources dropped on purpose: their records are left.
    """
    where = "curation/authors.yaml"
    if not isinstance(data, dict):
        problems.append(f"{where}: expected a mapping with papers and without_authors")
        return {}, {}
    found: dict[str, Authored] = {}
    for number, raw in enumerate(data.get("papers") or [], start=1):
        record = _record(raw, f"{where}: papers[{number}]", problems)
        if record is None:
            continue
        written, authored = record
        paper_id = names.get(written)
        if paper_id is None:
            if written not in retired:
                problems.append(f"{where}: papers[{number}]: no paper has the id {written!r}")
        elif paper_id in found:
            who = repr(paper_id)
            if written != paper_id:
                who = f"{written!r} is now an alias of {paper_id!r}, which"
            problems.append(f"{where}: papers[{number}]: {who} has a record already; keep one")
        else:
            found[paper_id] = authored
    without = data.get("without_authors") or {}
    if not isinstance(without, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in without.items()
    ):
        problems.append(f"{where}: without_authors must map ids to the reason they have none")
        without = {}
    for paper_id in sorted(set(without) & set(found)):
        problems.append(f"{where}: {paper_id!r} is both with and without authors")
    for paper_id in sorted(set(without) - set(names) - set(retired)):
        problems.append(f"{where}: without_authors: no paper has the id {paper_id!r}")
    return found, {names.get(k, k): v for k, v in without.items()}


def _record(raw: object, where: str, problems: list[str]) -> tuple[str, Authored] | None:
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
        problems.append(f"{where}: a record is a mapping with an id")
        return None
    where = f"{where} ({raw['id']})"
    unknown = sorted(set(map(str, raw)) - _FIELDS)
    if unknown:
        problems.append(f"{where}: unknown fields {', '.join(unknown)}")
        return None
    names = raw.get("authors")
    if not isinstance(names, list) or not names:
        problems.append(f"{where}: authors must be a list of at least one name")
        return None
    doi, arxiv = raw.get("doi"), raw.get("arxiv")
    if doi is not None and not (isinstance(doi, str) and _DOI.fullmatch(doi)):
        problems.append(f"{where}: doi {doi!r} is not a DOI")
        return None
    if arxiv is not None and not (isinstance(arxiv, str) and _ARXIV.fullmatch(arxiv)):
        problems.append(f"{where}: arxiv {arxiv!r} is not an arXiv id (quote it: '2405.12971')")
        return None
    authors = []
    for number, name in enumerate(names, start=1):
        try:
            authors.append(Author.model_validate(name))
        except ValidationError as error:
            loc, message = plain_errors(error)[0]
            field = "".join(f".{part}" for part in loc)
            problems.append(f"{where}: authors[{number}]{field}: {message}")
            return None
    try:
        source = AuthorsSource.model_validate(
            {
                "url": raw.get("source"),
                "version": raw.get("version"),
                "also": raw.get("also") or (),
                "note": raw.get("note"),
            }
        )
    except ValidationError as error:
        loc, message = plain_errors(error)[0]
        problems.append(f"{where}: {'.'.join(map(str, loc)) or 'source'}: {message}")
        return None
    return raw["id"], Authored(tuple(authors), source, doi, arxiv)


def apply_authors(entry: dict[str, Any], authored: Mapping[str, Authored]) -> None:
    """Give a built entry its reviewed authors, and the identifiers met with them where its
    paper link gives none."""
    record = authored.get(entry["id"])
    if record is None:
        return
    entry["authors"] = [a.model_dump(exclude_none=True) for a in record.authors]
    entry["authors_source"] = record.source.model_dump(mode="json", exclude_defaults=True)
    if record.doi and not entry.get("doi"):
        entry["doi"] = record.doi
    if record.arxiv and not entry.get("arxiv"):
        entry["arxiv"] = record.arxiv
