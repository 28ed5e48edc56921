"""``sphinxext/render.py`` on its own: papers and a view in, docutils nodes out, no Sphinx app.

Every paper here comes from a small overlay (two domains, three venues of different kinds, a
paper in both domains, a paper with nothing optional), so every expected node is exact and none
moves with the shipped data.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from docutils import nodes

import fm_papers
from fm_papers.catalogue import Catalogue
from fm_papers.query import Query, SortKey
from fm_papers.records import PaperLike
from fm_papers.sphinxext.config import COLUMNS
from fm_papers.sphinxext.groups import group_papers
from fm_papers.sphinxext.labels import Labels
from fm_papers.sphinxext.marks import flag_mark
from fm_papers.sphinxext.nodes import fm_papers_block, fm_papers_caption, fm_papers_rows
from fm_papers.sphinxext.render import Anchors, View, render, rows

OVERLAY = """\
domains:
  - key: alpha
    title: Alpha
    sections:
      - key: a-models
        title: Alpha models
        sections:
          - {key: a-vision, title: Alpha vision}
          - {key: a-text, title: Alpha text}
      - {key: a-surveys, title: Alpha surveys}
  - key: beta
    title: Beta
    sections:
      - {key: b-models, title: Beta models}
venues:
  - {name: Journal One, kind: journal}
  - {name: Conf Two, kind: conference}
  - {name: Preprint Hub, kind: preprint}
papers:
  - id: p-vision
    title: 'Vision "net" -- a model'
    authors: ["Lu, Ming Y.", Tiago Ramos, {name: The Vision Consortium}]
    model: VisNet
    kind: model
    year: 2024
    venue: Journal One
    doi: 10.1234/vis.1
    notes: [First note, Second note]
    links:
      - {kind: paper, url: "https://example.org/vision"}
      - {kind: code, url: "https://example.org/vision-code"}
      - {kind: weights, url: "https://example.org/vision-weights"}
    memberships: [{domain: alpha, section: a-vision}]
  - id: p-both
    title: Both worlds
    kind: benchmark
    year: 2025
    venue: Conf Two
    links: [{kind: paper, url: "https://example.org/both"}]
    memberships:
      - {domain: alpha, section: a-text}
      - {domain: beta, section: b-models}
    flags:
      - {kind: missing-venue, message: one}
      - {kind: missing-venue, message: two}
      - {kind: year-mismatch, message: three}
  - id: p-beta
    title: Beta data
    kind: dataset
    year: 2025
    venue: Preprint Hub
    links: [{kind: paper, url: "https://example.org/beta"}]
    memberships: [{domain: beta, section: b-models}]
  - id: p-bare
    title: Bare
    links: [{kind: project, url: "https://example.org/bare"}]
    memberships: [{domain: alpha, section: a-surveys}]
"""


@pytest.fixture
def catalogue(tmp_path: Path, fresh_cache: None) -> Catalogue:
    path = tmp_path / "overlay.yaml"
    path.write_text(OVERLAY, encoding="utf-8")
    return fm_papers.load([path], include_builtin=False)


def _lookup(catalogue: Catalogue) -> Callable[[str], PaperLike | None]:
    return lambda paper_id: catalogue.record(paper_id) if paper_id in catalogue else None


def _render(
    catalogue: Catalogue, view: View, anchors: Anchors | None = None, **filters: str
) -> nodes.Element:
    """The wrapper render() gives for the papers ``filters`` select, with its rows built from
    its placeholders, as transforms.RowsTransform builds them after reading."""
    query = Query.parse(filters)
    wrapper = render(
        query.run(catalogue),
        view,
        taxonomy=catalogue.taxonomy,
        query=query,
        anchors=anchors,
    )
    for placeholder in list(wrapper.findall(fm_papers_rows)):
        placeholder.replace_self(rows(placeholder, _lookup(catalogue)))
    return wrapper


def _tree(node: nodes.Node) -> str:
    """``node.pformat()`` without trailing blanks (a Text of ", " shows as a line ","), so
    that an editor trimming lines cannot change what is expected. A boolean attribute is
    written ``"0"``/``"1"`` as docutils 0.22 writes it (0.20 and 0.21 write ``"False"``)."""
    text = node.pformat().replace('="False"', '="0"').replace('="True"', '="1"')
    return "".join(line.rstrip() + "\n" for line in text.splitlines())


def _cells(wrapper: nodes.Element) -> list[dict[str, str]]:
    """Each body row of the tables in ``wrapper``: its id, then each column's text."""
    out = []
    for row in wrapper.findall(nodes.row):
        if not row["ids"]:
            continue  # a header
        cells = {"row": row["ids"][0]}
        for entry in row.findall(nodes.entry):
            (column,) = [c[len("fm-col-") :] for c in entry["classes"] if c.startswith("fm-col-")]
            cells[column] = entry.astext()
        out.append(cells)
    return out


