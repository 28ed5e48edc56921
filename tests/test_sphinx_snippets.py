"""Every example the manual and the README show builds as written, in reST and in MyST.

Each reST snippet (``example_docs/snippets/rst/<name>.txt``) has a MyST twin
(``snippets/myst/<name>.md``, and ``<name>-yaml.md`` for the YAML-block form), and the twins
must render the same doctree. Every option value the docs show anywhere (snippets, manual
pages, README) is built through MyST in both option forms and compared with reST.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from docutils import nodes

import fm_papers
from fm_papers.filters import filter_values
from fm_papers.sphinxext.directive import FILTER_OPTIONS, PRESENTATION_OPTIONS
from fm_papers.sphinxext.stats import STATS_OPTIONS

REPO = Path(__file__).resolve().parent.parent
SNIPPETS = REPO / "example_docs" / "snippets"
RST = sorted(SNIPPETS.glob("rst/*.txt"))
MYST = sorted(SNIPPETS.glob("myst/*.md"))
#: The manual's configuration: its lab overlay is what ``:domain: lab`` examples show.
CONF = (
    'extensions = ["myst_parser", "sphinx_design", "fm_papers.sphinxext"]\nnumfig = True\n'
    'fm_papers_extra_files = ["lab-papers.yaml"]\n'
)
LAB = (REPO / "example_docs" / "lab-papers.yaml").read_text(encoding="utf-8")
#: What each directive accepts.
SPECS = {
    "fm-papers": {*FILTER_OPTIONS, *PRESENTATION_OPTIONS},
    "fm-papers-stats": {*FILTER_OPTIONS, *STATS_OPTIONS},
}

Build = Callable[..., tuple[Any, str]]


def _twin(myst: Path) -> Path:
    return SNIPPETS / "rst" / f"{myst.stem.removesuffix('-yaml')}.txt"


def _page(text: str, suffix: str) -> dict[str, str]:
    if suffix == ".md":
        return {"index.md": f"# Snippet\n\n{text}", "conf.py": CONF, "lab-papers.yaml": LAB}
    return {"index.rst": f"Snippet\n=======\n\n{text}", "conf.py": CONF, "lab-papers.yaml": LAB}


#: The ``resolved_doctree`` fixture of conftest.py.
Resolve = Callable[[Any], Any]


def _body(doctree: Any) -> list[str]:
    """The page's content below its title, resolved as the builder writes it.

    Runs of whitespace count as one space: MyST keeps a paragraph's line breaks as separate
    text nodes, which every writer renders as the same space.
    """
    (section,) = doctree.findall(nodes.section)
    return [re.sub(r"\s+", " ", child.pformat()) for child in section.children[1:]]


#: Each column's header, which cards and lists put before its value.
LABELS = {
    "title": "Title", "authors": "Authors", "model": "Name", "kind": "Kind", "year": "Year",
    "venue": "Venue",
    "venue-kind": "Venue kind", "links": "Links", "domain": "Domain", "section": "Section",
    "flags": "Flags", "notes": "Notes", "doi": "DOI", "id": "Id",
}  # fmt: skip


def _cell(paper: fm_papers.Paper, column: str, titled: bool, layout: str = "table") -> str:
    """The text a paper's cell shows (``titled``: the title already links the paper)."""
    everyone = ", ".join(author.full_name for author in paper.authors)
    values = {
        "title": paper.title,
        "authors": everyone if layout == "cards" else paper.short_authors,
        "model": paper.model or "",
        "kind": paper.kind or "",
        "year": "" if paper.year is None else str(paper.year),
        "venue": paper.venue or "",
        "venue-kind": paper.venue_kind or "",
        "links": ", ".join(
            link.kind for link in paper.links if not (titled and link.url == paper.url)
        ),
        "domain": ", ".join(paper.domains),
        "section": ", ".join(paper.sections),
        "flags": ", ".join(dict.fromkeys(flag.kind for flag in paper.flags)),
        "notes": "; ".join(paper.notes),
        "doi": paper.doi or "",
        "id": paper.id,
    }
    return values[column]


