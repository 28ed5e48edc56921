"""The Python examples of the manual's quick start and integrations pages run as written.

The README's blocks are run by ``test_readme.py``. The manual's command-line page runs its own
examples when it is built (``fm-papers-console`` in ``example_docs/conf.py``), and its Sphinx
snippets are built by ``test_sphinx_snippets.py``.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
#: The ``code_blocks`` fixture of conftest.py.
CodeBlocks = Callable[[str, str], list[str]]
#: The manual's pages with Python examples.
PAGES = ("quickstart", "integrations")


def _python_blocks(where: str, code_blocks: CodeBlocks) -> list[str]:
    """A page's Python examples, in order (later ones use what earlier ones define)."""
    page = (REPO / "example_docs" / f"{where}.rst").read_text(encoding="utf-8")
    return code_blocks(page, "python")


@pytest.fixture
def lab_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory holding the overlay files the examples name."""
    overlay = REPO / "example_docs" / "lab-papers.yaml"
    shutil.copy(overlay, tmp_path / "lab-papers.yaml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("where", PAGES)
def test_python_examples_run(where: str, lab_folder: Path, code_blocks: CodeBlocks) -> None:
    blocks = _python_blocks(where, code_blocks)
    assert blocks
    namespace: dict[str, object] = {}
    for number, code in enumerate(blocks, start=1):
        exec(compile(code, f"<{where} example {number}>", "exec"), namespace)  # noqa: S102
