"""How papers show in a notebook and a REPL, and how they leave for JSON and pandas.

The HTML is read back with the standard library's parser, so the checks are about the
elements and attributes a browser would build, not about the text of the markup.
"""

from __future__ import annotations

import doctest
import json
import pickle
import sys
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest

import fm_papers
from fm_papers import Catalogue, DataError, Paper, Papers
from fm_papers import display as display_module
from fm_papers.display import TEXT_ROWS, WIDTH, html_table
from fm_papers.formats import render
from fm_papers.models import Link

WriteYaml = Callable[..., Path]

DOMAINS = """\
domains:
  - key: alpha
    title: Alpha
    sections:
      - {key: a-vision, title: Alpha vision}
  - key: beta
    title: Beta
    sections:
      - {key: b-models, title: Beta models}
"""
TWO = (
    DOMAINS
    + """\
papers:
  - id: p-one
    title: "OneNet: a model for alpha and beta"
    model: OneNet
    kind: model
    year: 2024
    venue: Nature Methods
    links:
      - {kind: paper, url: "https://example.org/one?a=1&b=2"}
      - {kind: code, url: "https://example.org/one-code"}
    memberships:
      - {domain: alpha, section: a-vision}
      - {domain: beta, section: b-models}
  - id: p-two
    title: A second paper, with no short name and no venue
    year: 2025
    links: [{kind: paper, url: "http://example.org/two"}]
    memberships: [{domain: beta, section: b-models}]
"""
)
#: Every field a user controls, written to break out of the markup.
HOSTILE = (
    DOMAINS
    + """\
papers:
  - id: p-hostile
    title: "<img src=x onerror=alert(1)> \\"quoted\\" & 'javascript:alert(1)'"
    model: "<script>alert(1)</script>"
    venue: "\\"><svg onload=alert(1)>"
    year: 2025
    links: [{kind: paper, url: "https://example.org/a\\"onmouseover=\\"alert(1)"}]
    memberships: [{domain: beta, section: b-models}]
"""
)
HEADERS = ["id", "name", "title", "year", "domains", "sections", "venue"]
#: The elements and attributes the HTML may have: nothing else may appear.
ALLOWED = {
    "table": {"class"},
    "caption": set(),
    "thead": set(),
    "tbody": set(),
    "tr": set(),
    "th": set(),
    "td": set(),
    "a": {"href", "target", "rel"},
    "p": set(),
}


def _load(write_yaml: WriteYaml, text: str) -> Catalogue:
    return fm_papers.load([write_yaml(text)], include_builtin=False)


def _many(count: int, title: str = "Paper") -> str:
    """An overlay of ``count`` papers, ``p-00``, ``p-01``..."""
    entries = "".join(
        f"""\
  - id: p-{n:02d}
    title: "{title} {n}"
    year: 2024
    links: [{{kind: paper, url: "https://example.org/{n}"}}]
    memberships: [{{domain: alpha, section: a-vision}}]
"""
        for n in range(count)
    )
    return DOMAINS + "papers:\n" + entries