def _cells(paper: fm_papers.Paper, columns: list[str], layout: str) -> list[tuple[str, str]]:
    """Each ``fm-col-*`` element of a paper's row, list item or card, with its text.

    A table has a cell per column; a list item and a card leave empty columns out and show
    the title first, a card always and with a "Label:" before each other value.
    """
    titled = "title" in columns or layout == "cards"
    # A flagged paper's mark follows its title (in a table without one, its first cell).
    mark = " ⚠" if paper.flags else ""
    if layout == "table":
        marked = "title" if "title" in columns else columns[0]
        return [
            (column, _cell(paper, column, titled, layout) + (mark if column == marked else ""))
            for column in columns
        ]
    shown = [("title", paper.title + mark)] if titled else []
    for column in columns:
        value = _cell(paper, column, titled, layout) if column != "title" else ""
        if value:
            shown.append((column, f"{LABELS[column]}: {value}" if layout == "cards" else value))
    return shown


def _group_of(paper: fm_papers.Paper, by: str) -> list[str]:
    """The keys of the groups a paper is listed in, grouped ``by`` a column."""
    keys: dict[str, list[str]] = {
        "domain": list(paper.domains),
        "section": list(paper.sections),
        "kind": [paper.kind or "unknown"],
        "year": [str(paper.year or "unknown")],
        "venue-kind": [paper.venue_kind or "unknown"],
    }
    return keys[by]


def _directives(text: str) -> Iterator[tuple[str, dict[str, str]]]:
    """Each ``.. fm-papers::`` (or ``-stats``) block of a reST text, with its options."""
    for match in re.finditer(
        r"^\.\. (fm-papers(?:-stats)?)::\n((?:   :.*\n?)*)", text, re.MULTILINE
    ):
        options = dict(re.findall(r"^   :([\w-]+):[ \t]*(.*)$", match[2], re.MULTILINE))
        yield match[1], options


def test_every_snippet_has_a_twin() -> None:
    assert {p.stem for p in RST} == {p.stem.removesuffix("-yaml") for p in MYST}
    assert any(p.stem.endswith("-yaml") for p in MYST)


@pytest.mark.parametrize("myst", MYST, ids=lambda p: p.stem)
def test_myst_renders_what_rest_renders(
    build: Build, myst: Path, resolved_doctree: Resolve
) -> None:
    rst = _twin(myst)
    app, warnings = build(_page(rst.read_text(encoding="utf-8"), ".txt"))
    assert warnings == ""
    expected = _body(resolved_doctree(app))
    assert expected  # two empty pages would be equal too
    app, warnings = build(_page(myst.read_text(encoding="utf-8"), ".md"))
    assert warnings == ""
    assert _body(resolved_doctree(app)) == expected


def test_the_readme_examples_render_the_same_in_both_markups(
    build: Build, resolved_doctree: Resolve
) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    (rst,) = re.findall(r"```rst\n(\.\. fm-papers::.*?)```", readme, re.DOTALL)
    (myst,) = re.findall(r"````md\n(.*?)````", readme, re.DOTALL)
    app, warnings = build(_page(rst, ".txt"))
    assert warnings == ""
    expected = _body(resolved_doctree(app))
    assert expected
    app, warnings = build(_page(myst, ".md"))
    assert warnings == ""
    assert _body(resolved_doctree(app)) == expected


