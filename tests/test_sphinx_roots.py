"""Overlays, MyST Markdown, sphinx-design cards and untrusted text, on their own test roots."""

from __future__ import annotations

from typing import Any

import pytest
from docutils import nodes
from sphinx.testing.util import SphinxTestApp

import fm_papers
from fm_papers.sphinxext.nodes import fm_papers_rows


@pytest.mark.sphinx("html", testroot="overlay", freshenv=True)
def test_overlay_entries_behave_like_shipped_ones(app: SphinxTestApp) -> None:
    app.build()
    assert app.warning.getvalue() == ""
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    # Titles are text: the overlay's markup characters are escaped, never interpreted.
    # Nor are they "improved" with smart quotes.
    assert "Our &lt;b&gt;lab's&lt;/b&gt; *cell atlas* model: `not` markup" in html
    assert "<b>lab" not in html
    assert 'id="fm-paper-lab-cellatlas"' in html
    assert (
        '<a class="fm-link-code reference external" href="https://example.org/lab/cellatlas-code">code</a>'
        in html
    )
    # An extended shipped entry carries the overlay's note.
    assert "Read in the lab's journal club" in html
    data = (app.outdir / "data.html").read_text(encoding="utf-8")
    assert 'href="index.html#fm-paper-lab-cellatlas"' in data
    assert "LabAtlas (2025)" in data


@pytest.mark.sphinx(
    "html", testroot="overlay", freshenv=True, confoverrides={"fm_papers_include_builtin": False}
)
def test_overlay_alone(app: SphinxTestApp) -> None:
    app.build()
    # scgpt is extended by the overlay but not defined without the shipped data.
    assert "scgpt" in strip(app.warning.getvalue())


def strip(text: str) -> str:
    from sphinx.util.console import strip_escape_sequences

    return strip_escape_sequences(text)


@pytest.mark.sphinx("html", testroot="myst", freshenv=True)
def test_myst(app: SphinxTestApp) -> None:
    app.build()
    assert app.warning.getvalue() == ""
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    expected = [p.id for p in fm_papers.load().query(section="segmentation", sort="-year,title")]
    for paper_id in expected:
        assert f'id="fm-paper-{paper_id}"' in html
    assert 'id="myst-table"' in html
    assert '<span class="caption-text">Segmentation, from Markdown</span>' in html
    assert 'href="#fm-paper-cellvit"' in html
    assert fm_papers.load().get("scgpt").url in html
    assert "<svg" in html and "fm-papers-stats-table" in html


@pytest.mark.sphinx("html", testroot="cards", freshenv=True)
def test_cards_use_sphinx_design_in_html(app: SphinxTestApp, resolved_doctree: Any) -> None:
    app.build()
    assert app.warning.getvalue() == ""
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    assert html.count("sd-card sd-sphinx-override") == 3
    assert "sd-card-title" in html and "sd-row" in html
    # The pickled doctree holds only the ids; the cards are built after reading, as plain
    # containers (which every other builder renders) that HTML then dresses as sphinx-design's.
    doctree = app.env.get_doctree("index")
    (placeholder,) = doctree.findall(fm_papers_rows)
    assert len(placeholder["papers"]) == len(placeholder["anchors"]) == 3
    assert not [n for n in doctree.findall(nodes.container) if "fm-papers-card" in n["classes"]]
    resolved = resolved_doctree(app)
    cards = [n for n in resolved.findall(nodes.container) if "fm-papers-card" in n["classes"]]
    assert len(cards) == 3 and all("sd-card" in n["classes"] for n in cards)
    assert not list(resolved.findall(fm_papers_rows))


@pytest.mark.sphinx("text", testroot="cards", freshenv=True)
def test_cards_fallback_in_text(app: SphinxTestApp) -> None:
    app.build()
    text = (app.outdir / "index.txt").read_text(encoding="utf-8")
    first = fm_papers.load().query(section="segmentation", sort="-year,title", limit=1)[0]
    assert first.title in text.replace("\n", " ") or first.title.split()[0] in text
    assert "Year: " in text and "Links: " in text
