"""References a lecturer can steer, and honest views (issue 24), through real Sphinx builds.

- ``:name:`` on a captioned ``:group-by:`` block or card grid names one object numbered as a
  table, which ``:numref:`` reaches in HTML, LaTeX and text; the groups are headed inside it.
- ``:fm-paper:`` links to the paper's home page, chosen with ``:home:`` on a block or with
  ``fm_papers_home``; its tooltip is the paper's title.
- A paper whose source has a defect carries a mark saying so in tables, lists and cards.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from sphinx.testing.util import SphinxTestApp

Build = Callable[..., tuple[SphinxTestApp, str]]

#: Two domains, three papers; p-flagged's source has a defect (two flags).
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
papers:
  - id: p-vision
    title: Vision net
    model: VisNet
    year: 2024
    links: [{kind: paper, url: "https://example.org/vision"}]
    memberships: [{domain: alpha, section: a-vision}]
  - id: p-beta
    title: Beta data
    year: 2025
    links: [{kind: paper, url: "https://example.org/beta"}]
    memberships: [{domain: beta, section: b-models}]
  - id: p-flagged
    title: Flagged work
    year: 2025
    links: [{kind: paper, url: "https://example.org/flagged"}]
    memberships: [{domain: beta, section: b-models}]
    flags:
      - {kind: year-mismatch, message: "the year is 2025, but the link is to 2024"}
      - {kind: shared-paper-url, message: "the link is another paper's"}
"""
CONF = (
    'extensions = ["fm_papers.sphinxext"]\n'
    'fm_papers_extra_files = ["overlay.yaml"]\n'
    "fm_papers_include_builtin = False\n"
    "fm_papers_interactive = False\n"
    "numfig = True\n"
)
NUMBERED_RST = """\
Papers
======

See :numref:`by-year`, :numref:`as-cards` and :ref:`by-year`.

.. fm-papers::
   :group-by: year
   :caption: By year
   :name: by-year
   :sort: title

.. fm-papers::
   :layout: cards
   :group-by: domain
   :caption: As cards
   :name: as-cards
   :sort: title
"""
NUMBERED_MD = """\
# Papers

See {numref}`by-year`, {numref}`as-cards` and {ref}`by-year`.

```{fm-papers}
:group-by: year
:caption: By year
:name: by-year
:sort: title
```

```{fm-papers}
:layout: cards
:group-by: domain
:caption: As cards
:name: as-cards
:sort: title
```
"""


def _project(source: str) -> dict[str, str]:
    if source == "md":
        conf = CONF.replace('extensions = ["', 'extensions = ["myst_parser", "')
        return {"conf.py": conf, "overlay.yaml": OVERLAY, "index.md": NUMBERED_MD}
    return {"conf.py": CONF, "overlay.yaml": OVERLAY, "index.rst": NUMBERED_RST}


@pytest.mark.parametrize("source", ["rst", "md"])
def test_numref_reaches_a_grouped_table_and_cards_in_html(
    build: Build, fresh_cache: None, source: str
) -> None:
    app, warnings = build(_project(source))
    assert warnings == ""
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    # Both references resolve to the blocks, numbered in document order as tables.
    assert re.findall(r'href="#([a-z-]+)"><span class="std std-(?:numref|ref)">([^<]+)<', html) == [
        ("by-year", "Table 1"),
        ("as-cards", "Table 2"),
        ("by-year", "By year"),
    ]
    block = html[html.index('id="by-year"') : html.index('id="as-cards"')]
    # One numbered caption for the whole block; each group a heading inside it, no numbers.
    assert re.findall(r'class="caption-number">([^<]+)<', block) == ["Table 1 "]
    assert '<span class="caption-text">By year</span>' in block
    # (The groups' wording is the labels'; their order is the sort's.)
    groups = re.findall(r'fm-papers-group-caption[^"]*">([^<]+)<', block)
    assert [("2024" in g, "2025" in g) for g in groups] == [(True, False), (False, True)]
    assert block.count("<table") == 2 and "<caption" not in block
    cards = html[html.index('id="as-cards"') :]
    assert re.findall(r'class="caption-number">([^<]+)<', cards) == ["Table 2 "]
    assert re.findall(r'fm-papers-group-caption[^"]*">([^<]+)<', cards) == ["Alpha", "Beta"]


