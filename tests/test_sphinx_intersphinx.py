"""Paper rows as Sphinx objects: ``objects.inv``, ``:any:``, ``:fm-papers:paper:`` and
intersphinx between two projects.

Project A (``test-intersphinx-lab``) shows a lab's papers; project B links to them through
A's ``objects.inv``, read from a local file so that the tests run offline: with the extension
(``test-intersphinx-reader``) and without it (``test-intersphinx-plain``). Every project uses
a small overlay without the shipped catalogue, so the expectations are exact.
"""

from __future__ import annotations

import posixpath
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from docutils.parsers.rst import roles
from sphinx.testing.util import SphinxTestApp
from sphinx.util.console import strip_escape_sequences
from sphinx.util.inventory import InventoryFile

import fm_papers
from fm_papers.sphinxext.domain import FmPapersDomain
from fm_papers.sphinxext.role import PaperRole

LAB = "https://lab.example.org/"
#: The ``build`` fixture of conftest.py: ``build(files, buildername)`` gives ``(app, warnings)``.
Build = Callable[..., tuple[SphinxTestApp, str]]
#: Sphinx's ``make_app`` fixture (as conftest.py wraps it).
MakeApp = Callable[..., SphinxTestApp]
#: The ``code_blocks`` fixture of conftest.py.
CodeBlocks = Callable[[str, str], list[str]]

#: What A's objects.inv lists as papers: id -> (URI, display name). p-atlas is shown on
#: index and reading (the first page by name wins), p-hidden on no page.
LAB_PAPERS = {
    "p-atlas": ("index.html#fm-paper-p-atlas", "LabAtlas (2025)"),
    "p-both": ("reading.html#fm-paper-p-both", "BothNet (2023)"),
    "p-gene": ("reading.html#fm-paper-p-gene", "GeneNet (2024)"),
    "p-plain": ("index.html#fm-paper-p-plain", "A plain title"),
}


class _Links(HTMLParser):
    """Each ``<li>`` of a page by its label ("gene: ..."): its links as (href, class, text),
    or its text when it holds no link."""

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[str, list[tuple[str, str, str]] | str] = {}
        self._item: list[str] | None = None
        self._links: list[tuple[str, str, str]] = []
        self._link: list[str] | None = None
        self._body = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "li":
            self._item, self._links, self._body = [], [], False
        elif tag == "p" and self._item is not None:
            self._body = True  # an item of the page's text, not of the sidebar
        elif tag == "a" and self._item is not None:
            found = dict(attrs)
            self._link = [found.get("href") or "", found.get("class") or "", ""]

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._link is not None:
            self._links.append((self._link[0], self._link[1], self._link[2]))
            self._link = None
        elif tag == "li" and self._item is not None:
            label, _, rest = "".join(self._item).partition(": ")
            if self._body:
                self.items[label] = self._links or rest.strip()
            self._item = None

    def handle_data(self, data: str) -> None:
        if self._item is not None:
            self._item.append(data)
        if self._link is not None:
            self._link[2] += data


def _items(path: Path) -> dict[str, list[tuple[str, str, str]] | str]:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.items


def _papers(inventory: Path) -> dict[str, tuple[str, str]]:
    """The ``fm-papers:paper`` entries of an ``objects.inv``: id -> (URI, display name)."""
    with inventory.open("rb") as stream:
        data = InventoryFile.load(stream, "", posixpath.join)
    found = {}
    for name, item in data.get("fm-papers:paper", {}).items():
        if isinstance(item, tuple):  # (project, version, uri, display name) before Sphinx 8
            uri, display = item[2], item[3]
        else:
            uri, display = item.uri, item.display_name
        found[name] = (uri, display)
    return found


def _copy(rootdir: Path, tmp_path: Path, name: str) -> Path:
    srcdir = tmp_path / name
    shutil.copytree(rootdir / f"test-intersphinx-{name}", srcdir)
    return srcdir


