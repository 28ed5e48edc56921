"""Shared fixtures. Sphinx's testing fixtures are loaded here for the extension's tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from fm_papers.loader import clear_cache

pytest_plugins = ("sphinx.testing.fixtures",)
collect_ignore = ["roots"]

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent


@pytest.fixture(scope="session")
def rootdir() -> Path:
    """Where Sphinx test roots live (``tests/roots/test-<name>/``)."""
    return TESTS / "roots"


@pytest.fixture
def fresh_cache() -> Iterator[None]:
    """Forget cached catalogues before and after a test that swaps data files."""
    clear_cache()
    yield
    clear_cache()


@pytest.fixture
def write_yaml(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Write a YAML text to a file under tmp_path and return its path."""

    def write(text: str, name: str = "overlay.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write
