"""Plain-text reports for the terminal: one paper in full, the section tree, and statistics."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from ..kinds import PAPER_KINDS

if TYPE_CHECKING:
    from ..catalogue import Catalogue
    from ..records import PaperLike

__all__ = ["render_paper", "render_sections", "render_stats"]


def _rows(rows: Iterable[tuple[str, str]], indent: str = "") -> list[str]:
    """``label  value`` lines with the values aligned; a multi-line value stays aligned."""
    rows = list(rows)
    width = max((len(label) for label, _ in rows), default=0)
    out = []
    for label, value in rows:
        first, *rest = value.splitlines() or [""]
        out.append(f"{indent}{label:<{width}}  {first}".rstrip())
        out += [f"{indent}{'':<{width}}  {line}".rstrip() for line in rest]
    return out


def render_paper(paper: PaperLike, catalogue: Catalogue) -> str:
    """Every field of one paper: memberships with their section paths, links, derived ids,
    flags and the source lines it came from.

    :param paper: the paper.
    :param catalogue: its catalogue, for section titles.
    """
    rows: list[tuple[str, str]] = [("title", paper.title)]
    if paper.authors:
        rows.append(("authors", ", ".join(author.full_name for author in paper.authors)))
    if paper.model:
        rows.append(("name", paper.model))
    if paper.kind:
        rows.append(("kind", paper.kind))
    if paper.aliases:
        rows.append(("also found as", ", ".join(paper.aliases)))
    rows.append(("year", str(paper.year) if paper.year is not None else "(unknown)"))
    if paper.venue:
        rows.append(("venue", f"{paper.venue} ({paper.venue_kind or 'kind unknown'})"))
    else:
        rows.append(("venue", "(unknown)"))
    if paper.venue_as_written:
        rows.append(("as written", paper.venue_as_written))
    width = max((len(link.kind) for link in paper.links), default=0)
    rows.append(
        (
            "links",
            "\n".join(f"{link.kind:<{width}}  {link.url}" for link in paper.links) or "(none)",
        )
    )
    if paper.doi:
        rows.append(("doi", f"{paper.doi}  https://doi.org/{paper.doi}"))
    if paper.arxiv:
        rows.append(("arxiv", f"{paper.arxiv}  https://arxiv.org/abs/{paper.arxiv}"))
    if paper.notes:
        rows.append(("notes", "\n".join(paper.notes)))
    places = []
    for membership in paper.memberships:
        node = catalogue.taxonomy.node(membership.section)
        path = " > ".join((membership.domain, *node.ancestors, node.key))
        places.append(f"{path}  ({node.title})")
    rows.append(("sections", "\n".join(places)))
    if paper.flags:
        rows.append(("flags", "\n".join(f"{flag.kind}: {flag.message}" for flag in paper.flags)))
    if paper.sources:
        rows.append(("sources", "\n".join(f"{s.file}:{s.line}" for s in paper.sources)))
    source = paper.authors_source
    if source is not None:
        lines = [f"{source.url}  ({source.version})", *source.also]
        if source.note:
            lines.append(source.note)
        rows.append(("authors from", "\n".join(lines)))
    return "\n".join([paper.id, *_rows(rows, "  ")]) + "\n"


def render_sections(catalogue: Catalogue, domains: Sequence[str] = ()) -> str:
    """The taxonomy tree: each key (what users type), its paper count and its title.

    A section's count includes the papers of the sections below it.

    :param catalogue: the catalogue.
    :param domains: domain keys to show; every domain when empty.
    """
    taxonomy = catalogue.taxonomy
    rows: list[tuple[str, int, str]] = []
    for domain in taxonomy.domains:
        if domains and domain.key not in domains:
            continue
        rows.append((domain.key, len(catalogue.records(domain=domain.key)), domain.title))
        for node in taxonomy.nodes(domain.key):
            title = node.title
            if node.section.aliases:
                title += f"  [also: {', '.join(node.section.aliases)}]"
            key = "  " * (node.depth + 1) + node.key
            rows.append((key, len(catalogue.records(section=node.key)), title))
    key_width = max((len(key) for key, _, _ in rows), default=0)
    count_width = max((len(str(count)) for _, count, _ in rows), default=0)
    lines = [f"{key:<{key_width}}  {count:>{count_width}}  {title}" for key, count, title in rows]
    return "\n".join(lines) + "\n"


def _counts(title: str, counter: Counter[str], order: Sequence[str] | None = None) -> list[str]:
    keys = list(order) if order is not None else [k for k, _ in counter.most_common()]
    rows = [(key, str(counter[key])) for key in keys if counter[key]]
    width = max((len(count) for _, count in rows), default=0)
    return ["", title, *_rows(((key, f"{count:>{width}}") for key, count in rows), "  ")]


def render_stats(papers: Sequence[PaperLike], catalogue: Catalogue) -> str:
    """Counts by domain, section, kind, year and venue kind, then the flags and flagged papers.

    A paper listed in several sections counts once in each, and once for each ancestor.

    :param papers: the papers to count (the whole catalogue, or a query's result).
    :param catalogue: their catalogue.
    """
    taxonomy = catalogue.taxonomy
    domains: Counter[str] = Counter()
    sections: Counter[str] = Counter()
    years: Counter[str] = Counter()
    paper_kinds: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    flags: Counter[str] = Counter()
    for paper in papers:
        domains.update(paper.domains)
        under: set[str] = set()
        for key in paper.sections:
            node = taxonomy.node(key)
            under.update((*node.ancestors, node.key))
        sections.update(under)
        years[str(paper.year) if paper.year is not None else "(unknown)"] += 1
        paper_kinds[paper.kind or "(unknown)"] += 1
        kinds[paper.venue_kind or "(unknown)"] += 1
        flags.update({flag.kind for flag in paper.flags})
    flagged = [paper for paper in papers if paper.flags]
    section_order = ["  " * node.depth + node.key for node in taxonomy.nodes()]
    indented = Counter({"  " * taxonomy.node(k).depth + k: n for k, n in sections.items()})
    authored = sum(1 for paper in papers if paper.authors)
    lines = [f"{len(papers)} papers, {authored} with authors, {len(flagged)} with source flags"]
    lines += _counts("By domain", domains, taxonomy.domain_keys())
    lines += _counts("By section (a section counts the sections below it)", indented, section_order)
    lines += _counts("By kind", paper_kinds, [*PAPER_KINDS, "(unknown)"])
    lines += _counts("By year", years, sorted(years, reverse=True))
    lines += _counts("By venue kind", kinds)
    if flagged:
        lines += _counts("Flags", flags)
        lines += ["", "Flagged papers"]
        lines += _rows(
            ((p.id, ", ".join(dict.fromkeys(f.kind for f in p.flags))) for p in flagged), "  "
        )
    return "\n".join(lines) + "\n"
