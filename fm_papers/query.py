"""The filter grammar shared by the Python API, the command line and the Sphinx directive.

The filters themselves are declared once, in :data:`fm_papers.filters.FILTER_SPECS`. Every
filter takes either a typed value or the string users type in a directive option or on the
command line; a comma separates alternatives (OR) within a filter, and different filters must
all hold (AND).

For example:

>>> from fm_papers import load
>>> catalogue = load()
>>> [paper.id for paper in catalogue.query(ids="scgpt,uni")]
['scgpt', 'uni']
>>> [paper.id for paper in catalogue.query(ids="Prov-GigaPath,CONCH")]
['prov-gigapath', 'conch']
>>> {paper.kind for paper in catalogue.query(domain="pathology", kind="benchmark")}
{'benchmark'}
>>> all(p.year >= 2024 for p in catalogue.query(year="2024-", venue_kind="journal"))
True

Parsing is a closed grammar: nothing the user writes is evaluated.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from .errors import QueryError
from .filters import DEFAULT_SORT, FILTERS, SORT_KEYS, YEAR_FORMS, default_sort
from .kinds import PAPER_KINDS, VENUE_KINDS, fold

if TYPE_CHECKING:
    from .catalogue import Catalogue
    from .records import PaperLike

__all__ = [
    "COLUMNS",
    "DEFAULT_SORT",
    "FILTERS",
    "PAPER_KINDS",
    "SORT_KEYS",
    "VENUE_KINDS",
    "Query",
    "SortKey",
    "YearRange",
    "sorted_positions",
]

_TRUE = frozenset({"yes", "true", "1", "on"})
_FALSE = frozenset({"no", "false", "0", "off"})
#: A year, a range, or a range open on one side. ``2024-`` and ``-2022`` are the spellings
#: documented first: plain YAML scalars, so MyST's option block reads them as written
#: (a value starting with ``>`` is YAML syntax there, and MyST drops every option).
_YEAR_TERM = re.compile(
    r"(?:(?P<op>>=|<=|>|<)[ \t]*(?P<bound>[0-9]{4})"
    r"|(?P<lo>[0-9]{4})?[ \t]*(?P<range>-|\.\.)[ \t]*(?P<hi>[0-9]{4})?"
    r"|(?P<year>[0-9]{4}))"
)

FilterValue = str | int | bool | Iterable[str] | Iterable[int] | None


class YearRange(NamedTuple):
    """An inclusive range of years; ``None`` leaves a side open."""

    low: int | None
    high: int | None

    def __contains__(self, year: object) -> bool:
        if not isinstance(year, int):
            return False
        return (self.low is None or year >= self.low) and (self.high is None or year <= self.high)


class SortKey(NamedTuple):
    """One sort key and its direction."""

    key: str
    descending: bool = False

    def __str__(self) -> str:
        return ("-" if self.descending else "") + self.key


def _items(name: str, value: FilterValue) -> tuple[str, ...]:
    """Split a comma-separated string or take an iterable; drop empty items."""
    if value is None:
        return ()
    if isinstance(value, bool):
        raise QueryError(name, str(value), "expected text, not a boolean")
    if isinstance(value, str | int):
        parts: Iterable[object] = str(value).split(",")
    else:
        parts = value
    out = []
    for part in parts:
        if not isinstance(part, str | int) or isinstance(part, bool):
            raise QueryError(name, repr(part), f"expected text, got {type(part).__name__}")
        text = str(part).strip()
        if text:
            out.append(text)
    return tuple(out)


def _words(value: FilterValue) -> tuple[str, ...]:
    """The words of a search, case and accents folded: a text is split at spaces (commas are part of its
    words), and a list of texts gives the words of each."""
    if value is None:
        return ()
    if isinstance(value, bool):
        raise QueryError("search", str(value), "expected text, not a boolean")
    texts = [value] if isinstance(value, str | int) else value
    words: list[str] = []
    for text in texts:
        if not isinstance(text, str | int) or isinstance(text, bool):
            raise QueryError("search", repr(text), f"expected text, got {type(text).__name__}")
        words += fold(str(text)).split()
    return tuple(words)


def _choices(name: str, value: FilterValue, valid: tuple[str, ...], what: str) -> tuple[str, ...]:
    """Values of a closed set, lowercased; an unknown one names the valid ones."""
    chosen = tuple(item.lower() for item in _items(name, value))
    for item in chosen:
        if item not in valid:
            raise QueryError(name, item, f"unknown {what} {item!r}", valid)
    return chosen


def parse_year(value: FilterValue) -> tuple[YearRange, ...]:
    """Parse ``2024``, ``2023-2025``, ``2024-``, ``-2022`` (comma-separated alternatives).

    ``2023..2025``, ``2024..`` and ``..2022`` mean the same; so do ``>=2024``, ``>2023``,
    ``<=2022`` and ``<2023``, which the Python API and the command line take as written but
    a MyST option block reads as YAML syntax (quote them there).

    :raises QueryError: for anything else.
    """
    given = [value] if isinstance(value, int) else value if isinstance(value, list | tuple) else []
    for number in given:
        if isinstance(number, int) and not isinstance(number, bool) and number < 0:
            raise QueryError(
                "year",
                str(number),
                f"{number} is not a year; to mean until {-number}, write the text '-{-number}'",
            )
    ranges = []
    for item in _items("year", value):
        match = _YEAR_TERM.fullmatch(item)
        if not match:
            raise QueryError("year", item, f"cannot read year {item!r}; write {YEAR_FORMS}")
        if match["year"]:
            ranges.append(YearRange(int(match["year"]), int(match["year"])))
        elif match["range"]:
            if not (match["lo"] or match["hi"]):
                raise QueryError("year", item, f"cannot read year {item!r}; write {YEAR_FORMS}")
            low = int(match["lo"]) if match["lo"] else None
            high = int(match["hi"]) if match["hi"] else None
            if low is not None and high is not None and low > high:
                raise QueryError("year", item, f"empty year range {item!r}; write {high}-{low}")
            ranges.append(YearRange(low, high))
        else:
            bound, op = int(match["bound"]), match["op"]
            ranges.append(
                {
                    ">=": YearRange(bound, None),
                    ">": YearRange(bound + 1, None),
                    "<=": YearRange(None, bound),
                    "<": YearRange(None, bound - 1),
                }[op]
            )
    return tuple(ranges)


def parse_bool(name: str, value: FilterValue) -> bool | None:
    """``True``/``False`` or ``yes``/``no``/``true``/``false``/``1``/``0``/``on``/``off``."""
    if value is None or isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise QueryError(name, str(value), f"expected yes or no, got {value!r}", ("yes", "no"))


def parse_sort(value: FilterValue) -> tuple[SortKey, ...]:
    """Parse ``-year,title`` into sort keys.

    :raises QueryError: naming the valid keys and the nearest one.
    """
    keys = []
    for item in _items("sort", value):
        descending = item.startswith("-")
        name = item.lstrip("+-").strip().lower().replace("_", "-")
        if name not in SORT_KEYS:
            raise QueryError("sort", name, f"unknown sort key {name!r}", SORT_KEYS)
        keys.append(SortKey(name, descending))
    return tuple(keys)


def parse_limit(value: FilterValue) -> int | None:
    """A positive whole number, or ``None``."""
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise QueryError("limit", repr(value), "expected a positive whole number")
    text = str(value).strip()
    # ASCII digits only: str.isdigit() takes "²", which int() refuses. A limit beyond any
    # catalogue is no limit, however many digits it has (int() refuses over 4,300).
    digits = text.lstrip("0")
    if not (text.isascii() and text.isdigit()) or not digits:
        raise QueryError("limit", text, f"expected a positive whole number, got {text!r}")
    return int(digits) if len(digits) < 19 else 10**18


class Query(NamedTuple):
    """A parsed query. Build one with :meth:`Query.parse`; run it with :meth:`run`."""

    domain: tuple[str, ...] = ()
    section: tuple[str, ...] = ()
    kind: tuple[str, ...] = ()
    year: tuple[YearRange, ...] = ()
    venue: tuple[str, ...] = ()
    venue_kind: tuple[str, ...] = ()
    model: tuple[str, ...] = ()
    author: tuple[str, ...] = ()
    has_code: bool | None = None
    search: tuple[str, ...] = ()
    ids: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    sort: tuple[SortKey, ...] = ()
    limit: int | None = None

    @classmethod
    def parse(
        cls, filters: Mapping[str, FilterValue] | None = None, /, **kwargs: FilterValue
    ) -> Query:
        """Parse filters given as a mapping and/or keyword arguments.

        Names may use ``-`` or ``_`` (``venue-kind`` = ``venue_kind``). Values are strings in
        the forms :data:`~fm_papers.filters.FILTER_SPECS` documents, or typed values (a list of
        keys, an ``int`` year, a ``bool``).

        Without ``sort`` (or with ``sort=None``) the papers come in the order of every
        listing, :data:`~fm_papers.filters.DEFAULT_SORT` (newest first, then by title), or in
        the order of ``ids`` when they are given; an empty ``sort`` (``""`` or ``()``) keeps
        the order they are given in (``ids``' order, else catalogue order).

        :raises QueryError: for an unknown filter or a value the grammar cannot read.
        """
        given: dict[str, FilterValue] = {}
        for name, value in {**(filters or {}), **kwargs}.items():
            key = name.replace("-", "_")
            if key not in FILTERS:
                raise QueryError("filter", name, f"unknown filter {name!r}", FILTERS)
            given[key] = value
        default_sort(given)
        kinds = _choices("venue_kind", given.get("venue_kind"), VENUE_KINDS, "venue kind")
        paper_kinds = _choices("kind", given.get("kind"), tuple(PAPER_KINDS), "kind")
        return cls(
            domain=_items("domain", given.get("domain")),
            section=_items("section", given.get("section")),
            kind=paper_kinds,
            year=parse_year(given.get("year")),
            venue=_items("venue", given.get("venue")),
            venue_kind=kinds,
            model=_items("model", given.get("model")),
            author=tuple(fold(a) for a in _items("author", given.get("author"))),
            has_code=parse_bool("has_code", given.get("has_code")),
            search=_words(given.get("search")),
            ids=tuple(i.lower() for i in _items("ids", given.get("ids"))),
            exclude=tuple(i.lower() for i in _items("exclude", given.get("exclude"))),
            sort=parse_sort(given.get("sort")),
            limit=parse_limit(given.get("limit")),
        )

    def run(self, catalogue: Catalogue) -> tuple[PaperLike, ...]:
        """The catalogue's papers that match, in the requested order, as the catalogue holds
        them: :meth:`Catalogue.run <fm_papers.catalogue.Catalogue.run>`.

        :raises QueryError: for a key, venue, model or id the catalogue does not know.
        """
        return catalogue.run(self)


def _folded(text: str | None) -> str | None:
    return text.casefold() if text is not None else None


#: What each filter and sort key compares, one value per paper: ``year``, ``kind``,
#: ``venue-kind`` and ``has-code`` as they are; ``id``, ``title``, ``venue`` and ``model``
#: case-folded; ``author`` the first author's family name and ``authors`` every author's
#: (each whole, and each word of a person's: ``van dijk`` and ``dijk``, ``torne``),
#: ``search`` the title, short name, aliases and authors' names, case and accents folded.
def _family_names(family: str) -> tuple[str, ...]:
    """A folded family name, and each word of it when it has several (split at spaces and
    hyphens): what an author filter may name."""
    words = tuple(word for word in re.split(r"[\s-]+", family) if word)
    return (family, *words) if len(words) > 1 else (family,)


COLUMNS: dict[str, Callable[[PaperLike], object]] = {
    "id": lambda p: p.id,
    "title": lambda p: p.title.casefold(),
    "year": lambda p: p.year,
    "venue": lambda p: _folded(p.venue),
    "venue-kind": lambda p: p.venue_kind,
    "model": lambda p: _folded(p.model),
    "author": lambda p: fold(p.authors[0].surname) if p.authors else None,
    "authors": lambda p: frozenset(
        name
        for author in p.authors
        for name in (
            _family_names(fold(author.family)) if author.family else (fold(author.surname),)
        )
    ),
    "has-code": lambda p: p.has_code,
    "kind": lambda p: p.kind,
    "search": lambda p: fold(
        " ".join((p.title, p.model or "", *p.aliases, *(a.full_name for a in p.authors)))
    ),
}


def sorted_positions(order: list[int], values: Sequence[Any], descending: bool) -> list[int]:
    """A stable sort of positions on one column; missing values come last either way."""
    valued = [i for i in order if values[i] is not None]
    missing = [i for i in order if values[i] is None]
    valued.sort(key=values.__getitem__, reverse=descending)
    return valued + missing
