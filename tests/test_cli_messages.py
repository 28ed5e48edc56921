"""Usage errors: one line in the command line's own words, whatever argparse would have said.

argparse words its errors through gettext (a locale translates them) and its wording changes
between Python versions (3.12 stopped quoting the choices it lists). Every message below must
come out the same when argparse's wording is changed under it.
"""

from __future__ import annotations

import argparse
import ast
import re
import shlex
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

import fm_papers.cli
import fm_papers.cli.parser
import fm_papers.formats
from fm_papers.cli import main

COMMANDS = (
    "list, show, search, sections, stats, validate, export, import-markdown, enrich, schema, fmt"
)
EXPORT_FORMATS = ", ".join(fm_papers.formats.EXPORT_FORMATS)

#: Every kind of usage error, as a terminal shows it: the command, then its whole stderr; last,
#: command lines to accept, which print nothing there.
TRANSCRIPT = f"""
# unknown command
$ fm-papers lst
fm-papers: error: unknown command 'lst'; did you mean 'list'?
$ fm-papers frobnicate --domain x
fm-papers: error: unknown command 'frobnicate'; valid values: {COMMANDS}
$ fm-papers -- shw
fm-papers: error: unknown command 'shw'; did you mean 'show'?

# unknown option of a command (or of fm-papers itself)
$ fm-papers list --domian pathology
fm-papers list: error: unknown option '--domian'; did you mean '--domain'?
$ fm-papers export --fromat=json
fm-papers export: error: unknown option '--fromat'; did you mean '--format'?
$ fm-papers list --bogus
fm-papers list: error: unknown option '--bogus'; valid values: -h, --help, --format, -f, --domain, --section, --kind, --year, --venue, --venue-kind, --model, --author (and 8 more)
$ fm-papers --versio
fm-papers: error: unknown option '--versio'; did you mean '--version'?
$ fm-papers --bogus
fm-papers: error: unknown option '--bogus'; valid values: -h, --help, --version
$ fm-papers --bogus list
fm-papers: error: unknown option '--bogus'; valid values: -h, --help, --version
$ fm-papers --versio list --domian pathology
fm-papers: error: unknown option '--versio'; did you mean '--version'?

# a value outside an option's fixed set
$ fm-papers list --format jsn
fm-papers list: error: --format: unknown value 'jsn'; did you mean 'json'?
$ fm-papers show scgpt -f=yml
fm-papers show: error: --format: unknown value 'yml'; did you mean 'yaml'?
$ fm-papers export -f xml
fm-papers export: error: --format: unknown value 'xml'; valid values: {EXPORT_FORMATS}

# no format, and no -o file whose extension names one
$ fm-papers export --domain pathology
fm-papers export: error: --format: expected a format, no -o FILE; valid values: {EXPORT_FORMATS}, or an -o file ending in .bib (bibtex), .json (json), .csv (csv), .yaml (yaml), .yml (yaml), .ris (ris), .md (markdown)

# an option without its value, or a flag with one
$ fm-papers list --limit
fm-papers list: error: --limit: expected a value (--limit N)
$ fm-papers export -o --format json
fm-papers export: error: --output: expected a value (--output FILE)
$ fm-papers export -f
fm-papers export: error: --format: expected a value (--format FORMAT); valid values: {EXPORT_FORMATS}
$ fm-papers list --sort -f json
fm-papers list: error: --sort: expected a value (--sort KEYS)
$ fm-papers list --year -h
fm-papers list: error: --year: expected a value (--year YEARS)
$ fm-papers export --sort -o out.csv -f csv
fm-papers export: error: --sort: expected a value (--sort KEYS)
$ fm-papers list --sort -f=json
fm-papers list: error: --sort: expected a value (--sort KEYS)
$ fm-papers fmt --check=yes lab.yaml
fm-papers fmt: error: --check: takes no value
$ fm-papers --version=2
fm-papers: error: --version: takes no value

# a missing positional argument
$ fm-papers show --format json
fm-papers show: error: the following arguments are required: ID
$ fm-papers search --domain pathology
fm-papers search: error: the following arguments are required: TEXT

# an unexpected extra argument
$ fm-papers show scgpt uni
fm-papers show: error: unexpected argument 'uni'
$ fm-papers list -1
fm-papers list: error: unexpected argument '-1'

# after `--`, which ends the options, every word is an argument
$ fm-papers list --sort -year -- x
fm-papers list: error: unexpected argument 'x'
$ fm-papers list -- -x
fm-papers list: error: unexpected argument '-x'
$ fm-papers list -- --
fm-papers list: error: unexpected argument '--'
$ fm-papers show -- scgpt --format
fm-papers show: error: unexpected argument '--format'
$ fm-papers show -- -x
fm-papers show: error: unknown paper id '-x'
$ fm-papers show --
fm-papers show: error: the following arguments are required: ID
$ fm-papers -- -x
fm-papers: error: unknown command '-x'; valid values: {COMMANDS}

# accepted: nothing on stderr, exit status 0
$ fm-papers list --
$ fm-papers list --sort -year --limit 2 -f ids --
$ fm-papers -- list --limit 2
$ fm-papers --
$ fm-papers show -- scgpt
$ fm-papers list --sort=-year,title --limit 2
$ fm-papers list --sort -year,-title --limit 2 -f ids
$ fm-papers list --year -2022 --limit 2
"""

