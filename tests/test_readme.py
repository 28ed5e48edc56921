"""Every fenced block of README.md runs, or is checked, as written.

Python blocks run from the repository root, in a Python of their own; every ``$ fm-papers``
line of a console block runs in a temporary folder holding a copy of the files it names (so
the checkout is never written to), its exit status and output checked against the catalogue;
the reST and MyST directive blocks are built by Sphinx; the shell lines (quick start, install,
contributing) are checked against what they rely on: the nox sessions, the clone address, the
extra, the wheel's name, and the virtualenv line is run. A block or a line of a kind that no
test here knows fails, so a new README example cannot go unchecked.
"""

from __future__ import annotations

import ast
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from docutils import nodes

import fm_papers
from fm_papers.filters import filter_values

if TYPE_CHECKING:
    from sphinx.testing.util import SphinxTestApp

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
Build = Callable[..., tuple["SphinxTestApp", str]]
Resolve = Callable[[Any, str], Any]

#: A fenced block: a run of three or more backticks, an info string, and the same run again.
FENCE = re.compile(
    r"^(?P<fence>`{3,})(?P<lang>[\w-]*)\n(?P<body>.*?)^(?P=fence)[ \t]*$", re.MULTILINE | re.DOTALL
)


@dataclass(frozen=True)
class Block:
    lang: str
    body: str
    line: int

    @property
    def name(self) -> str:
        return f"README.md:{self.line}:{self.lang}"


def _blocks() -> list[Block]:
    return [
        Block(m["lang"], m["body"], README.count("\n", 0, m.start()) + 1)
        for m in FENCE.finditer(README)
    ]


BLOCKS = _blocks()


def _of(lang: str) -> list[Block]:
    return [block for block in BLOCKS if block.lang == lang]


#: The kinds of block this file runs or checks; any other kind fails the first test.
KNOWN = ("python", "console", "bash", "rst", "md")


def test_every_fenced_block_is_one_this_file_runs_or_checks() -> None:
    assert BLOCKS
    assert sorted({block.lang for block in BLOCKS} - set(KNOWN)) == []
    # No fence the pattern missed (an unclosed one, or one with a stray info string).
    rest = FENCE.sub("", README)
    assert [line for line in rest.splitlines() if line.lstrip().startswith("```")] == []
    for lang in KNOWN:
        assert _of(lang), f"no {lang} block: drop it from KNOWN"


# Python ------------------------------------------------------------------------------------

#: ``expression  # value`` where the comment starts with a Python literal: a claim to check.
CLAIM = re.compile(r"^(?P<expr>[^#=]+?)\s+#\s+(?P<value>\d+|'[^']*'|\"[^\"]*\")(?=[:\s,;]|$)")


def _claims(code: str) -> list[tuple[str, object]]:
    return [
        (m["expr"], ast.literal_eval(m["value"]))
        for m in map(CLAIM.match, code.splitlines())
        if m is not None
    ]


def test_the_claim_pattern_reads_values_not_prose() -> None:
    assert _claims("len(x)  # 3\nx.id  # 'a': text\ny = f(x)  # 4\nz()  # the 2 of them\n") == [
        ("len(x)", 3),
        ("x.id", "a"),
    ]