def _build(
    make_app: MakeApp, srcdir: Path, buildername: str = "html", **kwargs: object
) -> SphinxTestApp:
    app: SphinxTestApp = make_app(buildername, srcdir=srcdir, **kwargs)
    app.build()
    return app


def _warnings(app: SphinxTestApp) -> str:
    return strip_escape_sequences(app.warning.getvalue()).replace(str(app.srcdir), "SRC")


@pytest.fixture
def lab(make_app: MakeApp, rootdir: Path, tmp_path: Path) -> Path:
    """Build project A; return its ``objects.inv``."""
    app = _build(make_app, _copy(rootdir, tmp_path, "lab"), freshenv=True)
    assert _warnings(app) == ""
    app.cleanup()  # unregister its nodes and roles before the next app registers them
    return Path(app.outdir) / "objects.inv"


def _mapping(inventory: Path) -> dict[str, object]:
    return {"intersphinx_mapping": {"lab": (LAB, str(inventory))}}


def test_objects_inv_lists_each_shown_paper_at_its_row(lab: Path) -> None:
    assert _papers(lab) == LAB_PAPERS
    # What `python -m sphinx.ext.intersphinx objects.inv` prints.
    printed = subprocess.run(
        [sys.executable, "-m", "sphinx.ext.intersphinx", str(lab)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    section = printed[printed.index("fm-papers:paper") + 1 :][: len(LAB_PAPERS)]
    assert [line.split() for line in section] == [
        ["p-atlas", "LabAtlas", "(2025)", ":", "index.html#fm-paper-p-atlas"],
        ["p-both", "BothNet", "(2023)", ":", "reading.html#fm-paper-p-both"],
        ["p-gene", "GeneNet", "(2024)", ":", "reading.html#fm-paper-p-gene"],
        ["p-plain", "A", "plain", "title", ":", "index.html#fm-paper-p-plain"],
    ]


@pytest.mark.sphinx("html", testroot="intersphinx-lab", freshenv=True)
def test_role_domain_role_and_any_in_one_project(app: SphinxTestApp) -> None:
    app.build()
    assert _warnings(app) == ""
    internal, external = "reference internal", "reference external"
    assert _items(app.outdir / "notes.html") == {
        "role": [("reading.html#fm-paper-p-gene", internal, "GeneNet (2024)")],
        "short": [("index.html#fm-paper-p-atlas", internal, "LabAtlas (2025)")],
        "alias": [("reading.html#fm-paper-p-gene", internal, "GeneNet (2024)")],
        "any": [("reading.html#fm-paper-p-gene", internal, "GeneNet (2024)")],
        "any-explicit": [("index.html#fm-paper-p-atlas", internal, "our atlas")],
        "hidden": [("https://example.org/hidden", external, "Hidden (2022)")],
    }
    # :any: gives the role's text, in the role's class, and not the blocks' class "fm-papers"
    # that Sphinx would add to the link's first child.
    html = (app.outdir / "notes.html").read_text(encoding="utf-8")
    assert 'title="p-gene"><span><span class="fm-paper-cite">GeneNet (2024)</span></span>' in html
    assert 'class="fm-papers' not in html
    # One role, under two names: the short one and the domain's.
    domain = app.env.domains["fm-papers"]
    assert isinstance(domain, FmPapersDomain)
    assert type(domain.roles["paper"]) is PaperRole
    registered = roles._roles  # type: ignore[attr-defined]  # docutils' private registry: no stub
    assert type(registered["fm-paper"]) is PaperRole
    assert domain.object_types["paper"].roles == ("paper",)
    objects = sorted(domain.get_objects())
    assert [(name, docname, anchor, prio) for name, _, _, docname, anchor, prio in objects] == [
        ("p-atlas", "index", "fm-paper-p-atlas", -1),
        ("p-both", "reading", "fm-paper-p-both", -1),
        ("p-gene", "reading", "fm-paper-p-gene", -1),
        ("p-plain", "index", "fm-paper-p-plain", -1),
    ]


def test_any_finds_ids_only(build: Build) -> None:
    """``:any:`` takes ids as objects.inv lists them: not aliases, not model names."""
    conf = (
        'extensions = ["fm_papers.sphinxext"]\n'
        'fm_papers_extra_files = ["lab.yaml"]\n'
        "fm_papers_include_builtin = False\n"
    )
    lab_yaml = (Path(__file__).parent / "roots" / "test-intersphinx-lab" / "lab.yaml").read_text()
    page = (
        "Page\n====\n\n.. fm-papers::\n   :ids: p-gene\n\n"
        "- id: :any:`p-gene`\n- alias: :any:`genenet-v1`\n- name: :any:`GeneNet`\n"
    )
    app, warnings = build({"conf.py": conf, "lab.yaml": lab_yaml, "index.rst": page})
    assert warnings.splitlines() == [
        "SRC/index.rst:8: WARNING: 'any' reference target not found: genenet-v1 [ref.any]",
        "SRC/index.rst:9: WARNING: 'any' reference target not found: GeneNet [ref.any]",
    ]
    items = _items(app.outdir / "index.html")
    assert items["id"] == [("#fm-paper-p-gene", "reference internal", "GeneNet (2024)")]
    assert items["alias"] == "genenet-v1"


def test_reader_links_to_its_rows_then_the_labs_then_the_paper(
    make_app: MakeApp, rootdir: Path, tmp_path: Path, lab: Path
) -> None:
    """Project B, with the extension: a row of its own > a row in A > the paper's URL."""
    app = _build(
        make_app, _copy(rootdir, tmp_path, "reader"), freshenv=True, confoverrides=_mapping(lab)
    )
    assert _warnings(app) == ""
    internal, external = "reference internal", "reference external"
    assert _items(app.outdir / "index.html") == {
        # Known to B, shown by A only.
        "gene": [(LAB + "reading.html#fm-paper-p-gene", external, "GeneNet (2024)")],
        # Shown by both: B's own row.
        "both": [("shown.html#fm-paper-p-both", internal, "BothNet (2023)")],
        "own": [("#fm-paper-p-own", internal, "OwnNet (2025)")],
        # Shown by neither: the paper itself.
        "hidden": [("https://example.org/hidden", external, "Hidden (2022)")],
        # Not in B's catalogue but in A's inventory: A's display name.
        "atlas": [(LAB + "index.html#fm-paper-p-atlas", external, "LabAtlas (2025)")],
        "external": [(LAB + "reading.html#fm-paper-p-gene", external, "GeneNet (2024)")],
        "external-alias": [(LAB + "reading.html#fm-paper-p-gene", external, "the gene paper")],
        "any-remote": [(LAB + "index.html#fm-paper-p-atlas", external, "LabAtlas (2025)")],
        "any-local": [("#fm-paper-p-own", internal, "OwnNet (2025)")],
    }
    # B lists only what B shows.
    assert _papers(Path(app.outdir) / "objects.inv") == {
        "p-both": ("shown.html#fm-paper-p-both", "BothNet (2023)"),
        "p-own": ("index.html#fm-paper-p-own", "OwnNet (2025)"),
    }


def test_reader_without_the_extension_cannot_name_the_domain(
    make_app: MakeApp, rootdir: Path, tmp_path: Path, lab: Path
) -> None:
    """Intersphinx looks objects up through the reading project's own domains: without
    fm_papers.sphinxext, B has no ``fm-papers`` domain, so neither ``:external:`` nor
    ``:any:`` reaches A's papers. A's pages are still reachable as documents."""
    app = _build(
        make_app, _copy(rootdir, tmp_path, "plain"), freshenv=True, confoverrides=_mapping(lab)
    )
    warnings = _warnings(app)
    assert "SRC/index.rst:4: WARNING: domain for external cross-reference not found: " in warnings
    assert "SRC/index.rst:5: WARNING: 'any' reference target not found: p-gene" in warnings
    items = _items(app.outdir / "index.html")
    assert items["external"] == ""
    assert items["any"] == "p-gene"
    assert items["page"] == [(LAB + "reading.html", "reference external", "Reading")]


def test_a_page_that_stops_showing_a_paper_loses_its_object(
    make_app: MakeApp, rootdir: Path, tmp_path: Path
) -> None:
    srcdir = _copy(rootdir, tmp_path, "lab")
    app = _build(make_app, srcdir, freshenv=True)
    app.cleanup()
    index, reading = srcdir / "index.rst", srcdir / "reading.rst"
    index.write_text(index.read_text().replace(":ids: p-atlas, p-plain", ":ids: p-plain"))
    reading.write_text(reading.read_text().replace(", p-gene,", ","))
    app = _build(make_app, srcdir)  # incremental: index and reading are read again
    # notes is written again (its citations moved) and :any:`p-gene` has no target left.
    assert _warnings(app) == (
        "SRC/notes.rst:7: WARNING: 'any' reference target not found: p-gene [ref.any]\n"
    )
    assert _papers(Path(app.outdir) / "objects.inv") == {
        "p-atlas": ("reading.html#fm-paper-p-atlas", "LabAtlas (2025)"),
        "p-both": ("reading.html#fm-paper-p-both", "BothNet (2023)"),
        "p-plain": ("index.html#fm-paper-p-plain", "A plain title"),
    }
    domain = app.env.domains["fm-papers"]
    assert isinstance(domain, FmPapersDomain)
    assert sorted(domain.names) == ["p-atlas", "p-both", "p-plain"]
    items = _items(app.outdir / "notes.html")
    assert items["role"] == [("https://example.org/gene", "reference external", "GeneNet (2024)")]
    assert items["short"] == [
        ("reading.html#fm-paper-p-atlas", "reference internal", "LabAtlas (2025)")
    ]


@pytest.mark.slow
def test_parallel_reads_list_the_same_objects(
    make_app: MakeApp, rootdir: Path, tmp_path: Path
) -> None:
    """Objects collected by parallel readers are merged: -j 2 lists what -j 1 lists."""
    inventories = []
    for parallel in (1, 2):
        srcdir = tmp_path / f"parallel-{parallel}"
        shutil.copytree(rootdir / "test-parallel", srcdir)
        app = _build(make_app, srcdir, freshenv=True, parallel=parallel)
        assert _warnings(app) == ""
        inventories.append(_papers(Path(app.outdir) / "objects.inv"))
        domain = app.env.domains["fm-papers"]
        assert isinstance(domain, FmPapersDomain)
        assert set(domain.names) == set(domain.rows) == set(inventories[-1])
        app.cleanup()
    assert inventories[0] == inventories[1]
    # A paper shown on several pages is listed at the first of them by name: scgpt is shown by
    # its section's page and by page6's :ids:.
    catalogue = fm_papers.load()
    scgpt = catalogue.get("scgpt")
    by_section = [
        page.stem
        for page in sorted((rootdir / "test-parallel").glob("page*.rst"))
        for section in re.findall(r":section: (\S+)", page.read_text(encoding="utf-8"))
        if scgpt in catalogue.query(section=section)
    ]
    assert by_section and by_section[0] < "page6"
    cite = f"{scgpt.short_name} ({scgpt.year})"
    assert inventories[0]["scgpt"] == (f"{by_section[0]}.html#fm-paper-scgpt", cite)


@pytest.mark.parametrize("buildername", ["text", "man", "latex", "epub"])
def test_other_builders_are_unchanged(
    make_app: MakeApp, rootdir: Path, tmp_path: Path, buildername: str
) -> None:
    # EPUB 3 wants a version and a copyright.
    conf = {"version": "1", "epub_copyright": "Lab"} if buildername == "epub" else {}
    app = _build(
        make_app, _copy(rootdir, tmp_path, "lab"), buildername, freshenv=True, confoverrides=conf
    )
    assert _warnings(app) == ""
    if buildername == "text":
        notes = (Path(app.outdir) / "notes.txt").read_text(encoding="utf-8")
        assert "* role: GeneNet (2024)" in notes
        assert "* any: GeneNet (2024)" in notes


#: The manual's "Intersphinx" section.
MANUAL = (
    (Path(__file__).parents[1] / "example_docs" / "integrations.rst")
    .read_text(encoding="utf-8")
    .split("\nIntersphinx\n", 1)[1]
    .split("\nRead the Docs\n", 1)[0]
)


@pytest.mark.parametrize(("language", "page"), [("rst", "index.rst"), ("md", "index.md")])
def test_the_manuals_intersphinx_example_links_to_the_labs_row(
    build: Build, code_blocks: CodeBlocks, language: str, page: str
) -> None:
    """The manual's conf.py and references, as written, against a lab showing scgpt."""
    lab_app, warnings = build({"index.rst": "Lab\n===\n\n.. fm-papers::\n   :ids: scgpt\n"})
    assert warnings == ""
    inventory = Path(lab_app.outdir) / "objects.inv"
    (conf,) = code_blocks(MANUAL, "python")
    settings: dict[str, Any] = {}
    exec(conf, settings)  # noqa: S102 - the manual's own example
    mapping = {
        name: (uri, str(inventory)) for name, (uri, _) in settings["intersphinx_mapping"].items()
    }
    extensions = [*settings["extensions"], "myst_parser"]
    (text,) = code_blocks(MANUAL, language)
    title = "Reader\n======\n\n" if language == "rst" else "# Reader\n\n"
    app, warnings = build(
        {
            "conf.py": f"extensions = {extensions!r}\n",
            page: title + text,
        },
        confoverrides={"intersphinx_mapping": mapping},
    )
    assert warnings == ""
    html = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    hrefs = re.findall(r'<a class="reference external" href="([^"]*)"', html)
    assert hrefs == ["https://lab.example.org/index.html#fm-paper-scgpt"] * 3


def test_any_links_follow_a_moved_row_and_a_changed_name(make_app: MakeApp, tmp_path: Path) -> None:
    """A page whose only reference to a paper is ``:any:`` is written again, without being
    read, when the row moves to another page or the paper's text changes."""
    srcdir = tmp_path / "moves"
    srcdir.mkdir()
    lab = Path(__file__).parent / "roots" / "test-intersphinx-lab"
    for name in ("conf.py", "lab.yaml"):
        shutil.copy(lab / name, srcdir)
    block = ".. fm-papers::\n   :ids: p-gene\n"
    pages = {
        "index": "Index\n=====\n\n.. toctree::\n\n   a\n   b\n   c\n",
        "a": "A\n=\n\n" + block,
        "b": "B\n=\n\n- any: :any:`p-gene`\n",
        "c": "C\n=\n",
    }
    for name, text in pages.items():
        (srcdir / f"{name}.rst").write_text(text, encoding="utf-8")
    app = _build(make_app, srcdir, freshenv=True)
    assert _warnings(app) == ""
    assert _items(app.outdir / "b.html")["any"] == [
        ("a.html#fm-paper-p-gene", "reference internal", "GeneNet (2024)")
    ]
    app.cleanup()
    (srcdir / "a.rst").write_text("A\n=\n", encoding="utf-8")
    (srcdir / "c.rst").write_text("C\n=\n\n" + block, encoding="utf-8")
    app = _build(make_app, srcdir)
    assert _warnings(app) == ""
    assert _items(app.outdir / "b.html")["any"] == [
        ("c.html#fm-paper-p-gene", "reference internal", "GeneNet (2024)")
    ]
    app.cleanup()
    overlay = srcdir / "lab.yaml"
    overlay.write_text(overlay.read_text().replace("year: 2024", "year: 2023"), encoding="utf-8")
    app = _build(make_app, srcdir)
    assert _warnings(app) == ""
    assert _items(app.outdir / "b.html")["any"] == [
        ("c.html#fm-paper-p-gene", "reference internal", "GeneNet (2023)")
    ]
