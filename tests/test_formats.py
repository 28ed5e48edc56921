"""The export formats: each parsed back by the tool its readers use (pybtex, csv, json, yaml,
the package's own markdown importer) and compared with the catalogue."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from pybtex.database import parse_string
from pybtex.richtext import Text

import fm_papers
from fm_papers.catalogue import Catalogue
from fm_papers.curation.importer import parse_markdown
from fm_papers.curation.pipeline import build_entries
from fm_papers.formats import EXPORT_FORMATS, FORMATS, render
from fm_papers.formats.bibtex import escape, protect_title
from fm_papers.formats.csv import COLUMNS
from fm_papers.formats.table import render_table
from fm_papers.models import Paper


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return fm_papers.load()


def _paper(**changes: object) -> Paper:
    base = fm_papers.load().get("scgpt")
    return base.model_copy(update=changes)


# BibTeX ------------------------------------------------------------------------------------


def test_bibtex_parses_with_pybtex(catalogue: Catalogue) -> None:
    bib = parse_string(render("bibtex", catalogue.papers, catalogue), "bibtex")
    assert list(bib.entries) == [paper.id for paper in catalogue]
    for paper in catalogue:
        entry = bib.entries[paper.id]
        expected = {
            "journal": "article",
            "conference": "inproceedings",
            "workshop": "inproceedings",
        }
        # Without authors, a @misc: a style requires authors of an article, not of a misc.
        assert entry.type == (
            expected.get(paper.venue_kind or "", "misc")
            if paper.venue and paper.authors
            else "misc"
        )
        people = entry.persons.get("author", [])
        names = [
            (" ".join(p.prelast_names + p.last_names), " ".join(p.first_names + p.middle_names))
            for p in people
        ]
        assert names == [(a.family or a.name, a.given or "") for a in paper.authors], paper.id
        assert entry.fields["url"] == paper.url
        if paper.year is not None:
            assert entry.fields["year"] == str(paper.year)
        if paper.doi:
            assert entry.fields["doi"] == paper.doi
        if paper.arxiv:
            assert (entry.fields["eprint"], entry.fields["archiveprefix"]) == (paper.arxiv, "arXiv")


def test_bibtex_names_read_as_written() -> None:
    """Organisations stay whole, particles stay with the family name, "and" splits nothing."""
    from fm_papers.models import Author

    paper = _paper(
        authors=(
            Author(family="van der Laak", given="Jeroen"),
            Author(name="Human Cell Atlas Consortium"),
            Author(family="Sand", given="Bob and Alice"),
            Author(family="Gräf", given="Stefan"),
            Author(family="Smith AND Jones", given="Ann"),
            Author(family="Lu", given="Ming, Jr."),
            Author(family="Da Silva"),
            Author(family="van Dijk"),
        )
    )
    bib = parse_string(render("bibtex", [paper], fm_papers.load()), "bibtex")
    people = bib.entries[paper.id].persons["author"]
    assert [str(person) for person in people] == [
        "van der Laak, Jeroen",
        "{Human Cell Atlas Consortium}",
        "Sand, Bob {and} Alice",
        "Gräf, Stefan",
        "{Smith AND Jones}, Ann",
        "Lu, {Ming, Jr.}",
        "Da Silva",
        "van Dijk",
    ]
    # Each family name is the family name BibTeX reads, particles apart.
    assert [" ".join(p.prelast_names + p.last_names) for p in people if p.last_names] == [
        "van der Laak",
        "{Human Cell Atlas Consortium}",
        "Sand",
        "Gräf",
        "{Smith AND Jones}",
        "Lu",
        "Da Silva",
        "van Dijk",
    ]


# CSL-JSON and RIS: read back by a CSL processor and a RIS parser -----------------------


def test_csl_json_renders_with_citeproc(catalogue: Catalogue) -> None:
    from citeproc import (
        Citation,
        CitationItem,
        CitationStylesBibliography,
        CitationStylesStyle,
        formatter,
    )
    from citeproc.source.json import CiteProcJSON

    items = json.loads(render("csl-json", catalogue.papers, catalogue))
    assert [item["id"] for item in items] == list(catalogue.ids())
    styles = Path(importlib.util.find_spec("citeproc").origin).parent / "data" / "styles"  # type: ignore[union-attr, arg-type]
    style = CitationStylesStyle(str(next(styles.glob("*.csl"))), validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
    for paper_id in catalogue.ids():
        bibliography.register(Citation([CitationItem(paper_id)]))
    rendered = {str(entry) for entry in bibliography.bibliography()}
    assert len(rendered) == len(catalogue)
    for paper in catalogue:
        line = next(text for text in rendered if paper.title in text)
        if paper.authors:
            assert line.startswith(paper.authors[0].surname), (paper.id, line)
        if paper.year is not None:
            assert f"({paper.year})" in line, (paper.id, line)


def test_ris_parses_with_rispy(catalogue: Catalogue) -> None:
    import rispy

    text = render("ris", catalogue.papers, catalogue)
    assert text.endswith("ER  -\r\n") and "\n" not in text.replace("\r\n", "")
    records = rispy.loads(text)
    assert [r["id"] for r in records] == list(catalogue.ids())
    kinds = {"journal": "JOUR", "conference": "CPAPER", "workshop": "CPAPER", "preprint": "UNPB"}
    for paper, record in zip(catalogue, records, strict=True):
        assert record["type_of_reference"] == kinds.get(paper.venue_kind or "", "GEN")
        assert record["title"] == paper.title
        assert record.get("authors", []) == [a.inverted for a in paper.authors]
        assert record.get("doi") == paper.doi
        assert record.get("year") == (str(paper.year) if paper.year is not None else None)


def test_bibtex_venue_field_follows_the_kind(catalogue: Catalogue) -> None:
    bib = parse_string(render("bibtex", catalogue.papers, catalogue), "bibtex")
    # With authors, the venue's field by its kind; without, a misc's (a style would print
    # "missing author" for an article without one).
    field = {"journal": "journal", "conference": "booktitle", "workshop": "booktitle"}
    for paper in catalogue:
        name = (field.get(paper.venue_kind or "") if paper.authors else None) or "howpublished"
        fields = bib.entries[paper.id].fields
        assert fields.get(name) == (escape(paper.venue) if paper.venue else None), paper.id


def test_bibtex_title_case_survives_a_lowercasing_style(catalogue: Catalogue) -> None:
    # unsrt and plain sentence-case titles; braced words must come through as written.
    bib = parse_string(render("bibtex", catalogue.papers, catalogue), "bibtex")
    for paper in catalogue:
        title = Text.from_latex(bib.entries[paper.id].fields["title"])
        assert title.lower().render_as("text") == title.render_as("text")
    scgpt = Text.from_latex(bib.entries["scgpt"].fields["title"]).capitalize().render_as("text")
    assert scgpt == catalogue.get("scgpt").title


def test_bibtex_escapes_latex_specials() -> None:
    paper = _paper(title="R&D at 100% of #1 cost_fn {x} in µm²", notes=("50% & more",))
    text = render("bibtex", [paper], fm_papers.load())
    bib = parse_string(text, "bibtex")
    title = bib.entries["scgpt"].fields["title"]
    assert title == r"{R}\&{D} at 100\% of \#1 cost\_fn \textbraceleft{}x\textbraceright{} in µm²"
    # The new title no longer names the model, so the note does.
    assert bib.entries["scgpt"].fields["note"] == r"Model: scGPT. 50\% \& more"
    assert escape(r"a\b~c^d$") == r"a\textbackslash{}b\textasciitilde{}c\textasciicircum{}d\$"


def test_protect_title_braces_words_with_capitals() -> None:
    assert protect_title("scGPT: toward generative AI") == "{scGPT:} toward generative {AI}"
    assert protect_title("all lowercase words") == "all lowercase words"


# CSV, JSON, YAML, ids ----------------------------------------------------------------------


def test_csv_is_rfc4180(catalogue: Catalogue) -> None:
    text = render("csv", catalogue.papers, catalogue)
    assert text.count("\r\n") >= len(catalogue) + 1
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert tuple(rows[0]) == COLUMNS
    assert [row["id"] for row in rows] == [paper.id for paper in catalogue]
    by_id = {row["id"]: row for row in rows}
    for paper in catalogue:
        row = by_id[paper.id]
        assert row["title"] == paper.title
        assert row["url"] == paper.url
        assert row["sections"].split("; ") == list(paper.sections)
        assert row["code"] == "; ".join(paper.code_urls)


def test_json_is_the_model_dump(catalogue: Catalogue) -> None:
    data = json.loads(render("json", catalogue.papers, catalogue))
    assert [Paper.model_validate(entry) for entry in data] == list(catalogue.papers)
    assert all(set(entry) == set(Paper.model_fields) for entry in data)


def test_yaml_reads_back_as_the_same_papers(catalogue: Catalogue) -> None:
    text = render("yaml", catalogue.papers, catalogue)
    data = yaml.safe_load(text)
    assert [Paper.model_validate(entry) for entry in data["papers"]] == list(catalogue.papers)


def test_ids_one_per_line(catalogue: Catalogue) -> None:
    papers = catalogue.query(section="segmentation")
    assert render("ids", papers, catalogue).splitlines() == [p.id for p in papers]


#: What each format writes for no papers at all.
EMPTY = {
    "table": "No papers match.\n",
    "json": "[]\n",
    "csv": ",".join(COLUMNS) + "\r\n",
    "bibtex": "",
    "markdown": (
        "# Foundation-model papers\n\n"
        f"0 papers, exported by fm-papers {fm_papers.__version__}; each paper is listed under "
        "every section it belongs to.\n\n## Contents\n\n"
    ),
    "yaml": "",
    "ids": "",
    "csl-json": "[]\n",
    "ris": "",
}


def test_every_format_renders_nothing_without_failing(catalogue: Catalogue) -> None:
    assert set(EXPORT_FORMATS) < set(FORMATS) == set(EMPTY)
    assert {name: render(name, [], catalogue) for name in FORMATS} == EMPTY


#: Two papers of a domain tree and venue table of their own: every format's whole output.
TWO = """\
domains:
  - key: alpha
    title: Alpha papers
    sections:
      - {key: a-models, title: Alpha models}
  - key: beta
    title: Beta papers
    sections:
      - {key: b-reading, title: Beta reading}