@pytest.mark.parametrize("source", ["rst", "md"])
def test_numref_reaches_a_grouped_table_and_cards_in_latex(
    build: Build, fresh_cache: None, source: str
) -> None:
    app, warnings = build(_project(source), "latex")
    assert warnings == ""
    (tex,) = [p.read_text(encoding="utf-8") for p in app.outdir.glob("*.tex")]
    # LaTeX numbers the blocks with its table counter: one caption each, the label after it.
    assert re.findall(
        r"\\captionof\{table\}\{([^}]*)\}\\label\{\\detokenize\{([^}]*)\}\}", tex
    ) == [
        ("By year", "index:by-year"),
        ("As cards", "index:as-cards"),
    ]
    assert "\\caption{" not in tex and "\\sphinxcaption" not in tex
    for label in ("by-year", "as-cards"):
        assert (
            f"\\hyperref[\\detokenize{{index:{label}}}]"
            f"{{Table \\ref{{\\detokenize{{index:{label}}}}}}}"
        ) in tex


@pytest.mark.parametrize("source", ["rst", "md"])
def test_numref_reaches_a_grouped_table_and_cards_in_text(
    build: Build, fresh_cache: None, source: str
) -> None:
    app, warnings = build(_project(source), "text")
    assert warnings == ""
    text = (app.outdir / "index.txt").read_text(encoding="utf-8")
    assert "See Table 1, Table 2 and By year." in text
    # The caption carries the number the reference shows; the groups are headings.
    assert text.count("Table 1: By year") == 1 and text.count("Table 2: As cards") == 1
    groups = re.findall(r"-\[ (.+) \]-", text)
    assert len(groups) == 4 and "2024" in groups[0] and "2025" in groups[1]
    assert groups[2:] == ["Alpha", "Beta"]


def test_an_ungrouped_table_and_an_uncaptioned_block_are_as_before(
    build: Build, fresh_cache: None
) -> None:
    page = (
        "Papers\n======\n\n:numref:`flat`\n\n"
        ".. fm-papers::\n   :caption: Flat\n   :name: flat\n\n"
        ".. fm-papers::\n   :group-by: year\n   :name: bare\n"
    )
    app, warnings = build({"conf.py": CONF, "overlay.yaml": OVERLAY, "index.rst": page})
    assert warnings == ""
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    # The table itself is numbered, as a table; an uncaptioned block is not numbered but
    # its name is the block's id, not its first group's table.
    assert re.search(
        r'<table class="[^"]*" id="flat">\s*<caption><span class="caption-number">'
        r"Table 1 </span>",
        html,
    )
    assert re.search(r'<div class="fm-papers fm-layout-table[^"]*" id="bare">', html)
    assert html.count('class="caption-number"') == 1


def test_an_interactive_numbered_block_gets_its_scripts_strings(
    build: Build, fresh_cache: None
) -> None:
    page = (
        "Papers\n======\n\n"
        ".. fm-papers::\n   :layout: list\n   :caption: Listed\n   :name: listed\n"
        "   :interactive: yes\n"
    )
    app, warnings = build({"conf.py": CONF, "overlay.yaml": OVERLAY, "index.rst": page})
    assert warnings == ""
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    block = re.search(r'<div class="(fm-papers [^"]*)" data-fm-labels="([^"]*)" id="listed">', html)
    assert block is not None, html[html.index("<h1") :][:600]
    assert "fm-papers-interactive" in block[1]
    assert "&quot;search&quot;: &quot;Search papers&quot;" in block[2]


@pytest.mark.parametrize("layout", ["table", "list", "cards"])
def test_an_empty_captioned_block_is_still_numbered(
    build: Build, fresh_cache: None, layout: str
) -> None:
    page = (
        "Papers\n======\n\nSee :numref:`none`.\n\n"
        f".. fm-papers::\n   :layout: {layout}\n   :year: 1990\n   :caption: None yet\n"
        "   :name: none\n"
    )
    app, warnings = build({"conf.py": CONF, "overlay.yaml": OVERLAY, "index.rst": page}, "text")
    assert warnings == ""
    text = (app.outdir / "index.txt").read_text(encoding="utf-8")
    assert "See Table 1." in text and "Table 1: None yet" in text


def test_a_builder_of_another_extension_writes_a_numbered_block(
    build: Build, fresh_cache: None
) -> None:
    # A builder the extension registers no visitor for: the block is written as a container.
    builder = (
        "from sphinx.builders.text import TextBuilder\n\n\n"
        "class OtherText(TextBuilder):\n    name = 'othertext'\n\n\n"
        "def setup(app):\n    app.add_builder(OtherText)\n"
    )
    conf = "import os, sys\nsys.path.insert(0, os.path.dirname(__file__))\n" + CONF.replace(
        'extensions = ["', 'extensions = ["other_text", "'
    )
    files = {
        "conf.py": conf,
        "other_text.py": builder,
        "overlay.yaml": OVERLAY,
        "index.rst": NUMBERED_RST,
    }
    app, warnings = build(files, "othertext")
    assert warnings == ""
    text = (app.outdir / "index.txt").read_text(encoding="utf-8")
    assert "By year" in text and "Vision net" in text and "Flagged work" in text


