"""Hostile input through every surface: nothing escapes, crashes, hangs or loses data.

Two corpora. ``tests/adversarial/hostile-text.yaml`` is valid data whose text is markup for
every reader (HTML, Markdown, reST, MyST, LaTeX, BibTeX, CSV, the terminal): it must load,
and every output must parse and show that text as text. ``REJECTED`` below are inputs that
must not load (control and bidi characters, alias bombs, deep nesting, duplicate keys, bad
encodings, links that are not links...): each must be one located problem in ``load()``,
every CLI command, ``fmt`` and a Sphinx build, with nothing written and nothing crashed.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from hypothesis import event, given
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from pybtex.database import parse_string
from sphinx.testing.util import SphinxTestApp

import fm_papers
from fm_papers import DataError
from fm_papers.cli import main
from fm_papers.curation.importer import parse_markdown
from fm_papers.datafile import builtin_files
from fm_papers.formats import EXPORT_FORMATS, FORMATS
from fm_papers.models import Paper
from fm_papers.safety import MAX_ALIAS_NODES, MAX_DEPTH, MAX_FILE_BYTES, find_forbidden

#: The ``build`` fixture of conftest.py: ``build(files, buildername)`` gives ``(app, warnings)``.
Build = Callable[..., tuple[SphinxTestApp, str]]
HOSTILE = Path(__file__).resolve().parent / "adversarial" / "hostile-text.yaml"
Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Run:
    def run(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture(scope="module")
def hostile() -> fm_papers.Catalogue:
    return fm_papers.load(extra=[HOSTILE])


def _hostile_papers(catalogue: fm_papers.Catalogue) -> tuple[Paper, ...]:
    return catalogue.query(domain="hostile")


# The accepted corpus: every output parses and holds the text as text ----------------------


class _Tags(HTMLParser):
    """Every start tag of a page with its attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parsed_html(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    parser.close()
    return parser


def _no_live_markup(html: str, allowed: set[str]) -> _Tags:
    """Parse ``html``: only ``allowed`` tags, no event-handler attribute, no script link."""
    page = _parsed_html(html)
    for tag, attrs in page.tags:
        assert tag in allowed, f"<{tag}> from data"
        assert not any(name.startswith("on") for name in attrs), f"<{tag} {attrs}>"
        for name in ("href", "src"):
            value = (attrs.get(name) or "").strip().lower()
            assert not value.startswith(("javascript:", "data:", "vbscript:")), value
    return page


def test_the_hostile_corpus_loads_as_text(hostile: fm_papers.Catalogue) -> None:
    papers = _hostile_papers(hostile)
    assert len(papers) == len(yaml.safe_load(HOSTILE.read_text(encoding="utf-8"))["papers"])
    assert hostile.get("html-title").title.startswith("<img src=x onerror=alert(1)>")
    assert hostile.get("latex-title").title.startswith("\\input{/etc/passwd}")


@pytest.mark.parametrize("name", EXPORT_FORMATS)
def test_every_export_parses_and_round_trips(
    name: str, run: Run, tmp_path: Path, hostile: fm_papers.Catalogue
) -> None:
    target = tmp_path / f"export.{name}"
    code, _, err = run(
        "export", "--format", name, "--domain", "hostile", "--extra", str(HOSTILE),
        "-o", str(target),
    )  # fmt: skip
    assert code == 0, err
    text = target.read_text(encoding="utf-8")
    papers = _hostile_papers(hostile)
    assert find_forbidden(text) is None
    if name == "json":
        assert json.loads(text) == [p.model_dump(mode="json") for p in papers]
    elif name == "yaml":
        entries = yaml.safe_load(text)["papers"]
        assert [Paper.model_validate(e) for e in entries] == list(papers)
    elif name == "ids":
        assert text.split() == [p.id for p in papers]
    elif name == "csv":
        rows = list(csv.reader(io.StringIO(text)))
        assert len(rows) == len(papers) + 1
        for row in rows[1:]:
            assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row)
        titles = {row[1].removeprefix("'") for row in rows[1:]}
        assert titles == {p.title for p in papers}
    elif name == "bibtex":
        bib = parse_string(text, "bibtex")
        assert list(bib.entries) == [p.id for p in papers]
        for entry, paper in zip(bib.entries.values(), papers, strict=True):
            # No field broke out: the authors are the paper's, one person each, and no other.
            assert set(entry.persons) <= {"author"}
            assert len(entry.persons.get("author", [])) == len(paper.authors), paper.id
            assert set(entry.fields) <= {
                "title", "journal", "booktitle", "howpublished", "year", "doi", "eprint",
                "archiveprefix", "url", "note", "keywords",
            }  # fmt: skip
    elif name == "csl-json":
        items = json.loads(text)
        assert [item["id"] for item in items] == [p.id for p in papers]
        for item, paper in zip(items, papers, strict=True):
            assert item["title"] == paper.title
            assert [a.get("family", a.get("literal")) for a in item.get("author", [])] == [
                a.surname for a in paper.authors
            ]
    elif name == "ris":
        import rispy

        records = rispy.loads(text)
        assert [r["id"] for r in records] == [p.id for p in papers]
        for record, paper in zip(records, papers, strict=True):
            assert record["title"] == paper.title
            assert record.get("authors", []) == [a.inverted for a in paper.authors]
    elif name == "markdown":
        html = MarkdownIt("commonmark", {"html": True}).enable("strikethrough").render(text)
        # GitHub also links bare URLs, www. names and addresses in text (not built here):
        # outside link targets, none may be left as written.
        outside = re.sub(r"\]\((?:[^()\s]|\([^()\s]*\))*\)", "", text)
        assert not re.search(r"(?i)\bhttps?://|\bwww\.|\w@\w", outside), outside
        allowed = {"h1", "h2", "h3", "h4", "h5", "h6", "p", "ul", "ol", "li", "a", "strong"}
        page = _no_live_markup(html, allowed)
        for tag, attrs in page.tags:
            if tag == "a":
                assert (attrs["href"] or "").startswith(("https://", "http://", "#")), attrs
        imported = {e.title for e in parse_markdown(text, "export.md").entries}
        assert imported == {p.title for p in papers}
    else:  # pragma: no cover - a new format must be checked here
        pytest.fail(f"no check for {name}")


