"""Every filter of the query grammar, declared once.

A :class:`Filter` holds a filter's name, its placeholder, what it selects and an example. The
rest is made from :data:`FILTER_SPECS`: the API's keyword arguments (:meth:`Query.parse
<fm_papers.query.Query.parse>`), the command line's flags and their help, the options of the
``fm-papers`` and ``fm-papers-stats`` directives, and the manual's tables of them. A name is
written ``venue_kind`` in Python and ``venue-kind`` everywhere else; both spellings are
accepted everywhere.

This module imports nothing but the closed vocabularies, so the command line can build its
parser from it without loading the catalogue.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, MutableMapping
from typing import NamedTuple, TypeVar

from .kinds import PAPER_KINDS, VENUE_KINDS

__all__ = [
    "DEFAULT_SORT",
    "FILTERS",
    "FILTER_SPECS",
    "SORT_KEYS",
    "YEAR_FORMS",
    "Filter",
    "default_sort",
    "filter_values",
    "spec",
]

#: Keys ``sort`` accepts, each optionally prefixed by ``-`` for descending order.
SORT_KEYS: tuple[str, ...] = (
    "id",
    "title",
    "author",
    "year",
    "venue",
    "venue-kind",
    "model",
    "kind",
)
#: The order of every listing that names no ``sort``: the Python API's, the command line's and
#: the directive's (``fm_papers_sort`` in ``conf.py`` changes it for the directive only). Newest
#: first, then by title. An empty sort keeps the order the papers are given in: ``ids``' order,
#: else catalogue order.
DEFAULT_SORT = "-year,title"
#: The spellings of a year filter, as messages and help suggest them.
YEAR_FORMS = "2024, 2023-2025, 2024- (from 2024) or -2022 (until 2022)"


def _or(words: Iterable[str]) -> str:
    """``a, b or c``."""
    items = list(words)
    return ", ".join(items[:-1]) + f" or {items[-1]}" if len(items) > 1 else "".join(items)


class Filter(NamedTuple):
    """One filter: its name and how it is documented.

    :param name: the keyword argument (``venue_kind``).
    :param metavar: the placeholder the command line's help shows (``KIND``).
    :param help: what the filter selects, one line, lowercase, as help and tables show it.
    :param example: a value as a user writes it (``journal``).
    :param bare: what the flag or the option means when given without a value, if anything.
    :param selects: whether it narrows the selection; ``sort`` and ``limit`` order and cut
        it instead, so the statistics take neither.
    """

    name: str
    metavar: str
    help: str
    example: str
    bare: str | None = None
    selects: bool = True

    @property
    def option(self) -> str:
        """The directive option's name: ``venue-kind``."""
        return self.name.replace("_", "-")

    @property
    def flag(self) -> str:
        """The command line's flag: ``--venue-kind``."""
        return "--" + self.option

    @property
    def description(self) -> str:
        """``help`` as a sentence, with what a bare option means."""
        text = self.help[0].upper() + self.help[1:] + "."
        if self.bare is not None:
            text += f" Given without a value, it means {self.bare}."
        return text


#: Every filter, in the order help and the manual list them. A comma separates alternatives
#: within a filter (any may hold); different filters must all hold.
FILTER_SPECS: tuple[Filter, ...] = (
    Filter("domain", "KEY", "a domain, by key or alias", "pathology"),
    Filter(
        "section", "KEY", "a section, by key or alias, with the sections below it", "segmentation"
    ),
    Filter("kind", "KIND", f"what a paper is: {_or(PAPER_KINDS)}", "model,benchmark"),
    Filter("year", "YEARS", f"the year: {YEAR_FORMS}", "2024-"),
    Filter("venue", "NAME", "a venue, by name or alias", "Nature Methods,CVPR"),
    Filter("venue_kind", "KIND", f"the kind of venue: {_or(VENUE_KINDS)}", "journal"),
    Filter("model", "NAME", "a model's short name, in any case", "scGPT"),
    Filter(
        "author",
        "NAME",
        "an author's family name or a word of it (or an organisation's name), in any case "
        "and with or without accents",
        "Mahmood",
    ),
    Filter(
        "has_code",
        "YES|NO",
        "with yes, the papers with code or weights; with no, those without",
        "yes",
        bare="yes",
    ),
    Filter(
        "search",
        "TEXT",
        "words that must all occur in the title, short name, aliases or authors' names (in "
        "any case, with or without accents)",
        "whole slide",
    ),
    Filter(
        "ids",
        "IDS",
        "these papers (ids, aliases or short names), in this order unless sort is given",
        "scgpt,uni",
    ),
    Filter("exclude", "IDS", "leave out these papers (ids, aliases or short names)", "scbert"),
    Filter(
        "sort",
        "KEYS",
        f"sort keys, each with '-' before it for descending order: {', '.join(SORT_KEYS)} "
        f"(default: {DEFAULT_SORT}, or the order of ids when given; empty: catalogue order)",
        "-year,title",
        selects=False,
    ),
    Filter("limit", "N", "at most N papers, after sorting", "10", selects=False),
)
#: The filters' names, in the same order. ``-`` and ``_`` are interchangeable.
FILTERS: tuple[str, ...] = tuple(f.name for f in FILTER_SPECS)
_BY_NAME = {f.name: f for f in FILTER_SPECS}


def spec(name: str) -> Filter:
    """The filter called ``name`` (``venue-kind`` or ``venue_kind``).

    :raises KeyError: for a name that is no filter.
    """
    return _BY_NAME[name.replace("-", "_")]


V = TypeVar("V")


def default_sort(filters: MutableMapping[str, V | str], sort: str = DEFAULT_SORT) -> None:
    """Give ``filters`` the ``sort`` of a listing that names none: ``sort``, unless ``ids``
    are given, whose order is kept. The one rule of :meth:`Query.parse
    <fm_papers.query.Query.parse>`, which applies :data:`DEFAULT_SORT`, and of the directive,
    which applies ``fm_papers_sort``."""
    if filters.get("sort") is None and not filters.get("ids"):
        filters["sort"] = sort


def filter_values(
    written: Mapping[str, str | None], specs: Iterable[Filter] = FILTER_SPECS
) -> dict[str, str]:
    """The filters given as options or flags, by name, as :meth:`Query.parse` takes them.

    ``written`` maps option names (either spelling) to what the user wrote, ``None`` for an
    option not given; an empty value of a filter with a :attr:`Filter.bare` meaning takes it.
    """
    values: dict[str, str] = {}
    for filter_ in specs:
        value = written.get(filter_.option, written.get(filter_.name))
        if value is None:
            continue
        values[filter_.name] = filter_.bare if value == "" and filter_.bare else value
    return values
