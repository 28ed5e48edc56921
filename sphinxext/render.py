"""Pure node builders: papers in, docutils nodes out (no ``env``, no ``app``).

Every value goes in as a ``Text`` node, never parsed as markup, and every link is the
``http(s)`` URL the models validated. The output uses only standard docutils nodes, so every
builder renders it; the classes (``fm-papers``, ``fm-papers-item``, ``fm-col-<column>``,
``fm-year-2024``, ``fm-domain-<key>``...) are the hooks the stylesheet and a browser script
use, and writers that do not know them ignore them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from docutils import nodes

from fm_papers.query import Query, SortKey

from .config import COLUMNS
from .groups import group_papers
from .labels import Labels
from .marks import flag_mark
from .nodes import fm_papers_block, fm_papers_caption, fm_papers_rows

if TYPE_CHECKING:
    from fm_papers.records import PaperLike
    from fm_papers.taxonomy import Taxonomy

__all__ = ["Anchors", "View", "one_page_anchor", "render", "rows"]

#: Relative widths of the columns in a table (LaTeX and text writers use them).
_WIDTHS = {
    "title": 40,
    "authors": 14,
    "model": 12,
    "year": 6,
    "notes": 25,
    "links": 14,
    "venue": 14,
    "section": 14,
    "flags": 14,
}


@dataclass
class Anchors:
    """Unique row anchors for one document: ``fm-paper-<id>``, then ``-2``, ``-3``...

    :param used: ids already taken in the document.
    """

    used: set[str] = field(default_factory=set)
    #: The first anchor given to each paper id, in the order they were given.
    first: dict[str, str] = field(default_factory=dict)

    def take(self, paper_id: str) -> str:
        """A fresh anchor for a row showing ``paper_id``."""
        base = anchor = f"fm-paper-{paper_id}"
        number = 1
        while anchor in self.used:
            number += 1
            anchor = f"{base}-{number}"
        self.used.add(anchor)
        self.first.setdefault(paper_id, anchor)
        return anchor


def one_page_anchor(docname: str, anchor: str) -> str:
    """A row's anchor where all pages are one (``singlehtml``): unique across the pages, as
    :class:`Anchors` makes it unique within one, by the page's name before it."""
    return f"{nodes.make_id(docname)}--{anchor}"


@dataclass(frozen=True)
class View:
    """How papers are presented: the validated presentation options of one directive (whose
    defaults are the ``fm_papers_*`` config values, :class:`.config.Settings`)."""

    columns: tuple[str, ...]
    layout: str = "table"
    group_by: str | None = None
    caption: str | None = None
    #: What an empty selection shows.
    empty_text: str = ""
    classes: tuple[str, ...] = ()
    sort: tuple[SortKey, ...] = ()
    #: Whether the browser script enhances the block (HTML only; others ignore the class).
    interactive: bool = False
    #: Whether an interactive block gets the search box and facet selects, or only sortable
    #: headers (a small block: ``fm_papers_filter_threshold``).
    filters: bool = True
    #: The headers, captions and vocabulary in the build's language (:mod:`.labels`).
    labels: Labels = field(default_factory=Labels)


def render(
    papers: Sequence[PaperLike],
    view: View,
    *,
    taxonomy: Taxonomy,
    query: Query | None = None,
    anchors: Anchors | None = None,
) -> nodes.Element:
    """The wrapper ``container`` holding the papers in ``view``'s layout; a captioned block
    that is grouped, a list or cards is an :class:`.nodes.fm_papers_block` instead, numbered
    as one table, whose groups are headed by rubrics.

    :param query: the query that selected ``papers``; restricts ``:group-by:`` groups to the
        domains and sections it asked for.
    :param anchors: the document's anchors, so that rows get unique ids.

    The rows, items or cards themselves are a :class:`.nodes.fm_papers_rows` placeholder
    (their anchors are taken now, in document order), which :func:`rows` fills after reading:
    the pickled doctree holds ids, not thousands of nodes that read-time transforms would walk.
    """
    anchors = anchors if anchors is not None else Anchors()
    classes = ["fm-papers", f"fm-layout-{view.layout}"]
    classes += [f"fm-sort-{key.key}-{'desc' if key.descending else 'asc'}" for key in view.sort]
    if view.interactive:
        classes.append("fm-papers-interactive")
        if not view.filters:
            classes.append("fm-papers-no-filters")
    # Titles are kept exactly as written: no smart quotes or dashes inside.
    wrapper: nodes.Element = nodes.container(
        classes=[*classes, *view.classes], support_smartquotes=False
    )
    if not papers:
        if view.caption:  # still the numbered object a :numref: names, with nothing in it
            wrapper = _numbered(wrapper, view.caption)
        wrapper += nodes.paragraph("", view.empty_text, classes=["fm-papers-empty"])
        return wrapper
    build = _LAYOUTS[view.layout]
    if view.group_by is None and (view.layout == "table" or not view.caption):
        # A table numbers itself: its caption is its title.
        wrapper += build(papers, view, view.caption, anchors)
        return wrapper
    if view.caption:
        # One numbered object for the whole block (a grouped one, a list, cards).
        wrapper = _numbered(wrapper, view.caption)
    if view.group_by is None:
        wrapper += build(papers, view, None, anchors)
        return wrapper
    for group in group_papers(papers, view.group_by, taxonomy, query, view.sort, view.labels):
        box = nodes.container(classes=["fm-papers-group", f"fm-group-{group.key}"])
        # A heading inside the block, whatever the layout: the groups are not numbered.
        box += nodes.rubric(group.caption, group.caption, classes=["fm-papers-group-caption"])
        box += build(group.papers, view, None, anchors)
        wrapper += box
    return wrapper


