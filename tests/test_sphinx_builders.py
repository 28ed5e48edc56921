"""Every builder renders the directive, role and statistics, with no warning."""

from __future__ import annotations

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
