"""The examples of the README and the manual's quick start run as written.

The manual's command-line page runs its own examples when it is built (``fm-papers-console``
in ``example_docs/conf.py``), and its Sphinx snippets are built by ``test_sphinx_snippets.py``.
"""

from __future__ import annotations

import re
import shlex
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from fm_papers.cli import main

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")
#: The ``code_blocks`` fixture of conftest.py.
CodeBlocks = Callable[[str, str], list[str]]
#: The manual's pages with Python examples.
PAGES = ("quickstart", "integrations")


def _python_blocks(where: str, code_blocks: CodeBlocks) -> list[str]:
    """A document's Python examples, in order (later ones use what earlier ones define)."""
    if where == "README":
        return re.findall(r"```python\n(.*?)```", README, re.DOTALL)
    page = (REPO / "example_docs" / f"{where}.rst").read_text(encoding="utf-8")
    return code_blocks(page, "python")


@pytest.fixture
def lab_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory holding the overlay files the examples name."""
    overlay = REPO / "example_docs" / "lab-papers.yaml"
    for name in ("lab.yaml", "lab-papers.yaml", "my-reading-list.yaml"):
        shutil.copy(overlay, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("where", ["README", *PAGES])
def test_python_examples_run(where: str, lab_folder: Path, code_blocks: CodeBlocks) -> None:
    blocks = _python_blocks(where, code_blocks)
    assert blocks
    namespace: dict[str, object] = {}
    for number, code in enumerate(blocks, start=1):
        exec(compile(code, f"<{where} example {number}>", "exec"), namespace)  # noqa: S102


def _readme_commands() -> list[str]:
    block = re.search(r"## The command line\n.*?```console\n(.*?)```", README, re.DOTALL)
    assert block is not None
    return [line[2:] for line in block[1].splitlines() if line.startswith("$ ")]


@pytest.mark.parametrize("command", _readme_commands())
def test_readme_commands_run(
    command: str, lab_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (lab_folder / "awesome-list.md").write_text(
        "# List\n## FM\n1. [2024 Nature][**X**] **X: a model** [[paper]](https://example.org/x)\n",
        encoding="utf-8",
    )
    argv = shlex.split(command, comments=True)
    assert argv[0] == "fm-papers"
    assert main(argv[1:]) == 0, capsys.readouterr().err
