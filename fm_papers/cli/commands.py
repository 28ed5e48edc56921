"""What each ``fm-papers`` command does, once :mod:`.app` has read its command line.

Each ``run_<command>(args)`` returns the exit status; problems are raised (a
:class:`~fm_papers.errors.DataError`, a :class:`~fm_papers.errors.QueryError`, a
:class:`.parser.UsageError`) and :func:`fm_papers.cli.app.main` prints them. The catalogue is
imported only by the commands that load it, pydantic only by those that validate a file or
write models (json, yaml).
"""

from __future__ import annotations

import argparse
import re
import select
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import DataError, DataProblem, QueryError
from ..filters import FILTERS, filter_values
from ..kinds import KEY
from ..safety import terminal_safe
from .parser import UsageError

if TYPE_CHECKING:
    from ..catalogue import Catalogue
    from ..records import PaperLike

__all__ = [
    "BAD_USAGE",
    "BROKEN_PIPE",
    "INVALID_DATA",
    "OK",
    "PROG",
    "emit",
    "filter_flags",
    "note",
    "run_enrich",
    "run_export",
    "run_fmt",
    "run_import",
    "run_list",
    "run_schema",
    "run_search",
    "run_sections",
    "run_show",
    "run_stats",
    "run_validate",
]

PROG = "fm-papers"
#: Exit statuses.
OK, INVALID_DATA, BAD_USAGE = 0, 1, 2
#: 128 + SIGPIPE: what a shell reports for a program whose reader went away.
BROKEN_PIPE = 141


def filter_flags(args: argparse.Namespace) -> dict[str, str]:
    """The filter flags given, by their query names."""
    return filter_values({name: getattr(args, f"filter_{name}", None) for name in FILTERS})


# Commands --------------------------------------------------------------------------------


def load_catalogue(
    args: argparse.Namespace, files: Sequence[str] = (), verify: bool = False
) -> Catalogue:
    from ..loader import load

    return load(extra=[*args.extra, *files], include_builtin=not args.no_builtin, verify=verify)


def emit(text: str, output: str | None = None, *, machine: bool = False) -> None:
    """Print ``text``, or write it to ``output`` (at once, so a failure leaves no half file).

    Text for people (tables, reports) reaches the terminal with control characters written
    as visible escapes; a ``machine`` format (JSON, CSV...) is printed as it is.
    """
    if output is None or output == "-":
        _stdout(text if machine else terminal_safe(text))
        return
    write(output, text)
    note(f"wrote {output}")


def _stdout(text: str) -> None:
    """Write all of ``text`` to standard output, or raise :exc:`BrokenPipeError`.

    Unbuffered (``PYTHONUNBUFFERED``, ``python -u``), standard output hands a long text to
    the system in one write, and a reader that leaves mid-write (``| head -1``) takes part of
    it: the text stream ignores the count the system returns, so the rest would be lost
    without an error. Writing the bytes until all are taken makes the next write fail.
    """
    stream = sys.stdout
    binary = getattr(stream, "buffer", None)
    if binary is None:  # a text-only stream (a test's, say): it takes all or raises
        stream.write(text)
        return
    stream.flush()
    data = memoryview(text.encode(stream.encoding or "utf-8", stream.errors or "strict"))
    while data:
        written = binary.write(data)
        if written is None:  # a non-blocking stream that is full: wait until it is not
            select.select([], [binary], [])
            continue
        data = data[written:]
    binary.flush()


def write(output: str, text: str) -> None:
    """Replace a file at once (through a symbolic link); a failure is one line, exit 2."""
    from ..files import write_atomic

    try:
        write_atomic(output, text)
    except OSError as error:
        raise UsageError(PROG, f"cannot write {output}: {error.strerror or error}") from None


def note(text: str) -> None:
    """A line on standard error; nothing it echoes can drive the terminal."""
    print(terminal_safe(text), file=sys.stderr)


def _selected(args: argparse.Namespace, catalogue: Catalogue, **more: str) -> Sequence[PaperLike]:
    from ..query import Query  # Query.parse applies the default sort; records() alone would not

    return catalogue.run(Query.parse({**filter_flags(args), **more}))


