"""Shared fixtures. Sphinx's testing fixtures are loaded here for the extension's tests."""

from __future__ import annotations

import importlib.util
import inspect
import os
import re
import shutil
import sysconfig
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from sphinx.testing.util import SphinxTestApp

#: Sphinx's fixtures (``make_app``...), loaded only where Sphinx is installed: pytest would
#: stop with a traceback on a plugin it cannot import, and :func:`pytest_configure` says instead,
#: in one line, what to install.
SPHINX = importlib.util.find_spec("sphinx") is not None
pytest_plugins = ("sphinx.testing.fixtures",) if SPHINX else ()
#: What both one-line stops suggest: nox installs everything; by hand, the package with its
#: Sphinx extra and pyproject.toml's test dependency group (pip reads groups from 25.1 on).
INSTALL = (
    "run 'nox -s tests', or install it first with "
    'python -m pip install -e ".[sphinx]" --group test (pip 25.1 or later)'
)


def _hypothesis_profiles() -> None:
    """Property tests: a quick run by default, a thorough one in CI (nox passes
    --hypothesis-profile=thorough when CI is set). Their examples write files into tmp_path,
    which a function-scoped fixture gives once per test, not per example: each example writes
    the same file name afresh. The browser and hook sessions run none, and lack Hypothesis."""
    try:
        from hypothesis import HealthCheck, settings
    except ModuleNotFoundError:
        return
    for name, examples in (("quick", 60), ("thorough", 600)):
        settings.register_profile(
            name,
            max_examples=examples,
            deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture],
        )
    settings.load_profile("quick")


_hypothesis_profiles()


def pytest_configure(config: pytest.Config) -> None:
    """Stop with one line when the package or Sphinx is not installed, and find its command.

    The tests exercise the installed package, its ``fm-papers`` command included: an
    uninstalled checkout would fail them one by one (its ``fm_papers.egg-info`` folder, left
    by any earlier build, can even pass for installed metadata). The command is looked up
    beside this Python first, so a virtualenv's Python works without activating it. Sphinx
    (the ``[sphinx]`` extra) builds the extension's tests; without it, the same one line.
    """
    scripts = sysconfig.get_path("scripts")
    if not shutil.which("fm-papers", path=scripts) and not shutil.which("fm-papers"):
        pytest.exit(f"fm-papers is not installed: {INSTALL}", returncode=4)
    if not SPHINX:
        pytest.exit(f"Sphinx (fm-papers' [sphinx] extra) is not installed: {INSTALL}", returncode=4)
    os.environ["PATH"] = os.pathsep.join([scripts, os.environ.get("PATH", "")])


collect_ignore = ["roots"]

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent


@pytest.fixture(scope="session")
def rootdir() -> Path:
    """Where Sphinx test roots live (``tests/roots/test-<name>/``)."""
    return TESTS / "roots"


@pytest.fixture
def make_app(make_app: Callable[..., SphinxTestApp]) -> Callable[..., SphinxTestApp]:
    """Sphinx's ``make_app`` with warning types shown, so that every supported Sphinx prints
    warnings alike (8.0 made ``show_warning_types`` the default; 7.3 and 7.4 need it set)."""

    def make(*args: Any, **kwargs: Any) -> SphinxTestApp:
        kwargs["confoverrides"] = {"show_warning_types": True, **kwargs.get("confoverrides", {})}
        return make_app(*args, **kwargs)

    return make


@pytest.fixture
def resolved_doctree() -> Callable[[Any, str], Any]:
    """``resolved_doctree(app, docname)``: the page's doctree as the builder writes it, on
    every supported Sphinx (``tags`` became a parameter of ``get_and_resolve_doctree`` in 9.0)."""

    def resolve(app: Any, docname: str = "index") -> Any:
        method = app.env.get_and_resolve_doctree
        if "tags" in inspect.signature(method).parameters:
            return method(docname, app.builder, tags=app.tags)
        return method(docname, app.builder)

    return resolve


@pytest.fixture
def code_blocks() -> Callable[[str, str], list[str]]:
    """``code_blocks(text, language)``: the ``.. code-block:: <language>`` blocks of a reST
    text, in order, dedented, each ending in one newline: the manual's examples as written."""

    def find(text: str, language: str) -> list[str]:
        blocks = re.findall(rf".. code-block:: {language}\n\n((?:   .*\n|\n)+)", text)
        return [
            "\n".join(line[3:] for line in block.splitlines()).strip("\n") + "\n"
            for block in blocks
        ]

    return find


@pytest.fixture
def fresh_cache() -> Iterator[None]:
    """Forget cached catalogues before and after a test that swaps data files."""
    from fm_papers.loader import clear_cache

    clear_cache()
    yield
    clear_cache()


@pytest.fixture
def write_yaml(tmp_path: Path) -> Callable[..., Path]:
    """Write a YAML text to a file under tmp_path and return its path."""

    def write(text: str, name: str = "overlay.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def build(
    tmp_path: Path, make_app: Callable[..., SphinxTestApp]
) -> Callable[..., tuple[SphinxTestApp, str]]:
    """Build a one-off Sphinx project from ``{filename: text}``; return ``(app, warnings)``.

    Each call builds a new project in a folder of its own, so a test can compare two builds.

    ``conf.py`` defaults to loading the extension only; a file given as bytes is written as
    they are. Warnings come back without colours,
    one per line, with the source directory written as ``SRC``.
    """
    from sphinx.util.console import strip_escape_sequences

    apps: list[SphinxTestApp] = []

    def run(
        files: dict[str, str | bytes], buildername: str = "html", **kwargs: Any
    ) -> tuple[SphinxTestApp, str]:
        # A test may build several projects: each gets its own folder, and the previous app
        # unregisters its nodes and roles first.
        if apps:
            apps[-1].cleanup()
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