venues:
  - {name: Lab Journal, kind: journal}
  - {name: LabArchive, kind: preprint}
papers:
  - id: p-one
    title: "OneNet: a model for cells & slides"
    authors: ["Lu, Ming Y.", {name: Lab Consortium}]
    model: OneNet
    kind: model
    year: 2024
    venue: Lab Journal
    links:
      - {kind: paper, url: "https://example.org/one"}
      - {kind: code, url: "https://example.org/one-code"}
    notes: [a review]
    memberships:
      - {domain: alpha, section: a-models}
      - {domain: beta, section: b-reading}
  - id: p-two
    title: A second paper without a short name
    year: 2025
    venue: LabArchive
    links: [{kind: paper, url: "https://example.org/two"}]
    memberships: [{domain: beta, section: b-reading}]
"""
ONE_LINE = (
    "[2024 Lab Journal, a review][**OneNet**] **OneNet: a model for cells &amp; slides** "
    "[[paper]](https://example.org/one) [[code]](https://example.org/one-code)"
)
RENDERED = {
    "table": """\
ID     YEAR  VENUE        NAME    TITLE
p-one  2024  Lab Journal  OneNet  OneNet: a model for cells & slides
p-two  2025  LabArchive           A second paper without a short name
(2 papers)
""",
    "csv": (
        ",".join(COLUMNS) + "\r\n"
        'p-one,OneNet: a model for cells & slides,"Lu, Ming Y.; Lab Consortium",OneNet,model,,'
        "2024,Lab Journal,journal,,https://example.org/one,https://example.org/one-code,,,,,"
        "alpha; beta,a-models; b-reading,a review,\r\n"
        "p-two,A second paper without a short name,,,other,,2025,LabArchive,preprint,,"
        "https://example.org/two,,,,,,beta,b-reading,,\r\n"
    ),
    "bibtex": """\
