"""The ``fm_papers_*`` configuration values: declared once, validated at ``config-inited``.

Each option is declared once, as a field of :class:`Settings` holding its :class:`Option`
(default, what it does, the types it takes, how to check and read it): :data:`OPTIONS`,
:func:`setup_config`'s registration, :func:`validate_config`'s check, :func:`settings`' reading
and the manual's options table are all made from those fields, so none can drift from another.

The values change what pages show, yet they are registered with rebuild ``""`` rather than
``"env"``: Sphinx re-reads *every* page when an ``"env"`` value changes, and a changed
overlay list should re-read only the pages that show papers. :mod:`.domain` keeps a
fingerprint of the validated values and marks exactly those pages outdated
(``env-get-outdated``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields, replace
from typing import TYPE_CHECKING, Any, Literal, get_args

from sphinx.util import logging

from fm_papers.errors import QueryError, suggestion, valid_values
from fm_papers.filters import DEFAULT_SORT
from fm_papers.query import SORT_KEYS, parse_sort

from .labels import COLUMN_LABELS, LABELS, check_overrides

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

__all__ = [
    "CITE_STYLES",
    "COLUMNS",
    "GROUPS",
    "LAYOUTS",
    "OPTIONS",
    "WARNING_TYPES",
    "Option",
    "Settings",
    "WarningType",
    "nearest",
    "settings",
    "setup_config",
    "split_names",
]

logger = logging.getLogger(__name__)

#: Columns a table, list or card can show, with their English headers (:mod:`.labels`
#: declares them, with every other label, and translates them).
COLUMNS: dict[str, str] = dict(COLUMN_LABELS)
LAYOUTS: tuple[str, ...] = ("table", "list", "cards")

#: The subtypes of the extension's warnings (``fm_papers.<subtype>``); each can be silenced
#: with ``suppress_warnings = ["fm_papers.<subtype>"]``, all of them with ``"fm_papers"``.
WarningType = Literal["option", "query", "id", "value", "config", "data"]
#: What each subtype reports, and what the build does about it (the manual's table).
WARNING_TYPES: dict[WarningType, str] = {
    "option": "An unknown option, or an option value holding a control or bidirectional "
    "character: the directive is left out.",
    "query": "A filter value that cannot be read, or names no domain, section, venue or model "
    "of the catalogue: the directive is left out.",
    "id": "A paper id, alias or short name that finds no paper, or several (or a citation "
    "holding a control character): in :ids: or :exclude: the directive is left out; a "
    "citation shows the id as written, unlinked.",
    "value": "An unknown value of a presentation option (:columns:, :layout:, :group-by:, "
    ":class:, :interactive:, :by:, :chart:): the default is used, or the value left out.",
    "config": "A wrong fm_papers_* value in conf.py: its default is used.",
    "data": "An overlay that cannot be read or holds invalid entries (an error, at the file "
    "and line): pages show no papers rather than wrong ones.",
}
assert tuple(WARNING_TYPES) == get_args(WarningType)
#: What ``:group-by:`` accepts.
GROUPS: tuple[str, ...] = ("domain", "section", "kind", "year", "venue-kind")


def split_names(value: str | Sequence[str]) -> list[str]:
    """``"a, b"`` or ``["a", "b"]`` as a list of stripped, lowercased, non-empty names."""
    items = value.split(",") if isinstance(value, str) else list(value)
    return [str(item).strip().lower() for item in items if str(item).strip()]


def nearest(value: str, valid: Sequence[str]) -> str:
    """``"; did you mean 'x'?"`` and the valid values, for a message about ``value``."""
    return f"{suggestion(value, valid) or '.'} {valid_values(valid, most=len(valid))}"


def _check_columns(value: str | Sequence[str]) -> str | None:
    names = split_names(value)
    for name in names:
        if name not in COLUMNS:
            return f"unknown column {name!r}" + nearest(name, list(COLUMNS))
    return None if names else "expected at least one column"


def _check_layout(value: str) -> str | None:
    if value not in LAYOUTS:
        return f"unknown layout {value!r}" + nearest(value, LAYOUTS)
    return None


def _check_sort(value: str) -> str | None:
    try:
        parse_sort(value)
    except QueryError as error:
        reason = error.reason if error.reason.endswith("?") else error.reason + "."
        return f"{reason} {error.valid_sentence}"
    return None


#: How a citation without its own text reads (``fm_papers_cite``).
CITE_STYLES: tuple[str, ...] = ("name-year", "author-year")


def _check_cite(value: str) -> str | None:
    if value not in CITE_STYLES:
        return f"unknown citation style {value!r}" + nearest(value, CITE_STYLES)
    return None


def _check_threshold(value: int) -> str | None:
    # True and False are ints to Python, but not a number of rows to a reader.
    if isinstance(value, bool) or value < 0:
        return "expected a whole number of rows, 0 or more"
    return None


def _check_homes(value: dict[Any, Any]) -> str | None:
    for key, page in value.items():
        if not isinstance(key, str) or not isinstance(page, str) or not page.strip():
            return f"expected a paper id and a page name, not {key!r}: {page!r}"
    return None


def _read_homes(value: dict[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((key.strip().lower(), page.strip()) for key, page in value.items()))


def _check_paths(value: Sequence[Any]) -> str | None:
    if not all(isinstance(item, str) for item in value):
        return "expected a list of paths (relative to the directory of conf.py)"
    return None


#: How a message names a type of value.
_TYPE_WORDS: dict[type, str] = {
    bool: "True or False",
    int: "a whole number",
    str: "a string",
    list: "a list",
    tuple: "a tuple",
}


def _same(value: Any) -> Any:
    return value


@dataclass(frozen=True)
class Option:
    """One configuration value: its name in ``conf.py``, default and help, the types of value
    it accepts, what else a value must be, and how :class:`Settings` reads it.

    The types are declared to Sphinx too, whose own type check runs after ours and so sees
    only values that passed :meth:`problem` or were reset to the default.
    """

    default: Any
    description: str
    types: tuple[type, ...]
    #: What a value of the right type must also be: a problem, or None.
    check: Callable[[Any], str | None] | None = field(default=None, repr=False)
    #: What a value is, in words, when the type's name says too little.
    expected: str | None = None
    #: The value :class:`Settings` holds for a valid value of ``conf.py``.
    read: Callable[[Any], Any] = field(default=_same, repr=False)
    #: ``fm_papers_<field>``: set from the field of :class:`Settings` that declares it.
    name: str = ""

    def problem(self, value: object) -> str | None:
        """What is wrong with ``value``, or None."""
        if not isinstance(value, self.types):
            words = self.expected or " or ".join(_TYPE_WORDS[t] for t in self.types)
            return f"expected {words}"
        return self.check(value) if self.check is not None else None


def _declare(option: Option) -> Any:
    """A field of :class:`Settings` declaring ``option``: its default is the option's, read."""
    return field(default=option.read(option.default), metadata={"option": option})


