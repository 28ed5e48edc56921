"""The ``fm-papers`` command line: list, look up, validate, format and export the catalogue.

``main(argv) -> int`` is the console script and ``python -m fm_papers``. Exit codes: 0 when all
is well, 1 for invalid data (one ``file:line: entry 'id': field: message`` line per problem on
stderr), 2 for bad usage (one line naming the mistake and the nearest valid value). Those
lines are worded by :mod:`fm_papers.cliparse`, never taken from argparse, whose wording changes
with the Python version and the locale: argparse only reads the command line.

The filter flags are made from :data:`fm_papers.filters.FILTER_SPECS`, as the directive's
options are, so they share the API's keyword arguments. Output formats live in
:mod:`fm_papers.formats` and are imported only when used; nothing here imports Sphinx or
docutils.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .cliparse import Parser, UsageError, parse, short_list
from .errors import DataError, QueryError, UnknownPaperError
from .filters import FILTER_SPECS, FILTERS, Filter, filter_values, spec
from .formats import EXPORT_FORMATS, FORMATS
from .kinds import KEY
from .safety import terminal_safe

# The catalogue is imported only by commands that load it, pydantic only by those that
# validate a file or write models (json, yaml).
if TYPE_CHECKING:
    from .catalogue import Catalogue

__all__ = ["build_parser", "main"]

PROG = "fm-papers"
#: Exit statuses.
OK, INVALID_DATA, BAD_USAGE = 0, 1, 2
#: 128 + SIGPIPE: what a shell reports for a program whose reader went away.
BROKEN_PIPE = 141


_EXAMPLES: dict[str, str] = {
    "": """\
examples:
  fm-papers list --domain pathology --section segmentation --year 2024-
  fm-papers show scgpt
  fm-papers export --format bibtex --domain single-cell -o single-cell.bib
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
  fm-papers export --format bibtex -o fm-papers.bib
  fm-papers export --format csv --domain pathology -o pathology.csv
  fm-papers export --format markdown -o README.md""",
    "import-markdown": """\
