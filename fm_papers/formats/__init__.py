"""The export formats: one module per format, each a pure function from papers to text.

Modules are imported only when their format is asked for, so that the command line's start-up
pays for none of them. :func:`render` is the one entry point::

    >>> from fm_papers import load
    >>> from fm_papers.formats import render
    >>> text = render("bibtex", load().query(model="scGPT"), load())
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from ..catalogue import Catalogue
    from ..records import PaperLike

__all__ = ["EXPORT_FORMATS", "EXTENSIONS", "FORMATS", "format_for", "no_format", "render"]


class _Renderer(Protocol):
    def __call__(self, papers: Sequence[PaperLike], catalogue: Catalogue) -> str: ...


#: Format name -> (module under ``fm_papers.formats``, function name).
_REGISTRY: dict[str, tuple[str, str]] = {
    "table": ("table", "render_table"),
    "json": ("json", "render_json"),
    "csv": ("csv", "render_csv"),
    "bibtex": ("bibtex", "render_bibtex"),
    "csl-json": ("csl", "render_csl_json"),
    "ris": ("ris", "render_ris"),
    "markdown": ("markdown", "render_markdown"),
    "yaml": ("yaml", "render_yaml"),
    "ids": ("ids", "render_ids"),
}
#: Every format ``list`` prints, the terminal table first.
FORMATS: tuple[str, ...] = tuple(_REGISTRY)
#: The formats meant for files: everything but the terminal table.
EXPORT_FORMATS: tuple[str, ...] = tuple(name for name in FORMATS if name != "table")


#: The export format a file's extension stands for, as ``fm-papers export -o FILE`` reads it
#: without ``--format`` (``.json`` is ``json``; CSL-JSON needs ``--format csl-json``).
EXTENSIONS: dict[str, str] = {
    ".bib": "bibtex",
    ".json": "json",
    ".csv": "csv",
    ".yaml": "yaml",
    ".yml": "yaml",
    ".ris": "ris",
    ".md": "markdown",
}


def format_for(path: str) -> str | None:
    """The export format :data:`EXTENSIONS` gives a file's extension (in any case), or
    ``None`` for one it does not know.

    >>> format_for("refs.BIB"), format_for("notes.txt")
    ('bibtex', None)
    """
    from pathlib import PurePath

    return EXTENSIONS.get(PurePath(path).suffix.lower())


def no_format(output: str | None) -> str:
    """Why ``fm-papers export`` has no format: no ``--format``, and no ``-o`` file whose
    extension :func:`format_for` reads; the formats and extensions it could be given."""
    named = output and output != "-"
    where = f"-o {output!r} names no format" if named else "no -o FILE"
    extensions = ", ".join(f"{ext} ({name})" for ext, name in EXTENSIONS.items())
    return (
        f"expected a format, {where}; valid values: {', '.join(EXPORT_FORMATS)}, "
        f"or an -o file ending in {extensions}"
    )


def render(name: str, papers: Sequence[PaperLike], catalogue: Catalogue) -> str:
    """Render ``papers`` in the format ``name``.

    :param name: one of :data:`FORMATS`.
    :param papers: the papers, in the order to write them.
    :param catalogue: the catalogue they come from (for section titles and venue kinds).
    :raises KeyError: for an unknown format name.
    """
    module, function = _REGISTRY[name]
    renderer: _Renderer = getattr(importlib.import_module(f"{__name__}.{module}"), function)
    return renderer(papers, catalogue)
