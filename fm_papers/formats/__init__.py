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

__all__ = ["EXPORT_FORMATS", "FORMATS", "render"]


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
