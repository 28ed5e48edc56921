"""The hooks of ``.pre-commit-hooks.yaml``, run by pre-commit itself (``pre-commit try-repo``)
in a repository that keeps overlays, as a lab's docs would.

pre-commit installs the hooks' environment from the package index, so these run in their own
session, ``nox -s hooks``, not with the offline suite.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from fm_papers.canonical import canonical_text

pytestmark = pytest.mark.hooks

ROOT = Path(__file__).resolve().parents[2]

GOOD = """\
papers:
  - title: 'LabAtlas: a made-up foundation model'
    id: lab-atlas-2025
    year: 2025
    links:
      - {kind: paper, url: 'https://example.org/labatlas'}
    memberships:
      - {domain: pathology, section: segmentation}
"""

BAD = """\
papers:
  - id: lab-broken-2025
    title: A paper in a section nobody defined
    links:
      - kind: paper
        url: https://example.org/broken
    memberships:
      - domain: pathology
        section: no-such-section
"""

# Extends an entry GOOD defines.
EXTENDING = """\
papers:
  - id: lab-atlas-2025
    extend: true
    notes:
      - Read in the course
"""

# Not an overlay: the hooks' default file pattern must leave it alone.
OTHER = "version: 2\nbuild:\n  os: ubuntu-24.04\n"


@pytest.fixture(scope="module")
def environment(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """One pre-commit cache for the module, so the hooks' environment is built once."""
    home = tmp_path_factory.mktemp("pre-commit-home")
    return {
        **os.environ,
        "PRE_COMMIT_HOME": str(home),
        "GIT_AUTHOR_NAME": "fm-papers tests",
        "GIT_AUTHOR_EMAIL": "tests@example.org",
        "GIT_COMMITTER_NAME": "fm-papers tests",
        "GIT_COMMITTER_EMAIL": "tests@example.org",
    }


@pytest.fixture
def repository(tmp_path: Path, environment: dict[str, str]) -> Path:
    """A git repository with one overlay in the hooks' form and an unrelated YAML file."""
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True, env=environment)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "lab-papers.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / ".readthedocs.yaml").write_text(OTHER, encoding="utf-8")
    _git_add(tmp_path, environment)
    return tmp_path


def _git_add(repository: Path, environment: dict[str, str]) -> None:
    subprocess.run(["git", "add", "-A"], cwd=repository, check=True, env=environment)


def try_repo(
    repository: Path, environment: dict[str, str], hook: str, *args: str
) -> subprocess.CompletedProcess[str]:
    """``pre-commit try-repo <this checkout> <hook> ...`` in ``repository``."""
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), hook, "--verbose", *args],
        cwd=repository,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_fmt_rewrites_an_overlay_in_the_canonical_form_then_passes(
    repository: Path, environment: dict[str, str]
) -> None:
    overlay = repository / "docs" / "lab-papers.yaml"
    _, expected = canonical_text(str(overlay))
    assert expected != GOOD  # the fixture is not canonical yet

    first = try_repo(repository, environment, "fm-papers-fmt", "--all-files")
    assert first.returncode == 1, first.stdout + first.stderr
    assert "files were modified by this hook" in first.stdout
    assert "reformatted docs/lab-papers.yaml" in first.stdout
    assert overlay.read_text(encoding="utf-8") == expected
    # The unrelated YAML file was neither passed nor touched.
    assert (repository / ".readthedocs.yaml").read_text(encoding="utf-8") == OTHER
    assert ".readthedocs.yaml" not in first.stdout

    _git_add(repository, environment)
    second = try_repo(repository, environment, "fm-papers-fmt", "--all-files")
    assert second.returncode == 0, second.stdout + second.stderr
    assert "0 file(s) reformatted, 1 already canonical" in second.stdout


def test_validate_passes_a_valid_overlay(repository: Path, environment: dict[str, str]) -> None:
    result = try_repo(repository, environment, "fm-papers-validate", "--all-files")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "docs/lab-papers.yaml with the shipped data" in result.stdout
    assert ".readthedocs.yaml" not in result.stdout


def test_validate_fails_with_a_located_message(
    repository: Path, environment: dict[str, str]
) -> None:
    (repository / "docs" / "more-papers.yaml").write_text(BAD, encoding="utf-8")
    _git_add(repository, environment)
    result = try_repo(repository, environment, "fm-papers-validate", "--all-files")
    assert result.returncode == 1, result.stdout + result.stderr
    located = [line for line in result.stdout.splitlines() if "no-such-section" in line]
    assert located, result.stdout
    assert located[0].startswith("docs/more-papers.yaml:9:"), located
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("name", "passes"), [("lab-papers2.yaml", True), ("course-papers.yaml", False)]
)
def test_an_overlay_extending_another_must_come_after_it(
    repository: Path, environment: dict[str, str], name: str, passes: bool
) -> None:
    """pre-commit passes files in name order and an entry extends only what comes before it:
    what the manual says about naming such overlays."""
    (repository / "docs" / name).write_text(EXTENDING, encoding="utf-8")
    _git_add(repository, environment)
    result = try_repo(repository, environment, "fm-papers-validate", "--all-files")
    assert (result.returncode == 0) is passes, result.stdout + result.stderr
    problem = f"docs/{name}:2: entry 'lab-atlas-2025': id: 'extend: true' names no entry"
    assert (problem in result.stdout) is not passes, result.stdout
    alone = try_repo(repository, environment, "fm-papers-validate", "--files", f"docs/{name}")
    assert alone.returncode == 1 and problem in alone.stdout, alone.stdout + alone.stderr
