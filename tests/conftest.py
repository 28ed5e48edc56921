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


@pytest.fixture
def build(tmp_path: Path, make_app):  # type: ignore[no-untyped-def]
    """Build a one-off Sphinx project from ``{filename: text}``; return ``(app, warnings)``.

    Each call builds a new project in a folder of its own, so a test can compare two builds.

    ``conf.py`` defaults to loading the extension only; a file given as bytes is written as
    they are. Warnings come back without colours,
    one per line, with the source directory written as ``SRC``.
    """
    from sphinx.util.console import strip_escape_sequences

    apps: list[object] = []

    def run(files: dict[str, str | bytes], buildername: str = "html", **kwargs: object):  # type: ignore[no-untyped-def]
        # A test may build several projects: each gets its own folder, and the previous app
        # unregisters its nodes and roles first.
        if apps:
            apps[-1].cleanup()  # type: ignore[attr-defined]
        srcdir = tmp_path / ("src" if not apps else f"src-{len(apps) + 1}")
        files = {"conf.py": 'extensions = ["fm_papers.sphinxext"]\n', **files}
        for name, text in files.items():
            path = srcdir / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(text, bytes):
                path.write_bytes(text)
            else:
                path.write_text(text, encoding="utf-8")
        app = make_app(buildername, srcdir=srcdir, freshenv=True, **kwargs)
        apps.append(app)
        app.build()
        warnings = strip_escape_sequences(app.warning.getvalue()).replace(str(srcdir), "SRC")
        return app, warnings

    return run