def _groups(
    papers: Sequence[PaperLike],
    by: str,
    catalogue: Catalogue,
    query: Query | None = None,
    sort: Sequence[SortKey] = (),
) -> list[tuple[str, str, list[str]]]:
    groups = group_papers(papers, by, catalogue.taxonomy, query=query, sort=sort)
    return [(g.key, g.caption, [p.id for p in g.papers]) for g in groups]


# anchors ------------------------------------------------------------------------------------


def test_anchors_are_unique_in_a_document() -> None:
    anchors = Anchors()
    assert [anchors.take(i) for i in ("x", "x", "x-2", "y", "x")] == [
        "fm-paper-x",
        "fm-paper-x-2",
        "fm-paper-x-2-2",  # fm-paper-x-2 is taken by the second row of x
        "fm-paper-y",
        "fm-paper-x-3",
    ]
    assert anchors.first == {"x": "fm-paper-x", "x-2": "fm-paper-x-2-2", "y": "fm-paper-y"}


def test_anchors_taken_elsewhere_on_the_page_are_skipped() -> None:
    anchors = Anchors(used={"fm-paper-x"})
    assert anchors.take("x") == "fm-paper-x-2"
    assert anchors.first == {"x": "fm-paper-x-2"}


# layouts ------------------------------------------------------------------------------------

TABLE = """\
<container classes="fm-papers fm-layout-table fm-sort-year-desc fm-papers-interactive mine" \
support_smartquotes="0">
    <table classes="fm-papers-table">
        <title>
            Vision papers
        <tgroup cols="3">
            <colspec colwidth="40">
            <colspec colwidth="6">
            <colspec colwidth="14">
            <thead>
                <row>
                    <entry classes="fm-col-title">
                        <paragraph>
                            Title
                    <entry classes="fm-col-year">
                        <paragraph>
                            Year
                    <entry classes="fm-col-links">
                        <paragraph>
                            Links
            <tbody>
                <row classes="fm-papers-item fm-year-2024 fm-domain-alpha fm-section-a-vision \
fm-kind-model fm-venue-kind-journal fm-has-code" ids="fm-paper-p-vision">
                    <entry classes="fm-col-title">
                        <paragraph>
                            <reference classes="fm-link-paper" refuri="https://example.org/vision">
                                Vision "net" -- a model
                    <entry classes="fm-col-year">
                        <paragraph>
                            2024
                    <entry classes="fm-col-links">
                        <paragraph>
                            <reference classes="fm-link-code" \
refuri="https://example.org/vision-code">
                                code
                            ,
                            <reference classes="fm-link-weights" \
refuri="https://example.org/vision-weights">
                                weights
"""


def test_table(catalogue: Catalogue) -> None:
    view = View(
        columns=("title", "year", "links"),
        caption="Vision papers",
        classes=("mine",),
        sort=Query.parse({"sort": "-year"}).sort,
        interactive=True,
    )
    wrapper = _render(catalogue, view, section="a-vision")
    # The caption is the table's title; titles keep their quotes and dashes as written.
    assert _tree(wrapper) == TABLE


