"""The ledger of paper ids: every id ever issued, with what it names, so that none changes meaning.

An id, once issued, names one paper for good. The ledger (``curation/ids.yaml``) keeps one
record per paper: its id, the titles and paper links it has been listed with, the earlier ids
that now are its aliases, and, if the sources dropped it, why it was retired. A build matches
each paper of the sources to its record by identity:

* a paper's identity keys are its normalised titles, its paper links (normalised, see
  :func:`fm_papers.derive.normalise_url`) and the DOIs and arXiv ids read off them;
* a key that two records (or two papers of the build) share identifies neither, so two
  papers that share a link (a source defect) are told apart by their titles;
* a paper whose keys reach one record takes its id, and the record learns the paper's new
  keys (a retitled paper is still found by its link, a moved link by its title);
* a paper whose keys reach several records would merge them, which changes what the younger
  ids name: a build of the catalogue refuses it until a reviewer confirms it by writing
  ``merged_into: <the oldest id>`` in the younger records; then the oldest record's id stays,
  learns the others' titles and links, and their ids become its aliases;
* a paper that reaches no record is new and gets a new id, never one issued before.

What cannot be done without changing what an id names is a :class:`LedgerProblem`: a record
that two papers reach (an id cannot split), records that one paper reaches unless the merge
is confirmed, and a record no paper reaches any more unless it is marked ``retired`` with a
reason (an id must not silently disappear).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..derive import arxiv_id, doi, normalise_url
from ..errors import FmPapersError
from .naming import normalise_title

if TYPE_CHECKING:
    from ..models import Paper

__all__ = [
    "Identity",
    "Ledger",
    "LedgerEntry",
    "LedgerFileError",
    "LedgerProblem",
    "Match",
    "identity_keys",
]


def identity_keys(titles: Iterable[str], urls: Iterable[str]) -> set[str]:
    """The keys a paper is recognised by: titles, paper links, and DOIs and arXiv ids."""
    keys = {f"title:{normalise_title(title)}" for title in titles}
    for url in urls:
        keys.add(f"url:{normalise_url(url)}")
        found = doi(url)
        if found:
            keys.add(f"doi:{found.lower()}")
        identifier = arxiv_id(url)
        if identifier:
            keys.add(f"arxiv:{identifier}")
    return keys


@dataclass(frozen=True)
class Identity:
    """What a paper of a build is recognised by: its titles and its paper links."""

    titles: tuple[str, ...]
    urls: tuple[str, ...]

    def keys(self) -> set[str]:
        """Its identity keys."""
        return identity_keys(self.titles, self.urls)


@dataclass
class LedgerEntry:
    """One issued id and what it names."""

    id: str
    titles: list[str]
    urls: list[str]
    #: Earlier ids of this paper; they stay valid as aliases.
    aliases: list[str] = field(default_factory=list)
    #: Why the paper left the catalogue, when the sources dropped it on purpose.
    retired: str | None = None
    #: The id this paper turned out to be: its id is an alias there now.
    merged_into: str | None = None

    def keys(self) -> set[str]:
        """Its identity keys."""
        return identity_keys(self.titles, self.urls)

    def learn(self, identity: Identity) -> None:
        """Add the titles and links the paper is listed with now (the ledger only grows)."""
        self.titles += [t for t in identity.titles if t not in self.titles]
        self.urls += [u for u in identity.urls if u not in self.urls]

    def describe(self) -> str:
        """``'id' ("title")`` for messages."""
        return f"{self.id!r} ({self.titles[0]!r})"

    def as_dict(self) -> dict[str, Any]:
        """The record as the ledger file writes it."""
        out: dict[str, Any] = {"id": self.id, "titles": self.titles, "urls": self.urls}
        if self.aliases:
            out["aliases"] = self.aliases
        if self.retired:
            out["retired"] = self.retired
        if self.merged_into:
            out["merged_into"] = self.merged_into
        return out


class LedgerFileError(FmPapersError, ValueError):
    """The ledger file's content is not of the ledger's shape (``papers[N]: what is wrong``)."""


@dataclass(frozen=True)
class LedgerProblem:
    """Something a build may not do to an issued id."""

    message: str

    def __str__(self) -> str:
        return self.message


@dataclass
class Match:
    """Which record each paper of a build matched, and what happened to the ledger."""

    #: Paper position -> the record it takes its id from.
    ids: dict[int, LedgerEntry] = field(default_factory=dict)
    #: Paper position -> records merged into the paper's record (their ids are now aliases).
    merged: dict[int, list[LedgerEntry]] = field(default_factory=dict)
    #: Records whose paper left the sources and that are marked retired.
    retired: list[LedgerEntry] = field(default_factory=list)
    #: Records that were retired and whose paper is back.
    restored: list[LedgerEntry] = field(default_factory=list)
    problems: list[LedgerProblem] = field(default_factory=list)


class Ledger:
    """Every id issued, in the order they were issued."""

    def __init__(self, entries: Iterable[LedgerEntry] = ()) -> None:
        self.entries: list[LedgerEntry] = list(entries)

    @classmethod
    def from_data(cls, data: object) -> Ledger:
        """A ledger from its file's parsed content (``{"papers": [records]}``).

        :raises LedgerFileError: for content of another shape.
        """
        if data is None:
            return cls()
        if not isinstance(data, dict) or not isinstance(data.get("papers"), list | None):
            raise LedgerFileError("expected a mapping with a list of records under 'papers'")
        records = []
        for number, raw in enumerate(data.get("papers") or [], start=1):
            try:
                records.append(_record(raw))
            except LedgerFileError as error:
                raise LedgerFileError(f"papers[{number}]: {error}") from None
        return cls(records)

    @classmethod
    def from_papers(cls, papers: Iterable[Paper]) -> Ledger:
        """A ledger of a catalogue's papers: to recognise papers it already holds."""
        return cls(
            LedgerEntry(
                paper.id,
                [paper.title],
                [link.url for link in paper.links if link.kind == "paper"],
                list(paper.aliases),
            )
            for paper in papers
        )

    def as_data(self) -> dict[str, Any]:
        """The ledger as its file holds it."""
        return {"papers": [record.as_dict() for record in self.entries]}

    def issued(self) -> set[str]:
        """Every id and alias ever issued: none may be given to another paper."""
        return {name for r in self.entries for name in (r.id, *r.aliases)}

    def match(self, papers: Sequence[Identity], *, strict: bool = True) -> Match:
        """Match the papers of a build to their records (see the module docstring).

        :param papers: each paper's identity, in build order.
        :param strict: report records no paper reaches (a build of the whole catalogue);
            without it, only papers are matched (an import of a few papers).
        """
        result = Match()
        # A merged record's keys were learnt by the record it was merged into.
        record_keys = [set() if r.merged_into else r.keys() for r in self.entries]
        paper_keys = [paper.keys() for paper in papers]
        index = _unique_index(record_keys)
        shared_by_papers = _shared(paper_keys)
        reached_by: dict[int, list[int]] = {}
        for position, keys in enumerate(paper_keys):
            found = sorted({index[k] for k in keys - shared_by_papers if k in index})
            if not found:
                continue
            result.ids[position] = self.entries[found[0]]
            if len(found) > 1:
                others = [self.entries[n] for n in found[1:]]
                if strict:
                    result.problems.append(_unconfirmed_merge(self.entries[found[0]], others))
                result.merged[position] = others
            for number in found:
                reached_by.setdefault(number, []).append(position)
        for number, positions in reached_by.items():
            if len(positions) > 1:
                titles = ", ".join(repr(papers[p].titles[0]) for p in positions)
                result.problems.append(
                    LedgerProblem(
                        f"id {self.entries[number].describe()} would be given to "
                        f"{len(positions)} papers ({titles}); an id cannot split"
                    )
                )
        if strict:
            issued = {record.id for record in self.entries if not record.merged_into}
            for record in self.entries:
                if record.merged_into and record.merged_into not in issued:
                    result.problems.append(
                        LedgerProblem(
                            f"id {record.describe()} is merged_into {record.merged_into!r}, "
                            "which is no id of the ledger"
                        )
                    )
            for number, record in enumerate(self.entries):
                if number in reached_by:
                    if record.retired:
                        result.restored.append(record)
                    continue
                if record.merged_into:
                    continue
                if record.retired:
                    result.retired.append(record)
                    continue
                result.problems.append(
                    LedgerProblem(
                        f"id {record.describe()} names no paper of the sources any more; if the "
                        "paper was dropped on purpose, add 'retired: <why>' to its record in "
                        "the ledger (its id stays reserved)"
                    )
                )
        return result

    def apply(self, papers: Sequence[Identity], match: Match) -> None:
        """Record what a build did: learn new keys, merge, restore (nothing is removed).

        A record a reviewer marked ``merged_into`` hands its titles, links and names to the
        record it names, once.
        """
        for position, record in match.ids.items():
            record.learn(papers[position])
            for other in match.merged.get(position, ()):
                _merge(record, other)
        by_id = {record.id: record for record in self.entries}
        for record in self.entries:
            target = by_id.get(record.merged_into or "")
            if target is not None and record.id not in target.aliases:
                _merge(target, record)
        for record in match.restored:
            record.retired = None

    def add(self, paper_id: str, identity: Identity) -> LedgerEntry:
        """Issue a new id."""
        record = LedgerEntry(paper_id, list(identity.titles), list(identity.urls))
        self.entries.append(record)
        return record


