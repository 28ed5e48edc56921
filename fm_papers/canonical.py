"""The canonical YAML form of data files: stable key order, one entry per block.

Written by ``fm-papers fmt`` and by the catalogue build, so that diffs stay small and a
formatted file reads back to the same records.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import yaml

from .models import OverlayPaper, Paper, PaperExtension

__all__ = ["canonical_entry", "dump_data", "dump_yaml", "entry_order"]

# ``override``/``extend`` right after the id: they say how to read the rest of the entry.
_ORDER = ("id", "override", "extend", *(name for name in Paper.model_fields if name != "id"))


class _Dumper(yaml.SafeDumper):
    """Indents lists under their keys, the way people write YAML by hand."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def entry_order(entry: Mapping[str, Any]) -> dict[str, Any]:
    """The entry with its keys in canonical order (unknown keys last, as given)."""
    known = {key: entry[key] for key in _ORDER if key in entry}
    return known | {key: value for key, value in entry.items() if key not in known}


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
