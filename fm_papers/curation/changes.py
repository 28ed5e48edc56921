"""What a catalogue build changed, by id: papers added, removed, changed, moved, renamed, merged.

:func:`compare` reads two lists of entries (the shipped data before and after a build) and
says what happened to every id, in a report a reviewer reads before the data lands. It also
finds what no build may do (:attr:`Report.problems`): an id or alias of the old data that
names no paper any more (unless its paper was retired on purpose), or that now names a paper
with none of the titles, links or identifiers it had.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .ledger import identity_keys

__all__ = ["COMPARED_FIELDS", "Report", "compare"]

#: The fields whose changes the report names (memberships are reported as moves; the
#: source lines an entry came from move whenever a line is added above it, and are not).
COMPARED_FIELDS: tuple[str, ...] = (
    "title",
    "authors",
    "model",
    "kind",
    "aliases",
    "year",
    "venue",
    "venue_kind",
    "venue_as_written",
    "links",
    "doi",
    "arxiv",
    "notes",
    "flags",
    "authors_source",
)

Entry = Mapping[str, Any]


def _keys(entry: Entry) -> set[str]:
    urls = [link["url"] for link in entry.get("links", ()) if link.get("kind") == "paper"]
    return identity_keys([entry["title"]], urls)


def _place(membership: Mapping[str, str]) -> str:
    return f"{membership['domain']}/{membership['section']}"


@dataclass
class Report:
    """The changes between two versions of the data, by id."""

    before: int = 0
    after: int = 0
    added: list[Entry] = field(default_factory=list)
    removed: list[tuple[Entry, str]] = field(default_factory=list)
    changed: list[tuple[str, list[str]]] = field(default_factory=list)
    moved: list[tuple[str, list[str], list[str]]] = field(default_factory=list)
    renamed: list[tuple[str, str]] = field(default_factory=list)
    merged: list[tuple[str, list[str]]] = field(default_factory=list)
    #: What no build may do to an issued id.
    problems: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The report as text lines."""
        out = [f"papers: {self.before} before, {self.after} now"]
        sections: list[tuple[str, list[str]]] = [
            ("added", [f"  + {e['id']}  {e['title']!r} ({_places(e)})" for e in self.added]),
            ("removed", [f"  - {e['id']}  {e['title']!r} ({why})" for e, why in self.removed]),
            (
                "renamed",
                [f"  > {old} -> {new} ({old} stays an alias)" for old, new in self.renamed],
            ),
            ("merged", [f"  = {new}: absorbs {', '.join(olds)}" for new, olds in self.merged]),
            ("changed", [f"  ~ {i}: {', '.join(fields)}" for i, fields in self.changed]),
            ("moved", [f"  ~ {i}: {_moves(plus, minus)}" for i, plus, minus in self.moved]),
        ]
        for name, items in sections:
            if items:
                out.append(f"{name} ({len(items)}):")
                out += items
        if len(out) == 1:
            out.append("no paper changed")
        return out


def _places(entry: Entry) -> str:
    return ", ".join(_place(m) for m in entry.get("memberships", ()))


def _moves(plus: list[str], minus: list[str]) -> str:
    return "; ".join([*(f"+{p}" for p in plus), *(f"-{m}" for m in minus)])


def compare(old: Sequence[Entry], new: Sequence[Entry], retired: Collection[str] = ()) -> Report:
    """What changed from ``old`` entries to ``new`` ones.

    :param retired: ids whose papers left the sources on purpose (their ids stay reserved).
    """
    report = Report(before=len(old), after=len(new))
    by_name: dict[str, Entry] = {}
    for entry in new:
        for name in (entry["id"], *entry.get("aliases", ())):
            by_name[name] = entry
    seen: set[str] = set()
    merged: dict[str, list[str]] = {}
    for entry in old:
        now = by_name.get(entry["id"])
        if now is None:
            if entry["id"] in retired:
                report.removed.append((entry, "retired"))
            else:
                report.problems.append(
                    f"id {entry['id']!r} ({entry['title']!r}) would disappear; retire it in the "
                    "ledger if the sources dropped it on purpose"
                )
            continue
        if not _keys(entry) & _keys(now):
            report.problems.append(
                f"id {entry['id']!r} named {entry['title']!r} and would name {now['title']!r}"
            )
            continue
        for alias in entry.get("aliases", ()):
            if by_name.get(alias) is not now:
                report.problems.append(
                    f"alias {alias!r} of {entry['id']!r} would no longer name {entry['title']!r}"
                )
        if now["id"] != entry["id"]:
            if now["id"] in {e["id"] for e in old}:
                merged.setdefault(now["id"], []).append(entry["id"])
            else:
                report.renamed.append((entry["id"], now["id"]))
        if now["id"] in seen:
            continue
        seen.add(now["id"])
        fields = [name for name in COMPARED_FIELDS if entry.get(name) != now.get(name)]
        if fields:
            report.changed.append((now["id"], fields))
        before = [_place(m) for m in entry.get("memberships", ())]
        after = [_place(m) for m in now.get("memberships", ())]
        plus, minus = [p for p in after if p not in before], [m for m in before if m not in after]
        if plus or minus:
            report.moved.append((now["id"], plus, minus))
    report.merged = sorted(merged.items())
    old_names = {name for e in old for name in (e["id"], *e.get("aliases", ()))}
    report.added = [e for e in new if e["id"] not in old_names and e["id"] not in seen]
    return report