@pytest.mark.parametrize(
    "argv",
    [
        *(["list", "--format", name] for name in FORMATS),
        ["search", "script"],
        ["sections"],
        ["stats"],
        ["show", "html-title"],
        ["show", "latex-title", "--format", "bibtex"],
        ["validate"],
    ],
    ids=" ".join,
)
def test_every_command_shows_the_text_as_text(argv: list[str], run: Run) -> None:
    code, out, err = run(*argv, "--extra", str(HOSTILE))
    assert code == 0, err
    assert find_forbidden(out + err) is None
    assert "Traceback" not in err


@pytest.mark.parametrize("builder", ["html", "latex", "text"])
def test_sphinx_shows_the_text_as_text_in_every_builder(build: Build, builder: str) -> None:
    overlay = {"hostile.yaml": HOSTILE.read_text(encoding="utf-8")}
    conf = 'extensions = ["fm_papers.sphinxext"]\nfm_papers_extra_files = ["hostile.yaml"]\n'
    index = (
        "Hostile\n=======\n\n"
        ".. fm-papers::\n   :domain: hostile\n   :columns: title, model, venue, notes, links\n\n"
        ".. fm-papers::\n   :domain: hostile\n   :layout: list\n   :group-by: section\n\n"
        ".. fm-papers::\n   :domain: hostile\n   :layout: cards\n   :columns: model, notes\n\n"
        ":fm-paper:`html-title`, :fm-paper:`latex-title`, :fm-paper:`bibtex-title`.\n"
    )
    catalogue = fm_papers.load(extra=[HOSTILE])
    titles = [p.title for p in _hostile_papers(catalogue)]
    app, warnings = build({"index.rst": index, "conf.py": conf, **overlay}, buildername=builder)
    assert warnings == ""
    if builder == "html":
        html = (app.outdir / "index.html").read_text(encoding="utf-8")
        body = html[html.index('<div class="body"') :].split('<div class="sphinxsidebar"')[0]
        allowed = {"div", "table", "thead", "tbody", "tr", "th", "td", "p", "a", "span", "ul",
                   "li", "strong", "em", "colgroup", "col", "caption", "section", "h1", "h2",
                   "code"}  # fmt: skip
        shown = "".join(_no_live_markup(body, allowed).text)
        for title in titles:
            assert title in shown, title
    elif builder == "latex":
        tex = next(app.outdir.glob("*.tex")).read_text(encoding="utf-8")
        unescaped = re.sub(r"\\[{}]", "", tex)
        assert unescaped.count("{") == unescaped.count("}")
        assert "\\input{/etc/passwd}" not in tex and "\\write18{" not in tex
        assert tex.count("\\end{document}") == 1
    else:
        text = (app.outdir / "index.txt").read_text(encoding="utf-8")
        assert find_forbidden(text) is None
        for title in titles:
            assert " ".join(title.split()) in " ".join(text.split()), title