def _render(name: str, args: argparse.Namespace, catalogue: Catalogue, **filters: str) -> str:
    from ..formats import render

    return render(name, _selected(args, catalogue, **filters), catalogue)


def run_list(args: argparse.Namespace) -> int:
    catalogue = load_catalogue(args)
    emit(_render(args.format, args, catalogue), machine=args.format != "table")
    return OK


def run_search(args: argparse.Namespace) -> int:
    catalogue = load_catalogue(args)
    emit(
        _render(args.format, args, catalogue, search=" ".join(args.text)),
        machine=args.format != "table",
    )
    return OK


def run_export(args: argparse.Namespace) -> int:
    from ..formats import format_for, no_format

    name = args.format or format_for(args.output or "-")
    if name is None:
        raise UsageError(f"{PROG} export", f"--format: {no_format(args.output)}")
    catalogue = load_catalogue(args)
    emit(_render(name, args, catalogue), args.output, machine=True)
    return OK


def run_show(args: argparse.Namespace) -> int:
    catalogue = load_catalogue(args)
    paper = catalogue.record(args.id.strip())
    if args.format == "text":
        from ..formats.text import render_paper

        emit(render_paper(paper, catalogue))
    else:
        from ..formats import render

        emit(render(args.format, [paper], catalogue), machine=True)
    return OK


def run_sections(args: argparse.Namespace) -> int:
    from ..formats.text import render_sections

    catalogue = load_catalogue(args)
    domains = [catalogue.taxonomy.domain(args.domain).key] if args.domain else []
    emit(render_sections(catalogue, domains))
    return OK


def run_stats(args: argparse.Namespace) -> int:
    from ..formats.text import render_stats

    catalogue = load_catalogue(args)
    emit(render_stats(_selected(args, catalogue), catalogue))
    return OK


def run_validate(args: argparse.Namespace) -> int:
    if args.no_builtin and not args.files and not args.extra:
        raise UsageError(
            f"{PROG} validate",
            "nothing to validate: name overlay files, or leave out --no-builtin to check the "
            "shipped data",
        )
    # The shipped entries are validated too: this is the command that vouches for them.
    catalogue = load_catalogue(args, args.files, verify=True)
    flagged = len(catalogue.flagged())
    names = (
        ", ".join(str(path) for path in catalogue.files[-len(args.files) :]) if args.files else ""
    )
    checked = f"{names} with the shipped data" if names and not args.no_builtin else names
    emit(
        f"ok: {len(catalogue)} papers valid ({checked or 'the shipped data'}); "
        f"{flagged} carry source flags (fm-papers stats lists them)\n"
    )
    return OK


def run_schema(args: argparse.Namespace) -> int:
    from ..schema import schema_text

    emit(schema_text(), args.output, machine=True)
    return OK