_RECORD_FIELDS = {"id", "titles", "urls", "aliases", "retired", "merged_into"}


def _record(raw: object) -> LedgerEntry:
    """One record of the ledger file, of exactly the shape :meth:`LedgerEntry.as_dict` writes."""
    if not isinstance(raw, dict):
        raise LedgerFileError("a record must be a mapping")
    unknown = sorted(map(str, set(raw) - _RECORD_FIELDS))
    if unknown:
        raise LedgerFileError(f"unknown fields: {', '.join(unknown)}")

    def text(name: str, required: bool = False) -> str | None:
        value = raw.get(name)
        if value is None and not required:
            return None
        if not isinstance(value, str) or not value.strip():
            raise LedgerFileError(f"{name} must be a non-empty string")
        return value

    def texts(name: str, required: bool = False) -> list[str]:
        value = raw.get(name) or []
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise LedgerFileError(f"{name} must be a list of strings")
        if required and not value:
            raise LedgerFileError(f"{name} must not be empty")
        return list(value)

    return LedgerEntry(
        id=text("id", required=True) or "",
        titles=texts("titles", required=True),
        urls=texts("urls"),
        aliases=texts("aliases"),
        retired=text("retired"),
        merged_into=text("merged_into"),
    )


def _merge(record: LedgerEntry, other: LedgerEntry) -> None:
    """``other`` turned out to be ``record``'s paper: its id and aliases name it from now on."""
    record.learn(Identity(tuple(other.titles), tuple(other.urls)))
    record.aliases += [n for n in (other.id, *other.aliases) if n not in record.aliases]
    other.merged_into = record.id
    other.retired = None


def _unconfirmed_merge(record: LedgerEntry, others: Sequence[LedgerEntry]) -> LedgerProblem:
    names = ", ".join(repr(other.id) for other in others)
    return LedgerProblem(
        f"ids {', '.join(r.describe() for r in (record, *others))} would become one paper: "
        f"the sources list them as one now. If they are one paper, add 'merged_into: "
        f"{record.id}' to the record of {names} in the ledger; if not, tell them apart in the "
        "sources (a title or link copied from the other paper?)"
    )


def _unique_index(keysets: Sequence[set[str]]) -> dict[str, int]:
    """key -> position, for the keys exactly one of the sets holds."""
    index: dict[str, int] = {}
    shared: set[str] = set()
    for position, keys in enumerate(keysets):
        for key in keys:
            if key in index and index[key] != position:
                shared.add(key)
            index[key] = position
    return {key: position for key, position in index.items() if key not in shared}


def _shared(keysets: Sequence[set[str]]) -> set[str]:
    """The keys that more than one of the sets holds."""
    seen: set[str] = set()
    shared: set[str] = set()
    for keys in keysets:
        shared |= keys & seen
        seen |= keys
    return shared