# The rejected corpus: one located problem everywhere -------------------------------------

PAPER = (
    "papers:\n  - id: x\n    title: {title}\n    year: {year}\n"
    '    links: [{{kind: paper, url: "{url}"}}]\n'
    "    memberships: [{{domain: pathology, section: segmentation}}]\n"
)


def _paper(title: str = "A title", year: str = "2024", url: str = "https://example.org/x") -> str:
    return PAPER.format(title=title, year=year, url=url)


#: name -> (file text or bytes, the one problem expected, after "{file}").
REJECTED: dict[str, tuple[str | bytes, str]] = {
    "raw-escape": (
        _paper(title="a\x1b]0;pwned\x07b"),
        ":3: control character U+001B (ESC) is not allowed (column 13)",
    ),
    "raw-nul": (
        _paper(title="a\x00b"),
        ":3: control character U+0000 (NUL) is not allowed (column 13)",
    ),
    "raw-bidi": (
        _paper(title="abc\u202eevil"),
        ":3: bidirectional control U+202E (RIGHT-TO-LEFT OVERRIDE) is not allowed (column 15)",
    ),
    "raw-c1": (
        _paper(title="a\x9bb"),
        ":3: control character U+009B (CSI) is not allowed (column 13)",
    ),
    "raw-in-comment": (
        "# \u2066hidden\u2069\npapers: []\n",
        ":1: bidirectional control U+2066 (LEFT-TO-RIGHT ISOLATE) is not allowed (column 3)",
    ),
    "escaped-escape": (
        _paper(title='"a\\x1b[2Jb"'),
        ":3: entry 'x': title: control character U+001B (ESC) is not allowed",
    ),
    "escaped-bell": (
        _paper(title='"a\\ab"'),
        ":3: entry 'x': title: control character U+0007 (BEL) is not allowed",
    ),
    "escaped-bidi": (
        _paper(title='"a\\u202Eb"'),
        ":3: entry 'x': title: bidirectional control U+202E (RIGHT-TO-LEFT OVERRIDE) is not allowed",
    ),
    "escaped-key": (  # a key is quoted in the message: its escapes stay visible
        _paper() + '    "\\e]0;pwned\\a\\u202Ex": 1\n',
        ":7: entry 'x': \\x1b]0;pwned\\x07\\u202ex: unknown field; valid fields: "
        + ", ".join([*Paper.model_fields, "override", "extend"]),
    ),
    "backslash-url": (  # urllib reads the host example.org; browsers read \\ as / and go to evil
        _paper(url="https://evil.example.com\\\\@example.org/"),
        ":5: entry 'x': links.0.url: 'https://evil.example.com\\\\@example.org/' is not an http(s) URL",
    ),
    "slow-url": (  # an overlapping pattern took minutes on this
        _paper(url="https://" + "a." * 3_000 + " x"),
        ":5: entry 'x': links.0.url: 'https://" + "a." * 35 + "a…' is not an http(s) URL",
    ),
    "escaped-del-in-url": (
        _paper(url="https://example.org/\\x7f"),
        ":5: entry 'x': links.0.url: control character U+007F (DEL) is not allowed",
    ),
    "mixed-script-host": (
        _paper(url="https://ex\u0430mple.org/x"),
        ":5: entry 'x': links.0.url: host label 'ex\u0430mple' mixes Cyrillic and Latin letters",
    ),
    "punycode-mixed-host": (
        _paper(url="https://xn--exmple-4nf.org/x"),
        ":5: entry 'x': links.0.url: host label 'ex\u0430mple' mixes Cyrillic and Latin letters",
    ),
    "javascript-url": (
        _paper(url="javascript:alert(1)"),
        ":5: entry 'x': links.0.url: 'javascript:alert(1)' is not an http(s) URL",
    ),
    "year-true": (_paper(year="true"), ":4: entry 'x': year: expected a whole number, got true"),
    "year-huge": (
        _paper(year="9" * 5000),
        ":4: cannot read this value: a number of more digits than Python reads",
    ),
    "duplicate-top-key": (
        "papers: []\npapers: []\n",
        ":2: duplicate key 'papers' (first at line 1)",
    ),
    "duplicate-field": (
        _paper().replace("    year:", "    title: Again\n    year:"),
        ":4: duplicate key 'title' (first at line 3)",
    ),
    "deep-flow": (
        "papers: " + "[" * 40_000 + "]" * 40_000 + "\n",
        f":1: nested more than {MAX_DEPTH} levels deep",
    ),
    "deep-block": (
        "papers:\n" + "- " * 40_000 + "x\n",
        f":2: nested more than {MAX_DEPTH} levels deep",
    ),
    "deep-mapping": (
        "".join(f"{' ' * n}k{n}:\n" for n in range(200)) + " " * 200 + "v\n",
        f":{MAX_DEPTH + 1}: nested more than {MAX_DEPTH} levels deep",
    ),
    "deep-mapping-cr": (  # YAML breaks lines at a lone CR too
        "".join(f"{' ' * n}k{n}:\r" for n in range(200)) + " " * 200 + "v\r",
        f":{MAX_DEPTH + 1}: nested more than {MAX_DEPTH} levels deep",
    ),
    "alias-bomb": (
        "x: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        + "".join(f"x{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]\n" for n in range(1, 9)),
        f": aliases expand the document to 1,234,567,909 nodes and 1,111,111,127 characters of text; they may add at most {MAX_ALIAS_NODES:,} nodes, and the text may be at most {MAX_FILE_BYTES:,} characters once expanded",
    ),
    "alias-text": (  # few nodes, but gigabytes of text once expanded
        "t: &t " + "x" * 70_000 + "\nnotes: [" + ", ".join(["*t"] * 1_000) + "]\n",
        f": aliases expand the document to 1,005 nodes and 70,070,006 characters of text; they may add at most {MAX_ALIAS_NODES:,} nodes, and the text may be at most {MAX_FILE_BYTES:,} characters once expanded",
    ),
    "alias-cycle": (
        "papers: &a [*a]\n",
        ":1: an alias stands for a collection that holds it (a cycle)",
    ),
    "alias-deep": (  # each anchor 30 levels deep, each alias 30 levels into the next
        "a: &a "
        + "[" * 30
        + "x"
        + "]" * 30
        + "\n"
        + "b: &b "
        + "[" * 30
        + "*a"
        + "]" * 30
        + "\n"
        + "c: "
        + "[" * 30
        + "*b"
        + "]" * 30
        + "\n",
        f":2: aliases nest the document more than {MAX_DEPTH} levels deep",
    ),
    "not-utf8": (b"papers:\n  - id: caf\xe9\n", ": not UTF-8 text: invalid continuation byte"),
    "utf16": ("papers: []\n".encode("utf-16"), ": not UTF-8 text: invalid start byte"),
    "override-unknown": (
        _paper().replace("id: x", "id: scgtp\n    override: true"),
        (
            ":2: entry 'scgtp': id: 'override: true' names no entry defined before it; did you "
            "mean 'scgpt'? Or leave 'override' out to add a new entry"
        ),
    ),
    "venue-alias-clash": (
        "venues:\n  - {name: My Journal, kind: journal, aliases: [NM]}\n",
        ":2: entry 'My Journal': aliases.0: 'NM' already names the venue 'Nature Methods' ({venues}:{nature_methods})",
    ),
}


