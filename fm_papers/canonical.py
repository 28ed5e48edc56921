"""The canonical YAML form of data files: stable key order, one entry per block.

Written by ``fm-papers fmt`` (:func:`canonical_text`) and by the catalogue build
(:func:`dump_data`), so that diffs stay small, a formatted file reads back to the same
records, and the shipped file is clean by construction. Formatting reorders, and never
changes data: entries are read back through the models, which fixes the key order at every
depth; ``domains`` and ``venues`` are kept as written, and so is a leading block of ``#``
comments. Other comments are not kept.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import yaml
from pydantic import ValidationError

from .datafile import entry_name, read_data_file
from .errors import DataError, DataProblem
from .files import StrPath
from .models import OverlayPaper, Paper, PaperExtension
from .validation import validation_problems

__all__ = [
    "canonical_entry",
    "canonical_text",
    "dump_data",
    "dump_yaml",
    "entry_order",
    "leading_comments",
]

# ``override``/``extend`` right after the id: they say how to read the rest of the entry.
_ORDER = ("id", "override", "extend", *(name for name in Paper.model_fields if name != "id"))


class _Dumper(yaml.SafeDumper):
    """Indents lists under their keys, the way people write YAML by hand."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


class _OneLine(dict[str, Any]):
    """A small mapping written on one line: an author (``{family: Lu, given: Ming Y.}``), so
    that a list of thirty authors is thirty lines, and its diff a line per change."""


_Dumper.add_representer(
    _OneLine, lambda dumper, data: dumper.represent_mapping("tag:yaml.org,2002:map", data, True)
)


def entry_order(entry: Mapping[str, Any]) -> dict[str, Any]:
    """The entry with its keys in canonical order (unknown keys last, as given)."""
    known = {key: entry[key] for key in _ORDER if key in entry}
    ordered = known | {key: value for key, value in entry.items() if key not in known}
    if isinstance(ordered.get("authors"), list):
        ordered["authors"] = [
            _OneLine(author) if isinstance(author, Mapping) else author
            for author in ordered["authors"]
        ]
    return ordered


def canonical_entry(entry: Paper | PaperExtension | Mapping[str, Any]) -> dict[str, Any]:
    """An entry as a plain mapping without defaults, keys in canonical order."""
    if isinstance(entry, Paper | PaperExtension):
        data = entry.model_dump(mode="json", exclude_defaults=True)
        if isinstance(entry, PaperExtension):
            data["extend"] = True
        if isinstance(entry, OverlayPaper) and entry.override:
            data["override"] = True
        return entry_order(data)
    return entry_order(entry)


def dump_yaml(value: Any) -> str:
    """Any plain value as block YAML, in the style of the data files (keys in given order)."""
    return yaml.dump(value, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=10_000)


def dump_data(
    papers: Iterable[Paper | PaperExtension | Mapping[str, Any]] = (),
    *,
    domains: Iterable[Mapping[str, Any]] = (),
    venues: Iterable[Mapping[str, Any]] = (),
    header: str = "",
) -> str:
    """Render a data file: ``domains``, ``venues`` and ``papers``, each entry its own block."""
    parts = [header.rstrip() + "\n"] if header else []
    for key, items in (("domains", list(domains)), ("venues", list(venues))):
        if items:
            parts.append(dump_yaml({key: items}))
    entries = [canonical_entry(p) for p in papers]
    if entries:
        blocks = [dump_yaml([entry]).replace("\n", "\n  ").rstrip() for entry in entries]
        parts.append("papers:\n" + "\n\n".join("  " + b for b in blocks) + "\n")
    return "\n".join(parts)


def leading_comments(text: str) -> str:
    """The block of ``#`` lines a file opens with (blank lines before it skipped), or ``""``.

    :param text: a file's text.
    """
    block = []
    for line in text.lstrip("\n").splitlines():
        if not line.startswith("#"):
            break
        block.append(line)
    return "\n".join(block)


def _entry(raw: Any) -> OverlayPaper | PaperExtension:
    if isinstance(raw, dict) and raw.get("extend") is not None:
        return PaperExtension.model_validate(raw)
    return OverlayPaper.model_validate(raw)


def canonical_text(path: StrPath) -> tuple[str, str]:
    """The file's text now, and in the canonical form.

    Check the file with :func:`fm_papers.load` first: entries are validated one by one here,
    without the catalogue they join (its sections, its ids).

    :param path: a data file.
    :raises DataError: if the file cannot be read, is not shaped like a data file, or holds
        an entry the models reject (located at the entry's line).
    """
    file = read_data_file(path)
    entries: list[OverlayPaper | PaperExtension] = []
    problems: list[DataProblem] = []
    for index, raw in enumerate(file.papers):
        try:
            entries.append(_entry(raw))
        except ValidationError as error:
            problems += validation_problems(error, file, "papers", index, entry_name(raw, index))
    if problems:
        raise DataError(problems)
    text = dump_data(
        entries, domains=file.domains, venues=file.venues, header=leading_comments(file.text)
    )
    return file.text, text
