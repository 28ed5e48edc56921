"""Citing the catalogue with sphinxcontrib-bibtex: ``{cite}`` reaches any paper, shipped or an
overlay's, with no ``.bib`` file kept by hand, in reST and MyST, HTML and LaTeX; a changed
overlay is never stale; ``:any:`` stays unambiguous."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import fm_papers

Build = Callable[..., tuple[Any, str]]
CodeBlocks = Callable[[str, str], list[str]]
DOCS = Path(__file__).resolve().parent.parent / "example_docs"

CONF = 'extensions = ["fm_papers.sphinxext", "sphinxcontrib.bibtex", "myst_parser"]\n'
LAB = """\
papers:
  - id: lab-atlas-2026
    title: "LabAtlas: a lab's own model"
    authors: ["Ramos, Tiago", {name: Lab Consortium}]
    year: 2026
    venue: bioRxiv
    links: [{kind: paper, url: "https://example.org/labatlas"}]
    memberships: [{domain: pathology, section: segmentation}]
"""


def _cited() -> list[fm_papers.Paper]:
    """The papers the issue's lecturer cites, UNI and CONCH: each with its authors."""
    papers = [fm_papers.load().get(name) for name in ("uni", "conch")]
    assert all(paper.authors for paper in papers)
    return papers


def _example(code_blocks: CodeBlocks, language: str) -> str:
    """The manual's example of citing (the integrations page), as written there."""
    text = (DOCS / "integrations.rst").read_text(encoding="utf-8")
    (block,) = [b for b in code_blocks(text, language) if "cite" in b]
    return block


@pytest.mark.parametrize(("name", "language"), [("index.rst", "rst"), ("index.md", "md")])
@pytest.mark.parametrize("builder", ["html", "latex"])
def test_cite_any_shipped_paper_with_no_bib_file(
    build: Build, code_blocks: CodeBlocks, name: str, language: str, builder: str
) -> None:
    (conf,) = [
        b
        for b in code_blocks((DOCS / "integrations.rst").read_text("utf-8"), "python")
        if "sphinxcontrib.bibtex" in b
    ]
    title = "Course\n======\n\n" if language == "rst" else "# Course\n\n"
    page = title + _example(code_blocks, language)
    app, warnings = build(
        {"conf.py": conf + 'extensions.append("myst_parser")\n', name: page}, builder
    )
    assert warnings == ""
    out = (
        (app.outdir / "index.html").read_text(encoding="utf-8")
        if builder == "html"
        else next(app.outdir.glob("*.tex")).read_text(encoding="utf-8")
    )
    for paper in _cited():
        first, last = paper.authors[0], paper.authors[-1]
        assert first.surname in out and last.surname in out, paper.id
        assert str(paper.year) in out
    assert "missing author" not in out


def test_an_overlay_paper_is_cited_and_never_stale(
    build: Build, make_app: Callable[..., Any]
) -> None:
    files = {
        "conf.py": CONF + 'fm_papers_extra_files = ["lab.yaml"]\n',
        "lab.yaml": LAB,
        "index.rst": "Course\n======\n\nSee :cite:`lab-atlas-2026`.\n\n.. bibliography::\n",
    }
    app, warnings = build(files)
    assert warnings == ""
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    assert "Ramos" in html and "Lab Consortium" in html
    # The overlay changes: the next build (no -E) cites the new authors.
    time.sleep(0.01)
    (app.srcdir / "lab.yaml").write_text(LAB.replace("Ramos, Tiago", "Okafor, Ada"), "utf-8")
    app.cleanup()
    again = make_app("html", srcdir=app.srcdir)
    again.build()
    html = (again.outdir / "index.html").read_text(encoding="utf-8")
    assert "Okafor" in html and "Ramos" not in html
    assert again.warning.getvalue() == ""


def test_any_reaches_the_citation_alone(build: Build) -> None:
    """A paper shown in a table and cited with {cite}: :any: is one target, the citation; the
    fm-paper role still links the row."""
    page = (
        "Course\n======\n\n.. fm-papers::\n   :ids: uni\n\n"
        "See :cite:`uni`, :any:`uni` and :fm-paper:`uni`.\n\n.. bibliography::\n"
    )
    app, warnings = build({"conf.py": CONF, "index.rst": page})
    assert warnings == ""
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    sentence = html[html.index("See ") : html.index("</p>", html.index("See "))]
    cite, any_, role = re.findall(r'<a class="reference internal" href="#([^"]*)"', sentence)
    assert any_ == cite and f'<div class="citation" id="{cite}"' in html
    assert role == "fm-paper-uni"


def test_bibtex_can_be_left_alone(build: Build) -> None:
    conf = CONF + 'fm_papers_bibtex = False\nbibtex_bibfiles = ["refs.bib"]\n'
    app, warnings = build({"conf.py": conf, "refs.bib": "", "index.rst": "Course\n======\n"})
    assert warnings == ""
    assert app.config.bibtex_bibfiles == ["refs.bib"]


def test_a_broken_overlay_gives_no_entries_and_one_located_warning(build: Build) -> None:
    files = {
        "conf.py": CONF + 'fm_papers_extra_files = ["lab.yaml"]\n',
        "lab.yaml": LAB.replace("year: 2026", "year: soon"),
        "index.rst": "Course\n======\n\n.. fm-papers::\n   :ids: uni\n",
    }
    app, warnings = build(files)
    assert re.search(r"lab\.yaml:\d+: .*lab-atlas-2026.*year", warnings), warnings
    bib = (Path(app.doctreedir) / "fm-papers.bib").read_text(encoding="utf-8")
    assert "no entries until they are fixed" in bib and "@" not in bib


def test_the_bib_file_is_written_once_and_listed_once(
    build: Build, make_app: Callable[..., Any]
) -> None:
    from fm_papers.sphinxext.bibtex import add_bibfile

    files = {"conf.py": CONF, "index.rst": "Course\n======\n\nSee :cite:`uni`.\n"}
    app, _ = build(files)
    path = Path(app.doctreedir) / "fm-papers.bib"
    written = path.stat().st_mtime_ns
    app.cleanup()
    again = make_app("html", srcdir=app.srcdir)  # the same data and code: nothing to write
    again.build()
    assert path.stat().st_mtime_ns == written
    # The configuration is the same as the last build's: nothing is read again.
    status = again.status.getvalue()
    assert "bibtex_bibfiles" not in status and "0 changed" in status, status
    add_bibfile(again)  # asked twice (an extension's builder-inited handler runs again)
    assert again.config.bibtex_bibfiles.count(str(path)) == 1
