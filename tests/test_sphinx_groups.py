"""``:group-by: domain`` and ``:group-by: venue-kind`` through a real Sphinx build (HTML).

Each group is a box with its heading (a rubric above its table, list or cards) and the rows
of its papers; a paper in two groups is shown in both, under a second anchor.
The papers come from a small overlay, so the expected groups are exact.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from sphinx.testing.util import SphinxTestApp

Build = Callable[..., tuple[SphinxTestApp, str]]

#: Two domains (p-both is in both); one venue of each of three kinds, and a paper without one.
OVERLAY = """\
domains:
  - key: alpha
    title: Alpha
    sections:
      - {key: a-vision, title: Alpha vision}
  - key: beta
    title: Beta
    sections:
      - {key: b-models, title: Beta models}
venues:
  - {name: Journal One, kind: journal}
  - {name: Conf Two, kind: conference}
  - {name: Preprint Hub, kind: preprint}
papers:
  - id: p-vision
    title: Vision net
    year: 2024
    venue: Journal One
    links: [{kind: paper, url: "https://example.org/vision"}]
    memberships: [{domain: alpha, section: a-vision}]
  - id: p-both
    title: Both worlds
    year: 2025
    venue: Conf Two
    links: [{kind: paper, url: "https://example.org/both"}]
    memberships:
      - {domain: alpha, section: a-vision}
      - {domain: beta, section: b-models}
  - id: p-beta
    title: Beta data
    year: 2025
    venue: Preprint Hub
    links: [{kind: paper, url: "https://example.org/beta"}]
    memberships: [{domain: beta, section: b-models}]
  - id: p-bare
    title: Bare
    links: [{kind: paper, url: "https://example.org/bare"}]
    memberships: [{domain: alpha, section: a-vision}]
"""
CONF = (
    'extensions = ["fm_papers.sphinxext"]\n'
    'fm_papers_extra_files = ["overlay.yaml"]\n'
    "fm_papers_include_builtin = False\n"
)
PAGE = """\
Groups
======

.. fm-papers::
   :group-by: domain
   :sort: title
   :caption: By domain

.. fm-papers::
   :domain: beta
   :group-by: domain
   :layout: list
   :sort: title

.. fm-papers::
   :group-by: venue-kind
   :layout: cards
   :sort: title

.. fm-papers::
   :venue-kind: conference, journal
   :group-by: venue-kind
   :sort: title
"""


def _blocks(html: str) -> list[tuple[str | None, list[tuple[str, str, list[str]]]]]:
    """Each block of the page: its caption, and each group's key, caption and row anchors."""
    out = []
    for block in re.split(r'<div class="fm-papers fm-layout-', html)[1:]:
        heading = re.match(r'[^>]*>\s*<p class="[^"]*\bfm-papers-caption\b[^"]*">(.*?)</p>', block)
        groups = []
        for box in re.split(r'<div class="fm-papers-group fm-group-', block)[1:]:
            key = box[: box.index('"')]
            (caption,) = re.findall(
                r'<span class="caption-text">(.*?)</span>'
                r'|<p class="[^"]*\bfm-papers-group-caption\b[^"]*">(.*?)</p>',
                box,
            )
            anchors = re.findall(r'class="[^"]*\bfm-papers-item\b[^"]*" id="([^"]+)"', box)
            groups.append((key, "".join(caption), anchors))
        caption = re.sub(r"<[^>]+>", "", heading.group(1)) if heading else None
        out.append((caption, groups))
    return out


def test_group_by_domain_and_venue_kind(build: Build, fresh_cache: None) -> None:
    app, warnings = build({"conf.py": CONF, "overlay.yaml": OVERLAY, "index.rst": PAGE})
    assert warnings == ""
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    assert _blocks(html) == [
        # Domains in the taxonomy's order, each a table headed with the domain's title; the
        # block's caption above them. p-both is in both domains, so in both tables.
        (
            "By domain",
            [
                ("alpha", "Alpha", ["fm-paper-p-bare", "fm-paper-p-both", "fm-paper-p-vision"]),
                ("beta", "Beta", ["fm-paper-p-beta", "fm-paper-p-both-2"]),
            ],
        ),
        # A :domain: query shows its own domain's group only, never alpha's (p-both).
        (None, [("beta", "Beta", ["fm-paper-p-beta-2", "fm-paper-p-both-3"])]),
        # Venue kinds in the vocabulary's order (journal, conference, ..., preprint), then
        # the papers without a venue.
        (
            None,
            [
                ("journal", "Venue kind: Journal", ["fm-paper-p-vision-2"]),
                ("conference", "Venue kind: Conference", ["fm-paper-p-both-4"]),
                ("preprint", "Venue kind: Preprint", ["fm-paper-p-beta-3"]),
                ("unknown", "Venue kind unknown", ["fm-paper-p-bare-2"]),
            ],
        ),
        # Only the kinds the query selects have a group, whatever order the filter lists them.
        (
            None,
            [
                ("journal", "Venue kind: Journal", ["fm-paper-p-vision-3"]),
                ("conference", "Venue kind: Conference", ["fm-paper-p-both-5"]),
            ],
        ),
    ]
