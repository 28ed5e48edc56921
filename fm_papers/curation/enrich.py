"""Authors for papers that have none, asked of the service that registered the paper's identifier.

:func:`ask` chooses the service by the identifier a paper carries (the DOI or arXiv id its link
names, or one curated): a bioRxiv DOI (``10.1101/2023.04.30.538439``) is bioRxiv's or medRxiv's
(by the link's host), any other DOI Crossref's, an arXiv id arXiv's. The answer is untrusted input, read by
:mod:`.metadata`. :func:`enrich_entries` fills a data file's entries with what came back (their
``authors`` and an ``authors_source`` naming the address asked); :func:`proposals` words the
answers for the shipped papers as records of ``curation/authors.yaml``, for a curator to check
against the paper's page before moving them in. Both are what ``fm-papers enrich`` runs.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from pydantic import ValidationError

from ..models import OverlayPaper, PaperExtension
from ..records import PaperLike
from ..validation import plain_errors
from .metadata import (
    DEFAULT_ROOTS,
    Fetched,
    MetadataError,
    NotFoundError,
    arxiv_record,
    biorxiv_record,
    crossref_record,
)

__all__ = ["Asked", "Enricher", "enrich_entries", "proposals"]

#: Seconds between two requests to one service: arXiv asks for three.
PAUSE = {"crossref": 1.0, "arxiv": 3.0, "biorxiv": 1.0}


@dataclass(frozen=True)
class Asked:
    """What one paper's lookup came to: the record, or why there is none."""

    paper_id: str
    fetched: Fetched | None = None
    #: Why nothing was fetched: no identifier to ask by, or the service's failure.
    reason: str | None = None
    #: Whether the lookup failed (a service that could not answer), not just had nothing to do.
    failed: bool = False
    #: The journal DOI a preprint's record names, for a paper that has no DOI.
    doi: str | None = None


@dataclass
class Enricher:
    """Asks each service in turn, pausing between requests to one service (:data:`PAUSE`).

    :param agent: the ``User-Agent`` sent (the tool and, as Crossref asks, a contact address).
    :param roots: where each service answers, by name; :data:`.metadata.DEFAULT_ROOTS` by
        default (a test points them at a local server).
    :param sleep: how to wait (a test passes one that does not).
    """

    agent: str
    roots: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_ROOTS))
    sleep: Callable[[float], None] = time.sleep
    pause: Mapping[str, float] = field(default_factory=lambda: dict(PAUSE))
    _last: dict[str, float] = field(default_factory=dict)

    def ask(self, paper: PaperLike) -> Asked:
        """The record of ``paper`` at the service its identifier names."""
        service, identifier = _service(paper)
        if service is None:
            return Asked(paper.id, reason="no DOI or arXiv id to ask by")
        self._wait(service)
        kwargs: dict[str, Any] = {"root": self.roots[service], "agent": self.agent}
        kwargs["sleep"] = self.sleep
        try:
            if service == "arxiv":
                fetched = arxiv_record(identifier, **kwargs)
            elif service == "biorxiv":
                fetched = self._preprint(identifier, paper.url or "", kwargs)
            else:
                fetched = crossref_record(identifier, **kwargs)
        except MetadataError as error:
            return Asked(paper.id, reason=str(error), failed=True)
        finally:
            self._last[service] = time.monotonic()
        return Asked(paper.id, fetched, doi=None if paper.doi else fetched.published)

    def _preprint(self, doi: str, url: str, kwargs: dict[str, Any]) -> Fetched:
        """bioRxiv's or medRxiv's record (they share the DOI prefix): the server the link
        names first, then the other (a link through doi.org names neither)."""
        servers = ("medrxiv", "biorxiv") if "medrxiv.org" in url else ("biorxiv", "medrxiv")
        try:
            return biorxiv_record(doi, servers[0], **kwargs)
        except NotFoundError as first:
            self._wait("biorxiv")
            try:
                return biorxiv_record(doi, servers[1], **kwargs)
            except NotFoundError:
                raise first from None

    def _wait(self, service: str) -> None:
        last = self._last.get(service)
        if last is not None:
            left = self.pause.get(service, 0.0) - (time.monotonic() - last)
            if left > 0:
                self.sleep(left)


