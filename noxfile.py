"""Every developer task, one nox session each: nox -l lists them, nox -s NAME runs one.

Sessions reuse their virtualenvs (nox -R also skips reinstalling) and pass posargs through to
the tool they run, e.g. nox -s tests -- -k query -x.
"""

from __future__ import annotations

import json
import logging
import os
import runpy
import shutil
import sys
import tempfile
from pathlib import Path

import nox

nox.needs_version = ">=2025.2.9"  # nox.project.dependency_groups
nox.options.sessions = ["lint", "tests", "docs"]
nox.options.reuse_existing_virtualenvs = True


class _NoUvProbe(logging.Filter):
    """Drop nox's "uv binary not found." line. nox probes for uv before it makes any
    virtualenv, whatever the backend, and logs the miss in every session; these sessions use
    virtualenv and pip, so the absence of uv is no news."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != "uv binary not found."


logging.getLogger("nox").addFilter(_NoUvProbe())

ROOT = Path(__file__).resolve().parent
PYPROJECT = nox.project.load_toml(ROOT / "pyproject.toml")
BUILD = ROOT / "build"


def _group(name: str) -> list[str]:
    return list(nox.project.dependency_groups(PYPROJECT, name))


def _install_package(session: nox.Session, *pip_args: str, extras: str = "[sphinx]") -> None:
    """Install the project itself, non-editable, so tests see what users get."""
    session.install(f".{extras}", "--force-reinstall", "--no-deps")
    session.install(f".{extras}", *pip_args)


def _pytest(session: nox.Session, *args: str, env: dict[str, str] | None = None) -> None:
    """Run pytest. Collecting no test at all is a failure, not a pass: pytest's exit code 5
    (no tests collected) fails the session like any other non-zero code."""
    session.run("pytest", *args, env=env or {})


#: The Hypothesis profile of the offline suite (tests/conftest.py): thorough in CI.
HYPOTHESIS = "--hypothesis-profile=" + ("thorough" if os.environ.get("CI") else "quick")


@nox.session
def tests(session: nox.Session) -> None:
    """Run the test suite against the installed package and the newest dependencies.

    The offline suite: browser and hook tests run in their own sessions. The newest release of
    every dependency is the newest end of the support range."""
    session.install(*_group("test"))
    _install_package(session)
    _pytest(session, HYPOTHESIS, *session.posargs)


#: The floors of ``nox -s coverage``, in percent of lines and branches together: the total, and
#: every module of the package and its extension.
COVERAGE_FLOORS = {"total": 95, "module": 90}


@nox.session(default=False)
def coverage(session: nox.Session) -> None:
    """Run the offline suite under branch coverage; fail under the floors.

    The suite as ``tests`` runs it, and the Python processes the tests start (the
    ``fm-papers`` script, ``python -m ...``) too. One combined report of the checkout's files
    (build/coverage/)."""
    session.install(*_group("test"), *_group("coverage"))
    _install_package(session)
    out = BUILD / "coverage"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    env = {"COVERAGE_FILE": str(out / ".coverage")}
    # -P: the root is not put on sys.path, so the tests import the installed package as under
    # `pytest` in the tests session (a test's own `python -m` still finds the checkout's copy).
    session.run(
        "python", "-P", "-m", "coverage", "run", "-m", "pytest", *session.posargs, env=env,
    )  # fmt: skip
    session.run("coverage", "combine", "--quiet", env=env)
    total = f"--fail-under={COVERAGE_FLOORS['total']}"
    session.run("coverage", "report", "--skip-covered", "--show-missing", total, env=env)
    report = str(out / "coverage.json")
    session.run("coverage", "json", "--quiet", "--fail-under=0", "-o", report, env=env)
    session.run(
        "python", str(ROOT / "tools" / "check_coverage.py"), report,
        "--floor", str(COVERAGE_FLOORS["module"]),
    )  # fmt: skip


#: What installing ``.[sphinx]`` brings: the package's dependencies and its Sphinx extra.
REQUIREMENTS: list[str] = [
    *PYPROJECT["project"]["dependencies"],
    *PYPROJECT["project"]["optional-dependencies"]["sphinx"],
]


def _lower_bounds() -> dict[str, str]:
    """Each dependency of the package and its Sphinx extra, and MyST (the manual's and the
    tests'), at the lower bound pyproject.toml declares: a lowest-direct resolution."""
    from packaging.requirements import Requirement

    declared = [*REQUIREMENTS, *(r for r in _group("docs") if r.startswith("myst-parser"))]
    bounds: dict[str, str] = {}
    for text in declared:
        requirement = Requirement(text)
        (lowest,) = (s.version for s in requirement.specifier if s.operator == ">=")
        bounds[requirement.name] = lowest
    return bounds


#: The rest of the support range (``tests`` is its newest end): the oldest Sphinx with every
#: direct dependency at its lower bound, and the newest release of each older Sphinx series,
#: each with the newest docutils, MyST and sphinx-design releases that it accepts.
COMPAT: dict[str, dict[str, str]] = {
    "lowest": {name: f"=={version}" for name, version in _lower_bounds().items()},
    "sphinx-7.4": {"sphinx": "==7.4.*"},
    "sphinx-8.2": {"sphinx": "==8.2.*"},
}


@nox.session
@nox.parametrize("versions", list(COMPAT.values()), ids=list(COMPAT))
def compat(session: nox.Session, versions: dict[str, str]) -> None:
    """Run the test suite at the older ends of the support range.

    The versions installed are printed and checked against the pins."""
    pins = [f"{name}{spec}" for name, spec in versions.items()]
    constraints = Path(session.create_tmp()) / "constraints.txt"
    constraints.write_text("\n".join(pins) + "\n", encoding="utf-8")
    session.install(*_group("test"), "-c", str(constraints))
    _install_package(session, "-c", str(constraints))
    session.run("python", str(ROOT / "tools" / "check_versions.py"), *pins)
    _pytest(session, *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """Lint with ruff and mypy --strict, and check the data is as a build gives it.

    mypy covers the package and the tests; the shipped data must be what a rebuild writes,
    and the manual's overlays canonical and valid."""
    session.install(*_group("lint"), *_group("test"))
    _install_package(session)
    session.run("ruff", "check", ".", *session.posargs)
    session.run("ruff", "format", "--check", ".")
    session.run("mypy")  # what [tool.mypy] names: fm_papers and tests (the test group typed)
    session.run("python", "curation/build.py", "--check")
    # The shipped papers.yaml is checked by the build above (it is what a canonical build
    # writes); here, the overlays of the manual.
    overlays = sorted(map(str, ROOT.glob("example_docs/*.yaml")))
    session.run("fm-papers", "fmt", "--check", *overlays)
    session.run("fm-papers", "validate", *overlays)


@nox.session
def docs(session: nox.Session) -> None:
    """Build the manual (example_docs/) to HTML, warnings as errors.

    ``-- -b latex`` picks another builder. On Read the Docs (``READTHEDOCS_OUTPUT`` set), the
    HTML goes where it is served from."""
    session.install(*_group("docs"))
    _install_package(session)
    args = list(session.posargs) or ["-b", "html"]
    builder = args[args.index("-b") + 1] if "-b" in args else "html"
    out = BUILD / "docs" / builder
    if builder == "html" and os.environ.get("READTHEDOCS_OUTPUT"):
        out = Path(os.environ["READTHEDOCS_OUTPUT"]) / "html"
    session.run(
        "sphinx-build", "-W", "--keep-going", "-q", "-d", str(BUILD / "doctrees"), *args,
        "example_docs", str(out),
    )  # fmt: skip
    if builder == "html":
        # The schema editors read is published at the site's root, as `fm-papers schema` prints it.
        published = out / "fm-papers.schema.json"
        printed = session.run("fm-papers", "schema", silent=True)
        if not published.is_file() or published.read_text(encoding="utf-8") != printed:
            session.error(f"{published} is missing or differs from `fm-papers schema`")
    index = out / "index.html"
    session.log(f"docs built: {index.as_uri() if index.exists() else out}")


@nox.session(default=False)
def rtd(session: nox.Session) -> None:
    """Run .readthedocs.yaml's build commands as Read the Docs does.

    With its Python and a fresh ``READTHEDOCS_OUTPUT``; checks that they leave the manual where
    Read the Docs serves it."""
    session.install("pyyaml")
    config = session.run(
        "python", "-c",
        "import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))",
        str(ROOT / ".readthedocs.yaml"), silent=True,
    )  # fmt: skip
    settings = json.loads(str(config))
    python = settings["build"]["tools"]["python"]
    if settings.get("version") != 2:
        session.error(".readthedocs.yaml: expected version 2")
    if python != f"{sys.version_info[0]}.{sys.version_info[1]}":
        session.error(f"Read the Docs uses Python {python}: run python{python} -m nox -s rtd")
    out = BUILD / "rtd"
    shutil.rmtree(out, ignore_errors=True)
    env = {"READTHEDOCS": "True", "READTHEDOCS_OUTPUT": str(out)}
    for command in settings["build"]["commands"]:
        session.run("bash", "-c", command, env=env, external=True)
    for name in ("index.html", "fm-papers.schema.json", "objects.inv"):
        if not (out / "html" / name).is_file():
            session.error(f"Read the Docs would serve no {name}")
    session.log(f"Read the Docs build: {(out / 'html' / 'index.html').as_uri()}")


@nox.session(name="docs-builders", default=False)
def docs_builders(session: nox.Session) -> None:
    """Build the manual with every other builder (latex, text, man, epub...), -W."""
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
        session.run(sys.executable, "-m", "venv", str(venv), external=True)
        bindir = venv / ("Scripts" if os.name == "nt" else "bin")
        python = str(bindir / "python")
        session.run(python, "-m", "pip", "install", "--quiet", str(wheel), external=True)
        # Run from the temporary directory so the source tree cannot shadow the install.
        session.chdir(tmp)
        session.run(python, str(ROOT / "tools" / "check_wheel.py"), str(wheel), external=True)
        session.chdir(ROOT)


def _stops_in_one_line(session: nox.Session, python: str, expected: str) -> None:
    """``python -m pytest``, run from the root as the README says, stops with exit code 4 and
    one line of output, which says ``expected``."""
    output = session.run(
        python, "-m", "pytest", "-p", "no:cacheprovider", silent=True, success_codes=[4],
        external=True,
    )  # fmt: skip
    lines = str(output).strip().splitlines()
    if len(lines) != 1 or expected not in lines[0]:
        session.error(f"{python} -m pytest should say {expected!r} in one line, printed: {output}")


@nox.session(default=False)
def checkout(session: nox.Session) -> None:
    """Run a contributor's commands from the repository root, uninstalled and installed.

    After a normal and then an editable install: ``python -m pytest``, ``sphinx-build
    example_docs``, ``mypy`` and ``coverage``. The source tree is a whole package
    (``fm_papers/sphinxext`` is a link to ``sphinxext/``), so whichever copy Python finds
    first, the extension has one name. Not installed, ``python -m pytest`` stops with one line
    saying what to install: with Sphinx there, and in a virtualenv holding pytest alone
    (then with fm-papers but not its Sphinx extra)."""
    session.install(
        *REQUIREMENTS, *_group("test"), *_group("docs"), *_group("lint"), *_group("coverage")
    )
    session.run("python", "-m", "pip", "uninstall", "--quiet", "--yes", "fm-papers")
    _stops_in_one_line(session, "python", "fm-papers is not installed: run 'nox -s tests'")
    # A Python with pytest alone: conftest.py cannot load Sphinx's fixtures, and says so.
    scratch = Path(session.create_tmp()) / "pytest-only"
    shutil.rmtree(scratch, ignore_errors=True)
    session.run("python", "-m", "venv", str(scratch))
    python = str(scratch / ("Scripts" if os.name == "nt" else "bin") / "python")
    pytest = next(r for r in _group("test") if r.startswith("pytest>"))
    session.run(python, "-m", "pip", "install", "--quiet", pytest, external=True)
    _stops_in_one_line(session, python, "fm-papers is not installed: run 'nox -s tests'")
    session.run(python, "-m", "pip", "install", "--quiet", ".", external=True)  # no extra
    _stops_in_one_line(session, python, "Sphinx (fm-papers' [sphinx] extra) is not installed")
    out = BUILD / "checkout"
    shutil.rmtree(out, ignore_errors=True)
    for mode, install in (("normal", [".[sphinx]"]), ("editable", ["-e", ".[sphinx]"])):
        session.install(*install)
        # From the root, Python imports the checkout's copy first, whatever the install.
        where = session.run(
            "python", "-c", "import fm_papers.sphinxext as x; print(x.__file__)", silent=True
        )  # fmt: skip
        if Path(str(where).strip()) != ROOT / "fm_papers" / "sphinxext" / "__init__.py":
            session.error(f"{mode}: fm_papers.sphinxext came from {where}")
        session.run(
            "python", "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_package.py",
            "tests/test_sphinx_basic.py",
        )  # fmt: skip
        session.run("sphinx-build", "-W", "-q", "-b", "html", "example_docs", str(out / mode))
        session.run("mypy")
        data = str(out / f"{mode}.coverage")
        session.run(
            "coverage", "run", f"--data-file={data}", "-m", "pytest", "-q", "-p",
            "no:cacheprovider", "tests/test_sphinx_basic.py",
        )  # fmt: skip
        # The extension is measured as part of fm_papers (source_pkgs), from the checkout's
        # files (coverage names a file by its real path: sphinxext/...), not an installed copy.
        report = str(session.run("coverage", "report", f"--data-file={data}", silent=True))
        if "sphinxext/directive.py" not in report or "site-packages" in report:
            session.error(f"{mode}: coverage did not measure the checkout's extension")


@nox.session(default=False)
def hooks(session: nox.Session) -> None:
    """Run the pre-commit hooks of .pre-commit-hooks.yaml through pre-commit itself.

    ``pre-commit try-repo`` in a scratch repository; pre-commit installs their environment
    from PyPI."""
    session.install("pre-commit>=3", "pytest>=8", "pytest-timeout>=2.3")
    _install_package(session)  # the tests' conftest.py loads Sphinx's test fixtures
    _pytest(session, "tests/hooks", "-m", "hooks", "-p", "no:cacheprovider", *session.posargs)


def _debian(session: nox.Session, command: str, *packages: str, recommends: bool = True) -> str:
    """The path of ``command``, installing Debian ``packages`` with apt-get when it is missing
    (Playwright's own browser download is never used)."""
    found = shutil.which(command)
    if found:
        return found
    if not shutil.which("apt-get"):
        session.error(f"{command} is not installed and apt-get is not available")
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    env = {"DEBIAN_FRONTEND": "noninteractive"}
    session.run(*sudo, "apt-get", "update", "-qq", external=True, env=env)
    lean = [] if recommends else ["--no-install-recommends"]
    session.run(
        *sudo, "apt-get", "install", "-y", "-qq", *lean, *packages, external=True, env=env,
    )  # fmt: skip
    return shutil.which(command) or session.error(f"{command} did not install")


@nox.session(default=False)
def browser(session: nox.Session) -> None:
    """Check the built docs and a site per theme in Chromium, driven by Playwright.

    Debian's Chromium: behaviour, axe, and layout geometry per theme x light/dark x
    desktop/phone (screenshots in build/browser/screenshots/)."""
    chromium = _debian(session, "chromium", "chromium")
    session.install(*_group("browser"))
    _install_package(session)
    env = {"FM_PAPERS_CHROMIUM": chromium, "FM_PAPERS_BROWSER_OUT": str(BUILD / "browser")}
    _pytest(
        session, "tests/browser", "-m", "browser", "-p", "no:cacheprovider", *session.posargs,
        env=env,
    )  # fmt: skip


#: The themes ``nox -s themes`` builds the browser test site with, the browser tests' list;
#: ``nox -s themes -- furo`` builds only the themes named.
THEMES: tuple[str, ...] = runpy.run_path(str(ROOT / "tests" / "browser" / "themes.py"))["THEMES"]


@nox.session(default=False)
def themes(session: nox.Session) -> None:
    """Build the browser test site once per theme, warnings as errors.

    Its reST and MyST pages, into build/themes/<theme>: a theme, MyST or sphinx-design release
    that breaks us fails."""
    session.install(*_group("themes"))
    _install_package(session)
    unknown = sorted(set(session.posargs) - set(THEMES))
    if unknown:
        session.error(f"unknown themes {unknown}: choose from {', '.join(THEMES)}")
    site = ROOT / "tests" / "browser" / "site"
    for theme in session.posargs or THEMES:
        out = BUILD / "themes" / theme
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir(parents=True)
        # Run from the output folder so the source tree cannot shadow the installed package.
        session.chdir(out)
        # A fresh folder each time: no cached pages hide a warning.
        session.run(
            "python", "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html", str(site), str(out),
            env={"FM_PAPERS_THEME": theme},
        )  # fmt: skip
        session.chdir(ROOT)
        # Every page of the site shows its blocks, the MyST one included.
        for source in sorted(site.glob("*.*")):
            if source.suffix in (".rst", ".md") and source.stem != "plain":
                html = (out / f"{source.stem}.html").read_text(encoding="utf-8")
                if 'class="fm-papers ' not in html:
                    session.error(f"{theme}: {source.name} shows no fm-papers block")
    session.log(f"built {len(session.posargs or THEMES)} themes into {BUILD / 'themes'}")


@nox.session(default=False)
def pdf(session: nox.Session) -> None:
    """Build the manual as a PDF with pdflatex, and check it.

    Debian's TeX Live, installed when missing. Checked: references resolved, the first
    example's papers in its text. A PNG of that page is written beside the PDF
    (build/pdf/latex/directive-page.png)."""
    _debian(
        session, "latexmk", "latexmk", "texlive-latex-recommended", "texlive-latex-extra",
        "texlive-fonts-recommended", "tex-gyre", recommends=False,
    )  # fmt: skip
    _debian(session, "pdftotext", "poppler-utils")
    session.install(*_group("docs"))
    _install_package(session)
    out = BUILD / "pdf"
    shutil.rmtree(out, ignore_errors=True)
    session.run(
        "sphinx-build", "-M", "latexpdf", "example_docs", str(out), "-W", "--keep-going", "-q",
        env={"LATEXMKOPTS": "-quiet"},
    )  # fmt: skip
    session.run(
        "python", str(ROOT / "tools" / "check_pdf.py"), str(out / "latex" / "fm-papers.pdf")
    )


@nox.session(default=False)
def bench(session: nox.Session) -> None:
    """Run the benchmarks, printed as ratios measured side by side in one run.

    ``-- --quick`` for small sizes. Every ``benchmarks/bench_*.py`` runs, even after one has failed: a script exits with 1
    when it misses a target (it prints a ``MISSED TARGET:`` line for each) or crashes. The
    session then fails, naming the scripts that did."""
    session.install(*_group("test"))
    _install_package(session)
    failed: list[str] = []
    for script in sorted((ROOT / "benchmarks").glob("bench_*.py")):
        try:
            session.run("python", str(script), *session.posargs)
        except nox.command.CommandFailed as error:
            code = getattr(error, "return_code", None)  # newer nox releases set it
            failed.append(script.name + (f" (exit code {code})" if code is not None else ""))
    if failed:
        session.error(f"missed a target or failed: {', '.join(failed)}")
