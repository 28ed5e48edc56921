"""Every developer task: ``nox -s tests``, ``lint``, ``docs``, ``build``, ``bench``, ``browser``.

Sessions reuse their virtualenvs (``nox -R`` also skips reinstalling) and pass ``posargs``
through to the tool they run, e.g. ``nox -s tests -- -k query -x``.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import nox

nox.needs_version = ">=2024.4.15"
nox.options.sessions = ["lint", "tests", "docs"]
nox.options.reuse_existing_virtualenvs = True

ROOT = Path(__file__).resolve().parent
PYPROJECT = nox.project.load_toml(ROOT / "pyproject.toml")
BUILD = ROOT / "build"


def _group(name: str) -> list[str]:
    return list(nox.project.dependency_groups(PYPROJECT, name))


def _install_package(session: nox.Session, extras: str = "[sphinx]") -> None:
    """Install the project itself, non-editable, so tests see what users get."""
    session.install(f".{extras}", "--force-reinstall", "--no-deps")
    session.install(f".{extras}")


def _pytest(session: nox.Session, *args: str) -> None:
    """Run pytest; collecting no test at all is an error, not a pass."""
    code = session.run("pytest", *args, success_codes=[0, 5])
    if code == 5:
        session.error("pytest collected no tests: check the selection (-k, -m, paths)")


@nox.session
def tests(session: nox.Session) -> None:
    """Run the test suite (browser tests excluded) against the installed package."""
    session.install(*_group("test"))
    _install_package(session)
    _pytest(session, "-m", "not browser", "--ignore=tests/browser", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """Ruff, mypy --strict, and the data: rebuilt as shipped, canonical, valid."""
    session.install(*_group("lint"), *_group("test"))
    _install_package(session)
    session.run("ruff", "check", ".", *session.posargs)
    session.run("ruff", "format", "--check", ".")
    session.run("mypy")
    session.run("python", "curation/build.py", "--check")
    # The shipped papers.yaml is checked by the build above (it is what a canonical build
    # writes); here, the overlays of the manual.
    overlays = sorted(map(str, ROOT.glob("example_docs/*.yaml")))
    session.run("fm-papers", "fmt", "--check", *overlays)
    session.run("fm-papers", "validate", *overlays)


@nox.session
def docs(session: nox.Session) -> None:
    """Build example_docs/ to HTML with warnings as errors (``-- -b latex`` for another builder)."""
    session.install(*_group("docs"))
    _install_package(session)
    args = list(session.posargs) or ["-b", "html"]
    builder = args[args.index("-b") + 1] if "-b" in args else "html"
    out = BUILD / "docs" / builder
    session.run(
        "sphinx-build", "-W", "--keep-going", "-q", "-d", str(BUILD / "doctrees"), *args,
        "example_docs", str(out),
    )  # fmt: skip
    index = out / "index.html"
    session.log(f"docs built: {index.as_uri() if index.exists() else out}")


@nox.session(name="docs-builders", default=False)
def docs_builders(session: nox.Session) -> None:
    """Build example_docs/ with every other builder (latex, text, man, epub, ...), -W."""
    session.install(*_group("docs"))
    _install_package(session)
    for builder in session.posargs or ["dirhtml", "singlehtml", "latex", "text", "man", "epub"]:
        session.run(
            "sphinx-build", "-W", "--keep-going", "-q", "-d", str(BUILD / "doctrees" / builder),
            "-b", builder, "example_docs", str(BUILD / "docs" / builder),
        )  # fmt: skip


@nox.session
def build(session: nox.Session) -> None:
    """Build sdist and wheel, then prove the wheel installs and carries its data."""
    session.install("build", "twine")
    dist = BUILD / "dist"
    shutil.rmtree(dist, ignore_errors=True)
    session.run("python", "-m", "build", "--outdir", str(dist))
    session.run("twine", "check", "--strict", *map(str, dist.iterdir()))
    wheel = next(dist.glob("*.whl"))
    with tempfile.TemporaryDirectory() as tmp:
        venv = Path(tmp) / "venv"
        session.run(sys.executable, "-m", "venv", str(venv))
        bindir = venv / ("Scripts" if os.name == "nt" else "bin")
        python = str(bindir / "python")
        session.run(python, "-m", "pip", "install", "--quiet", str(wheel), external=True)
        # Run from the temporary directory so the source tree cannot shadow the install.
        session.chdir(tmp)
        session.run(python, str(ROOT / "benchmarks" / "check_wheel.py"), str(wheel), external=True)
        session.chdir(ROOT)


def _ensure_chromium(session: nox.Session) -> str:
    """Debian's Chromium, installed with apt-get when it is missing (Playwright's own
    browser download is never used)."""
    found = shutil.which("chromium")
    if found:
        return found
    if not shutil.which("apt-get"):
        session.error("chromium is not installed and apt-get is not available")
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    env = {"DEBIAN_FRONTEND": "noninteractive"}
    session.run(*sudo, "apt-get", "update", "-qq", external=True, env=env)
    session.run(*sudo, "apt-get", "install", "-y", "-qq", "chromium", external=True, env=env)
    return shutil.which("chromium") or session.error("chromium did not install")


@nox.session(default=False)
def browser(session: nox.Session) -> None:
    """Drive Debian's Chromium with Playwright over the built docs and one site per theme."""
    chromium = _ensure_chromium(session)
    session.install(*_group("browser"))
    _install_package(session)
    env = {"FM_PAPERS_CHROMIUM": chromium, "FM_PAPERS_BROWSER_OUT": str(BUILD / "browser")}
    code = session.run(
        "pytest", "tests/browser", "-m", "browser", "-p", "no:cacheprovider", *session.posargs,
        env=env, success_codes=[0, 5],
    )  # fmt: skip
    if code == 5:
        session.error("pytest collected no browser tests")


@nox.session(default=False)
def bench(session: nox.Session) -> None:
    """Benchmarks: ratios measured side by side in one run (``-- --quick`` for small sizes)."""
    session.install(*_group("test"))
    _install_package(session)
    for script in sorted((ROOT / "benchmarks").glob("bench_*.py")):
        session.run("python", str(script), *session.posargs)