#: bioRxiv's and medRxiv's DOIs: ``10.1101/`` and a date or a number (Cold Spring Harbor's
#: journals share the prefix, with letters: ``10.1101/gr.…``), or the newer ``10.64898/``.
_PREPRINT_DOI = re.compile(r"10\.1101/(?:\d{4}\.\d{2}\.\d{2}\.)?\d+(?:v\d+)?|10\.64898/\S+")


def _service(paper: PaperLike) -> tuple[str | None, str]:
    """Which service to ask about ``paper``, and by which identifier."""
    if paper.doi and _PREPRINT_DOI.fullmatch(paper.doi):
        return "biorxiv", paper.doi
    if paper.doi:
        return "crossref", paper.doi
    if paper.arxiv:
        return "arxiv", paper.arxiv
    return None, ""


def _authors(fetched: Fetched) -> list[dict[str, str]]:
    return [dict(author) for author in fetched.authors]


def enrich_entries(
    entries: Sequence[Any],
    papers: Mapping[str, PaperLike],
    asker: Callable[[PaperLike], Asked],
) -> tuple[list[Any], list[Asked]]:
    """A data file's entries with authors added where the paper has none (and a new entry
    without a DOI the journal DOI its preprint's record names), and what each lookup came to.

    :param entries: the file's ``papers`` list, as parsed (a new paper or an ``extend``).
    :param papers: the catalogue's paper of each entry, by the entry's id (an extension's is
        the paper it extends, with what the extension adds).
    :param asker: looks a paper up (:meth:`Enricher.ask`).
    :return: the entries (those enriched are copies; a record the models refuse is reported
        and the entry left as it was), and the lookups made, in the entries' order.
    """
    result, asked = [], []
    done: set[str] = set()  # a paper gets its authors once, however many entries name it
    for raw in entries:
        paper = papers.get(str(raw.get("id"))) if isinstance(raw, dict) else None
        if paper is None or paper.authors or paper.id in done or raw.get("authors"):
            result.append(raw)
            continue
        done.add(paper.id)
        outcome = asker(paper)
        fetched = outcome.fetched
        if fetched is not None:
            source = {"url": fetched.url, "version": fetched.version}
            enriched = {**raw, "authors": _authors(fetched), "authors_source": source}
            if outcome.doi and not raw.get("extend") and not raw.get("doi"):
                enriched["doi"] = outcome.doi
            else:  # an extension adds no identifiers
                outcome = replace(outcome, doi=None)
            refused = _refused(enriched)
            if refused:
                reason = f"{fetched.url}: the record is refused: {refused}"
                outcome = Asked(paper.id, reason=reason, failed=True)
                enriched = raw
            raw = enriched
        asked.append(outcome)
        result.append(raw)
    return result, asked


def _refused(entry: dict[str, Any]) -> str | None:
    """Why the models refuse ``entry``, or ``None``."""
    model = PaperExtension if entry.get("extend") is not None else OverlayPaper
    try:
        model.model_validate(entry)
    except ValidationError as error:
        return "; ".join(
            f"{'.'.join(map(str, where))}: {message}" if where else message
            for where, message in plain_errors(error)
        )
    return None


def proposals(asked: Iterable[Asked], day: str) -> list[dict[str, Any]]:
    """The records fetched, as records of ``curation/authors.yaml`` whose ``review`` says
    where they came from and what is left to check."""
    records = []
    for outcome in asked:
        fetched = outcome.fetched
        if fetched is None:
            continue
        record = {
            "id": outcome.paper_id,
            "version": fetched.version,
            "source": fetched.url,
            "authors": [_written(author) for author in fetched.authors],
        }
        if outcome.doi:
            record["doi"] = outcome.doi
        records.append(
            {
                **record,
                "review": (
                    f"Fetched by fm-papers enrich on {day} from the service's record. Check "
                    "the names and their order against the paper's own page, add that page "
                    "as source or also, then move this record into curation/authors.yaml."
                ),
            }
        )
    return records


def _written(author: Mapping[str, str]) -> str | dict[str, str]:
    """An author as ``curation/authors.yaml`` writes one: ``Family, Given`` for a person with
    both names, a mapping otherwise."""
    if "family" in author and "given" in author and "," not in author["family"]:
        return f"{author['family']}, {author['given']}"
    return dict(author)