def test_python_blocks_run_from_the_root_and_their_comments_hold() -> None:
    """The blocks run in order in one fresh Python from the repository root, as a reader who
    pastes them there runs them; each ``expression  # value`` comment is then checked."""
    code = "\n".join(block.body for block in _of("python"))
    checks = [f"assert ({expr}) == {value!r}, ({expr!r}, {expr})" for expr, value in _claims(code)]
    assert checks  # the README states some results (a count, an id): they are tested
    result = subprocess.run(
        [sys.executable, "-c", "\n".join([code, *checks])],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_the_overlay_the_python_block_names_adds_papers() -> None:
    (path,) = re.findall(r'fm_papers\.load\(extra=\["([^"]+)"\]\)', _of("python")[0].body)
    assert (REPO / path).is_file()
    assert len(fm_papers.load(extra=[REPO / path])) > len(fm_papers.load())


# Console -----------------------------------------------------------------------------------


def _console_lines() -> list[str]:
    return [line for block in _of("console") for line in block.body.splitlines() if line]


def test_console_blocks_hold_fm_papers_commands_only() -> None:
    lines = _console_lines()
    assert lines
    assert [line for line in lines if not line.startswith("$ fm-papers ")] == []


def _filters(argv: list[str]) -> dict[str, str]:
    """``--name value`` pairs as the Python API's keyword arguments."""
    pairs = dict(zip(argv[::2], argv[1::2], strict=True))
    return {flag.removeprefix("--").replace("-", "_"): value for flag, value in pairs.items()}


def _check_list(argv: list[str], out: str, err: str, where: Path) -> None:
    selected = fm_papers.load().query(**_filters(argv[2:]))
    assert len(selected) > 0
    header, *rows, total = out.splitlines()
    assert header.split()[0] == "ID"
    assert [row.split()[0] for row in rows] == [paper.id for paper in selected]
    # A flagged paper's title starts with [!], which the count explains.
    flagged = [paper for paper in selected if paper.flags]
    note = "; [!]: a source defect" if 0 < len(flagged) < len(selected) else ""
    assert total == f"({len(selected)} papers{note})"


def _check_show(argv: list[str], out: str, err: str, where: Path) -> None:
    paper = fm_papers.load().get(argv[2])
    assert out.splitlines()[0] == paper.id
    assert paper.title in " ".join(out.split())


def _check_sections(argv: list[str], out: str, err: str, where: Path) -> None:
    catalogue = fm_papers.load()
    counts = {line.split()[0]: line.split()[1] for line in out.splitlines() if line.strip()}
    for domain in catalogue.taxonomy.domains:
        assert counts[domain.key] == str(len(catalogue.query(domain=domain.key)))


def _check_export(argv: list[str], out: str, err: str, where: Path) -> None:
    target = argv[argv.index("-o") + 1]
    # BibTeX, as --format says or, without it, the file's extension does.
    written = argv[argv.index("--format") + 1] if "--format" in argv else Path(target).suffix
    assert written in ("bibtex", ".bib")
    text = (where / target).read_text(encoding="utf-8")
    assert len(re.findall(r"^@\w+\{", text, re.MULTILINE)) == len(fm_papers.load())


def _check_validate(argv: list[str], out: str, err: str, where: Path) -> None:
    papers = len(fm_papers.load(extra=[where / argv[2]]))
    assert f"{papers} papers valid" in out + err


def _check_fmt(argv: list[str], out: str, err: str, where: Path) -> None:
    assert argv[2] == "--check"
    assert (where / argv[3]).read_bytes() == (REPO / argv[3]).read_bytes()


def _check_import_markdown(argv: list[str], out: str, err: str, where: Path) -> None:
    written = where / argv[argv.index("-o") + 1]
    assert written.is_file()
    fm_papers.load(extra=[written])  # what it writes loads as an overlay
    (read,) = re.findall(r"^(\d+) entries read", err, re.MULTILINE)
    assert int(read) > 0


#: A sanity check of the output of each subcommand the README runs.
CHECKS: dict[str, Callable[[list[str], str, str, Path], None]] = {
    "list": _check_list,
    "show": _check_show,
    "sections": _check_sections,
    "export": _check_export,
    "validate": _check_validate,
    "fmt": _check_fmt,
    "import-markdown": _check_import_markdown,
}


@pytest.mark.parametrize("line", _console_lines())
def test_console_line_runs_as_written(line: str, tmp_path: Path, fresh_cache: None) -> None:
    argv = shlex.split(line.removeprefix("$ "), comments=True)
    assert argv[1] in CHECKS, f"no check for `fm-papers {argv[1]}`: add one"
    # The files the line names, copied to the same relative place: the checkout stays as it is.
    for arg in argv[1:]:
        if not arg.startswith("-") and (REPO / arg).is_file():
            (tmp_path / arg).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(REPO / arg, tmp_path / arg)
    result = subprocess.run(argv, cwd=tmp_path, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    CHECKS[argv[1]](argv, result.stdout, result.stderr, tmp_path)


# reST and MyST -----------------------------------------------------------------------------


def _conf(lang: str) -> str:
    """conf.py as the README says to write it (MyST: with ``myst_parser`` added)."""
    found = re.search(r"Add `(extensions = \[[^`]*\])` to `conf\.py`", README)
    assert found is not None
    if lang == "md":
        assert "(with `myst_parser` in `extensions`)" in README
        return f'{found[1]}\nextensions.append("myst_parser")\n'
    return f"{found[1]}\n"


@pytest.mark.parametrize("block", _of("rst") + _of("md"), ids=lambda b: b.name)
def test_directive_blocks_build_and_show_their_selection(
    block: Block, build: Build, resolved_doctree: Resolve
) -> None:
    if block.lang == "rst":
        assert block.body.startswith(".. fm-papers::\n")
        page = {"index.rst": f"Papers\n======\n\n{block.body}"}
    else:
        assert block.body.startswith("```{fm-papers}\n")
        page = {"index.md": f"# Papers\n\n{block.body}"}
    app, warnings = build({"conf.py": _conf(block.lang), **page})
    assert warnings == ""
    options = dict(re.findall(r"^\s*:([\w-]+):[ \t]*(.*)$", block.body, re.MULTILINE))
    assert options
    filters = filter_values(options)
    filters.setdefault("sort", app.config.fm_papers_sort)
    expected = [paper.id for paper in fm_papers.load().query(**filters)]
    assert expected
    items = [
        node["ids"][0].removeprefix("fm-paper-")
        for node in resolved_doctree(app, "index").findall(nodes.Element)
        if "fm-papers-item" in node["classes"]
    ]
    assert items == expected
    assert (Path(app.outdir) / "index.html").is_file()


# Shell -------------------------------------------------------------------------------------


def _sessions() -> set[str]:
    """The sessions of noxfile.py, read from its source (nox need not be installed here)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse((REPO / "noxfile.py").read_text(encoding="utf-8"))):
        if not isinstance(node, ast.FunctionDef):
            continue
        for decorator in node.decorator_list:
            call = decorator if isinstance(decorator, ast.Call) else None
            target = call.func if call else decorator
            if ast.unparse(target) == "nox.session":
                keywords = {k.arg: k.value for k in call.keywords} if call else {}
                name = keywords.get("name")
                names.add(ast.literal_eval(name) if name else node.name)
    return names


SESSIONS = _sessions()


def test_the_session_reader_finds_the_sessions() -> None:
    assert {"tests", "docs", "docs-builders"} <= SESSIONS
    assert "docs_builders" not in SESSIONS
    assert "_pytest" not in SESSIONS


def _commands(block: Block) -> list[list[str]]:
    """The block's commands: each line's words without its comment, split at ``&&``."""
    commands: list[list[str]] = []
    for line in block.body.splitlines():
        words = shlex.split(line, comments=True)
        while words:
            cut = words.index("&&") if "&&" in words else len(words)
            commands.append(words[:cut])
            words = words[cut + 1 :]
    return commands


def _check_pip_install(spec: str) -> None:
    """A pip requirement of the README: the project with a real extra, or the wheel a build
    makes, or a tool named in the project's files."""
    name = PYPROJECT["project"]["name"]
    extras = PYPROJECT["project"]["optional-dependencies"]
    match = re.fullmatch(r"(?P<what>[^\[]+)(?:\[(?P<extra>[\w-]+)\])?", spec)
    assert match is not None, spec
    if match["extra"]:
        assert match["extra"] in extras, spec
    what = match["what"]
    if what == ".":
        return
    if what.endswith(".whl"):
        wheel = f"dist/{name.replace('-', '_')}-{fm_papers.__version__}-py3-none-any.whl"
        assert what == wheel
        return
    # A tool: nox runs the sessions (noxfile.py), build makes the wheel (the build system).
    assert what in {"nox", "build"}, f"unknown package {spec!r} in the README"
    if what == "nox":
        assert "import nox" in (REPO / "noxfile.py").read_text(encoding="utf-8")
    else:
        assert PYPROJECT["build-system"]["build-backend"]


def _check_command(command: list[str], previous: list[str] | None) -> None:
    source = PYPROJECT["project"]["urls"]["Source"]
    match command:
        case ["git", "clone", url]:
            assert url == source
        case ["cd", folder]:
            # Only right after the clone: into the folder git makes, named as the repository.
            assert previous is not None and previous[:2] == ["git", "clone"], command
            assert (
                folder == previous[2].rstrip("/").rsplit("/", 1)[1] == PYPROJECT["project"]["name"]
            )
        case ["nox", "-s", session]:
            assert session in SESSIONS
        case ["python" | "python3", "-m", "pip", "install", *specs]:
            assert [s for s in specs if s.startswith("-") and s != "-e"] == [], command
            for spec in specs:
                if spec != "-e":
                    _check_pip_install(spec)
        case ["python", "-m", "build"]:
            assert PYPROJECT["build-system"]["requires"]
        case ["python3", "-m", "venv", _] | [".", _]:
            pass  # run by test_the_virtualenv_line_makes_and_activates_one
        case _:
            pytest.fail(f"README command {shlex.join(command)!r} is not checked: add a case")


@pytest.mark.parametrize("block", _of("bash"), ids=lambda b: b.name)
def test_shell_commands_name_what_exists(block: Block) -> None:
    commands = _commands(block)
    assert commands
    for previous, command in zip([None, *commands], commands, strict=False):
        _check_command(command, previous)


def _venv_lines() -> list[str]:
    return [
        line
        for block in _of("bash")
        for line in block.body.splitlines()
        if re.match(r"python3? -m venv ", line)
    ]


def test_the_virtualenv_line_makes_and_activates_one(tmp_path: Path) -> None:
    """Run as written: afterwards ``python`` is the new virtualenv's."""
    (line,) = _venv_lines()
    script = f"{line}\necho \"$VIRTUAL_ENV\"\npython -c 'import sys; print(sys.prefix)'\n"
    result = subprocess.run(
        ["bash", "-eu", "-c", script], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    venv = (tmp_path / ".venv").resolve()
    assert [Path(line).resolve() for line in result.stdout.splitlines()] == [venv, venv]


def test_the_quick_start_clones_then_builds_the_docs_and_runs_the_tests() -> None:
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = [c for block in BLOCKS if f"```{block.lang}\n{block.body}" in section
                for c in _commands(block)]  # fmt: skip
    assert commands[0][:2] == ["git", "clone"]
    assert commands[1][0] == "cd"
    assert ["nox", "-s", "docs"] in commands
    assert ["nox", "-s", "tests"] in commands


def test_the_contributing_block_lists_every_session() -> None:
    section = README.split("## Contributing", 1)[1].split("\n## ", 1)[0]
    (block,) = [b for b in _of("bash") if f"```bash\n{b.body}" in section]
    listed = [command[2] for command in _commands(block)]
    assert sorted(listed) == sorted(SESSIONS)


def test_ci_runs_the_sessions_the_readme_says_and_the_test_command() -> None:
    script = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    run = re.findall(r"^python -m nox -s ([\w-]+)$", script, re.MULTILINE)
    (sentence,) = re.findall(r"`\.ci/run` runs the (.*?) sessions", " ".join(README.split()))
    said = re.split(r", | and ", re.sub(r" \([^)]*\)", "", sentence))
    assert said == run
    assert set(run) <= SESSIONS
    assert "tests" in run  # the quick start's test command


def test_the_figures_of_the_introduction_are_the_catalogue_s() -> None:
    text = " ".join(README.split())
    (papers, lines) = re.findall(r"\((\d+) papers from (\d+) source lines\)", text)[0]
    catalogue = fm_papers.load()
    assert int(papers) == len(catalogue)
    assert int(lines) == sum(len(paper.sources) for paper in catalogue)
