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
