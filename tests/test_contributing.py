"""The contributor page stays true: the layout it describes is the package's, and the data
model's table lists every field a paper has."""

from __future__ import annotations

import re
from pathlib import Path

import fm_papers
from fm_papers.models import Paper

DOCS = Path(__file__).resolve().parent.parent / "example_docs"
PACKAGE = Path(fm_papers.__file__).resolve().parent


def _section(text: str, title: str) -> str:
    """The text of a section, from its title to the next title of its level."""
    start = text.index(f"{title}\n{'-' * len(title)}\n") + 2 * (len(title) + 1)
    following = re.search(r"\n[^\n]+\n-{3,}\n", text[start:])
    return text[start : start + following.start()] if following else text[start:]


def test_the_layout_names_every_module() -> None:
    layout = _section((DOCS / "contributing.rst").read_text(encoding="utf-8"), "The layout")
    named = set(re.findall(r"``([a-z_]+)``", layout))
    modules = {p.stem for p in PACKAGE.glob("*.py") if p.stem not in ("__init__", "__main__")}
    for folder in ("cli", "curation", "formats"):
        assert f"``{folder}/``" in layout, folder
        modules |= {p.stem for p in (PACKAGE / folder).glob("*.py") if p.stem != "__init__"}
    formats = {p.stem for p in (PACKAGE / "formats").glob("*.py")}  # "one module per format"
    extension = {p.stem for p in (PACKAGE / "sphinxext").glob("*.py") if p.stem != "__init__"}
    assert modules - formats - named == set()
    assert extension - named == set()


def test_the_data_model_table_lists_every_field() -> None:
    text = (DOCS / "data-model.rst").read_text(encoding="utf-8")
    table = text[text.index(".. list-table::") : text.index("\n\n", text.index("``sources``"))]
    listed = set(re.findall(r"^   \* - (.+)$", table, re.MULTILINE))
    fields = {name for row in listed for name in re.findall(r"``([a-z_]+)``", row)}
    assert fields == set(Paper.model_fields)