def test_every_column(catalogue: Catalogue) -> None:
    wrapper = _render(catalogue, View(columns=tuple(COLUMNS)), sort="title")
    headers = [entry.astext() for entry in next(wrapper.findall(nodes.thead)).findall(nodes.entry)]
    assert headers == list(COLUMNS.values())
    empty = dict.fromkeys(COLUMNS, "")
    assert _cells(wrapper) == [
        {
            **empty,
            "row": "fm-paper-p-bare",
            "title": "Bare",
            "kind": "Other",  # none stated: the loader's rules give it (a label, translated)
            "domain": "alpha",
            "section": "a-surveys",
            "id": "p-bare",
        },
        {
            **empty,
            "row": "fm-paper-p-beta",
            "title": "Beta data",
            "kind": "Dataset",
            "year": "2025",
            "venue": "Preprint Hub",
            "venue-kind": "Preprint",
            "domain": "beta",
            "section": "b-models",
            "id": "p-beta",
        },
        {
            **empty,
            "row": "fm-paper-p-both",
            "title": "Both worlds ⚠",  # flagged: the mark follows its title
            "kind": "Benchmark",
            "year": "2025",
            "venue": "Conf Two",
            "venue-kind": "Conference",
            "domain": "alpha, beta",
            "section": "a-text, b-models",
            "flags": "missing-venue, year-mismatch",  # each kind once
            "id": "p-both",
        },
        {
            "row": "fm-paper-p-vision",
            "title": 'Vision "net" -- a model',
            "authors": "Lu et al.",
            "model": "VisNet",
            "kind": "Model",
            "year": "2024",
            "venue": "Journal One",
            "venue-kind": "Journal",
            "links": "code, weights",  # the title links the paper
            "domain": "alpha",
            "section": "a-vision",
            "flags": "",
            "notes": "First note; Second note",
            "doi": "10.1234/vis.1",
            "id": "p-vision",
        },
    ]
    doi = next(n for n in wrapper.findall(nodes.reference) if "fm-link-doi" in n["classes"])
    assert doi["refuri"] == "https://doi.org/10.1234/vis.1"
    ids = [n.astext() for n in wrapper.findall(nodes.literal)]
    assert ids == ["p-bare", "p-beta", "p-both", "p-vision"]
    # A project link is a paper's main link when it has no paper link: not repeated either.
    assert [r["refuri"] for r in wrapper.findall(nodes.reference) if "Bare" in r.astext()] == [
        "https://example.org/bare"
    ]


def test_without_a_title_column_the_links_column_has_the_paper(catalogue: Catalogue) -> None:
    wrapper = _render(catalogue, View(columns=("model", "links")), ids="p-vision, p-bare")
    assert _cells(wrapper) == [
        {"row": "fm-paper-p-vision", "model": "VisNet", "links": "paper, code, weights"},
        {"row": "fm-paper-p-bare", "model": "", "links": "project"},
    ]


def test_list_items(catalogue: Catalogue) -> None:
    def items(columns: tuple[str, ...]) -> list[tuple[str, str]]:
        wrapper = _render(catalogue, View(columns=columns, layout="list"), sort="title")
        (bullets,) = wrapper.children
        assert isinstance(bullets, nodes.bullet_list) and bullets["classes"] == ["fm-papers-list"]
        listed = [item for item in bullets.children if isinstance(item, nodes.list_item)]
        assert len(listed) == len(bullets.children)
        return [(item["ids"][0], item.astext()) for item in listed]

    assert items(("title", "year", "doi")) == [
        ("fm-paper-p-bare", "Bare"),  # nothing else to show: no dash
        ("fm-paper-p-beta", "Beta data — 2025"),
        ("fm-paper-p-both", "Both worlds ⚠ — 2025"),  # flagged
        ("fm-paper-p-vision", 'Vision "net" -- a model — 2024 · 10.1234/vis.1'),
    ]
    # Without the title, the fields alone; a paper with none of them is an empty item.
    assert items(("model", "venue")) == [
        ("fm-paper-p-bare", ""),
        ("fm-paper-p-beta", "Preprint Hub"),
        ("fm-paper-p-both", "⚠ Conf Two"),  # flagged: the mark comes first
        ("fm-paper-p-vision", "VisNet · Journal One"),
    ]