@pytest.mark.parametrize("snippet", RST, ids=lambda p: p.stem)
def test_snippet_shows_what_its_query_selects(
    build: Build, snippet: Path, resolved_doctree: Resolve
) -> None:
    """Each table, list or card grid holds exactly the papers its filters select, in order,
    each showing the columns asked for with the paper's values."""
    text = snippet.read_text(encoding="utf-8")
    app, warnings = build(_page(text, ".txt"))
    assert warnings == ""
    doctree = resolved_doctree(app)
    blocks = [
        node
        for node in doctree.findall(nodes.Element)
        if "fm-papers" in node["classes"] and "fm-papers-stats" not in node["classes"]
    ]
    wanted = [options for name, options in _directives(text) if name == "fm-papers"]
    assert len(blocks) == len(wanted)
    catalogue = fm_papers.load()
    for block, options in zip(blocks, wanted, strict=True):
        filters = filter_values(options)
        filters.setdefault("sort", app.config.fm_papers_sort)
        selected = catalogue.query(**filters)
        expected = [p.id for p in selected]
        items = [n for n in block.findall(nodes.Element) if "fm-papers-item" in n["classes"]]
        shown = [node["ids"][0].removeprefix("fm-paper-") for node in items]
        if "group-by" in options:
            # Every selected paper in some group (a paper in two groups shows twice), and
            # each group holds the selection's papers of its key, in the selection's order.
            assert set(shown) == set(expected)
            groups = [n for n in block.findall(nodes.Element) if "fm-papers-group" in n["classes"]]
            assert groups
            for group in groups:
                (key,) = [
                    c.removeprefix("fm-group-")
                    for c in group["classes"]
                    if c.startswith("fm-group-")
                ]
                ids = [
                    n["ids"][0].removeprefix("fm-paper-")
                    for n in group.findall(nodes.Element)
                    if "fm-papers-item" in n["classes"]
                ]
                assert ids == [p.id for p in selected if key in _group_of(p, options["group-by"])]
        else:
            assert shown == expected
        # Each item shows the columns asked for (else the configured ones), with its values.
        columns = [
            c.strip() for c in options.get("columns", app.config.fm_papers_columns).split(",")
        ]
        layout = options.get("layout", app.config.fm_papers_layout)
        for item in items:
            paper = catalogue.get(item["ids"][0].removeprefix("fm-paper-"))
            cells = [
                (c.removeprefix("fm-col-"), n.astext())
                for n in item.findall(nodes.Element)
                for c in n["classes"]
                if c.startswith("fm-col-")
            ]
            assert cells == _cells(paper, columns, layout), paper.id
        if not expected:
            assert block.astext() == options.get("empty", "No papers match this selection.")


@pytest.mark.parametrize("snippet", RST, ids=lambda p: p.stem)
def test_snippet_citations_link_to_their_papers(
    build: Build, snippet: Path, resolved_doctree: Resolve
) -> None:
    """Each ``:fm-paper:`` shows its text (else "Name (year)") and links to the paper's row
    on the page, else to the paper itself (a snippet is built alone)."""
    text = snippet.read_text(encoding="utf-8")
    app, warnings = build(_page(text, ".txt"))
    assert warnings == ""
    catalogue = fm_papers.load()
    shown = {
        node["ids"][0]
        for node in resolved_doctree(app).findall(nodes.Element)
        if "fm-papers-item" in node["classes"]
    }
    expected = []
    for role in re.findall(r":fm-paper:`([^`]*)`", text):
        explicit = re.fullmatch(r"(.*?)\s*<(.*)>", role, re.DOTALL)
        paper = catalogue.get(explicit[2] if explicit else role)
        cite = paper.short_name + (f" ({paper.year})" if paper.year is not None else "")
        label = " ".join(explicit[1].split()) if explicit else cite
        anchor = f"fm-paper-{paper.id}"
        # The link's tooltip (reftitle) is the paper's title.
        expected.append((paper.title, label, f"#{anchor}" if anchor in shown else paper.url))
    cited = [
        (ref["reftitle"], ref.astext(), f"#{ref['refid']}" if "refid" in ref else ref["refuri"])
        for ref in resolved_doctree(app).findall(nodes.reference)
        if "reftitle" in ref
    ]
    assert cited == expected