@dataclass(frozen=True)
class Settings:
    """The validated configuration, as the directive, role and domain read it.

    Each field declares one ``fm_papers_<field>`` value, once: :data:`OPTIONS`, the
    registration (:func:`setup_config`), the check (:func:`validate_config`), the reading
    (:func:`settings`) and the manual's table are all made from these declarations.
    """

    extra_files: tuple[str, ...] = _declare(
        Option(
            [],
            "Overlay YAML files (paths relative to the directory of conf.py) whose entries "
            "join the catalogue and behave exactly like shipped ones.",
            (list, tuple),
            _check_paths,
            "a list of paths (relative to the directory of conf.py)",
            read=tuple,
        )
    )
    include_builtin: bool = _declare(
        Option(
            True,
            "Whether to start from the shipped catalogue; False shows only your overlay entries.",
            (bool,),
        )
    )
    columns: tuple[str, ...] = _declare(
        Option(
            "title,model,venue,year,links",
            f"Default ``:columns:`` of the directive; any of {', '.join(COLUMNS)}.",
            (str, list, tuple),
            _check_columns,
            "a comma-separated string or a list of column names",
            read=lambda value: tuple(split_names(value)),
        )
    )
    layout: str = _declare(
        Option(
            "table",
            f"Default ``:layout:`` of the directive: {', '.join(LAYOUTS)}.",
            (str,),
            _check_layout,
        )
    )
    sort: str = _declare(
        Option(
            DEFAULT_SORT,
            f"Default ``:sort:`` of the directive (keys {', '.join(SORT_KEYS)}; ``-`` for "
            "descending), the order of the Python API and the command line unless changed; "
            "``:ids:`` keep their own order. An empty string keeps catalogue order.",
            (str,),
            _check_sort,
            "a string such as '-year,title'",
        )
    )
    interactive: bool = _declare(
        Option(
            True,
            "Whether HTML tables, lists and cards get a search box, facet selects and "
            "sortable headers (a small script of the package's own; the full table stays in "
            "the page). ``:interactive: no`` opts one directive out.",
            (bool,),
        )
    )
    filter_threshold: int = _declare(
        Option(
            10,
            "The fewest papers a block shows to get the search box and facet selects (its "
            "headers still sort); fewer, and it has no filter bar unless its directive says "
            "``:interactive: yes``. 0 gives every interactive block the bar.",
            (int,),
            _check_threshold,
            "a whole number of rows, 0 or more",
        )
    )
    cite: str = _declare(
        Option(
            "name-year",
            "What a citation (``:fm-paper:``) without a text of its own shows: ``name-year``, "
            "the short name and year (``scGPT (2024)``), or ``author-year``, the first "
            "author's family name and year (``Cui et al., 2024``; the short name for a paper "
            "without authors).",
            (str,),
            _check_cite,
        )
    )
    home: tuple[tuple[str, str], ...] = _declare(
        Option(
            {},
            "The page each paper's citations (``:fm-paper:``) link to from pages that do not "
            'show it, by paper id: ``{"scgpt": "lectures/week-2"}`` (page names as in a '
            "toctree, without the suffix). The page must show the paper; a block marked "
            "``:home:`` does the same from the page itself; without either, the first page by "
            "name that shows the paper.",
            (dict,),
            _check_homes,
            "a dict of paper ids to page names",
            read=_read_homes,
        )
    )
    bibtex: bool = _declare(
        Option(
            True,
            "When ``sphinxcontrib.bibtex`` is loaded too, add the catalogue (overlays "
            "included) to its bib files, so that ``{cite}`` reaches every paper with no "
            "``.bib`` file kept by hand.",
            (bool,),
        )
    )
    empty_text: str = _declare(
        Option(
            LABELS["empty"].text,
            "Default ``:empty:`` text, shown when a query matches nothing (translated when "
            "left as it is; ``fm_papers_labels`` can set it too).",
            (str,),
        )
    )
    labels: tuple[tuple[str, str], ...] = _declare(
        Option(
            {},
            "Your own text for any label or column title, by key: "
            '``{"title": "Paper", "year-group": "Published {year}"}``. It replaces the '
            "English text and its translation into ``language``; a label's placeholders "
            "(``{year}``) must stay. The keys are listed in :doc:`languages`.",
            (dict,),
            check_overrides,
            "a dict of label keys to strings",
            read=lambda value: tuple(sorted(value.items())),
        )
    )

    def fingerprint(self) -> str:
        """A digest of every value: pages showing papers are re-read when it changes."""
        text = json.dumps(self.__dict__, sort_keys=True, default=list)
        return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


