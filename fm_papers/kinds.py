"""The closed vocabularies of the data: kinds of paper, venue, link and flag, the shape of a
key, and the loose form names are compared in.

Declared once, here, without pydantic: the models type their fields with these ``Literal``
types, and the query grammar (which the command line imports to build its flags) and the
records of :mod:`fm_papers.records` read the same values without importing the models.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Literal, get_args

__all__ = [
    "FLAG_KINDS",
    "KEY",
    "PAPER_KINDS",
    "VENUE_KINDS",
    "FlagKind",
    "LinkKind",
    "PaperKind",
    "SourceVersion",
    "VenueKind",
    "compact",
    "fold",
    "kind_from_title",
    "paper_kind",
]

#: An id, or a domain's or section's key: a lowercase slug (a pattern to match in full).
KEY = r"[a-z0-9][a-z0-9-]*"

_NOT_LETTER_OR_DIGIT = re.compile(r"[\W_]+")


def compact(text: str) -> str:
    """A name as lookups compare it loosely: letters and digits only, case-folded
    (``Prov-GigaPath`` and ``provgigapath`` agree)."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    return _NOT_LETTER_OR_DIGIT.sub("", text.casefold())


def fold(text: str) -> str:
    """A name as the author filter and search compare it: accents and case folded
    (``Schäfer``, ``SCHAFER`` and ``schafer`` agree)."""
    if text.isascii():
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


VenueKind = Literal["journal", "conference", "workshop", "preprint", "other"]
#: Every venue kind, in the order tables and groups list them.
VENUE_KINDS: tuple[str, ...] = get_args(VenueKind)

PaperKind = Literal["model", "benchmark", "dataset", "survey", "application", "other"]
#: Every kind of paper, with what it means (the manual's table reads this).
PAPER_KINDS: dict[str, str] = {
    "model": "presents a model: a foundation model, a pretrained model or an assistant built on one",
    "benchmark": "benchmarks, evaluates or assesses models, or a framework for doing so",
    "dataset": "presents a dataset, such as image-text pairs for training",
    "survey": "a survey, review, overview or perspective",
    "application": "adapts or applies foundation models to one task",
    "other": "none of the above",
}
assert tuple(PAPER_KINDS) == get_args(PaperKind), "every paper kind needs a description"

LinkKind = Literal["paper", "code", "weights", "project"]
#: The version of a paper a list of authors was read from.
SourceVersion = Literal["journal", "proceedings", "preprint", "other"]
FlagKind = Literal[
    "shared-paper-url",
    "venue-publisher-mismatch",
    "preprint-server-mismatch",
    "venue-kind-mismatch",
    "year-mismatch",
    "missing-year",
    "missing-venue",
    "listed-twice",
    "title-variants",
    "tracking-parameters",
]
#: Every flag kind, with what it records.
FLAG_KINDS: dict[str, str] = {
    "shared-paper-url": "the paper link is also the paper link of a different paper (a shared "
    "code repository is normal and not flagged)",
    "venue-publisher-mismatch": "the source's venue is not the one the paper link names by its "
    "publisher's identifiers: a Nature article id (s41587 is Nature Biotechnology), an "
    "Elsevier PII's ISSN (S0092-8674 is Cell), a Springer or BioMed Central journal id, an "
    "Oxford Academic or Wiley journal code, a CVF, NeurIPS, ACL Anthology or AAAI "
    "proceedings path",
    "preprint-server-mismatch": "the source's venue names a preprint server, but the paper link "
    "is on another one (or on none)",
    "venue-kind-mismatch": "the source calls a venue a kind it is not: a journal a conference, "
    "a workshop (ICCVW) a conference",
    "year-mismatch": "the year is earlier than the year the link's identifier names, or "
    "differs from the year of the conference proceedings it links to",
    "missing-year": "no source line gives a year",
    "missing-venue": "no source line gives a venue",
    "listed-twice": "a source lists the paper twice in one section",
    "title-variants": "the sources spell the title in more than one way",
    "tracking-parameters": "a link carries tracking parameters (utm_*, trk, a referring page), "
    "which the shipped link leaves out",
}
assert tuple(FLAG_KINDS) == get_args(FlagKind)


# A paper's kind, by the rules the shipped data follows --------------------------------------

_SURVEY = re.compile(r"(?i)\b(?:survey|review|overview|perspectives?)\b")
_BENCHMARK = re.compile(r"(?i)\b(?:benchmark\w*|evaluat\w*|assess\w*|baselines?)\b")
_DATASET = re.compile(
    r"(?i)\bimage-text pairs\b|^(?:[^:]+: )?an? (?:[\w-]+ ){0,3}(?:dataset|data set|corpus)\b"
)


def kind_from_title(title: str) -> str | None:
    """``survey``, ``benchmark`` or ``dataset`` when the title says so, in that order: a
    survey, review, overview or perspective; a paper that benchmarks, evaluates or assesses, or
    compares against baselines; image-text pairs, or a description that opens with "a …
    dataset" (or corpus)."""
    if _SURVEY.search(title):
        return "survey"
    if _BENCHMARK.search(title):
        return "benchmark"
    if _DATASET.search(title):
        return "dataset"
    return None


def paper_kind(title: str, section_kinds: Iterable[str | None]) -> str:
    """The kind of a paper that states none: the title's (:func:`kind_from_title`), else the
    kind of the first section listing it that has one (the taxonomy's ``kind``), else
    ``other``. The shipped data follows the same rules, after the reviewed decisions."""
    found = kind_from_title(title)
    if found:
        return found
    return next((kind for kind in section_kinds if kind), "other")