def _write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / f"{name}.yaml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def _expected(path: Path, case: str) -> str:
    venues = builtin_files()[1]
    lines = venues.read_text(encoding="utf-8").splitlines()
    nature_methods = next(n for n, line in enumerate(lines, 1) if "name: Nature Methods," in line)
    return f"{path}{REJECTED[case][1]}".replace("{venues}", str(venues)).replace(
        "{nature_methods}", str(nature_methods)
    )


@pytest.mark.timeout(60)
@pytest.mark.parametrize("case", list(REJECTED))
def test_hostile_files_are_one_located_problem(case: str, tmp_path: Path) -> None:
    path = _write(tmp_path, case, REJECTED[case][0])
    with pytest.raises(DataError) as caught:
        fm_papers.load(extra=[path])
    assert [str(p) for p in caught.value.problems] == [_expected(path, case)]


@pytest.mark.parametrize("case", list(REJECTED))
def test_every_command_refuses_hostile_files_in_one_line(
    case: str, tmp_path: Path, run: Run
) -> None:
    path = _write(tmp_path, case, REJECTED[case][0])
    before = path.read_bytes()
    target = tmp_path / "out.json"
    for argv in (
        ["validate", str(path)],
        ["list", "--extra", str(path)],
        ["export", "--format", "json", "--extra", str(path), "-o", str(target)],
        ["fmt", str(path)],
    ):
        code, out, err = run(*argv)
        assert (code, out) == (1, ""), argv
        assert err.splitlines() == [_expected(path, case)], argv
    assert path.read_bytes() == before, "fmt never rewrites a file it could not validate"
    assert not target.exists(), "nothing half-written"