CARDS = """\
<fm_papers_block classes="fm-papers fm-layout-cards" support_smartquotes="0">
    <fm_papers_caption classes="fm-papers-caption">
        Cards
    <container classes="fm-papers-cards">
        <container classes="fm-papers-card fm-papers-item fm-year-2024 fm-domain-alpha \
fm-section-a-vision fm-kind-model fm-venue-kind-journal fm-has-code" ids="fm-paper-p-vision">
            <paragraph classes="fm-papers-card-title fm-col-title">
                <strong>
                    <reference classes="fm-link-paper" refuri="https://example.org/vision">
                        Vision "net" -- a model
            <paragraph classes="fm-papers-card-field fm-col-model">
                <emphasis>
                    Name:

                VisNet
            <paragraph classes="fm-papers-card-field fm-col-links">
                <emphasis>
                    Links:

                <reference classes="fm-link-code" refuri="https://example.org/vision-code">
                    code
                ,
                <reference classes="fm-link-weights" refuri="https://example.org/vision-weights">
                    weights
        <container classes="fm-papers-card fm-papers-item fm-domain-alpha fm-section-a-surveys \
fm-kind-other" ids="fm-paper-p-bare">
            <paragraph classes="fm-papers-card-title fm-col-title">
                <strong>
                    <reference classes="fm-link-paper" refuri="https://example.org/bare">
                        Bare
"""


def test_cards(catalogue: Catalogue) -> None:
    # A card always shows its title, which links the paper; an empty field has no line.
    view = View(columns=("model", "links"), layout="cards", caption="Cards")
    assert _tree(_render(catalogue, view, ids="p-vision, p-bare")) == CARDS


def test_a_flagged_paper_is_marked_in_every_layout(catalogue: Catalogue) -> None:
    both = catalogue.get("p-both")
    space, mark = flag_mark(both, Labels())
    assert space.astext() == " " and isinstance(mark, nodes.abbreviation)
    assert mark.astext() == "⚠" and mark["classes"] == ["fm-papers-flag"]
    assert mark["explanation"] == "source defect: " + "; ".join(f.message for f in both.flags)
    assert flag_mark(catalogue.get("p-beta"), Labels()) == []
    german = flag_mark(both, Labels("de"))[1]
    assert isinstance(german, nodes.abbreviation)
    assert german["explanation"].startswith(Labels("de")("source-defect") + ": ")
    for layout in ("table", "list", "cards"):
        wrapper = _render(catalogue, View(columns=("year",), layout=layout), sort="title")
        marks = [m.parent for m in wrapper.findall(nodes.abbreviation)]
        # One mark, on p-both's row, item or card, whether or not the title is shown.
        assert len(marks) == 1
        item = next(n for n in _ancestors(marks[0]) if "fm-papers-item" in n["classes"])
        assert item["ids"] == ["fm-paper-p-both"] and "fm-flagged" in item["classes"]


def _ancestors(node: nodes.Node) -> list[nodes.Element]:
    out = []
    while node.parent is not None:
        node = node.parent
        out.append(node)
    return out


def test_authors_show_short_in_rows_and_whole_in_cards(catalogue: Catalogue) -> None:
    shown = {}
    for layout in ("table", "list", "cards"):
        wrapper = _render(catalogue, View(columns=("authors",), layout=layout), ids="p-vision")
        # The last cell of the column: a table's first is its header.
        cells = [n for n in wrapper.findall(nodes.Element) if "fm-col-authors" in n["classes"]]
        shown[layout] = cells[-1].astext()
    assert shown == {
        "table": "Lu et al.",
        "list": "Lu et al.",
        "cards": "Authors: Ming Y. Lu, Tiago Ramos, The Vision Consortium",
    }


@pytest.mark.parametrize("layout", ["table", "list", "cards"])
def test_nothing_selected_is_the_empty_text(catalogue: Catalogue, layout: str) -> None:
    view = View(columns=("title",), layout=layout, empty_text="Nothing yet.")
    wrapper = _render(catalogue, view, year="2030")
    assert _tree(wrapper) == (
        f'<container classes="fm-papers fm-layout-{layout}" support_smartquotes="0">\n'
        '    <paragraph classes="fm-papers-empty">\n'
        "        Nothing yet.\n"
    )
    # Captioned, it is still the numbered object its :name: names, with the empty text.
    view = View(columns=("title",), layout=layout, caption="None yet", empty_text="Nothing yet.")
    wrapper = _render(catalogue, view, year="2030")
    assert isinstance(wrapper, fm_papers_block)
    assert [child.astext() for child in wrapper.children] == ["None yet", "Nothing yet."]
    assert isinstance(wrapper.children[0], fm_papers_caption)