def _documented() -> list[tuple[str, str, str]]:
    """Every ``(directive, option, value)`` the docs show, in directive blocks or in prose."""
    texts = [path.read_text(encoding="utf-8") for path in RST]
    texts += [
        path.read_text(encoding="utf-8")
        for path in (*REPO.glob("example_docs/*.rst"), *REPO.glob("example_docs/*.md"))
    ]
    texts.append((REPO / "README.md").read_text(encoding="utf-8"))
    found: dict[tuple[str, str, str], None] = {}
    for text in texts:
        for name, options in _directives(text):
            for option, value in options.items():
                found[(name, option, value)] = None
        for option, value in re.findall(r"`+:([\w-]+): ([^`]*)`+", text):
            name = "fm-papers" if option in SPECS["fm-papers"] else "fm-papers-stats"
            if option in SPECS[name]:
                found[(name, option, value)] = None
    return sorted(found)


#: Values the docs show as bare values rather than as option lines: the year spellings of
#: the README, the CLI page and the MyST page, and a value for each option no example uses.
SHOWN_BARE = [
    ("fm-papers", "year", "2024"),
    ("fm-papers", "year", "2023-2025"),
    ("fm-papers", "year", "-2022"),
    ("fm-papers", "year", "2024.."),
    ("fm-papers", "year", "..2022"),
    ("fm-papers", "year", '">=2024"'),
    ("fm-papers", "venue", "Nature Methods,CVPR"),
    ("fm-papers", "exclude", "scbert"),
    ("fm-papers", "class", "lab-table"),
    ("fm-papers", "has-code", ""),
    ("fm-papers", "has-code", "no"),
    ("fm-papers", "interactive", "no"),
    ("fm-papers-stats", "by", "section"),
    ("fm-papers-stats", "chart", "no"),
]
DOCUMENTED = sorted({*_documented(), *SHOWN_BARE})


def test_every_option_is_tried() -> None:
    tried = {(directive, option) for directive, option, _ in DOCUMENTED}
    assert {o for d, o in tried if d == "fm-papers"} == SPECS["fm-papers"]
    # The stats directive's filters are the same code as fm-papers'.
    assert {o for d, o in tried if d == "fm-papers-stats"} >= set(STATS_OPTIONS) - {"class", "name"}


def test_the_bare_values_are_the_documented_ones() -> None:
    docs = " ".join(
        path.read_text(encoding="utf-8")
        for path in (
            REPO / "README.md",
            REPO / "example_docs" / "cli.rst",
            REPO / "example_docs" / "myst.md",
            REPO / "fm_papers" / "query.py",  # its docstrings are the API page's (autodoc)
        )
    )
    for _, option, value in SHOWN_BARE:
        if option == "year":
            assert value in docs, value


def _document(form: str) -> dict[str, str]:
    """One page with a directive per documented value, in reST or a MyST option form."""
    blocks = []
    for name, option, value in DOCUMENTED:
        options = {option: value}
        if option not in ("limit", "ids", "name") and name == "fm-papers":
            options["limit"] = "3"  # small tables; the value under test is what differs
        if form == "rst":
            # A quoted value is MyST's spelling of the same text (see myst.md).
            options = {k: re.sub(r'^"(.*)"$', r"\1", v) for k, v in options.items()}
            lines = [f".. {name}::", *(f"   :{k}: {v}".rstrip() for k, v in options.items())]
        elif form == "myst":
            lines = [f"```{{{name}}}", *(f":{k}: {v}".rstrip() for k, v in options.items())]
            lines.append("```")
        else:
            lines = [f"```{{{name}}}", "---", *(f"{k}: {v}".rstrip() for k, v in options.items())]
            lines += ["---", "```"]
        blocks.append("\n".join(lines))
    text = "\n\n".join(blocks) + "\n"
    return _page(text, ".txt" if form == "rst" else ".md")


def test_every_documented_value_works_as_written_in_myst(
    build: Build, resolved_doctree: Resolve
) -> None:
    assert len(DOCUMENTED) > 30
    app, warnings = build(_document("rst"))
    assert warnings == ""
    expected = _body(resolved_doctree(app))
    # Each directive rendered something (no value was refused or dropped).
    assert len(expected) == len(DOCUMENTED)
    for form in ("myst", "yaml"):
        app, warnings = build(_document(form))
        assert warnings == "", form
        assert _body(resolved_doctree(app)) == expected, form
