"""What the manual's page "Use it with ..." (example_docs/integrations.rst) promises, checked
offline: the pre-commit configuration it shows matches the hooks the project offers, and the
Read the Docs configuration runs the session CI runs. ``nox -s hooks`` runs the hooks with
pre-commit itself; ``nox -s rtd`` runs the Read the Docs commands."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

import fm_papers
from fm_papers.cli import main

REPO = Path(__file__).resolve().parent.parent
PAGE = (REPO / "example_docs" / "integrations.rst").read_text(encoding="utf-8")
HOOKS = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))


def test_the_documented_pre_commit_configuration_uses_the_offered_hooks(
    code_blocks: Callable[[str, str], list[str]],
) -> None:
    blocks = [yaml.safe_load(block) for block in code_blocks(PAGE, "yaml")]
    (config,) = [b for b in blocks if isinstance(b, dict) and "repos" in b]
    (repo,) = config["repos"]
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert repo["repo"] == project["urls"]["Source"]
    assert repo["rev"] == f"v{fm_papers.__version__}"
    offered = {hook["id"]: hook for hook in HOOKS}
    assert [hook["id"] for hook in repo["hooks"]] == list(offered)
    for hook in repo["hooks"]:
        pattern = hook.get("files", offered[hook["id"]]["files"])
        assert re.search(pattern, "docs/lab-papers.yaml"), pattern
        assert not re.search(pattern, "docs/conf.py"), pattern


@pytest.mark.parametrize("hook", HOOKS, ids=lambda hook: hook["id"])
def test_each_hook_runs_a_real_command_on_overlay_files_only(
    hook: dict[str, object], capsys: pytest.CaptureFixture[str]
) -> None:
    program, command = str(hook["entry"]).split()
    assert program == "fm-papers"
    assert main([command, "--help"]) == 0
    assert "FILE" in capsys.readouterr().out  # it takes the file names pre-commit passes
    assert hook["language"] == "python" and hook["require_serial"] is True
    pattern = str(hook["files"])
    for name in ("lab-papers.yaml", "docs/my-papers.yml", "papers.yaml"):
        assert re.search(pattern, name), name
    for name in (".readthedocs.yaml", "docs/conf.py", ".pre-commit-config.yaml", "papers/x.py"):
        assert not re.search(pattern, name), name


def test_read_the_docs_runs_the_docs_session() -> None:
    config = yaml.safe_load((REPO / ".readthedocs.yaml").read_text(encoding="utf-8"))
    assert config["version"] == 2
    assert config["build"]["commands"] == ["python -m pip install nox", "python -m nox -s docs"]
    assert ".. literalinclude:: ../.readthedocs.yaml" in PAGE