def test_rows_leave_out_a_paper_that_is_gone(catalogue: Catalogue) -> None:
    placeholder = fm_papers_rows(
        papers=["p-beta", "p-gone", "p-bare"],
        anchors=["fm-paper-p-beta", "fm-paper-p-gone", "fm-paper-p-bare-2"],
        layout="list",
        columns=["title"],
    )
    built = [
        item for item in rows(placeholder, _lookup(catalogue)) if isinstance(item, nodes.Element)
    ]
    assert [(item.tagname, item["ids"], item.astext()) for item in built] == [
        ("list_item", ["fm-paper-p-beta"], "Beta data"),
        ("list_item", ["fm-paper-p-bare-2"], "Bare"),
    ]


# groups -------------------------------------------------------------------------------------


def test_group_by_domain(catalogue: Catalogue) -> None:
    papers = catalogue.query(sort="title")
    assert _groups(papers, "domain", catalogue) == [
        ("alpha", "Alpha", ["p-bare", "p-both", "p-vision"]),
        ("beta", "Beta", ["p-beta", "p-both"]),  # in both domains, in both groups
    ]
    # A domain none of the papers is in has no group, not an empty one.
    assert _groups([catalogue.get("p-beta")], "domain", catalogue) == [("beta", "Beta", ["p-beta"])]
    # A query for one domain gets that domain's group only, though p-both is in alpha too.
    query = Query.parse({"domain": "beta", "sort": "title"})
    assert _groups(query.run(catalogue), "domain", catalogue, query=query) == [
        ("beta", "Beta", ["p-beta", "p-both"])
    ]
    # A section query keeps to its section's domain: p-both, in b-models, is in alpha too.
    query = Query.parse({"section": "b-models", "sort": "title"})
    assert _groups(query.run(catalogue), "domain", catalogue, query=query) == [
        ("beta", "Beta", ["p-beta", "p-both"])
    ]
    query = Query.parse({"section": "b-models,a-text", "domain": "alpha", "sort": "title"})
    assert _groups(query.run(catalogue), "domain", catalogue, query=query) == [
        ("alpha", "Alpha", ["p-both"])
    ]


def test_group_by_section(catalogue: Catalogue) -> None:
    papers = catalogue.query(sort="title")
    # Taxonomy order, depth first; a parent section without papers of its own has no group.
    assert _groups(papers, "section", catalogue) == [
        ("a-vision", "Alpha vision", ["p-vision"]),
        ("a-text", "Alpha text", ["p-both"]),
        ("a-surveys", "Alpha surveys", ["p-bare"]),
        ("b-models", "Beta models", ["p-beta", "p-both"]),
    ]
    # A section query keeps to its subtree; a domain query to its domain.
    query = Query.parse({"section": "a-models"})
    assert _groups(query.run(catalogue), "section", catalogue, query=query) == [
        ("a-vision", "Alpha vision", ["p-vision"]),
        ("a-text", "Alpha text", ["p-both"]),
    ]
    query = Query.parse({"domain": "beta"})  # in the default order: newest first, then title
    assert _groups(query.run(catalogue), "section", catalogue, query=query) == [
        ("b-models", "Beta models", ["p-beta", "p-both"]),
    ]


def test_group_by_year(catalogue: Catalogue) -> None:
    papers = catalogue.query(sort="title")
    assert _groups(papers, "year", catalogue) == [
        ("2024", "Year 2024", ["p-vision"]),
        ("2025", "Year 2025", ["p-beta", "p-both"]),
        ("unknown", "Year unknown", ["p-bare"]),
    ]
    # Newest first when the papers are sorted so; the unknown year stays last.
    newest = Query.parse({"sort": "-year,title"}).sort
    assert _groups(papers, "year", catalogue, sort=newest) == [
        ("2025", "Year 2025", ["p-beta", "p-both"]),
        ("2024", "Year 2024", ["p-vision"]),
        ("unknown", "Year unknown", ["p-bare"]),
    ]


