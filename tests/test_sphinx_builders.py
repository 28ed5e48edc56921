"""Every builder renders the directive, role and statistics, with no warning."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree

import pytest
from sphinx.testing.util import SphinxTestApp

import fm_papers

#: Sphinx's ``make_app`` fixture (as conftest.py wraps it).
MakeApp = Callable[..., SphinxTestApp]
BUILDERS = ["html", "dirhtml", "singlehtml", "latex", "text", "man", "epub", "texinfo"]


@pytest.mark.slow
@pytest.mark.parametrize("buildername", BUILDERS)
def test_every_builder(make_app: MakeApp, rootdir: Path, tmp_path: Path, buildername: str) -> None:
    import shutil

    srcdir = tmp_path / "basic"
    shutil.copytree(rootdir / "test-basic", srcdir)
    app: SphinxTestApp = make_app(buildername, srcdir=srcdir, freshenv=True)
    app.build()
    assert app.warning.getvalue() == ""
    written = "\n".join(
        path.read_text(encoding="utf-8", errors="replace")
        for path in app.outdir.rglob("*")
        if path.suffix in {".html", ".xhtml", ".tex", ".txt", ".1", ".texi"}
    )
    cellvit = fm_papers.load().get("cellvit")
    assert f"{cellvit.short_name} ({cellvit.year})" in written  # the citation
    # The title, as long a part as every writer keeps on one line.
    assert " ".join(cellvit.title.split()[1:7]) in written
    static = app.outdir / "_static" / "fm-papers.css"
    assert static.exists() == (app.builder.format == "html")
    if buildername == "latex":
        tex = next(app.outdir.glob("*.tex")).read_text(encoding="utf-8")
        # Row anchors become labels, so citations on other pages reach them.
        assert r"\phantomsection\label{\detokenize{index:fm-paper-cellvit}}" in tex
        assert rf"\sphinxhref{{{cellvit.url}}}" in tex
    if buildername == "epub":
        # EPUB readers need well-formed XHTML: the scroll boxes, cards and charts included.
        for page in app.outdir.glob("*.xhtml"):
            ElementTree.parse(page)  # noqa: S314 (this build's own output)
    if buildername == "singlehtml":
        assert "fm-papers.css" in (app.outdir / "index.html").read_text(encoding="utf-8")


def test_singlehtml_gives_every_row_its_own_id(
    build: Callable[..., tuple[SphinxTestApp, str]],
) -> None:
    """Under singlehtml every page is one: a paper shown on three pages has three rows with
    three ids, and a citation links to the row its page would (the first page by name)."""
    shown = ".. fm-papers::\n   :ids: uni\n"
    app, warnings = build(
        {
            "index.rst": "Home\n====\n\nCiting :fm-paper:`uni`.\n\n"
            + shown
            + "\n.. toctree::\n\n   a\n   b\n",
            "a.rst": "A\n=\n\n" + shown,
            "b.rst": "B\n=\n\n" + shown,
        },
        "singlehtml",
    )
    assert warnings == ""
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "an id given twice"
    rows = re.findall(r'<tr class="fm-papers-item[^"]*" id="([^"]+)"', html)
    assert rows == ["index--fm-paper-uni", "a--fm-paper-uni", "b--fm-paper-uni"]
    (target,) = re.findall(r'href="#([^"]+)"[^>]*><span class="[^"]*fm-paper-cite', html)
    assert target == "index--fm-paper-uni"  # shown on the citing page: that row