def _numbered(wrapper: nodes.Element, caption: str) -> fm_papers_block:
    """``wrapper``, numbered as one table (:class:`.nodes.fm_papers_block`) with ``caption``."""
    block = fm_papers_block("", *wrapper.children, **wrapper.attributes)
    block += fm_papers_caption(caption, caption, classes=["fm-papers-caption"])
    return block


def item_classes(paper: PaperLike) -> list[str]:
    """The classes of one row, list item or card: values a script can filter on."""
    classes = ["fm-papers-item"]
    if paper.year is not None:
        classes.append(f"fm-year-{paper.year}")
    classes += [f"fm-domain-{key}" for key in paper.domains]
    classes += [f"fm-section-{key}" for key in paper.sections]
    if paper.kind:
        classes.append(f"fm-kind-{paper.kind}")
    if paper.venue_kind:
        classes.append(f"fm-venue-kind-{paper.venue_kind}")
    if paper.has_code:
        classes.append("fm-has-code")
    if paper.flags:
        classes.append("fm-flagged")
    return classes


def _text(text: str) -> list[nodes.Node]:
    return [nodes.Text(text)] if text else []


def _joined(parts: Iterable[nodes.Node], separator: str = ", ") -> list[nodes.Node]:
    out: list[nodes.Node] = []
    for part in parts:
        if out:
            out.append(nodes.Text(separator))
        out.append(part)
    return out


def _link(text: str, url: str, kind: str) -> nodes.reference:
    return nodes.reference(text, text, refuri=url, classes=[f"fm-link-{kind}"])


def _title(paper: PaperLike, view: View) -> list[nodes.Node]:
    if paper.url is None:  # a paper in preparation, listed without a link
        return [nodes.Text(paper.title)]
    return [_link(paper.title, paper.url, "paper")]


def _links(paper: PaperLike, view: View) -> list[nodes.Node]:
    # The title already links the paper; the links column adds the rest, labelled by kind.
    skip = paper.url if "title" in view.columns or view.layout == "cards" else None
    return _joined(
        _link(view.labels.value("link", link.kind), link.url, link.kind)
        for link in paper.links
        if link.url != skip
    )


def _doi(paper: PaperLike, view: View) -> list[nodes.Node]:
    return [_link(paper.doi, f"https://doi.org/{paper.doi}", "doi")] if paper.doi else []


def _authors(paper: PaperLike, view: View) -> list[nodes.Node]:
    # A card has room for every name; a table or list row shows "Lu et al.".
    if view.layout == "cards":
        return _text(", ".join(author.full_name for author in paper.authors))
    return _text(paper.short_authors)


_CELLS: dict[str, Callable[[PaperLike, View], list[nodes.Node]]] = {
    "title": _title,
    "authors": _authors,
    "model": lambda p, v: _text(p.model or ""),
    "kind": lambda p, v: _text(v.labels.value("kind", p.kind) if p.kind else ""),
    "year": lambda p, v: _text(str(p.year) if p.year is not None else ""),
    "venue": lambda p, v: _text(p.venue or ""),
    "venue-kind": lambda p, v: _text(
        v.labels.value("venue-kind", p.venue_kind) if p.venue_kind else ""
    ),
    "links": _links,
    "domain": lambda p, v: _text(", ".join(p.domains)),
    "section": lambda p, v: _text(", ".join(p.sections)),
    "flags": lambda p, v: _text(", ".join(dict.fromkeys(f.kind for f in p.flags))),
    "notes": lambda p, v: _text("; ".join(p.notes)),
    "doi": _doi,
    "id": lambda p, v: [nodes.literal(p.id, p.id)],
}
assert set(_CELLS) == set(COLUMNS), "every column needs a cell builder"