def test_group_by_kind_and_venue_kind(catalogue: Catalogue) -> None:
    # An overlay's entry always has a kind (the loader gives one); a paper made in Python may
    # have none.
    papers = tuple(
        p.model_copy(update={"kind": None}) if p.id == "p-bare" else p
        for p in catalogue.query(sort="title")
    )
    # In the vocabulary's order, not the papers'; then the papers without one.
    assert _groups(papers, "kind", catalogue) == [
        ("model", "Kind: Model", ["p-vision"]),
        ("benchmark", "Kind: Benchmark", ["p-both"]),
        ("dataset", "Kind: Dataset", ["p-beta"]),
        ("unknown", "Kind unknown", ["p-bare"]),
    ]
    assert _groups(papers, "venue-kind", catalogue) == [
        ("journal", "Venue kind: Journal", ["p-vision"]),
        ("conference", "Venue kind: Conference", ["p-both"]),
        ("preprint", "Venue kind: Preprint", ["p-beta"]),
        ("unknown", "Venue kind unknown", ["p-bare"]),
    ]


def test_group_by_something_else_is_an_error(catalogue: Catalogue) -> None:
    with pytest.raises(ValueError, match=r"^cannot group by 'venue'$"):
        group_papers(catalogue.query(), "venue", catalogue.taxonomy)


def _outline(wrapper: nodes.Element) -> list[tuple[str, str, list[str]]]:
    """Each group box of a wrapper: its class, its caption, the ids of its rows or items."""
    out = []
    for box in wrapper.children:
        if not isinstance(box, nodes.container):
            continue
        assert box["classes"][0] == "fm-papers-group"
        caption = next(
            n for n in box.findall(nodes.Element) if isinstance(n, nodes.title | nodes.rubric)
        ).astext()
        items = [
            n["ids"][0] for n in box.findall(nodes.Element) if "fm-papers-item" in n["classes"]
        ]
        out.append((box["classes"][1], caption, items))
    return out


def test_grouped_table(catalogue: Catalogue) -> None:
    view = View(columns=("title",), group_by="domain", caption="By domain")
    wrapper = _render(catalogue, view, sort="title")
    # One numbered block: its caption above the groups; each group is headed by a rubric
    # over an untitled table (not numbered), and a paper in two groups gets a second anchor.
    assert isinstance(wrapper, fm_papers_block)
    heading = wrapper.children[0]
    assert isinstance(heading, fm_papers_caption) and heading["classes"] == ["fm-papers-caption"]
    assert heading.astext() == "By domain"
    assert _outline(wrapper) == [
        ("fm-group-alpha", "Alpha", ["fm-paper-p-bare", "fm-paper-p-both", "fm-paper-p-vision"]),
        ("fm-group-beta", "Beta", ["fm-paper-p-beta", "fm-paper-p-both-2"]),
    ]
    assert not list(wrapper.findall(nodes.title))
    assert len(list(wrapper.findall(nodes.table))) == 2
    # Without a caption there is nothing to number: a plain container.
    plain = _render(catalogue, View(columns=("title",), group_by="domain"), sort="title")
    assert type(plain) is nodes.container


@pytest.mark.parametrize("layout", ["list", "cards"])
def test_grouped_list_and_cards(catalogue: Catalogue, layout: str) -> None:
    # Without a table to carry it, each group's caption is a rubric; no block caption here.
    view = View(columns=("title",), layout=layout, group_by="venue-kind")
    anchors = Anchors(used={"fm-paper-p-vision"})  # a row above on the same page
    wrapper = _render(catalogue, view, anchors=anchors, sort="title")
    assert _outline(wrapper) == [
        ("fm-group-journal", "Venue kind: Journal", ["fm-paper-p-vision-2"]),
        ("fm-group-conference", "Venue kind: Conference", ["fm-paper-p-both"]),
        ("fm-group-preprint", "Venue kind: Preprint", ["fm-paper-p-beta"]),
        ("fm-group-unknown", "Venue kind unknown", ["fm-paper-p-bare"]),
    ]
    captions = [r["classes"] for r in wrapper.findall(nodes.rubric)]
    assert captions == [["fm-papers-group-caption"]] * 4
    assert not list(wrapper.findall(nodes.table))