@pytest.mark.slow
@pytest.mark.parametrize(
    "case", ["raw-escape", "escaped-bidi", "alias-bomb", "deep-flow", "duplicate-top-key", "utf16"]
)
def test_sphinx_reports_hostile_files_and_shows_nothing(build: Build, case: str) -> None:
    conf = 'extensions = ["fm_papers.sphinxext"]\nfm_papers_extra_files = ["lab.yaml"]\n'
    index = "T\n=\n\n.. fm-papers::\n   :domain: pathology\n\n:fm-paper:`uni`\n"
    app, warnings = build({"index.rst": index, "conf.py": conf, "lab.yaml": REJECTED[case][0]})
    lines = warnings.splitlines()
    assert lines and all("[fm_papers.data]" in line for line in lines), warnings
    assert "Traceback" not in warnings and "Exception" not in warnings
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    assert "fm-papers-item" not in html


# Files that are not files ----------------------------------------------------------------


@pytest.mark.timeout(60)
def test_links_devices_and_huge_files_are_refused_without_hanging(tmp_path: Path, run: Run) -> None:
    loop = tmp_path / "loop.yaml"
    loop.symlink_to(loop)
    dangling = tmp_path / "dangling.yaml"
    dangling.symlink_to(tmp_path / "nowhere.yaml")
    folder = tmp_path / "folder.yaml"
    folder.mkdir()
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)  # opening it would wait for a writer forever
    huge = tmp_path / "huge.yaml"
    with huge.open("wb") as stream:
        stream.truncate(MAX_FILE_BYTES + 1)
    expected = {
        loop: "cannot read: Too many levels of symbolic links",
        dangling: "cannot read: No such file or directory",
        folder: "cannot read: Is a directory",
        fifo: "cannot read: not a regular file",
        huge: f"the file is larger than {MAX_FILE_BYTES:,} bytes, the limit for data files",
        Path("/dev/zero"): "cannot read: not a regular file",
    }
    for path, message in expected.items():
        with pytest.raises(DataError) as caught:
            fm_papers.load(extra=[path])
        assert str(caught.value) == f"{path}: {message}"
        for argv in (["validate", str(path)], ["fmt", str(path)]):
            assert run(*argv) == (1, "", f"{path}: {message}\n"), argv


@pytest.mark.timeout(60)
@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_sphinx_refuses_an_overlay_that_is_no_regular_file(
    build: Build, kind: str, tmp_path: Path
) -> None:
    src = tmp_path / "src"
    src.mkdir()
    if kind == "fifo":
        os.mkfifo(src / "lab.yaml")  # reading it would wait for a writer forever
    else:
        (src / "lab.yaml").symlink_to("/dev/zero")  # reading it would never end
    conf = 'extensions = ["fm_papers.sphinxext"]\nfm_papers_extra_files = ["lab.yaml"]\n'
    app, warnings = build({"index.rst": "T\n=\n\n:fm-paper:`uni`\n", "conf.py": conf})
    assert warnings.splitlines() == [
        "ERROR: SRC/lab.yaml: cannot read: not a regular file [fm_papers.data]"
    ]
    assert "fm-papers-item" not in (app.outdir / "index.html").read_text(encoding="utf-8")