SITE = {
    "conf.py": CONF,
    "overlay.yaml": OVERLAY,
    "index.rst": "Index\n=====\n\n.. toctree::\n\n   a\n   b\n   c\n",
    "a.rst": "A\n=\n\n.. fm-papers::\n   :ids: p-vision, p-beta\n",
    "b.rst": "B\n=\n\n.. fm-papers::\n   :ids: p-beta\n\n"
    ".. fm-papers::\n   :ids: p-beta, p-vision\n   :home:\n",
    "c.rst": "C\n=\n\nCited: :fm-paper:`p-vision`, :fm-paper:`p-beta`.\n",
}


def _links(html: str) -> list[tuple[str, str, str]]:
    """Each citation's target, tooltip and text."""
    return re.findall(
        r'<a class="reference internal" href="([^"]+)" title="([^"]*)">'
        r'<span class="fm-paper-cite">([^<]+)</span>',
        html,
    )


def test_a_home_block_receives_the_citations(build: Build, fresh_cache: None) -> None:
    app, warnings = build(SITE)
    assert warnings == ""
    html = (app.outdir / "c.html").read_text(encoding="utf-8")
    # a.html is first by name, but b.html's :home: block is where they link; its row there,
    # not the page's first row of p-beta. The tooltip is the paper's title.
    assert _links(html) == [
        ("b.html#fm-paper-p-vision", "Vision net", "VisNet (2024)"),
        ("b.html#fm-paper-p-beta-2", "Beta data", "Beta data (2025)"),
    ]
    # objects.inv (intersphinx) follows the same rule.
    inventory = app.env.domains["fm-papers"].get_objects()
    assert {name: anchor for name, _, _, _, anchor, _ in inventory} == {
        "p-vision": "fm-paper-p-vision",
        "p-beta": "fm-paper-p-beta-2",
    }


def test_fm_papers_home_wins_and_a_wrong_page_is_a_warning(build: Build, fresh_cache: None) -> None:
    conf = CONF + 'fm_papers_home = {"p-vision": "a", "P-Beta": "c"}\n'
    app, warnings = build({**SITE, "conf.py": conf})
    assert warnings == (
        "WARNING: fm_papers_home: page 'c' shows no paper 'p-beta'; its citations link to "
        "page 'b' [fm_papers.config]\n"
    )
    html = (app.outdir / "c.html").read_text(encoding="utf-8")
    assert _links(html) == [
        ("a.html#fm-paper-p-vision", "Vision net", "VisNet (2024)"),
        ("b.html#fm-paper-p-beta-2", "Beta data", "Beta data (2025)"),
    ]
    # A page showing the paper links to its own row.
    own = {"a.rst": SITE["a.rst"] + "\n:fm-paper:`p-beta`\n"}
    app, _ = build({**SITE, **own, "conf.py": conf})
    html = (app.outdir / "a.html").read_text(encoding="utf-8")
    assert _links(html) == [("#fm-paper-p-beta", "Beta data", "Beta data (2025)")]


def test_two_home_blocks_for_one_paper_warn(build: Build, fresh_cache: None) -> None:
    site = {**SITE, "a.rst": SITE["a.rst"] + "   :home:\n"}
    app, warnings = build(site)
    assert warnings == (
        "SRC/b.rst:7: WARNING: fm-papers: :home: paper 'p-beta' has its home on page 'a' "
        "already, the first by name; citations from other pages do not link here "
        "[fm_papers.value]\n"
        "SRC/b.rst:7: WARNING: fm-papers: :home: paper 'p-vision' has its home on page 'a' "
        "already, the first by name; citations from other pages do not link here "
        "[fm_papers.value]\n"
    )
    html = (app.outdir / "c.html").read_text(encoding="utf-8")
    assert [link[0] for link in _links(html)] == [
        "a.html#fm-paper-p-vision",
        "a.html#fm-paper-p-beta",
    ]


def test_home_in_myst(build: Build, fresh_cache: None) -> None:
    conf = CONF.replace('extensions = ["', 'extensions = ["myst_parser", "')
    site = {
        **{k: v for k, v in SITE.items() if k != "b.rst"},
        "conf.py": conf,
        "b.md": "# B\n\n```{fm-papers}\n:ids: p-vision\n:home:\n```\n",
    }
    app, warnings = build(site)
    assert warnings == ""
    html = (app.outdir / "c.html").read_text(encoding="utf-8")
    assert _links(html)[0][0] == "b.html#fm-paper-p-vision"


FLAGS_PAGE = """\
Flags
=====

.. fm-papers::
   :columns: title
   :sort: title

.. fm-papers::
   :layout: cards
   :sort: title

.. fm-papers::
   :layout: list
   :columns: year, model
   :sort: title
"""
EXPLANATION = (
    "source defect: the year is 2025, but the link is to 2024; the link is another paper's"
)


