"""The command line's parser and entry point: every command with its flags and examples.

``main(argv) -> int`` is the console script and ``python -m fm_papers``. The filter flags are
made from :data:`fm_papers.filters.FILTER_SPECS`, as the directive's options are, so they share
the API's keyword arguments. What each command does is :mod:`.commands`'; how a mistake on
the command line is worded, :mod:`.parser`'s.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

from .. import __version__
from ..errors import LISTED, DataError, QueryError, UnknownPaperError
from ..filters import FILTER_SPECS, FILTERS, Filter, spec
from ..formats import EXPORT_FORMATS, EXTENSIONS, FORMATS
from . import commands
from .commands import BAD_USAGE, BROKEN_PIPE, INVALID_DATA, OK, PROG, note
from .parser import Parser, UsageError, parse

__all__ = ["build_parser", "main"]


_EXAMPLES: dict[str, str] = {
    "": """\
examples:
  fm-papers list --domain pathology --section segmentation --year 2024-
  fm-papers show scgpt
  fm-papers export --domain single-cell -o single-cell.bib
  fm-papers validate my-reading-list.yaml
  fm-papers <command> --help     (every command has its own examples)""",
    "list": """\
examples:
  fm-papers list --domain pathology --section segmentation --year 2024-
  fm-papers list --model scGPT,GeneFormer --format json
  fm-papers list --domain pathology --kind benchmark
  fm-papers list --has-code --sort -year,title --limit 10
  fm-papers list --extra lab.yaml --no-builtin --format ids""",
    "show": """\
examples:
  fm-papers show scgpt
  fm-papers show Prov-GigaPath          (ids, aliases and short names all work)
  fm-papers show cellvit --format bibtex""",
    "search": """\
examples:
  fm-papers search whole slide
  fm-papers search perturbation --domain single-cell --year 2025""",
    "sections": """\
examples:
  fm-papers sections
  fm-papers sections --domain pathology""",
    "stats": """\
examples:
  fm-papers stats
  fm-papers stats --domain pathology --year 2024-""",
    "validate": """\
examples:
  fm-papers validate                      (the shipped data)
  fm-papers validate lab.yaml course.yaml (overlays, with the shipped data)
  fm-papers validate --no-builtin my-catalogue.yaml""",
    "export": """\
examples:
  fm-papers export -o fm-papers.bib              (the format from the extension)
  fm-papers export --domain pathology -o pathology.csv
  fm-papers export --format csl-json -o fm-papers.json
  fm-papers export --format markdown > README.md""",
    "import-markdown": """\
examples:
  fm-papers import-markdown awesome-list.md -o overlay.yaml
  fm-papers import-markdown notes.md --domain single-cell""",
    "enrich": """\
examples:
  fm-papers enrich lab.yaml -o lab.yaml --mailto me@example.org
  fm-papers enrich --mailto me@example.org -o proposals.yaml   (the shipped papers)""",
    "schema": """\
examples:
  fm-papers schema -o fm-papers.schema.json""",
    "fmt": """\