def test_writing_goes_through_links_and_never_leaves_half_a_file(
    tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = tmp_path / "real.bib"
    real.write_text("old\n", encoding="utf-8")
    link = tmp_path / "link.bib"
    link.symlink_to(real)
    assert run("export", "--format", "bibtex", "--ids", "uni", "-o", str(link))[0] == 0
    assert link.is_symlink() and real.read_text(encoding="utf-8").startswith("@article{uni,")
    loop = tmp_path / "loop.bib"
    loop.symlink_to(loop)
    code, _, err = run("export", "--format", "ids", "-o", str(loop))
    assert (code, err) == (
        2,
        f"fm-papers: error: cannot write {loop}: Too many levels of symbolic links\n",
    )

    # A failure while writing leaves the old content and no temporary file.
    def failing_replace(self: Path, target: object) -> Path:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "replace", failing_replace)
    code, _, err = run("export", "--format", "ids", "-o", str(real))
    assert (code, err) == (2, f"fm-papers: error: cannot write {real}: No space left on device\n")
    assert real.read_text(encoding="utf-8").startswith("@article{uni,")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.bib", "loop.bib", "real.bib"]


def test_option_values_are_untrusted_too(build: Build) -> None:
    index = (
        "T\n=\n\n.. fm-papers::\n   :ids: uni\n   :caption: a\x1b[2Jb\n\n"
        ".. fm-papers::\n   :ids: uni\n   :columns: ,,,\n\n:fm-paper:`un\u202ei`\n"
    )
    _, warnings = build({"index.rst": index})
    assert warnings.splitlines() == [
        (
            "SRC/index.rst:4: WARNING: fm-papers: :caption: control character U+001B (ESC) is not "
            "allowed; the directive is left out [fm_papers.option]"
        ),
        (
            "SRC/index.rst:8: WARNING: fm-papers: :columns: expected at least one column, using the "
            "default title, model, venue, year, links; valid values: title, authors, model, kind, "
            "year, venue, venue-kind, links, domain, section, flags, notes (and 2 more) "
            "[fm_papers.value]"
        ),
        (
            "SRC/index.rst:12: WARNING: fm-paper: bidirectional control U+202E (RIGHT-TO-LEFT "
            "OVERRIDE) is not allowed [fm_papers.id]"
        ),
    ]


def test_a_missing_overlay_is_named_as_the_file_it_is(build: Build) -> None:
    conf = 'extensions = ["fm_papers.sphinxext"]\nfm_papers_extra_files = ["lab.yaml"]\n'
    _, warnings = build({"index.rst": "T\n=\n\n:fm-paper:`uni`\n", "conf.py": conf})
    assert warnings.splitlines() == [
        "ERROR: SRC/lab.yaml: cannot read: No such file or directory [fm_papers.data]"
    ]


# Properties: whatever an overlay holds, a located problem or output that round-trips ------

