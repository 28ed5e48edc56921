"""The ``fm-papers`` command line: list, look up, validate, format and export the catalogue.

``main(argv) -> int`` is the console script and ``python -m fm_papers``. Exit codes: 0 when all
is well, 1 for invalid data (one ``file:line: entry 'id': field: message`` line per problem on
stderr), 2 for bad usage (one line naming the mistake and the nearest valid value). Those
lines are worded by :mod:`.parser`, never taken from argparse, whose wording changes with the
Python version and the locale: argparse only reads the command line.

:mod:`.app` builds the parser and runs a command; :mod:`.commands` holds what each command
does. Output formats live in :mod:`fm_papers.formats` and are imported only when used;
nothing here imports Sphinx or docutils.
"""

from __future__ import annotations

from .app import build_parser, main

__all__ = ["build_parser", "main"]