def test_a_flagged_paper_is_marked_in_html(build: Build, fresh_cache: None) -> None:
    app, warnings = build({"conf.py": CONF, "overlay.yaml": OVERLAY, "index.rst": FLAGS_PAGE})
    assert warnings == ""
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    mark = f'<abbr class="fm-papers-flag" title="{EXPLANATION}">⚠</abbr>'
    # Once per block (table, cards, list), on p-flagged's row only.
    assert html.count(mark) == 3
    assert html.count("fm-papers-flag") == 3
    rows = re.findall(r'<tr class="([^"]*)" id="fm-paper-([a-z-]+)"', html)
    assert [(anchor, "fm-flagged" in classes.split()) for classes, anchor in rows] == [
        ("p-beta", False),
        ("p-flagged", True),
        ("p-vision", False),
    ]


@pytest.mark.parametrize(("builder", "name"), [("text", "index.txt"), ("latex", None)])
def test_a_flagged_paper_is_marked_in_text_and_latex(
    build: Build, fresh_cache: None, builder: str, name: str | None
) -> None:
    app, warnings = build(
        {"conf.py": CONF, "overlay.yaml": OVERLAY, "index.rst": FLAGS_PAGE}, builder
    )
    assert warnings == ""
    if name is None:
        (path,) = app.outdir.glob("*.tex")
        written = path.read_text(encoding="utf-8")
        for escaped, plain in (("\\textquotesingle{}", "'"), ("{[}", "["), ("{]}", "]")):
            written = written.replace(escaped, plain)
        assert "⚠" not in written  # pdflatex has no glyph for it
    else:
        written = (app.outdir / name).read_text(encoding="utf-8")
    # Wrapped lines of a table cell are joined again.
    flat = re.sub(r"\s+", " ", re.sub(r"\s*\|\s*", " ", written))
    assert flat.count(f"[!] ({EXPLANATION})") == 3


def test_homes_survive_a_parallel_read(build: Build, fresh_cache: None) -> None:
    # Enough pages for Sphinx to read them in two processes, whose domain data is merged.
    extra = {f"z{n}.rst": f"Z{n}\n==\n\n.. fm-papers::\n   :ids: p-vision\n" for n in range(6)}
    index = SITE["index.rst"] + "".join(f"   z{n}\n" for n in range(6))
    site = {**SITE, **extra, "index.rst": index}
    app, warnings = build(site, parallel=2)
    assert warnings == ""
    assert app.parallel == 2
    html = (app.outdir / "c.html").read_text(encoding="utf-8")
    assert [link[0] for link in _links(html)] == [
        "b.html#fm-paper-p-vision",
        "b.html#fm-paper-p-beta-2",
    ]
    domain = app.env.domains["fm-papers"]
    assert domain.data["homes"] == {
        "p-beta": {"b": ("fm-paper-p-beta-2", 7)},
        "p-vision": {"b": ("fm-paper-p-vision", 7)},
    }


def test_numref_reaches_a_grouped_table_and_cards_in_a_manual_page(
    build: Build, fresh_cache: None
) -> None:
    app, warnings = build(_project("rst"), "man")
    assert warnings == ""
    (page,) = [p.read_text(encoding="utf-8") for p in app.outdir.glob("*.1")]
    page = re.sub(r"\\f[BIPR]|\\%|\\&", "", page)  # roff's font changes (older docutils)
    # Not Sphinx's "Table %s": the numbers, and the captions that carry them.
    assert "See Table 1, Table 2 and By year" in page
    assert page.count("\nTable 1: By year\n") == 1 and page.count("\nTable 2: As cards\n") == 1


def test_a_manual_page_of_several_pages_numbers_each_pages_blocks(
    build: Build, fresh_cache: None
) -> None:
    # A manual page inlines the pages of its toctree: each block keeps its own page's number,
    # the one a reference to it shows.
    block = ".. fm-papers::\n   :layout: list\n   :caption: {0}\n   :name: {1}\n"
    files = {
        "conf.py": CONF,
        "overlay.yaml": OVERLAY,
        "index.rst": "Index\n=====\n\n:numref:`in-a`, :numref:`in-b`\n\n"
        ".. toctree::\n\n   a\n   b\n",
        "a.rst": "A\n=\n\n" + block.format("Listed in A", "in-a"),
        "b.rst": "B\n=\n\n" + block.format("Listed in B", "in-b"),
    }
    app, warnings = build(files, "man")
    assert warnings == ""
    (page,) = [p.read_text(encoding="utf-8") for p in app.outdir.glob("*.1")]
    cited = re.search(r"(Table \d+), (Table \d+)", page)
    assert cited is not None and cited[1] != cited[2]
    assert page.count(f"\n{cited[1]}: Listed in A\n") == 1
    assert page.count(f"\n{cited[2]}: Listed in B\n") == 1