#: Every ``fm_papers_*`` value, in the order the manual lists them: one per field of
#: :class:`Settings`, named after it.
OPTIONS: tuple[Option, ...] = tuple(
    replace(item.metadata["option"], name=f"fm_papers_{item.name}") for item in fields(Settings)
)


def setup_config(app: Sphinx) -> None:
    """Register every ``fm_papers_*`` value and the handler that validates them."""
    for option in OPTIONS:
        app.add_config_value(option.name, option.default, "", types=frozenset(option.types))
    # Late, so that other extensions' handlers may set these values first; but before Sphinx's
    # own type check (800), which then sees only values that passed ours or were reset.
    app.connect("config-inited", validate_config, priority=799)


def validate_config(app: Sphinx, config: Config) -> None:
    """Reset each bad value to its default with a ``fm_papers.config`` warning."""
    for option in OPTIONS:
        problem = option.problem(config[option.name])
        if problem is not None:
            logger.warning(
                "%s: using the default %r: %s",
                option.name,
                option.default,
                problem if problem.endswith((".", "?")) else problem + ".",
                type="fm_papers",
                subtype="config",
            )
            config[option.name] = option.default


def settings(config: Config) -> Settings:
    """The validated values of ``config`` (after :func:`validate_config`)."""
    return Settings(
        **{
            item.name: option.read(config[option.name])
            for item, option in zip(fields(Settings), OPTIONS, strict=True)
        }
    )
