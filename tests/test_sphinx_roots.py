"""Overlays, MyST Markdown, sphinx-design cards and untrusted text, on their own test roots."""

from __future__ import annotations

import re
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
    # Without the shipped data, the overlay's domain is unknown and scgpt, which it extends,
    # is defined nowhere: one located error each, and no table shows a partial catalogue.
    lab = app.srcdir / "lab.yaml"
    assert strip(app.warning.getvalue()).splitlines() == [
        (
            f"{lab}:14: ERROR: entry 'lab-cellatlas': memberships.0.domain: unknown domain "
            "'single-cell' [fm_papers.data]"
        ),
        (
            f"{lab}:16: ERROR: entry 'scgpt': id: 'extend: true' names no entry defined before "
            "it [fm_papers.data]"
        ),
    ]
    assert "fm-papers-item" not in (app.outdir / "index.html").read_text(encoding="utf-8")


def strip(text: str) -> str:
    from sphinx.util.console import strip_escape_sequences

    return strip_escape_sequences(text)


@pytest.mark.sphinx("html", testroot="myst", freshenv=True)
def test_myst(app: SphinxTestApp) -> None:
    app.build()
    assert app.warning.getvalue() == ""
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    expected = [p.id for p in fm_papers.load().query(section="segmentation", sort="-year,title")]
    table = html[html.index('id="myst-table"') : html.index("</table>")]
    rows = re.findall(r'<tr class="fm-papers-item[^"]*" id="fm-paper-([a-z0-9-]+)"', table)
    assert rows == expected
    assert '<span class="caption-text">Segmentation, from Markdown</span>' in html
    assert 'href="#fm-paper-cellvit"' in html
    assert str(fm_papers.load().get("scgpt").url) in html
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
    """Each card is its title, then a "Label: value" line per non-empty column (the default
    columns: name, venue, year, links), with every address numbered after the block."""
    app.build()
    assert app.warning.getvalue() == ""
    text = (app.outdir / "index.txt").read_text(encoding="utf-8")
    papers = fm_papers.load().query(section="segmentation", sort="-year,title", limit=3)
    expected, addresses = ["Cards", "*****"], []
    for paper in papers:
        addresses.append(paper.url)
        expected.append(f"{paper.title} [{len(addresses)}]")
        for label, value in (("Name", paper.model), ("Venue", paper.venue), ("Year", paper.year)):
            if value is not None:
                expected.append(f"{label}: {value}")
        links = []
        for link in paper.links:
            if link.url != paper.url:  # the title links the paper
                addresses.append(link.url)
                links.append(f"{link.kind} [{len(addresses)}]")
        if links:
            expected.append("Links: " + ", ".join(links))
    expected += [f"[{n}] {url}" for n, url in enumerate(addresses, 1)]
    # The text writer wraps long lines at spaces and after hyphens ("Whole-" / "Slide"):
    # compare the pieces it cannot break.
    assert _unbreakable(text) == _unbreakable(" ".join(expected))


def _unbreakable(text: str) -> list[str]:
    """The pieces of ``text`` a wrapping writer keeps whole: split at spaces, after hyphens."""
    return [piece for piece in re.split(r"\s+|(?<=-)", text) if piece]