examples:
  fm-papers fmt lab.yaml
  fm-papers fmt --check lab.yaml course.yaml   (in CI)
  fm-papers fmt --no-builtin --extra taxonomy.yaml papers.yaml   (a catalogue of its own)""",
}


def _add_data_flags(parser: Parser) -> None:
    group = parser.add_group("data")
    group.add_argument(
        "--extra",
        action="append",
        default=[],
        metavar="FILE",
        help="an overlay YAML file of your own entries (repeatable)",
    )
    group.add_argument(
        "--no-builtin",
        action="store_true",
        help="leave out the shipped catalogue (its taxonomy and venues too)",
    )


def _add_filter_flags(parser: Parser, specs: Sequence[Filter] = FILTER_SPECS) -> None:
    group = parser.add_group("filters (the directive's options; a comma separates alternatives)")
    for filter_ in specs:
        # A flag with a bare meaning may be given alone (--has-code reads as --has-code yes).
        extra: dict[str, Any] = {}
        if filter_.bare is not None:
            extra = {"nargs": "?", "const": filter_.bare}
        group.add_argument(
            filter_.flag,
            dest=f"filter_{filter_.name}",
            metavar=filter_.metavar,
            help=filter_.help,
            **extra,
        )


def _add_format(parser: Parser, choices: Sequence[str], default: str) -> None:
    parser.add_argument(
        "--format",
        "-f",
        choices=choices,
        default=default,
        metavar="FORMAT",
        help=f"one of {', '.join(choices)} (default: {default})",
    )


def _add_output(parser: Parser) -> None:
    parser.add_argument(
        "-o", "--output", metavar="FILE", help="write to FILE instead of standard output"
    )


def build_parser() -> Parser:
    """The argument parser, every command with its flags and examples."""
    parser = Parser(
        prog=PROG,
        description="Work with the fm-papers catalogue of foundation-model papers.",
        epilog=_EXAMPLES[""],
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")

    def command(name: str, summary: str, handler: Callable[[argparse.Namespace], int]) -> Parser:
        sub = parser.add_command(
            name,
            help=summary,
            description=summary[0].upper() + summary[1:] + ".",
            epilog=_EXAMPLES[name],
        )
        sub.set_defaults(handler=handler)
        return sub

    sub = command("list", "list the papers a query selects", commands.run_list)
    _add_format(sub, FORMATS, "table")
    _add_filter_flags(sub)
    _add_data_flags(sub)

    sub = command("show", "show one paper in full", commands.run_show)
    sub.add_argument("id", metavar="ID", help="the paper's id, an alias or its short name")
    _add_format(sub, ("text", *EXPORT_FORMATS), "text")
    _add_data_flags(sub)

    sub = command("search", "search titles and model names", commands.run_search)
    sub.add_argument("text", nargs="+", metavar="TEXT", help="words that must all occur")
    _add_format(sub, FORMATS, "table")
    _add_filter_flags(sub, [f for f in FILTER_SPECS if f.name != "search"])
    _add_data_flags(sub)

    sub = command("sections", "show the section tree, its keys and counts", commands.run_sections)
    sub.add_argument("--domain", metavar="KEY", help="only this domain (key or alias)")
    _add_data_flags(sub)

    sub = command(
        "stats", "count papers by domain, section, year, venue kind and flag", commands.run_stats
    )
    _add_filter_flags(sub, [f for f in FILTER_SPECS if f.selects])
    _add_data_flags(sub)

    sub = command("validate", "check the shipped data and overlay files", commands.run_validate)
    sub.add_argument("files", nargs="*", metavar="FILE", help="overlay files to check")
    _add_data_flags(sub)

    sub = command(
        "export", "export the catalogue, or a filtered part, to a file", commands.run_export
    )
    sub.add_argument(
        "--format",
        "-f",
        choices=EXPORT_FORMATS,
        metavar="FORMAT",
        help=f"one of {', '.join(EXPORT_FORMATS)} (default: from -o's extension: "
        + ", ".join(f"{ext} {name}" for ext, name in EXTENSIONS.items())
        + ")",
    )
    _add_output(sub)
    _add_filter_flags(sub)
    _add_data_flags(sub)

    sub = command(
        "import-markdown", "turn an awesome-list markdown file into entries", commands.run_import
    )
    sub.add_argument("file", metavar="FILE", help="the markdown file")
    sub.add_argument(
        "--domain",
        metavar="KEY",
        help="the domain for headings no section collects (a new section per heading)",
    )
    _add_output(sub)
    _add_data_flags(sub)

    sub = command(
        "enrich",
        "fetch the authors of papers without any from Crossref, arXiv or bioRxiv",
        commands.run_enrich,
    )
    sub.add_argument(
        "file",
        nargs="?",
        metavar="FILE",
        help="an overlay to fill in; without it, proposals for the shipped papers",
    )
    _add_output(sub)
    sub.add_argument(
        "--mailto", metavar="EMAIL", help="a contact address for the services (Crossref asks)"
    )
    sub.add_argument(
        "--service",
        action="append",
        default=[],
        metavar="NAME=URL",
        help="ask a mirror instead: crossref=, arxiv= or biorxiv= and its address",
    )
    _add_data_flags(sub)

    sub = command("schema", "print the JSON Schema of data files", commands.run_schema)
    _add_output(sub)

    sub = command("fmt", "rewrite data files in the canonical form", commands.run_fmt)
    sub.add_argument("files", nargs="+", metavar="FILE", help="data files to format")
    sub.add_argument(
        "--check", action="store_true", help="change nothing; exit 1 if a file would change"
    )
    _add_data_flags(sub)
    return parser


def _query_message(error: QueryError) -> str:
    """``--flag: detail``: the text Python's ``str()`` and the directive's warning give after
    the filter's name (:attr:`QueryError.detail`), then where to look for a valid value."""
    if error.field not in FILTERS:
        return error.detail  # an unknown filter (a flag argparse read is always known)
    message = f"{spec(error.field).flag}: {error.detail}"
    if error.field in ("ids", "exclude") and not message.endswith("?"):
        message += "; 'fm-papers search WORDS' finds ids"
    elif error.field == "section" and not error.suggestion and len(error.valid) > LISTED:
        message += "; 'fm-papers sections' lists the keys"
    return message


def _silence_stdout() -> None:
    """Point stdout at /dev/null so that the interpreter's last flush cannot fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass  # stdout is not a real file (a test's capture): nothing to flush at exit
    finally:
        os.close(devnull)


def _tolerate_encoding(stream: object) -> None:
    """On a terminal that cannot show every character (``LANG=C``), write escapes instead
    of failing on the first title with an en dash."""
    encoding = str(getattr(stream, "encoding", None) or "utf-8").lower().replace("_", "-")
    reconfigure = getattr(stream, "reconfigure", None)
    if not encoding.startswith("utf") and reconfigure is not None:
        reconfigure(errors="backslashreplace")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line.

    :param argv: the arguments after the program name; ``sys.argv[1:]`` when ``None``.
    :return: the exit status: 0 ok, 1 invalid data, 2 bad usage.
    """
    _tolerate_encoding(sys.stdout)
    _tolerate_encoding(sys.stderr)
    parser = build_parser()
    arguments = list(sys.argv[1:] if argv is None else argv)
    command = "the command"
    try:
        try:
            # A filter's value may begin with '-' (--sort -year).
            values = {f.flag for f in FILTER_SPECS if f.bare is None}
            args = parse(parser, arguments, dash_values=values)
        except SystemExit as done:  # --help and --version
            return done.code if isinstance(done.code, int) else OK
        if args.command is None:
            parser.print_help()
            return OK
        command = f"{PROG} {args.command}"
        status: int = args.handler(args)
        sys.stdout.flush()
        return status
    except UsageError as error:
        note(f"{error.prog}: error: {error}")
        return BAD_USAGE
    except QueryError as error:
        note(f"{command}: error: {_query_message(error)}")
        return BAD_USAGE
    except UnknownPaperError as error:
        note(f"{command}: error: {error}")
        return BAD_USAGE
    except DataError as error:
        for problem in error.problems:
            note(str(problem))
        return INVALID_DATA
    except BrokenPipeError:
        _silence_stdout()
        return BROKEN_PIPE
    except KeyboardInterrupt:
        return 130