#: Markup of every output format, and characters no data may hold.
_MARKUP = [*"<>&\"'`*_[]{}()\\|#%$~^@=+-:;!", "é", "単", "🧬", "\ufeff", " "]
_FORBIDDEN = ["\x1b", "\x00", "\x07", "\x7f", "\x9b", "\u202e", "\u2066", "\u2028", "\n"]
_VALID_TEXT = st.text(st.sampled_from([*_MARKUP, *"abcXYZ09"]), min_size=1, max_size=24)
#: Mostly text that is valid but hostile; sometimes a forbidden character or anything at all
#: (weighted by hand: one_of would favour its simplest branch).
_TEXT = st.integers(0, 9).flatmap(
    lambda n: (
        _VALID_TEXT
        if n < 8
        else st.text(st.sampled_from([*_MARKUP, *_FORBIDDEN]), min_size=1, max_size=8)
        if n == 8
        else st.text(min_size=1, max_size=12)
    )
)
_GOOD_URL = st.text(st.sampled_from([*"abc/?=&%()~_-.", *_MARKUP]), max_size=16).map(
    lambda t: "https://example.org/" + "".join(t.split())
)
# Three in four URLs are valid (one_of would favour its simplest branch).
_URL = st.integers(0, 3).flatmap(lambda n: _TEXT if n == 0 else _GOOD_URL)
_LINK = st.fixed_dictionaries({"kind": st.sampled_from(["paper", "code", "pper"]), "url": _URL})
#: Text on several lines, as a YAML block scalar gives it.
_LINES = st.lists(_VALID_TEXT, min_size=2, max_size=3).map("\n".join)
#: The validator's own wording, which no message may carry.
_VALIDATOR_WORDING = (
    "Input should",
    "valid tuple",
    "Field required",
    "Value error",
    "String should",
)
_ENTRY = st.fixed_dictionaries(
    {
        "id": st.from_regex(r"[a-z][a-z0-9-]{0,12}", fullmatch=True).map(lambda s: f"h-{s}"),
        "title": _TEXT,
        # A link as a mapping, or (as people write them by hand) its URL alone; a list of
        # them, or the one link without a list.
        "links": st.one_of(
            st.lists(_LINK, min_size=1, max_size=2), _URL, st.lists(_URL, min_size=1, max_size=2)
        ),
        "memberships": st.just([{"domain": "pathology", "section": "segmentation"}]),
    },
    optional={
        "model": _TEXT,
        "notes": st.one_of(st.lists(_TEXT, max_size=2), _TEXT, _LINES),
        "venue": _TEXT,
        "year": st.integers(0, 5).flatmap(
            lambda n: [st.integers(), st.booleans(), _TEXT][n] if n < 3 else st.integers(1950, 2026)
        ),
        "aliases": st.lists(st.from_regex(r"[A-Za-z][\w .+-]{0,10}", fullmatch=True), max_size=2),
        "kind": st.sampled_from(["model", "benchmark", "dataset", "survey", "nonsense"]),
    },
)


def _checked_outputs(papers: tuple[Paper, ...], catalogue: fm_papers.Catalogue) -> None:
    """Every format of ``papers`` parses and gives the data back."""
    from fm_papers.formats import render

    assert json.loads(render("json", papers, catalogue)) == [
        p.model_dump(mode="json") for p in papers
    ]
    entries = yaml.safe_load(render("yaml", papers, catalogue)) or {"papers": []}
    assert [Paper.model_validate(e) for e in entries["papers"]] == list(papers)
    for row in list(csv.reader(io.StringIO(render("csv", papers, catalogue))))[1:]:
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row)
    bib = parse_string(render("bibtex", papers, catalogue), "bibtex")
    assert list(bib.entries) == [p.id for p in papers]
    markdown = render("markdown", papers, catalogue)
    allowed = {"h1", "h2", "h3", "h4", "h5", "h6", "p", "ul", "ol", "li", "a", "strong"}
    _no_live_markup(MarkdownIt("commonmark", {"html": True}).render(markdown), allowed)
    titles = [e.title for e in parse_markdown(markdown, "m.md").entries]
    assert sorted(titles) == sorted(p.title for p in papers)
    assert find_forbidden(render("table", papers, catalogue)) is None


@given(entries=st.lists(_ENTRY, max_size=3, unique_by=lambda e: e["id"]))
def test_any_overlay_is_a_located_problem_or_round_trips(
    entries: list[dict[str, object]], tmp_path: Path
) -> None:
    path = tmp_path / "overlay.yaml"
    path.write_text(yaml.safe_dump({"papers": entries}, allow_unicode=True), encoding="utf-8")
    target = tmp_path / "export.json"
    target.unlink(missing_ok=True)
    try:
        catalogue = fm_papers.load(extra=[path])
    except DataError as error:
        event("refused")
        assert error.problems
        for problem in error.problems:
            assert str(problem).startswith(f"{path}:"), problem
            assert problem.line is not None, problem
            assert not any(words in problem.message for words in _VALIDATOR_WORDING), problem
        assert main(["export", "--format", "json", "--extra", str(path), "-o", str(target)]) == 1
        assert not target.exists()
        return
    event("loaded" if entries else "empty")
    papers = catalogue.query(ids=[str(e["id"]) for e in entries]) if entries else ()
    _checked_outputs(papers, catalogue)


def test_the_security_policy_states_the_limits_the_code_enforces() -> None:
    policy = (Path(__file__).resolve().parent.parent / "SECURITY.md").read_text(encoding="utf-8")
    assert f"at most {MAX_FILE_BYTES:,} bytes" in policy
    assert f"at most {MAX_DEPTH} levels of collections" in policy
    assert f"add at most {MAX_ALIAS_NODES:,} nodes" in policy
