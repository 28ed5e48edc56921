"""Every example the manual shows (example_docs/snippets/) builds cleanly, in reST and MyST."""

from __future__ import annotations

from pathlib import Path

import pytest

SNIPPETS = Path(__file__).resolve().parent.parent / "example_docs" / "snippets"
CASES = sorted(SNIPPETS.glob("rst/*.txt")) + sorted(SNIPPETS.glob("myst/*.md"))


@pytest.mark.parametrize("snippet", CASES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_snippet_builds(build, snippet: Path) -> None:  # type: ignore[no-untyped-def]
    text = snippet.read_text(encoding="utf-8")
    conf = 'extensions = ["myst_parser", "sphinx_design", "fm_papers.sphinxext"]\nnumfig = True\n'
    if snippet.suffix == ".md":
        files = {"index.md": f"# Snippet\n\n{text}"}
    else:
        files = {"index.rst": f"Snippet\n=======\n\n{text}"}
    app, warnings = build({**files, "conf.py": conf})
    assert warnings == ""
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    assert "fm-paper" in html