def run_import(args: argparse.Namespace) -> int:
    from ..canonical import dump_data
    from ..curation.overlay import import_list
    from ..files import read_text

    catalogue = load_catalogue(args)
    domain = _domain_key(catalogue, args.domain) if args.domain else None
    path = Path(args.file)
    imported = import_list(read_text(path), str(path), catalogue, domain)
    header = f"# Imported from {path.name} by fm-papers import-markdown."
    text = dump_data(imported.entries, domains=imported.domains, header=header)
    emit(text, args.output, machine=True)
    for skipped in imported.skipped:
        note(f"skipped {skipped}")
    for problem in imported.problems:
        note(problem)
    extended = sum(1 for e in imported.entries if e.get("extend"))
    note(
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


def run_fmt(args: argparse.Namespace) -> int:
    from ..canonical import canonical_text
    from ..datafile import builtin_files

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
    load_catalogue(args, [f for f in args.files if f not in shipped], verify=bool(shipped))
    changed = []
    for name in args.files:
        old, new = canonical_text(name)
        if old == new:
            continue
        changed.append(name)
        if args.check:
            note(f"would reformat {name}")
        else:
            write(name, new)
            note(f"reformatted {name}")
    unchanged = len(args.files) - len(changed)
    note(
        f"{len(changed)} file(s) {'to reformat' if args.check else 'reformatted'}, {unchanged} already canonical"
    )
    return INVALID_DATA if changed and args.check else OK


def run_enrich(args: argparse.Namespace) -> int:
    import datetime

    from .. import __version__
    from ..canonical import dump_data, dump_yaml, leading_comments
    from ..curation.enrich import Enricher, enrich_entries, proposals
    from ..datafile import read_data_file
    from ..errors import UnknownPaperError

    contact = f"; mailto:{args.mailto}" if args.mailto else ""
    enricher = Enricher(f"{PROG}/{__version__} (https://pypi.org/project/fm-papers/{contact})")
    enricher.roots = {**enricher.roots, **_services(args.service)}
    if args.file is None:
        if args.extra or args.no_builtin:
            raise UsageError(
                f"{PROG} enrich",
                "without a FILE, enrich proposes authors for the shipped papers; name the "
                "overlay to fill in as FILE (--extra files give it context)",
            )
        catalogue = load_catalogue(args)
        asked = [enricher.ask(paper) for paper in catalogue.records() if not paper.authors]
        day = datetime.date.today().isoformat()
        header = (
            f"# Authors fetched by fm-papers enrich on {day} for shipped papers without any.\n"
            "# Not data yet: check each record, then move it into curation/authors.yaml.\n"
        )
        text = header + dump_yaml({"papers": proposals(asked, day)})
    else:
        catalogue = load_catalogue(args, [args.file])
        file = read_data_file(args.file)
        papers = {}
        for raw in file.papers:
            try:
                papers[raw["id"]] = catalogue.record(raw["id"])
            except (UnknownPaperError, KeyError, TypeError):
                continue  # the loader accepted the file: an entry without an id is not one
        entries, asked = enrich_entries(file.papers, papers, enricher.ask)
        header = leading_comments(file.text)
        text = dump_data(entries, domains=file.domains, venues=file.venues, header=header)
        _check_loads(args, text)
    for outcome in asked:
        if outcome.fetched is not None:
            count = _count(len(outcome.fetched.authors), "author")
            doi = f" and the journal DOI {outcome.doi}" if outcome.doi else ""
            note(f"{outcome.paper_id}: {count}{doi} from {outcome.fetched.url}")
        else:
            note(f"{outcome.paper_id}: {'failed' if outcome.failed else 'left'}: {outcome.reason}")
    emit(text, args.output, machine=True)
    failed = sum(outcome.failed for outcome in asked)
    found = sum(outcome.fetched is not None for outcome in asked)
    note(
        f"{found} of {_count(len(asked), 'paper')} without authors found; "
        f"{len(asked) - found - failed} without a DOI or arXiv id, {failed} failed"
    )
    return INVALID_DATA if failed else OK


def _check_loads(args: argparse.Namespace, text: str) -> None:
    """Raise the problems of the enriched ``text`` of ``args.file`` as :class:`DataError`,
    located in the file it would replace, before anything is written."""
    import tempfile

    from ..loader import load

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / Path(args.file).name
        path.write_text(text, encoding="utf-8")
        try:
            load(extra=[*args.extra, path], include_builtin=not args.no_builtin)
        except DataError as error:
            note(f"{args.file}: not written: the enriched file would not load")
            moved = [_moved(problem, str(path), args.file) for problem in error.problems]
            raise DataError(moved) from None


def _moved(problem: DataProblem, old: str, new: str) -> DataProblem:
    """``problem`` located in ``new`` where it names the file ``old``."""
    if problem.file != old:
        return problem
    return DataProblem(new, problem.line, problem.message, entry=problem.entry, field=problem.field)


def _services(values: Sequence[str]) -> dict[str, str]:
    """``--service NAME=URL`` values, by name."""
    from ..curation.metadata import DEFAULT_ROOTS

    roots = {}
    for value in values:
        name, _, root = value.partition("=")
        if name not in DEFAULT_ROOTS or not root.startswith(("http://", "https://")):
            raise UsageError(
                f"{PROG} enrich",
                f"--service: expected NAME=URL with NAME one of {', '.join(DEFAULT_ROOTS)} "
                f"and an http(s) URL, not {value!r}",
            )
        roots[name] = root
    return roots
