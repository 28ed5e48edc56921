"""Turn imported source lines into catalogue entries: merge, derive, flag.

The steps, each a stated rule:

1. Every source line is mapped to a section by its innermost heading (the taxonomy's
   ``headings``); a heading no section collects becomes a new section of ``domain``.
2. Lines whose titles are equal once case, dashes and spacing are folded are one paper;
   the first line read gives the title, year and venue, and every line adds its links
   (in order, without repeats), its section and its source reference.
3. Venues are normalised through the venue table; text after the venue is a note.
4. DOI, arXiv id, model name and link kinds follow :mod:`fm_papers.derive`.
5. Ids are the model name's slug, else the title's first three significant words and
   the year; a clash takes the year, then a number.
6. Source defects become flags (see :data:`fm_papers.models.FLAG_KINDS`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from . import derive
from .importer import ImportResult, RawEntry
from .models import Paper
from .taxonomy import Taxonomy
from .venues import VenueTable

__all__ = ["BuildResult", "build_entries"]


@dataclass
class BuildResult:
    """Entries in catalogue order, sections created for unknown headings, and problems."""

    entries: list[dict[str, Any]] = field(default_factory=list)
    #: ``domains`` additions (taxonomy format) for headings no section collected.
    domains: list[dict[str, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


@dataclass
class _Group:
    records: list[tuple[RawEntry, str, str]] = field(default_factory=list)  # entry, domain, section


def build_entries(
    results: Sequence[ImportResult],
    taxonomy: Taxonomy,
    venues: VenueTable,
    *,
    domain: str | None = None,
    models: Mapping[str, str] | None = None,
) -> BuildResult:
    """Build catalogue entries from imported source files.

    :param results: what :func:`fm_papers.importer.parse_markdown` read, one per file.
    :param taxonomy: the sections and the headings each collects.
    :param venues: the venue table.
    :param domain: where lines under headings no section collects go (a new section per
        heading); without it such lines are problems.
    :param models: model names the rules cannot derive, by normalised title.
    """
    out = BuildResult()
    groups: dict[str, _Group] = {}
    new_sections: dict[str, dict[str, Any]] = {}
    for result in results:
        for line, message in result.problems:
            out.problems.append(f"{_file_of(result)}:{line}: {message}")
        for entry in result.entries:
            placed = _place(entry, taxonomy, domain, new_sections)
            if placed is None:
                heading = entry.headings[-1] if entry.headings else "(no heading)"
                out.problems.append(
                    f"{entry.file}:{entry.line}: no section collects heading {heading!r}"
                )
                continue
            groups.setdefault(derive.normalise_title(entry.title), _Group()).records.append(
                (entry, *placed)
            )
    if new_sections and domain is not None:
        out.domains.append(
            {"key": domain, "title": domain, "sections": list(new_sections.values())}
        )

    used: set[str] = set()
    for group in groups.values():
        built = _entry(group, venues, models or {}, used, out.problems)
        used.add(built["id"])
        out.entries.append(built)
    _flag_shared_urls(out.entries)
    return out


def _file_of(result: ImportResult) -> str:
    return result.entries[0].file if result.entries else "<markdown>"


def _place(
    entry: RawEntry, taxonomy: Taxonomy, domain: str | None, new_sections: dict[str, dict[str, Any]]
) -> tuple[str, str] | None:
    heading = entry.headings[-1] if entry.headings else ""
    node = taxonomy.section_by_heading(heading) if heading else None
    if node is not None:
        return node.domain, node.key
    if domain is None:
        return None
    key = derive.slug(heading) or "unsorted"
    if taxonomy.has_section(key):
        key = f"{domain}-{key}"
    new_sections.setdefault(
        key, {"key": key, "title": heading or "Unsorted", "headings": [heading] if heading else []}
    )
    return domain, key


def _entry(
    group: _Group,
    venues: VenueTable,
    models: Mapping[str, str],
    used: set[str],
    problems: list[str],
) -> dict[str, Any]:
    records = [record for record, _, _ in group.records]
    first = records[0]
    title = first.title
    year = next((r.year for r in records if r.year is not None), None)
    flags: list[dict[str, Any]] = []
    notes: list[str] = []

    venue_record = next((r for r in records if r.venue), None)
    venue = kind = written = None
    if venue_record is not None and venue_record.venue is not None:
        match = venues.match(venue_record.venue)
        if match is None:
            problems.append(
                f"{venue_record.file}:{venue_record.line}: unknown venue {venue_record.venue!r}"
            )
            venue = venue_record.venue
        else:
            venue, kind = match.venue.name, match.venue.kind
            if match.note:
                notes.append(match.note)
        if venue_record.venue != venue:
            written = venue_record.venue
        for record in records:
            hint = (record.kind_hint or "").lower()
            # A workshop is held at a conference, so calling it one is no contradiction.
            if hint and kind and hint != kind and (hint, kind) != ("conference", "workshop"):
                flags.append(
                    _flag(
                        "venue-kind-mismatch", f"the source calls {venue} a {hint}; it is a {kind}"
                    )
                )
                break

    links: dict[str, str] = {}
    for record in records:
        for label, url in record.links:
            links.setdefault(url, derive.link_kind(label, url))
    ordered = sorted(links.items(), key=lambda item: item[1] != "paper")
    paper_url = ordered[0][0]

    normalised = derive.normalise_title(title)
    model = models.get(normalised) or next((r.model_tag for r in records if r.model_tag), None)
    model = model or derive.model_from_title(title)

    paper_id = _new_id(title, model, year, used)

    memberships: list[dict[str, str]] = []
    for _, domain, section in group.records:
        membership = {"domain": domain, "section": section}
        if membership in memberships:
            if not any(f["kind"] == "listed-twice" for f in flags):
                flags.append(
                    _flag("listed-twice", f"listed more than once under section {section!r}")
                )
            continue
        memberships.append(membership)

    titles = list(dict.fromkeys(r.title for r in records))
    if len(titles) > 1:
        flags.append(
            _flag(
                "title-variants",
                "the sources also write it as " + "; ".join(repr(t) for t in titles[1:]),
            )
        )
    if year is None:
        flags.append(_flag("missing-year", "no source line gives a year"))
    if venue is None:
        flags.append(_flag("missing-venue", "no source line gives a venue"))
    flags += _url_flags(paper_url, venue, kind, year)

    entry: dict[str, Any] = {
        "id": paper_id,
        "title": title,
        "model": model,
        "year": year,
        "venue": venue,
        "venue_kind": kind,
        "venue_as_written": written,
        "links": [{"kind": kind_, "url": url} for url, kind_ in ordered],
        "doi": derive.doi(paper_url),
        "arxiv": derive.arxiv_id(paper_url),
        "notes": notes,
        "memberships": memberships,
        "flags": flags,
        "sources": [{"file": r.file, "line": r.line} for r in records],
    }
    return {k: v for k, v in entry.items() if v not in (None, [])}


def _new_id(title: str, model: str | None, year: int | None, used: set[str]) -> str:
    """The model's slug, else the title's first words and the year; longer until unused."""
    suffix = f"-{year}" if year else ""
    if model:
        candidates = [derive.slug(model), derive.slug(model) + suffix]
    else:
        candidates = [derive.slug(title, words=n) + suffix for n in range(3, 9)]
    for candidate in candidates:
        if candidate not in used:
            return candidate
    number = 2
    while f"{candidates[-1]}-{number}" in used:
        number += 1
    return f"{candidates[-1]}-{number}"


def _url_flags(
    url: str, venue: str | None, kind: str | None, year: int | None
) -> list[dict[str, Any]]:
    flags = []
    journal = derive.nature_journal(url)
    if journal is not None and venue is not None and journal != venue:
        flags.append(
            _flag(
                "venue-publisher-mismatch",
                f"the venue is {venue}, but the link's article id names {journal}",
            )
        )
    server = derive.preprint_server(url)
    if kind == "preprint" and server != venue:
        where = f"on {server}" if server else "not on a preprint server"
        flags.append(
            _flag(
                "preprint-server-mismatch", f"the venue is {venue}, but the paper link is {where}"
            )
        )
    linked_year = derive.url_year(url)
    proceedings = derive.proceedings_year(url)
    if year is not None and proceedings is not None and proceedings != year:
        flags.append(
            _flag(
                "year-mismatch",
                f"the year is {year}, but the link is to the {proceedings} proceedings",
            )
        )
    elif linked_year is not None and year is not None and linked_year > year:
        flags.append(
            _flag(
                "year-mismatch",
                f"the year is {year}, but the link's identifier names {linked_year}",
            )
        )
    return flags


def _flag(kind: str, message: str, related: Sequence[str] = ()) -> dict[str, Any]:
    flag: dict[str, Any] = {"kind": kind, "message": message}
    if related:
        flag["related"] = list(related)
    return flag


def _flag_shared_urls(entries: list[dict[str, Any]]) -> None:
    """Flag entries whose paper link is another entry's paper link too."""
    by_url: dict[str, list[dict[str, Any]]] = {}
    for entry in entries:
        by_url.setdefault(entry["links"][0]["url"], []).append(entry)
    for url, sharing in by_url.items():
        if len(sharing) < 2:
            continue
        for entry in sharing:
            others = [e["id"] for e in sharing if e is not entry]
            flag = _flag(
                "shared-paper-url",
                f"the paper link {url} is also given for {', '.join(others)}",
                others,
            )
            entry.setdefault("flags", []).append(flag)


def check_entries(entries: Sequence[Mapping[str, Any]]) -> list[Paper]:
    """Validate built entries with the models (raises pydantic's ValidationError)."""
    return [Paper.model_validate(entry) for entry in entries]
