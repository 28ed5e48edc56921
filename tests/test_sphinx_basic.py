"""The ``fm-papers`` directive, role and statistics on the ``basic`` test root (HTML)."""

from __future__ import annotations

import re
from collections.abc import Callable
from io import StringIO

import pytest
from docutils import nodes
from sphinx.testing.util import SphinxTestApp

import fm_papers

#: The ``build`` fixture of conftest.py: ``build(files, buildername)`` gives ``(app, warnings)``.
Build = Callable[..., tuple[SphinxTestApp, str]]


@pytest.mark.sphinx("html", testroot="basic", freshenv=True)
def test_basic_html(app: SphinxTestApp, warning: StringIO) -> None:
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
    # The link's tooltip is the paper's title.
    cellvit = _attr(fm_papers.load().get("cellvit").title)
    assert (
        f'href="#fm-paper-cellvit" title="{cellvit}"><span class="fm-paper-cite">CellViT (2024)'
        in index
    )
    # scgpt's row is on index, so other.html links there; geneformer is shown nowhere.
    assert 'href="index.html#fm-paper-scgpt"' in other
    geneformer = fm_papers.load().get("geneformer")
    assert (
        f'href="{geneformer.url}" title="{_attr(geneformer.title)}">'
        '<span class="fm-paper-cite">a paper<' in other
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


ALIASES = """\
Aliases
=======

.. fm-papers::
   :ids: Prov-GigaPath, conch, general-purpose-foundation-2024
   :sort:
   :columns: title, model, kind

.. fm-papers::
   :domain: pathology
   :kind: benchmark, dataset
   :group-by: kind
   :layout: list
   :columns: title, kind

:fm-paper:`general-purpose-foundation-2024` and :fm-paper:`Prov-GigaPath`,
:fm-paper:`the plip paper <visual-language-foundation-2023>`.
"""


def test_aliases_and_names_resolve_in_the_directive_and_role(build: Build) -> None:
    app, warnings = build({"index.rst": ALIASES})
    assert warnings == ""
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    first = html[: html.index("</table>")]
    rows = re.findall(r'<tr class="fm-papers-item[^"]*" id="fm-paper-([a-z0-9-]+)"', first)
    assert rows == ["prov-gigapath", "conch", "uni"]
    headers = re.findall(r'<th class="head fm-col-([a-z-]+)"><p>([^<]*)</p></th>', first)
    assert headers == [("title", "Title"), ("model", "Name"), ("kind", "Kind")]
    # Cited by earlier ids and names, the role links to the rows under their ids.
    titles = {i: _attr(fm_papers.load().get(i).title) for i in ("uni", "prov-gigapath", "plip")}
    assert (
        f'href="#fm-paper-uni" title="{titles["uni"]}"><span class="fm-paper-cite">UNI (2024)'
    ) in html
    assert (
        f'href="#fm-paper-prov-gigapath" title="{titles["prov-gigapath"]}">'
        '<span class="fm-paper-cite">Prov-GigaPath (2024)'
    ) in html
    plip = fm_papers.load().get("plip")
    assert (
        f'href="{plip.url}" title="{titles["plip"]}"><span class="fm-paper-cite">the plip paper<'
    ) in html
    # :kind: filters, :group-by: kind groups in the kinds' order.
    catalogue = fm_papers.load()
    expected = {
        kind: [p.id for p in catalogue.query(domain="pathology", kind=kind, sort="-year,title")]
        for kind in ("benchmark", "dataset")
    }
    second = html[html.index('class="fm-papers fm-layout-list') :]
    groups = re.findall(r'class="fm-papers-group fm-group-([a-z]+)[" ]', second)
    assert groups == [kind for kind, ids in expected.items() if ids]
    items = re.findall(
        r'<li class="fm-papers-item[^"]*fm-kind-([a-z]+)[^"]*" id="fm-paper-([a-z0-9-]+)"', second
    )
    assert [paper_id for _, paper_id in items] == [*expected["benchmark"], *expected["dataset"]]
    assert {kind for kind, _ in items} == {"benchmark", "dataset"}


#: The names the catalogue issue asked to find, written as people write them in their pages.
LANDMARKS = [
    "uni",
    "conch",
    "prov-gigapath",
    "virchow",
    "chief",
    "musk",
    "hipt",
    "gpfm",
    "mstar",
    "state",
    "scmformer",
    "histogpt",
]


def test_the_role_finds_landmark_models_by_their_names(build: Build) -> None:
    text = "Landmarks\n=========\n\n" + " ".join(f":fm-paper:`{name}`" for name in LANDMARKS)
    app, warnings = build({"index.rst": text + "\n"})
    assert warnings == ""
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    catalogue = fm_papers.load()
    for name in LANDMARKS:
        paper = catalogue.get(name)
        cite = f"{paper.model} ({paper.year})"
        title = _attr(paper.title)
        assert f'href="{paper.url}" title="{title}"><span class="fm-paper-cite">{cite}<' in html


def _attr(text: str) -> str:
    """``text`` as docutils writes an HTML attribute's value."""
    for char, entity in (
        ("&", "&amp;"),
        ("<", "&lt;"),
        ('"', "&quot;"),
        (">", "&gt;"),
        ("@", "&#64;"),
    ):
        text = text.replace(char, entity)
    return text
