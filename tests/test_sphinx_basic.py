"""The ``fm-papers`` directive, role and statistics on the ``basic`` test root (HTML)."""

from __future__ import annotations

import re

import pytest
from docutils import nodes
from sphinx.testing.util import SphinxTestApp

import fm_papers


@pytest.mark.sphinx("html", testroot="basic", freshenv=True)
def test_basic_html(app: SphinxTestApp, warning) -> None:  # type: ignore[no-untyped-def]
    app.build()
    assert warning.getvalue() == ""
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    expected = [p.id for p in fm_papers.load().query(section="segmentation", sort="-year,title")]
    table = html[html.index('id="seg-table"') : html.index("</table>")]
    rows = re.findall(r'<tr class="fm-papers-item[^"]*" id="fm-paper-([a-z0-9-]+)"', table)
    assert rows == expected
    # The caption is numbered and :numref: / :ref: reach the table.
    assert '<span class="caption-text">Segmentation papers</span>' in table
    assert '<a class="reference internal" href="#seg-table"><span class="std std-numref">' in html
    # Titles link to the paper, code links are labelled.
    cellvit = fm_papers.load().get("cellvit")
    assert f'href="{cellvit.url}">{cellvit.title}</a>' in html
    assert (
        f'<a class="fm-link-code reference external" href="{cellvit.code_urls[0]}">code</a>' in html
    )
    # A second table showing the same paper on the page gets a suffixed anchor.
    assert 'id="fm-paper-cellvit-2"' in html
    # Nothing matches: the empty text.
    assert '<p class="fm-papers-empty">No papers match this selection.</p>' in html


@pytest.mark.sphinx("html", testroot="basic", freshenv=True)
def test_role_links_to_rows(app: SphinxTestApp) -> None:
    app.build()
    index = (app.outdir / "index.html").read_text(encoding="utf-8")
    other = (app.outdir / "other.html").read_text(encoding="utf-8")
    assert (
        'href="#fm-paper-cellvit" title="cellvit"><span class="fm-paper-cite">CellViT (2024)'
        in index
    )
    # scgpt's row is on index, so other.html links there; geneformer is shown nowhere.
    assert 'href="index.html#fm-paper-scgpt"' in other
    geneformer = fm_papers.load().get("geneformer")
    assert (
        f'href="{geneformer.url}" title="geneformer"><span class="fm-paper-cite">a paper<' in other
    )


@pytest.mark.sphinx("html", testroot="basic", freshenv=True)
def test_assets_only_where_used(app: SphinxTestApp) -> None:
    app.build()
    assert (app.outdir / "_static" / "fm-papers.css").exists()
    assert "fm-papers.css" in (app.outdir / "index.html").read_text(encoding="utf-8")
    assert "fm-papers.css" in (app.outdir / "other.html").read_text(encoding="utf-8")
    assert "fm-papers.css" not in (app.outdir / "plain.html").read_text(encoding="utf-8")


@pytest.mark.sphinx("html", testroot="basic", freshenv=True)
def test_doctree_is_text_and_standard_nodes(app: SphinxTestApp) -> None:
    app.build()
    doctree = app.env.get_doctree("index")
    wrappers = [n for n in doctree.findall(nodes.container) if "fm-papers" in n["classes"]]
    assert len(wrappers) == 5
    table = next(doctree.findall(nodes.table))
    assert table["ids"] == ["seg-table"]
    stats = wrappers[-1]
    assert "fm-papers-stats" in stats["classes"]
    raw = next(stats.findall(nodes.raw))
    assert raw["format"] == "html" and raw.astext().startswith("<svg")