class Page(HTMLParser):
    """The parts of an HTML fragment the tests look at: every element with its attributes,
    the caption, the table's rows as cell texts, each link with its text, and the text that
    follows the table."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.caption = ""
        self.rows: list[list[str]] = []
        self.links: list[tuple[str | None, str]] = []
        self.after: list[str] = []
        self._open: list[str] = []
        self.feed(html)
        self.close()
        assert self._open == [], f"unclosed elements: {self._open}"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        self._open.append(tag)
        if tag == "tr":
            self.rows.append([])
        elif tag in ("th", "td"):
            self.rows[-1].append("")
        elif tag == "a":
            self.links.append((dict(attrs).get("href"), ""))

    def handle_endtag(self, tag: str) -> None:
        assert self._open and self._open[-1] == tag, f"</{tag}> closes {self._open}"
        self._open.pop()

    def handle_data(self, data: str) -> None:
        if "a" in self._open:
            href, text = self.links[-1]
            self.links[-1] = (href, text + data)
        if "caption" in self._open:
            self.caption += data
        elif {"th", "td"} & set(self._open):
            self.rows[-1][-1] += data
        elif "p" in self._open:
            self.after.append(data)


def _check_elements(page: Page) -> None:
    for tag, attrs in page.elements:
        assert tag in ALLOWED, tag
        assert set(attrs) <= ALLOWED[tag], (tag, attrs)


# HTML ---------------------------------------------------------------------------------


def test_html_is_a_table_with_one_row_per_paper(write_yaml: WriteYaml) -> None:
    catalogue = _load(write_yaml, TWO)
    page = Page(catalogue.query(year="2024-")._repr_html_())
    _check_elements(page)
    assert page.elements[0] == ("table", {"class": "fm-papers"})
    assert page.caption == "<Papers: 2 papers>"
    # Newest first; the name is the short name, blank beside the title for a paper without.
    assert page.rows == [
        HEADERS,
        ["p-two", "", "A second paper, with no short name and no venue", "2025", "beta",
         "b-models", ""],
        [
            "p-one",
            "OneNet",
            "OneNet: a model for alpha and beta",
            "2024",
            "alpha, beta",
            "a-vision, b-models",
            "Nature Methods",
        ],
    ]  # fmt: skip
    assert [tag for tag, _ in page.elements].count("th") == len(HEADERS)
    # Each title links to its paper (not to its code), the & of the query string intact.
    assert page.links == [
        ("http://example.org/two", "A second paper, with no short name and no venue"),
        ("https://example.org/one?a=1&b=2", "OneNet: a model for alpha and beta"),
    ]
    assert page.after == []


def test_the_catalogue_shows_the_same_table(write_yaml: WriteYaml) -> None:
    catalogue = _load(write_yaml, TWO)
    page = Page(catalogue._repr_html_())
    assert page.caption == "<Catalogue of 2 papers in 2 domains>"
    # In catalogue order, as iterating it gives the papers; query() sorts them.
    assert page.rows == Page(catalogue.query(sort="")._repr_html_()).rows
    assert page.rows[1:] == Page(catalogue.query()._repr_html_()).rows[:0:-1]


def test_hostile_text_stays_text(write_yaml: WriteYaml) -> None:
    papers = _load(write_yaml, HOSTILE).query()
    page = Page(papers._repr_html_())
    _check_elements(page)
    assert [tag for tag, _ in page.elements].count("a") == 1
    title = "<img src=x onerror=alert(1)> \"quoted\" & 'javascript:alert(1)'"
    assert page.rows[1] == [
        "p-hostile",
        "<script>alert(1)</script>",
        title,
        "2025",
        "beta",
        "b-models",
        '"><svg onload=alert(1)>',
    ]
    # The quotes of the URL stay inside the one href: no attribute of their own.
    assert page.links == [('https://example.org/a"onmouseover="alert(1)', title)]


def test_a_javascript_url_never_loads(write_yaml: WriteYaml) -> None:
    with pytest.raises(DataError, match="is not an http"):
        _load(write_yaml, TWO.replace("http://example.org/two", "javascript:alert(1)"))


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "//evil.org/x"]
)
def test_an_unvalidated_url_is_not_a_link(write_yaml: WriteYaml, url: str) -> None:
    """A paper built without validation (as the shipped ones are) still gets no bad link."""
    good = _load(write_yaml, TWO).get("p-two")
    links = (Link.model_construct(kind="paper", url=url),)
    papers = Papers([good.model_construct(**{**dict(good), "links": links})])
    page = Page(papers._repr_html_())
    _check_elements(page)
    assert page.links == []
    assert page.rows[1][2] == "A second paper, with no short name and no venue"


def test_html_shows_at_most_the_row_limit(write_yaml: WriteYaml) -> None:
    papers = _load(write_yaml, _many(5)).query()
    page = Page(html_table(papers, "five", rows=3))
    assert [row[0] for row in page.rows[1:]] == ["p-00", "p-01", "p-02"]
    assert page.after == ["… (2 more)"]
    assert Page(html_table(papers, "five", rows=5)).after == []


# Text -------------------------------------------------------------------------------


def test_repr_is_a_narrow_table(write_yaml: WriteYaml) -> None:
    catalogue = _load(write_yaml, TWO)
    # Newest first. The name is the short name, blank beside the title for a paper without
    # one; the title gives way (to 30 characters): the lines are 100 wide.
    assert repr(catalogue.query()).splitlines() == [
        "<Papers: 2 papers>",
        "id     name    title                           year  domains      sections            venue",
        "p-two          A second paper, with no short…  2025  beta         b-models",
        "p-one  OneNet  OneNet: a model for alpha and…  2024  alpha, beta  a-vision, b-models  Nature Methods",
    ]


def test_repr_fits_the_width_and_cuts_long_titles(write_yaml: WriteYaml) -> None:
    long_title = "A very long title " * 10
    papers = _load(write_yaml, TWO.replace("A second paper", long_title)).query()
    lines = repr(papers).splitlines()
    assert max(map(len, lines)) <= WIDTH
    assert lines[2].startswith("p-two          A very long title A very long")
    assert "…" in lines[2]
    assert "long…  2025  beta" in lines[2]  # the title is cut, not the year after it
    # The short columns are whole.
    assert lines[3].endswith("2024  alpha, beta  a-vision, b-models  Nature Methods")


def test_repr_shows_a_few_rows_then_how_many_more(write_yaml: WriteYaml) -> None:
    count = TEXT_ROWS + 3
    catalogue = _load(write_yaml, _many(count))
    lines = repr(catalogue).splitlines()
    assert lines[0] == f"<Catalogue of {count} papers in 2 domains>"
    assert lines[1].split() == HEADERS
    assert [line.split()[0] for line in lines[2:-1]] == [f"p-{n:02d}" for n in range(TEXT_ROWS)]
    assert lines[-1] == "… (3 more)"
    assert str(catalogue) == repr(catalogue)
    assert repr(catalogue.query(limit=TEXT_ROWS)).splitlines()[-1].startswith("p-")


def test_control_characters_are_shown_as_escapes(write_yaml: WriteYaml) -> None:
    """Validation keeps them out of the data; a record built without it cannot send one to
    a terminal (clear the screen, reverse the text) or to a page either."""
    good = _load(write_yaml, TWO).get("p-two")
    papers = Papers([good.model_construct(**{**dict(good), "title": "A\x1b[2J\u202eB"})])
    assert (
        repr(papers)
        .splitlines()[2]
        .startswith("p-two  A\\x1b[2J\\u202eB  2025".replace("  ", "        ", 1))
    )
    assert Page(papers._repr_html_()).rows[1][2] == "A\\x1b[2J\\u202eB"


def test_repr_of_one_and_of_none(write_yaml: WriteYaml) -> None:
    catalogue = _load(write_yaml, TWO)
    assert repr(catalogue.query(ids="p-one")).splitlines()[0] == "<Papers: 1 paper>"
    assert repr(catalogue.query(year="2020")) == "<Papers: 0 papers>"
    assert Page(catalogue.query(year="2020")._repr_html_()).rows == [HEADERS]


# Records and pandas -------------------------------------------------------------------


ONE_RECORD = {
    "id": "p-one",
    "aliases": [],
    "title": "OneNet: a model for alpha and beta",
    "authors": [],
    "model": "OneNet",
    "kind": "model",
    "year": 2024,
    "venue": "Nature Methods",
    "venue_kind": None,
    "venue_as_written": None,
    "links": [
        {"kind": "paper", "url": "https://example.org/one?a=1&b=2"},
        {"kind": "code", "url": "https://example.org/one-code"},
    ],
    "doi": None,
    "arxiv": None,
    "notes": [],
    "memberships": [
        {"domain": "alpha", "section": "a-vision"},
        {"domain": "beta", "section": "b-models"},
    ],
    "flags": [],
    "sources": [],
    "authors_source": None,
}


def test_records_are_the_json_export(write_yaml: WriteYaml) -> None:
    catalogue = _load(write_yaml, TWO)
    records = catalogue.query(ids="p-one").to_records()
    assert records == [ONE_RECORD]
    assert list(records[0]) == list(ONE_RECORD)  # the order of the model's fields
    assert json.loads(json.dumps(records)) == records
    # One definition: the json format writes exactly these objects.
    assert json.loads(render("json", catalogue.papers, catalogue)) == catalogue.to_records()
    assert catalogue.query(year="2020").to_records() == []


def test_to_pandas(write_yaml: WriteYaml) -> None:
    import pandas  # a test dependency: a missing one fails here rather than skipping

    catalogue = _load(write_yaml, TWO)
    frame = catalogue.to_pandas()
    assert isinstance(frame, pandas.DataFrame)
    assert list(frame.columns) == list(Paper.model_fields) == list(ONE_RECORD)
    assert frame["id"].tolist() == ["p-one", "p-two"]
    assert frame["year"].tolist() == [2024, 2025]
    assert frame.loc[0, "links"] == ONE_RECORD["links"]
    assert frame.to_dict("records")[0] == ONE_RECORD
    recent = catalogue.query(year="2025").to_pandas()
    assert recent["title"].tolist() == ["A second paper, with no short name and no venue"]
    # An empty result still has the columns, so code that selects them keeps working.
    empty = catalogue.query(year="2020").to_pandas()
    assert (len(empty), list(empty.columns)) == (0, list(ONE_RECORD))


def test_to_pandas_without_pandas(write_yaml: WriteYaml, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)  # makes `import pandas` fail
    catalogue = _load(write_yaml, TWO)
    with pytest.raises(ImportError, match=r"needs pandas.*: pip install pandas$") as caught:
        catalogue.query().to_pandas()
    assert caught.value.name == "pandas"
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


# Results are tuples -------------------------------------------------------------------


def test_results_are_tuples(write_yaml: WriteYaml) -> None:
    catalogue = _load(write_yaml, TWO)
    papers = catalogue.query(sort="")
    one, two = catalogue.papers
    assert isinstance(papers, Papers) and isinstance(papers, tuple)
    assert papers == (one, two) == catalogue.papers
    assert (one, two) == papers
    assert papers != (two, one)
    assert hash(papers) == hash((one, two))
    assert {papers: "found"}[(one, two)] == "found"
    assert papers[0] is one and papers[-1] is two
    assert list(papers) == [one, two] and len(papers) == 2 and two in papers
    # A slice is a result too, so it shows as a table; + and * give plain tuples.
    assert type(papers[:1]) is Papers and papers[:1] == (one,)
    assert type(papers[::-1]) is Papers and papers[::-1] == (two, one)
    assert type(papers + papers) is tuple
    copied = pickle.loads(pickle.dumps(papers))  # noqa: S301 (bytes this test made)
    assert type(copied) is Papers and copied == papers


# Costs and docs -----------------------------------------------------------------------


def test_only_to_pandas_needs_pandas(
    write_yaml: WriteYaml, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)  # any `import pandas` would fail
    catalogue = _load(write_yaml, TWO)
    for shown in (catalogue, catalogue.query()):
        assert repr(shown) and shown._repr_html_() and shown.to_records()


def test_the_docstring_examples_run() -> None:
    result = doctest.testmod(display_module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0


def test_a_flagged_paper_is_marked_where_there_is_no_flags_column() -> None:
    catalogue = fm_papers.load()
    papers = catalogue.query(ids="top, scgpt, dispro", sort="")
    top, scgpt, dispro = papers
    assert top.flags and dispro.flags and not scgpt.flags
    # The REPL's table: the title starts with [!], as on the command line.
    rows = {line.split()[0]: line for line in repr(papers).splitlines()[2:]}
    assert [("[!]" in rows[p.id]) for p in papers] == [True, False, True]
    # Jupyter's: a mark after the title, whose tooltip gives the flags' messages.
    page = papers._repr_html_()
    for paper in (top, dispro):
        message = paper.flags[0].message.replace("'", "&#x27;")
        assert f'<abbr class="fm-papers-flag" title="source defect: {message}' in page
    assert page.count("fm-papers-flag") == 2
    # Every paper flagged: the flags column says it instead.
    flagged = catalogue.query(ids="top, dispro")
    assert "[!]" not in repr(flagged) and "fm-papers-flag" not in flagged._repr_html_()