examples:
  fm-papers import-markdown awesome-list.md -o overlay.yaml
  fm-papers import-markdown notes.md --domain single-cell""",
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


def _filters(args: argparse.Namespace) -> dict[str, str]:
    """The filter flags given, by their query names."""
    return filter_values({name: getattr(args, f"filter_{name}", None) for name in FILTERS})


def _add_format(parser: Parser, choices: Sequence[str], default: str | None) -> None:
    parser.add_argument(
        "--format",
        "-f",
        choices=choices,
        default=default,
        required=default is None,
        metavar="FORMAT",
        help=f"one of {', '.join(choices)}" + (f" (default: {default})" if default else ""),
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

    sub = command("list", "list the papers a query selects", _cmd_list)
    _add_format(sub, FORMATS, "table")
    _add_filter_flags(sub)
    _add_data_flags(sub)

    sub = command("show", "show one paper in full", _cmd_show)
    sub.add_argument("id", metavar="ID", help="the paper's id, an alias or its short name")
    _add_format(sub, ("text", *EXPORT_FORMATS), "text")
    _add_data_flags(sub)

    sub = command("search", "search titles and model names", _cmd_search)
    sub.add_argument("text", nargs="+", metavar="TEXT", help="words that must all occur")
    _add_format(sub, FORMATS, "table")
    _add_filter_flags(sub, [f for f in FILTER_SPECS if f.name != "search"])
    _add_data_flags(sub)

    sub = command("sections", "show the section tree, its keys and counts", _cmd_sections)
    sub.add_argument("--domain", metavar="KEY", help="only this domain (key or alias)")
    _add_data_flags(sub)

    sub = command("stats", "count papers by domain, section, year, venue kind and flag", _cmd_stats)
    _add_filter_flags(sub, [f for f in FILTER_SPECS if f.selects])
    _add_data_flags(sub)

    sub = command("validate", "check the shipped data and overlay files", _cmd_validate)
    sub.add_argument("files", nargs="*", metavar="FILE", help="overlay files to check")
    _add_data_flags(sub)

    sub = command("export", "export the catalogue, or a filtered part, to a file", _cmd_export)
    _add_format(sub, EXPORT_FORMATS, None)
    _add_output(sub)
    _add_filter_flags(sub)
    _add_data_flags(sub)

    sub = command("import-markdown", "turn an awesome-list markdown file into entries", _cmd_import)
    sub.add_argument("file", metavar="FILE", help="the markdown file")
    sub.add_argument(
        "--domain",
        metavar="KEY",
        help="the domain for headings no section collects (a new section per heading)",
    )
    _add_output(sub)
    _add_data_flags(sub)

    sub = command("schema", "print the JSON Schema of data files", _cmd_schema)
    _add_output(sub)

    sub = command("fmt", "rewrite data files in the canonical form", _cmd_fmt)
    sub.add_argument("files", nargs="+", metavar="FILE", help="data files to format")
    sub.add_argument(
        "--check", action="store_true", help="change nothing; exit 1 if a file would change"
    )
    _add_data_flags(sub)
    return parser


# Commands --------------------------------------------------------------------------------


def _load(args: argparse.Namespace, files: Sequence[str] = (), verify: bool = False) -> Catalogue:
    from .loader import load

    return load(extra=[*args.extra, *files], include_builtin=not args.no_builtin, verify=verify)


def _emit(text: str, output: str | None = None, *, machine: bool = False) -> None:
    """Print ``text``, or write it to ``output`` (at once, so a failure leaves no half file).

    Text for people (tables, reports) reaches the terminal with control characters written
    as visible escapes; a ``machine`` format (JSON, CSV...) is printed as it is.
    """
    if output is None or output == "-":
        print(text if machine else terminal_safe(text), end="")
        return
    _write(output, text)
    _note(f"wrote {output}")


def _write(output: str, text: str) -> None:
    """Replace a file at once (through a symbolic link); a failure is one line, exit 2."""
    from .fmt import write_atomic

    try:
        write_atomic(output, text)
    except OSError as error:
        raise UsageError(PROG, f"cannot write {output}: {error.strerror or error}") from None


def _note(text: str) -> None:
    """A line on standard error; nothing it echoes can drive the terminal."""
    print(terminal_safe(text), file=sys.stderr)


def _render(name: str, args: argparse.Namespace, catalogue: Catalogue, **filters: str) -> str:
    from .formats import render

    papers = catalogue.records({**_filters(args), **filters})
    return render(name, papers, catalogue)


def _cmd_list(args: argparse.Namespace) -> int:
    catalogue = _load(args)
    _emit(_render(args.format, args, catalogue), machine=args.format != "table")
    return OK


def _cmd_search(args: argparse.Namespace) -> int:
    catalogue = _load(args)
    _emit(
        _render(args.format, args, catalogue, search=" ".join(args.text)),
        machine=args.format != "table",
    )
    return OK


def _cmd_export(args: argparse.Namespace) -> int:
    catalogue = _load(args)
    _emit(_render(args.format, args, catalogue), args.output, machine=True)
    return OK


def _cmd_show(args: argparse.Namespace) -> int:
    catalogue = _load(args)
    paper = catalogue.record(args.id.strip())
    if args.format == "text":
        from .formats.text import render_paper

        _emit(render_paper(paper, catalogue))
    else:
        from .formats import render

        _emit(render(args.format, [paper], catalogue), machine=True)
    return OK


def _cmd_sections(args: argparse.Namespace) -> int:
    from .formats.text import render_sections

    catalogue = _load(args)
    domains = [catalogue.taxonomy.domain(args.domain).key] if args.domain else []
    _emit(render_sections(catalogue, domains))
    return OK


def _cmd_stats(args: argparse.Namespace) -> int:
    from .formats.text import render_stats

    catalogue = _load(args)
    _emit(render_stats(catalogue.records(_filters(args)), catalogue))
    return OK


def _cmd_validate(args: argparse.Namespace) -> int:
    if args.no_builtin and not args.files and not args.extra:
        raise UsageError(
            f"{PROG} validate",
            "nothing to validate: name overlay files, or leave out --no-builtin to check the "
            "shipped data",
        )
    # The shipped entries are validated too: this is the command that vouches for them.
    catalogue = _load(args, args.files, verify=True)
    flagged = len(catalogue.flagged())
    names = (
        ", ".join(str(path) for path in catalogue.files[-len(args.files) :]) if args.files else ""
    )
    checked = f"{names} with the shipped data" if names and not args.no_builtin else names
    _emit(
        f"ok: {len(catalogue)} papers valid ({checked or 'the shipped data'}); "
        f"{flagged} carry source flags (fm-papers stats lists them)\n"
    )
    return OK


def _cmd_schema(args: argparse.Namespace) -> int:
    from .schema import schema_text

    _emit(schema_text(), args.output, machine=True)
    return OK


def _cmd_import(args: argparse.Namespace) -> int:
    from .canonical import dump_data
    from .curation import import_list
    from .datafile import read_text

    catalogue = _load(args)
    domain = _domain_key(catalogue, args.domain) if args.domain else None
    path = Path(args.file)
    imported = import_list(read_text(path), str(path), catalogue, domain)
    header = f"# Imported from {path.name} by fm-papers import-markdown."
    text = dump_data(imported.entries, domains=imported.domains, header=header)
    _emit(text, args.output, machine=True)
    for skipped in imported.skipped:
        _note(f"skipped {skipped}")
    for problem in imported.problems:
        _note(problem)
    extended = sum(1 for e in imported.entries if e.get("extend"))
    _note(
        f"{_count(imported.read, 'entry', 'entries')} read: "
        f"{len(imported.entries) - extended} new, {extended} extending papers of the "
        f"catalogue, {imported.unchanged} already there as listed; "
        f"{_count(len(imported.skipped), 'line')} skipped, "
        f"{_count(len(imported.problems), 'problem')}"
    )
    return INVALID_DATA if imported.problems else OK


def _count(number: int, noun: str, plural: str | None = None) -> str:
    """``1 line``, ``2 lines``."""
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


def _domain_key(catalogue: Catalogue, value: str) -> str:
    """A known domain's key, or a new domain's key (which must be a slug)."""
    try:
        return catalogue.taxonomy.domain(value).key
    except QueryError:
        if re.fullmatch(KEY, value):
            return value
        raise UsageError(
            f"{PROG} import-markdown",
            f"--domain: {value!r} is neither a known domain nor a lowercase slug for a new one",
        ) from None


def _cmd_fmt(args: argparse.Namespace) -> int:
    from .fmt import canonical_text
    from .loader import builtin_files

    def is_shipped(name: str) -> bool:
        """Whether ``name`` is one of the shipped files (in an editable install, the
        checkout's). A file that cannot be read is left to the reader, which reports it."""
        try:
            return any(Path(name).samefile(path) for path in builtin_files())
        except OSError:
            return False

    # Every file is validated as it is used, so an invalid file is never rewritten: overlays
    # on top of the shipped data (together, as one catalogue, with --no-builtin); the shipped
    # files as the shipped data, verified.
    shipped = [] if args.no_builtin else [f for f in args.files if is_shipped(f)]
    _load(args, [f for f in args.files if f not in shipped], verify=bool(shipped))
    changed = []
    for name in args.files:
        old, new = canonical_text(name)
        if old == new:
            continue
        changed.append(name)
        if args.check:
            _note(f"would reformat {name}")
        else:
            _write(name, new)
            _note(f"reformatted {name}")
    unchanged = len(args.files) - len(changed)
    _note(
        f"{len(changed)} file(s) {'to reformat' if args.check else 'reformatted'}, {unchanged} already canonical"
    )
    return INVALID_DATA if changed and args.check else OK


# Entry point -----------------------------------------------------------------------------


def _query_message(error: QueryError) -> str:
    flag = spec(error.field).flag if error.field in FILTERS else error.field
    message = f"{flag}: {error.reason}"
    if error.field in ("ids", "exclude") and not message.endswith("?"):
        message += "; 'fm-papers search WORDS' finds ids"
    elif not error.suggestion:  # no value is near: the few valid ones, if few
        message += short_list(error.valid)
        if error.field == "section" and len(error.valid) > 12:
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
        _note(f"{error.prog}: error: {error}")
        return BAD_USAGE
    except QueryError as error:
        _note(f"{command}: error: {_query_message(error)}")
        return BAD_USAGE
    except UnknownPaperError as error:
        _note(f"{command}: error: {error}")
        return BAD_USAGE
    except DataError as error:
        for problem in error.problems:
            _note(str(problem))
        return INVALID_DATA
    except BrokenPipeError:
        _silence_stdout()
        return BROKEN_PIPE
    except KeyboardInterrupt:
        return 130