@article{p-one,
  author   = {Lu, Ming Y. and {Lab Consortium}},
  title    = {{OneNet:} a model for cells \\& slides},
  journal  = {Lab Journal},
  year     = {2024},
  url      = {https://example.org/one},
  note     = {a review},
  keywords = {alpha, beta, a-models, b-reading},
}

@misc{p-two,
  title        = {{A} second paper without a short name},
  howpublished = {LabArchive},
  year         = {2025},
  url          = {https://example.org/two},
  keywords     = {beta, b-reading},
}
""",
    "markdown": f"""\
# Foundation-model papers

2 papers, exported by fm-papers {fm_papers.__version__}; each paper is listed under every \
section it belongs to.

## Contents

- [Alpha papers](#alpha-papers)
  - [Alpha models](#alpha-models)
- [Beta papers](#beta-papers)
  - [Beta reading](#beta-reading)

## Alpha papers

### Alpha models

1. {ONE_LINE}

## Beta papers

### Beta reading

1. {ONE_LINE}
2. [2025 LabArchive] **A second paper without a short name** [[paper]](https://example.org/two)
""",
    "yaml": """\
papers:
  - id: p-one
    title: 'OneNet: a model for cells & slides'
    authors:
      - {family: Lu, given: Ming Y.}
      - {name: Lab Consortium}
    model: OneNet
    kind: model
    year: 2024
    venue: Lab Journal
    venue_kind: journal
    links:
      - kind: paper
        url: https://example.org/one
      - kind: code
        url: https://example.org/one-code
    notes:
      - a review
    memberships:
      - domain: alpha
        section: a-models
      - domain: beta
        section: b-reading

  - id: p-two
    title: A second paper without a short name
    kind: other
    year: 2025
    venue: LabArchive
    venue_kind: preprint
    links:
      - kind: paper
        url: https://example.org/two
    memberships:
      - domain: beta
        section: b-reading
""",
    "ids": "p-one\np-two\n",
    "ris": (
        "TY  - JOUR\r\nID  - p-one\r\nTI  - OneNet: a model for cells & slides\r\n"
        "AU  - Lu, Ming Y.\r\nAU  - Lab Consortium\r\nPY  - 2024\r\nT2  - Lab Journal\r\n"
        "UR  - https://example.org/one\r\nN1  - a review\r\nKW  - alpha\r\nKW  - beta\r\n"
        "KW  - a-models\r\nKW  - b-reading\r\nER  -\r\n"
        "TY  - UNPB\r\nID  - p-two\r\nTI  - A second paper without a short name\r\n"
        "PY  - 2025\r\nT2  - LabArchive\r\nUR  - https://example.org/two\r\nKW  - beta\r\n"
        "KW  - b-reading\r\nER  -\r\n"
    ),
}
#: The CSL-JSON format's items: what a CSL processor needs, nothing invented.
CSL_ITEMS = [
    {
        "id": "p-one",
        "type": "article-journal",
        "title": "OneNet: a model for cells & slides",
        "author": [{"family": "Lu", "given": "Ming Y."}, {"literal": "Lab Consortium"}],
        "issued": {"date-parts": [[2024]]},
        "container-title": "Lab Journal",
        "URL": "https://example.org/one",
        "note": "a review",
    },
    {
        "id": "p-two",
        "type": "article",
        "title": "A second paper without a short name",
        "issued": {"date-parts": [[2025]]},
        "container-title": "LabArchive",
        "URL": "https://example.org/two",
    },
]
#: The JSON format's records: every field of the model, in its order.
RECORDS = [
    {
        "id": "p-one",
        "aliases": [],
        "title": "OneNet: a model for cells & slides",
        "authors": [
            {"family": "Lu", "given": "Ming Y.", "name": None},
            {"family": None, "given": None, "name": "Lab Consortium"},
        ],
        "model": "OneNet",
        "kind": "model",
        "year": 2024,
        "venue": "Lab Journal",
        "venue_kind": "journal",
        "venue_as_written": None,
        "links": [
            {"kind": "paper", "url": "https://example.org/one"},
            {"kind": "code", "url": "https://example.org/one-code"},
        ],
        "doi": None,
        "arxiv": None,
        "notes": ["a review"],
        "memberships": [
            {"domain": "alpha", "section": "a-models"},
            {"domain": "beta", "section": "b-reading"},
        ],
        "flags": [],
        "sources": [],
        "authors_source": None,
    },
    {
        "id": "p-two",
        "aliases": [],
        "title": "A second paper without a short name",
        "authors": [],
        "model": None,
        "kind": "other",
        "year": 2025,
        "venue": "LabArchive",
        "venue_kind": "preprint",
        "venue_as_written": None,
        "links": [{"kind": "paper", "url": "https://example.org/two"}],
        "doi": None,
        "arxiv": None,
        "notes": [],
        "memberships": [{"domain": "beta", "section": "b-reading"}],
        "flags": [],
        "sources": [],
        "authors_source": None,
    },
]


@pytest.mark.parametrize("name", FORMATS)
def test_each_format_writes_exactly_this(name: str, write_yaml: Callable[[str], Path]) -> None:
    two = fm_papers.load(extra=[write_yaml(TWO)], include_builtin=False)
    text = render(name, two.papers, two)
    if name == "json":
        # Indented by two, one field a line, in the model's order.
        assert text == json.dumps(RECORDS, indent=2) + "\n"
    elif name == "csl-json":
        assert text == json.dumps(CSL_ITEMS, indent=2) + "\n"
    else:
        assert text == RENDERED[name]


# The terminal table ------------------------------------------------------------------------


@pytest.mark.parametrize("width", [50, 80, 120, 200])
def test_table_fits_and_keeps_ids_whole(catalogue: Catalogue, width: int) -> None:
    lines = render_table(catalogue.papers, catalogue, width=width).splitlines()
    longest_id = max(len(p.id) for p in catalogue)
    # The id is never cut; the name (cut to 8 at least) and the title (to 10) are always shown.
    narrowest = longest_id + len("YEAR") + 8 + 10 + 3 * len("  ")
    assert all(len(line) <= max(width, narrowest) for line in lines)
    assert [line.split()[0] for line in lines[1:-1]] == [p.id for p in catalogue]
    # Some papers are flagged, not all: each flagged title starts with the mark, explained.
    assert lines[-1] == f"({len(catalogue)} papers; [!]: a source defect)"
    marked = [line.split()[0] for line in lines[1:-1] if "[!]" in line]
    assert marked == [p.id for p in catalogue if p.flags] and marked
    header = lines[0].split()
    assert header == ["ID", "YEAR", "NAME", "TITLE"] or header == [
        "ID",
        "YEAR",
        "VENUE",
        "NAME",
        "TITLE",
    ]
    if width >= 200:
        assert header == ["ID", "YEAR", "VENUE", "NAME", "TITLE"]


# Markdown ----------------------------------------------------------------------------------


def test_markdown_round_trip(catalogue: Catalogue) -> None:
    text = render("markdown", catalogue.papers, catalogue)
    result = parse_markdown(text, "export.md")
    built = build_entries([result], catalogue.taxonomy, catalogue.venues)
    assert result.problems == [] and built.problems == [] and built.domains == []
    assert len(built.entries) == len(catalogue)
    by_title = {entry["title"]: entry for entry in built.entries}
    for paper in catalogue:
        entry = by_title[paper.title]
        assert entry.get("year") == paper.year, paper.id
        assert entry.get("venue") == paper.venue, paper.id
        assert entry.get("venue_kind") == paper.venue_kind, paper.id
        assert entry.get("venue_as_written") == paper.venue_as_written, paper.id
        assert tuple(entry.get("notes", ())) == paper.notes, paper.id
        assert [(link["kind"], link["url"]) for link in entry["links"]] == [
            (link.kind, link.url) for link in paper.links
        ], paper.id
        memberships = {(m["domain"], m["section"]) for m in entry["memberships"]}
        assert memberships == {(m.domain, m.section) for m in paper.memberships}, paper.id


def test_markdown_lists_a_paper_under_each_of_its_sections(catalogue: Catalogue) -> None:
    several = next(p for p in catalogue if len(p.sections) > 1)
    text = render("markdown", [several], catalogue)
    assert text.count(f"**{several.title}**") == len(several.sections)


def test_markdown_keeps_notes_of_known_venues() -> None:
    paper = _paper(notes=("a review",), venue_as_written=None)
    text = render("markdown", [paper], fm_papers.load())
    assert "[2024 Nature Methods, a review][**scGPT**] **scGPT:" in text


def test_markdown_keeps_notes_after_a_venue_spelt_another_way() -> None:
    # NM is a spelling of Nature Methods in the venue table: the note follows it, as the
    # importer reads it back.
    paper = _paper(notes=("a review",), venue="Nature Methods", venue_as_written="NM")
    text = render("markdown", [paper], fm_papers.load())
    assert "[2024 NM, a review][**scGPT**] **scGPT:" in text
    # A venue written with its note inside is no spelling of a venue: written as it is.
    inside = _paper(notes=("a review",), venue_as_written="Nature Methods a review")
    assert "[2024 Nature Methods a review][**scGPT**]" in render(
        "markdown", [inside], fm_papers.load()
    )


def test_markdown_keeps_a_note_an_overlay_adds(write_yaml: Callable[[str], Path]) -> None:
    """A note ``extend:`` adds is written after the links (the bracket keeps the venue as
    written), as CSV and BibTeX keep it."""
    inside = _paper(notes=("a review",), venue_as_written="Nature Methods a review")
    assert "a review" not in render("markdown", [inside], fm_papers.load()).split("**")[-1]
    overlay = write_yaml("papers:\n  - id: uni\n    extend: true\n    notes: [Read in the lab]\n")
    catalogue = fm_papers.load([overlay])
    uni = catalogue.record("uni")
    line = next(
        line for line in render("markdown", [uni], catalogue).splitlines() if uni.title in line
    )
    assert line.endswith(" — Read in the lab")
    assert all("Read in the lab" in render(name, [uni], catalogue) for name in ("csv", "bibtex"))