#: The transcript's command lines (after ``fm-papers``) and what each prints on stderr: its
#: error line, or "" for one that is accepted.
SESSIONS = dict(re.findall(r"^\$ fm-papers (.*)\n((?:[^$#\n].*)?)", TRANSCRIPT, re.MULTILINE))
USAGE_ERRORS = {command: line for command, line in SESSIONS.items() if line}
ACCEPTED = [command for command, line in SESSIONS.items() if not line]


def _reworded(text: str) -> str:
    """A stand-in translation: other words, the same ``%(name)s`` placeholders."""
    parts = re.split(r"(%(?:\([^)]*\))?[a-z%])", text)
    return "«XX» " + "".join(p if i % 2 else p.upper() for i, p in enumerate(parts))


def _change_wording(monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    """Have argparse word its messages another way: ``translated``, or ``choices-unquoted``
    (Python 3.12.8 and later list an invalid choice's alternatives without quotes).

    argparse looks up its gettext functions, ``_`` and ``ngettext``, as module globals each time
    it words a message, and quotes the choices it lists with ``repr``: a module global ``repr``
    shadows the builtin.
    """
    if how == "translated":
        monkeypatch.setattr(argparse, "_", _reworded)
        monkeypatch.setattr(
            argparse, "ngettext", lambda one, many, n: _reworded(one if n == 1 else many)
        )
    elif how == "choices-unquoted":
        monkeypatch.setattr(argparse, "repr", str, raising=False)


@pytest.fixture(params=["as-is", "translated", "choices-unquoted"])
def argparse_wording(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """argparse as it is, and wording its messages another way."""
    _change_wording(monkeypatch, request.param)
    return str(request.param)


def test_the_changed_wording_reaches_argparse(monkeypatch: pytest.MonkeyPatch) -> None:
    # The check of the check: argparse's own message does change.
    def message() -> str:
        parser = argparse.ArgumentParser(exit_on_error=False)
        parser.add_argument("--x", choices=["a", "b"])
        with pytest.raises(argparse.ArgumentError) as raised:
            parser.parse_args(["--x", "c"])
        return str(raised.value)

    assert message().startswith("argument --x: invalid choice: 'c'")
    with monkeypatch.context() as patch:
        _change_wording(patch, "translated")
        assert message().startswith("«XX» ARGUMENT --x: «XX» INVALID CHOICE: 'c'")
    with monkeypatch.context() as patch:
        _change_wording(patch, "choices-unquoted")
        assert message().endswith("'c' (choose from a, b)")


@pytest.mark.parametrize(("command", "line"), USAGE_ERRORS.items(), ids=USAGE_ERRORS)
def test_usage_error_is_our_line(
    command: str, line: str, argparse_wording: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(shlex.split(command))
    out, err = capsys.readouterr()
    assert (status, out, err) == (2, "", line + "\n")


@pytest.mark.parametrize("command", ACCEPTED)
def test_accepted_command_line(
    command: str, argparse_wording: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(shlex.split(command))
    out, err = capsys.readouterr()
    assert (status, err) == (0, "")
    assert out


@pytest.mark.parametrize("command", ["lst", "export --domain pathology", "list --limit"])
def test_the_script_says_the_same(command: str) -> None:
    argv, line = shlex.split(command), USAGE_ERRORS[command]
    done = subprocess.run(
        [sys.executable, "-m", "fm_papers", *argv], capture_output=True, text=True, check=False
    )
    assert (done.returncode, done.stdout, done.stderr) == (2, "", line + "\n")


def test_help_shows_what_the_parser_checks_itself(
    argparse_wording: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # argparse is not told that ID is required nor what --format takes, yet help says both.
    assert main(["show", "--help"]) == 0
    usage = " ".join(capsys.readouterr().out.split("\n\n")[0].split())
    assert ": fm-papers show [-h] [--format FORMAT] [--extra FILE] [--no-builtin] ID" in usage
    assert main(["list", "--help"]) == 0
    assert f"one of {', '.join(fm_papers.formats.FORMATS)} (default: table)" in " ".join(
        capsys.readouterr().out.split()
    )
    # Showing it as required in help leaves the parser's own check in place.
    assert main(["show"]) == 2
    assert capsys.readouterr().err.endswith("are required: ID\n")
    # export's --format is optional: -o's extension gives it.
    assert main(["export", "--help"]) == 0
    help_text = " ".join(capsys.readouterr().out.split())
    assert "[--format FORMAT] [-o FILE]" in help_text
    assert "(default: from -o's extension: .bib bibtex, .json json," in help_text


def test_dash_values_and_version_still_work(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list", "--sort", "-year", "--limit", "2", "-f", "ids"]) == 0
    assert len(capsys.readouterr().out.split()) == 2
    # argparse reads --version before it reaches the (unknown) command.
    assert main(["--version", "lst"]) == 0
    assert capsys.readouterr().out == f"fm-papers {fm_papers.__version__}\n"


def test_words_after_the_end_of_options_are_arguments() -> None:
    # After `--` a dash value is not joined to the option before it: both are words to find.
    parser = fm_papers.cli.build_parser()
    args = fm_papers.cli.parser.parse(parser, ["search", "--", "--sort", "-year"], {"--sort"})
    assert (args.text, args.filter_sort) == (["--sort", "-year"], None)


# No private argparse names -----------------------------------------------------------------


def _argparse_private_names() -> set[str]:
    """The ``_names`` argparse's objects carry (``_actions``, ``_option_string_actions``...)."""
    parser = argparse.ArgumentParser()
    objects = [
        parser,
        parser.add_subparsers(),
        parser.add_argument_group("group"),
        parser.add_argument("--x"),
        parser.add_mutually_exclusive_group(),
        parser.parse_args([]),
        argparse.ArgumentError(None, "message"),
        argparse.HelpFormatter("prog"),
    ]
    names = {name for item in objects for name in dir(item)}
    return {name for name in names if name.startswith("_") and not name.startswith("__")}


def _private_uses(source: str) -> Iterator[str]:
    """Where ``source`` reaches into argparse: ``argparse._X``, ``from argparse import _X``, or
    an attribute argparse keeps private, written ``obj._x`` or ``getattr(obj, "_x")``."""
    private = _argparse_private_names()
    for node in ast.walk(ast.parse(source)):
        name, line = "", getattr(node, "lineno", 0)
        if isinstance(node, ast.Attribute):
            is_module = isinstance(node.value, ast.Name) and node.value.id == "argparse"
            if node.attr in private or (is_module and node.attr.startswith("_")):
                name = node.attr
        elif isinstance(node, ast.ImportFrom) and node.module == "argparse":
            name = next((a.name for a in node.names if a.name.startswith("_")), "")
        elif isinstance(node, ast.Call) and getattr(node.func, "id", "") in (
            "getattr", "setattr", "hasattr",
        ):  # fmt: skip
            names = [a.value for a in node.args if isinstance(a, ast.Constant)]
            name = next((n for n in names if n in private), "")
        if name:
            yield f"line {line}: {name}"


def test_the_private_name_check_finds_them() -> None:
    old_style = (
        "import argparse\n"
        "for action in parser._actions:\n"
        "    if isinstance(action, argparse._SubParsersAction):\n"
        "        getattr(action, '_name_parser_map')\n"
    )
    assert list(_private_uses(old_style)) == [
        "line 2: _actions",
        "line 3: _SubParsersAction",
        "line 4: _name_parser_map",
    ]


@pytest.mark.parametrize(
    "module",
    [fm_papers.cli.app, fm_papers.cli.commands, fm_papers.cli.parser],
    ids=lambda m: m.__name__,
)
def test_cli_uses_no_private_argparse_names(module: ModuleType) -> None:
    # Both halves of the command line: the commands, and the parser that judges their words.
    source = Path(str(module.__file__)).read_text(encoding="utf-8")
    assert "argparse" in source  # the check reads the module that works with argparse
    assert list(_private_uses(source)) == []
