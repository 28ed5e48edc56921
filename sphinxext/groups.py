"""Papers split into captioned groups (``:group-by:``, whose values are
:data:`.config.GROUPS`), in taxonomy or sort order.

Pure, as :mod:`.render` is: papers and the taxonomy in, groups out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from fm_papers.kinds import PAPER_KINDS, VENUE_KINDS

from .labels import Labels

if TYPE_CHECKING:
    from fm_papers.query import Query, SortKey
    from fm_papers.records import PaperLike
    from fm_papers.taxonomy import Taxonomy

__all__ = ["Group", "group_papers"]


@dataclass(frozen=True)
class Group:
    """One captioned group of papers (``:group-by:``)."""

    key: str
    caption: str
    papers: tuple[PaperLike, ...]


def group_papers(
    papers: Sequence[PaperLike],
    by: str,
    taxonomy: Taxonomy,
    query: Query | None = None,
    sort: Sequence[SortKey] = (),
    labels: Labels | None = None,
) -> list[Group]:
    """Split papers into groups, in taxonomy order (domain, section) or sort order (year...).

    A paper listed under two sections (or domains) appears in both groups; groups outside
    the query's ``domain`` and ``section`` filters are left out, so they never widen it (a
    section's domain counts as asked for).

    Captions say what they group ("Year 2024", "Kind: Benchmark"), in ``labels``' language;
    a domain or section is captioned by its title.
    """
    labels = labels if labels is not None else Labels()
    groups: list[Group] = []
    if by == "domain":
        wanted = _asked_domains(taxonomy, query)
        for domain in taxonomy.domains:
            if wanted is not None and domain.key not in wanted:
                continue
            members = tuple(p for p in papers if domain.key in p.domains)
            if members:
                groups.append(Group(domain.key, domain.title, members))
    elif by == "section":
        allowed: set[str] = set()
        for key in query.section if query else ():
            allowed |= taxonomy.node(key).subtree
        domains = {taxonomy.domain(d).key for d in query.domain} if query else set()
        for node in taxonomy.nodes():
            if (allowed and node.key not in allowed) or (domains and node.domain not in domains):
                continue
            members = tuple(p for p in papers if node.key in p.sections)
            if members:
                groups.append(Group(node.key, node.title, members))
    elif by == "year":
        descending = any(key.key == "year" and key.descending for key in sort)
        years = sorted({p.year for p in papers if p.year is not None}, reverse=descending)
        for year in (*years, None):
            members = tuple(p for p in papers if p.year == year)
            if members:
                caption = labels("year-group", year=year) if year else labels("year-unknown")
                groups.append(Group(str(year or "unknown"), caption, members))
    elif by in ("kind", "venue-kind"):
        values = PAPER_KINDS if by == "kind" else VENUE_KINDS
        groups = _groups_of(papers, by, values, labels)
    else:
        raise ValueError(f"cannot group by {by!r}")
    return groups


def _asked_domains(taxonomy: Taxonomy, query: Query | None) -> set[str] | None:
    """The domains a query keeps to, by its ``domain`` and ``section`` filters (both hold when
    both are given); ``None`` when it names neither."""
    asked: list[set[str]] = []
    if query and query.domain:
        asked.append({taxonomy.domain(d).key for d in query.domain})
    if query and query.section:
        asked.append({taxonomy.node(s).domain for s in query.section})
    return set.intersection(*asked) if asked else None


def _groups_of(
    papers: Sequence[PaperLike], by: str, values: Iterable[str], labels: Labels
) -> list[Group]:
    """A group per value of a closed set (``kind``, ``venue-kind``), in its order, then the
    papers without one."""
    value: Callable[[PaperLike], str | None] = (
        (lambda p: p.kind) if by == "kind" else (lambda p: p.venue_kind)
    )
    groups = []
    for key in (*values, None):
        members = tuple(p for p in papers if value(p) == key)
        if members:
            caption = (
                labels(f"{by}-group", kind=labels.value(by, key))
                if key
                else labels(f"{by}-unknown")
            )
            groups.append(Group(key or "unknown", caption, members))
    return groups
