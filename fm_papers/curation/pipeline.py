"""Turn imported source lines into catalogue entries: merge, name, derive, identify, flag.

The steps, each a stated rule:

1. Every source line is mapped to a section by its innermost heading (the taxonomy's
   ``headings``); a heading no section collects becomes a new section of ``domain``.
2. Lines whose titles are equal once case, dashes and spacing are folded are one paper;
   the first line read gives the title, year and venue, and every line adds its links
   (in order, without repeats), its section and its source reference.
3. Venues are normalised through the venue table; text after the venue is a note, and the
   venue as the source names it is kept when normalising changed anything.
4. DOI, arXiv id and link kinds follow :mod:`fm_papers.derive`; the short name and the kind
   follow :mod:`.naming` (a repository linked by several papers names none of them),
   unless a reviewed decision (:class:`Curated`) says otherwise.
5. Ids come from the ledger (:mod:`.ledger`): a paper keeps the id it was issued.
   A new paper's id is its short name's slug, else its title's first significant words
   (three, or as many as it takes to differ from every other new paper's) and the year; a
   clash with any id or alias ever issued takes the year, then a number.
6. Source defects become flags (see :data:`fm_papers.models.FLAG_KINDS`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .. import derive
from ..kinds import paper_kind
from ..taxonomy import Taxonomy
from ..venues import VenueTable
from . import naming
from .flags import flag, flag_shared_urls, url_flags
from .importer import ImportResult, RawEntry
from .ledger import Identity, Ledger, LedgerEntry
from .naming import issue_ids

__all__ = ["BuildResult", "Curated", "build_entries"]


@dataclass(frozen=True)
class Curated:
    """A reviewed decision about one paper (found by its title) that no rule makes."""

    title: str
    #: Why, in words a reviewer can check.
    reason: str
    model: str | None = None
    aliases: tuple[str, ...] = ()
    kind: str | None = None


@dataclass
class BuildResult:
    """Entries in catalogue order, sections created for unknown headings, and problems."""

    entries: list[dict[str, Any]] = field(default_factory=list)
    #: ``domains`` additions (taxonomy format) for headings no section collected.
    domains: list[dict[str, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    #: ``file:line: reason`` for every source line that is not part of an entry.
    skipped: list[str] = field(default_factory=list)
    #: Ids the ledger already held (the others were issued by this build).
    known: set[str] = field(default_factory=set)
    #: Id -> ids merged into it by this build.
    merged: dict[str, list[str]] = field(default_factory=dict)
    #: Ledger records whose paper is no longer in the sources (retired on purpose).
    retired: list[LedgerEntry] = field(default_factory=list)


@dataclass
class _Group:
    records: list[tuple[RawEntry, str, str]] = field(default_factory=list)  # entry, domain, section

    @property
    def raw(self) -> list[RawEntry]:
        return [record for record, _, _ in self.records]


def build_entries(
    results: Sequence[ImportResult],
    taxonomy: Taxonomy,
    venues: VenueTable,
    *,
    domain: str | None = None,
    curated: Iterable[Curated] = (),
    ledger: Ledger | None = None,
    strict: bool = True,
) -> BuildResult:
    """Build catalogue entries from imported source files.

    :param results: what :func:`.importer.parse_markdown` read, one per file.
    :param taxonomy: the sections, the headings each collects and the kind of its papers.
    :param venues: the venue table.
    :param domain: where lines under headings no section collects go (a new section per
        heading); without it such lines are problems.
    :param curated: reviewed decisions: names, aliases and kinds no rule derives.
    :param ledger: the ids issued so far; matched papers keep theirs, new ones are added to
        it. Without one, every id is new.
    :param strict: with a ledger, report issued ids that no paper of ``results`` keeps.
    """
    out = BuildResult()
    groups: dict[str, _Group] = {}
    new_sections: dict[str, dict[str, Any]] = {}
    # Entries record a file's name; messages name it as it was given.
    where = {result.file: result.where for result in results}
    for result in results:
        name = result.where
        out.problems += [f"{name}:{line}: {message}" for line, message in result.problems]
        out.skipped += [f"{name}:{line}: {reason}" for line, reason in result.skipped]
        for entry in result.entries:
            placed = _place(entry, taxonomy, domain, new_sections)
            if placed is None:
                heading = entry.headings[-1] if entry.headings else "(no heading)"
                out.problems.append(
                    f"{where[entry.file]}:{entry.line}: no section collects heading {heading!r}"
                )
                continue
            groups.setdefault(naming.normalise_title(entry.title), _Group()).records.append(
                (entry, *placed)
            )
    if new_sections and domain is not None:
        out.domains.append(
            {"key": domain, "title": domain, "sections": list(new_sections.values())}
        )

    group_list = list(groups.values())
    decisions = _decisions(curated, groups, out.problems)
    entries = [_entry(group, venues, out.problems, where) for group in group_list]
    _name_entries(entries, group_list, decisions)
    for built, group in zip(entries, group_list, strict=True):
        decision = decisions.get(naming.normalise_title(built["title"]))
        built["kind"] = _kind(built["title"], group, taxonomy, decision)
    _identify(
        entries, group_list, decisions, ledger or Ledger(), strict and ledger is not None, out
    )
    out.entries = [{k: v for k, v in entry.items() if v not in (None, [])} for entry in entries]
    flag_shared_urls(out.entries)
    _prove_venues(out.entries, venues)
    return out


def _prove_venues(entries: Sequence[dict[str, Any]], venues: VenueTable) -> None:
    """Show the venue a paper's own link proves (:func:`fm_papers.derive.proved_venue`)
    where the source names another: the source's text stays in ``venue_as_written`` and its
    mismatch flag says what the source wrote. A link another entry shares proves nothing about
    this one (the source may have copied the other paper's link)."""
    for entry in entries:
        if any(f["kind"] == "shared-paper-url" for f in entry.get("flags", ())):
            continue
        url = entry["links"][0]["url"]
        proved = venues.get(derive.proved_venue(url, entry.get("venue_kind")) or "")
        if proved is not None and proved.name != entry.get("venue"):
            entry["venue_as_written"] = entry.get("venue_as_written") or entry.get("venue")
            entry["venue"], entry["venue_kind"] = proved.name, proved.kind


def _place(
    entry: RawEntry, taxonomy: Taxonomy, domain: str | None, new_sections: dict[str, dict[str, Any]]
) -> tuple[str, str] | None:
    heading = entry.headings[-1] if entry.headings else ""
    node = taxonomy.section_by_heading(heading) if heading else None
    if node is not None:
        return node.domain, node.key
    if domain is None:
        return None
    key = naming.slug(heading) or "unsorted"
    if taxonomy.has_section(key):
        key = f"{domain}-{key}"
    new_sections.setdefault(
        key, {"key": key, "title": heading or "Unsorted", "headings": [heading] if heading else []}
    )
    return domain, key


def _decisions(
    curated: Iterable[Curated], groups: Mapping[str, _Group], problems: list[str]
) -> dict[str, Curated]:
    """Reviewed decisions by normalised title; one that names no paper is a problem."""
    decisions: dict[str, Curated] = {}
    for decision in curated:
        key = naming.normalise_title(decision.title)
        if key not in groups:
            problems.append(f"curation: no paper of the sources is titled {decision.title!r}")
        elif not decision.reason.strip():
            problems.append(f"curation: the decision about {decision.title!r} gives no reason")
        elif key in decisions:
            problems.append(f"curation: two decisions about {decision.title!r}; keep one")
        else:
            decisions[key] = decision
    return decisions


def _entry(
    group: _Group, venues: VenueTable, problems: list[str], where: Mapping[str, str]
) -> dict[str, Any]:
    """The fields of one paper, except its name, kind, id and aliases."""
    records = group.raw
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
                f"{where[venue_record.file]}:{venue_record.line}: "
                f"unknown venue {venue_record.venue!r}"
            )
            venue = venue_record.venue
        else:
            venue, kind = match.venue.name, match.venue.kind
            if match.note:
                notes.append(match.note)
        if venue_record.venue_as_written != venue:
            written = venue_record.venue_as_written
        for record in records:
            hint = (record.kind_hint or "").lower()
            if hint and kind and hint != kind:
                flags.append(
                    flag(
                        "venue-kind-mismatch", f"the source calls {venue} a {hint}; it is a {kind}"
                    )
                )
                break

    links: dict[str, str] = {}
    for record in records:
        for label, as_written in record.links:
            url, tracking = derive.without_tracking(as_written)
            if tracking:
                flags.append(
                    flag(
                        "tracking-parameters",
                        f"the source's link {as_written} carries tracking parameters "
                        f"({'&'.join(tracking)}), left out",
                    )
                )
            links.setdefault(url, derive.link_kind(label, url))
    ordered = sorted(links.items(), key=lambda item: item[1] != "paper")
    paper_url = ordered[0][0]

    memberships: list[dict[str, str]] = []
    for _, domain, section in group.records:
        membership = {"domain": domain, "section": section}
        if membership in memberships:
            if not any(f["kind"] == "listed-twice" for f in flags):
                flags.append(
                    flag("listed-twice", f"listed more than once under section {section!r}")
                )
            continue
        memberships.append(membership)

    titles = list(dict.fromkeys(r.title for r in records))
    if len(titles) > 1:
        flags.append(
            flag(
                "title-variants",
                "the sources also write it as " + "; ".join(repr(t) for t in titles[1:]),
            )
        )
    if year is None:
        # The year a link's identifier names is a hint for the reviewer, not the paper's year.
        named = derive.url_year(paper_url)
        hint = f" (the paper link's identifier names {named})" if named else ""
        flags.append(flag("missing-year", f"no source line gives a year{hint}"))
    if venue is None:
        flags.append(flag("missing-venue", "no source line gives a venue"))
    flags += url_flags(paper_url, venue, kind, year)

    return {
        "id": None,
        "aliases": [],
        "title": title,
        "model": None,
        "kind": None,
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


def _name_entries(
    entries: list[dict[str, Any]], groups: Sequence[_Group], decisions: Mapping[str, Curated]
) -> None:
    """Give each entry its short name: reviewed, tagged, from the title, else the repository."""
    repositories = [_repositories(entry) for entry in entries]
    used = Counter(repo for repos in repositories for repo in set(repos))
    for entry, group in zip(entries, groups, strict=True):
        decision = decisions.get(naming.normalise_title(entry["title"]))
        tag = next((r.model_tag for r in group.raw if r.model_tag), None)
        name = (decision.model if decision else None) or tag
        if name is None:
            name = naming.name_from_title(entry["title"])
            if name and entry["title"].upper() == entry["title"]:
                name = _case_from_repository(name, entry)
        entry["model"] = name
    names = {naming.compact(e["model"]) for e in entries if e["model"]}
    for entry, repos in zip(entries, repositories, strict=True):
        if entry["model"] is not None:
            continue
        for repo, url in repos.items():
            name = naming.name_from_repository(url)
            if name and used[repo] == 1 and naming.compact(name) not in names:
                entry["model"] = name
                break


def _repositories(entry: Mapping[str, Any]) -> dict[tuple[str, str], str]:
    """The code and weights repositories an entry links to, with a URL of each."""
    found: dict[tuple[str, str], str] = {}
    for link in entry["links"]:
        repo = derive.repository(link["url"]) if link["kind"] in ("code", "weights") else None
        if repo is not None:
            found.setdefault((repo[0].casefold(), repo[1].casefold()), link["url"])
    return found


def _case_from_repository(name: str, entry: Mapping[str, Any]) -> str:
    """A name read from an all-capitals title, spelt as a linked repository spells it."""
    for url in _repositories(entry).values():
        repo = derive.repository(url)
        if repo and naming.compact(repo[1]) == naming.compact(name):
            return repo[1]
    return name


def _kind(title: str, group: _Group, taxonomy: Taxonomy, decision: Curated | None) -> str:
    """The reviewed kind, else the one :func:`~fm_papers.kinds.paper_kind` gives an overlay's
    entry: the title's, else that of the first section listing it that has one."""
    if decision and decision.kind:
        return decision.kind
    sections = (section for _, _, section in group.records if taxonomy.has_section(section))
    return paper_kind(title, (taxonomy.node(section).kind for section in sections))


def _identify(
    entries: list[dict[str, Any]],
    groups: Sequence[_Group],
    decisions: Mapping[str, Curated],
    ledger: Ledger,
    strict: bool,
    out: BuildResult,
) -> None:
    """Ids from the ledger, new ids for new papers, and aliases."""
    identities = [
        Identity(
            tuple(dict.fromkeys(r.title for r in group.raw)),
            tuple(link["url"] for link in entry["links"] if link["kind"] == "paper"),
        )
        for entry, group in zip(entries, groups, strict=True)
    ]
    match = ledger.match(identities, strict=strict)
    out.problems += [str(problem) for problem in match.problems]
    out.retired = match.retired
    out.known = {record.id for record in match.ids.values()}
    new = [position for position in range(len(entries)) if position not in match.ids]
    taken = ledger.issued() | {a for d in decisions.values() for a in d.aliases}
    issued = issue_ids([entries[p] for p in new], taken)
    ledger.apply(identities, match)
    for position, record in match.ids.items():
        entries[position]["id"] = record.id
        if position in match.merged:
            out.merged[record.id] = [other.id for other in match.merged[position]]
    for position, paper_id in zip(new, issued, strict=True):
        entries[position]["id"] = paper_id
        ledger.add(paper_id, identities[position])
    records = {record.id: record for record in ledger.entries}
    for entry in entries:
        issued_as = records.get(entry["id"])
        decision = decisions.get(naming.normalise_title(entry["title"]))
        earlier = issued_as.aliases if issued_as else []
        spellings = [*earlier, *(decision.aliases if decision else ())]
        entry["aliases"] = [a for a in dict.fromkeys(spellings) if a != entry["id"]]
    owners: dict[str, str] = {}
    for entry in entries:
        for name in (entry["id"], *entry["aliases"]):
            owner = owners.setdefault(name.casefold(), entry["id"])
            if owner != entry["id"]:
                out.problems.append(f"{name!r} would name both {owner!r} and {entry['id']!r}")
