"""The hooks of the browser script: which blocks it enhances and which pages load it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sphinx.testing.util import SphinxTestApp

TABLE = """\
Page
====

.. fm-papers::
   :section: segmentation
   :sort: -year
"""
STATIC_TABLE = TABLE + "   :interactive: no\n"
STATS_ONLY = "Stats\n=====\n\n.. fm-papers-stats::\n   :by: domain\n"


def _html(app: SphinxTestApp, name: str) -> str:
    return (app.outdir / f"{name}.html").read_text(encoding="utf-8")


def test_the_script_goes_only_to_pages_with_an_interactive_block(build: Any) -> None:
    app, warnings = build(
        {
            "index.rst": TABLE + "\n.. toctree::\n\n   static\n   stats\n   plain\n",
            "static.rst": STATIC_TABLE,
            "stats.rst": STATS_ONLY,
            "plain.rst": "Plain\n=====\n\nNothing here.\n",
        }
    )
    assert warnings == ""
    index = _html(app, "index")
    # The script is deferred, and the block says what the script needs: that it is
    # interactive, and the order the rows come in.
    (script,) = re.findall(r"<script [^>]*fm-papers\.js[^>]*>", index)
    assert re.search(r'\bsrc="_static/fm-papers\.js(\?v=\w+)?"', script) and " defer" in script
    (block,) = re.findall(r'<div class="(fm-papers [^"]*)"', index)
    assert block.split() == [
        "fm-papers",
        "fm-layout-table",
        "fm-sort-year-desc",
        "fm-papers-interactive",
    ]
    static = _html(app, "static")
    assert "fm-papers.js" not in static and "fm-papers-interactive" not in static
    assert "fm-papers.css" in static
    assert "fm-papers.js" not in _html(app, "stats")
    assert "fm-papers.js" not in _html(app, "plain")
    assert (app.outdir / "_static" / "fm-papers.js").exists()


def test_the_config_value_turns_it_off(build: Any) -> None:
    app, warnings = build(
        {
            "conf.py": 'extensions = ["fm_papers.sphinxext"]\nfm_papers_interactive = False\n',
            "index.rst": TABLE,
        }
    )
    assert warnings == ""
    assert "fm-papers.js" not in _html(app, "index")
    assert "fm-papers-interactive" not in _html(app, "index")


def test_a_bad_interactive_value_warns_and_keeps_the_default(build: Any) -> None:
    app, warnings = build({"index.rst": TABLE + "   :interactive: yse\n"})
    assert warnings.strip() == (
        "SRC/index.rst:4: WARNING: fm-papers: :interactive: unknown value 'yse', using 'yes';"
        " did you mean 'yes'? [fm_papers.value]"
    )
    assert "fm-papers-interactive" in _html(app, "index")


@pytest.mark.parametrize(("written", "interactive"), [("false", False), ("On", True), ("0", False)])
def test_interactive_reads_yes_and_no_as_has_code_does(
    build: Any, written: str, interactive: bool
) -> None:
    app, warnings = build({"index.rst": TABLE + f"   :interactive: {written}\n"})
    assert warnings == ""
    assert ("fm-papers-interactive" in _html(app, "index")) is interactive


@pytest.mark.parametrize("builder", ["latex", "text"])
def test_other_builders_get_no_script(build: Any, builder: str) -> None:
    app, warnings = build({"index.rst": TABLE}, buildername=builder)
    assert warnings == ""
    assert not list(app.outdir.rglob("fm-papers.js"))


SMALL = "Page\n====\n\n.. fm-papers::\n   :section: pathology-fm\n"  # 5 papers
LARGE = TABLE  # 11 papers


def _block_classes(app: SphinxTestApp, name: str = "index") -> list[list[str]]:
    return [m.split() for m in re.findall(r'<div class="(fm-papers [^"]*)"', _html(app, name))]


@pytest.mark.parametrize("layout", ["table", "list", "cards"])
def test_a_small_block_sorts_but_gets_no_filter_bar(build: Any, layout: str) -> None:
    small = SMALL + f"   :layout: {layout}\n"
    app, warnings = build(
        {
            "index.rst": small + "\n.. toctree::\n\n   large\n   asked\n",
            "large.rst": LARGE + f"   :layout: {layout}\n",
            "asked.rst": small + "   :interactive: yes\n",
        }
    )
    assert warnings == ""
    # Under the threshold (10): told to add no bar; the script still comes to a table (its
    # headers sort), not to a list or cards, where it would have nothing to do.
    (block,) = _block_classes(app)
    assert "fm-papers-interactive" in block and "fm-papers-no-filters" in block
    assert ("fm-papers.js" in _html(app, "index")) is (layout == "table")
    # At or over it, or asked for with :interactive: yes, the block gets its bar.
    for name in ("large", "asked"):
        (block,) = _block_classes(app, name)
        assert "fm-papers-interactive" in block and "fm-papers-no-filters" not in block, name


@pytest.mark.parametrize(("threshold", "small", "large"), [(0, True, True), (12, False, False)])
def test_the_threshold_is_a_config_value(
    build: Any, threshold: int, small: bool, large: bool
) -> None:
    app, warnings = build(
        {
            "conf.py": 'extensions = ["fm_papers.sphinxext"]\n'
            f"fm_papers_filter_threshold = {threshold}\n",
            "index.rst": SMALL + "\n.. toctree::\n\n   large\n",
            "large.rst": LARGE,
        }
    )
    assert warnings == ""
    for name, bar in (("index", small), ("large", large)):
        (block,) = _block_classes(app, name)
        assert ("fm-papers-no-filters" not in block) is bar, name


def test_interactive_no_wins_over_the_threshold(build: Any) -> None:
    app, warnings = build({"index.rst": SMALL + "   :interactive: no\n"})
    assert warnings == ""
    (block,) = _block_classes(app)
    assert "fm-papers-interactive" not in block and "fm-papers-no-filters" not in block
    assert "fm-papers.js" not in _html(app, "index")


@pytest.mark.parametrize("value", ["-1", "'10'", "True", "2.5"])
def test_a_bad_threshold_warns_and_keeps_the_default(build: Any, value: str) -> None:
    app, warnings = build(
        {
            "conf.py": 'extensions = ["fm_papers.sphinxext"]\n'
            f"fm_papers_filter_threshold = {value}\n",
            "index.rst": SMALL,
        }
    )
    assert warnings.strip() == (
        "WARNING: fm_papers_filter_threshold: using the default 10: expected a whole number "
        "of rows, 0 or more. [fm_papers.config]"
    )
    assert app.config.fm_papers_filter_threshold == 10
    (block,) = _block_classes(app)
    assert "fm-papers-no-filters" in block