def _table(
    papers: Sequence[PaperLike], view: View, caption: str | None, anchors: Anchors
) -> nodes.table:
    table = nodes.table(classes=["fm-papers-table"])
    if caption:
        table += nodes.title(caption, caption)
    group = nodes.tgroup(cols=len(view.columns))
    table += group
    for column in view.columns:
        group += nodes.colspec(colwidth=_WIDTHS.get(column, 8))
    head = nodes.thead()
    header = nodes.row()
    for column in view.columns:
        header += nodes.entry(
            "", nodes.paragraph("", view.labels(column)), classes=[f"fm-col-{column}"]
        )
    head += header
    group += head
    body = nodes.tbody()
    _placeholder(body, papers, view, anchors)
    group += body
    return table


def _row(paper: PaperLike, view: View, anchor: str) -> nodes.row:
    row = nodes.row(ids=[anchor], classes=item_classes(paper))
    # A flagged paper's mark follows its title, or its first column when no title is shown.
    marked = "title" if "title" in view.columns else view.columns[0]
    for column in view.columns:
        content = _CELLS[column](paper, view)
        if column == marked:
            content += flag_mark(paper, view.labels)
        row += nodes.entry("", nodes.paragraph("", "", *content), classes=[f"fm-col-{column}"])
    return row


def _values(paper: PaperLike, view: View) -> Iterator[tuple[str, list[nodes.Node]]]:
    """The non-empty, non-title columns of a list item or card, with their content."""
    for column in view.columns:
        content = _CELLS[column](paper, view) if column != "title" else []
        if content:
            yield column, content


def _list(
    papers: Sequence[PaperLike], view: View, caption: str | None, anchors: Anchors
) -> nodes.bullet_list:
    items = nodes.bullet_list(classes=["fm-papers-list"])
    _placeholder(items, papers, view, anchors)
    return items


def _item(paper: PaperLike, view: View, anchor: str) -> nodes.list_item:
    paragraph = nodes.paragraph()
    mark = flag_mark(paper, view.labels)
    if "title" in view.columns:
        paragraph += nodes.inline("", "", *_title(paper, view), *mark, classes=["fm-col-title"])
    elif mark:
        paragraph.extend([mark[1], mark[0]])  # the mark first, then a space
    fields = [
        nodes.inline("", "", *content, classes=[f"fm-col-{column}"])
        for column, content in _values(paper, view)
    ]
    if fields:
        if "title" in view.columns:
            paragraph += nodes.Text(" — ")
        paragraph.extend(_joined(fields, " · "))
    return nodes.list_item("", paragraph, ids=[anchor], classes=item_classes(paper))


def _cards(
    papers: Sequence[PaperLike], view: View, caption: str | None, anchors: Anchors
) -> nodes.container:
    grid = nodes.container(classes=["fm-papers-cards"])
    _placeholder(grid, papers, view, anchors)
    return grid


def _card(paper: PaperLike, view: View, anchor: str) -> nodes.container:
    card = nodes.container(ids=[anchor], classes=["fm-papers-card", *item_classes(paper)])
    title = nodes.paragraph(classes=["fm-papers-card-title", "fm-col-title"])
    title += nodes.strong("", "", *_title(paper, view))
    title.extend(flag_mark(paper, view.labels))
    card += title
    for column, content in _values(paper, view):
        line = nodes.paragraph(classes=["fm-papers-card-field", f"fm-col-{column}"])
        line += nodes.emphasis("", view.labels("field", label=view.labels(column)))
        line += nodes.Text(" ")
        line.extend(content)
        card += line
    return card


_LAYOUTS: dict[str, Callable[[Sequence[PaperLike], View, str | None, Anchors], nodes.Element]] = {
    "table": _table,
    "list": _list,
    "cards": _cards,
}
#: One row, list item or card per paper, by layout.
_ITEMS: dict[str, Callable[[PaperLike, View, str], nodes.Element]] = {
    "table": _row,
    "list": _item,
    "cards": _card,
}


def _placeholder(
    body: nodes.Element, papers: Sequence[PaperLike], view: View, anchors: Anchors
) -> None:
    body += fm_papers_rows(
        papers=[paper.id for paper in papers],
        # Taken now, in document order, so that they are the same as when built at once.
        anchors=[anchors.take(paper.id) for paper in papers],
        layout=view.layout,
        columns=list(view.columns),
    )


def rows(
    placeholder: fm_papers_rows,
    lookup: Callable[[str], PaperLike | None],
    labels: Labels | None = None,
) -> list[nodes.Node]:
    """The rows, list items or cards a placeholder stands for, built from the catalogue.

    :param lookup: a paper by id, or None when it is gone (its row is left out; the page was
        read from other data and is re-read when that data changes).
    :param labels: the build's labels, for card labels, kinds and links.
    """
    view = View(
        columns=tuple(placeholder["columns"]),
        layout=placeholder["layout"],
        labels=labels if labels is not None else Labels(),
    )
    item = _ITEMS[view.layout]
    out: list[nodes.Node] = []
    for paper_id, anchor in zip(placeholder["papers"], placeholder["anchors"], strict=True):
        paper = lookup(paper_id)
        if paper is not None:
            out.append(item(paper, view, anchor))
    return out
