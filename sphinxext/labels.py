"""Every label fm-papers writes into a page, declared once and translated by ``language``.

:data:`LABELS` maps a key (what ``fm_papers_labels`` overrides) to its English text and a
note for translators. The translations are gettext catalogues shipped beside this module,
``locale/<language>/LC_MESSAGES/fm-papers.po`` and its compiled ``.mo``; each message's
context (``msgctxt``) is its key, so that one English word ("Other") may be translated
differently where it means different things. ``python tools/locales.py`` brings the ``.po``
files up to date with this module and compiles them; a test fails when a label has no
translation in a shipped language, or a ``.mo`` file is not what its ``.po`` compiles to.

When labels are resolved: the directives resolve theirs (column headers, group captions,
the stats table, the empty text) while the page is read, and the post-transforms theirs
(cells, card labels, the browser script's strings, region names) while it is written; both
from the configuration, so they agree. A change of ``language`` re-reads every page (Sphinx
registers it so), and a change of ``fm_papers_labels`` re-reads the pages that show papers
(the settings' fingerprint, :mod:`.domain`).

The catalogues are read with :mod:`gettext` directly, cached per language, rather than
through ``sphinx.locale``: Sphinx keeps one translator per catalogue for the whole process
and merges a second language into the first as a fallback, so two builds in one process
(tests, ``sphinx-autobuild``, an API user) would see the first build's language.
"""

from __future__ import annotations

import gettext
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

from fm_papers.errors import suggestion, valid_values
from fm_papers.formats.table import FLAG_LABEL
from fm_papers.kinds import PAPER_KINDS, VENUE_KINDS, LinkKind

__all__ = [
    "CATALOGUE",
    "COLUMN_LABELS",
    "LABELS",
    "LANGUAGES",
    "LOCALE",
    "Label",
    "Labels",
    "check_overrides",
    "placeholders",
]

#: The gettext domain of the catalogues.
CATALOGUE = "fm-papers"
#: Where the catalogues are: ``<language>/LC_MESSAGES/fm-papers.{po,mo}``.
LOCALE = Path(__file__).resolve().parent / "locale"
#: The languages shipped with a translation of every label.
LANGUAGES: tuple[str, ...] = ("de", "es", "fr", "zh_CN")

_FIELD = re.compile(r"\{([a-z_]+)\}")


@dataclass(frozen=True)
class Label:
    """One label: its English text (and plural, for a label with a number in it), and what a
    translator needs to know."""

    text: str
    comment: str
    #: The English plural, when the label holds a number (``{total}``, ``{count}``).
    plural: str | None = None
    #: The placeholder whose number picks the singular or a plural form.
    number: str | None = None


#: Each column's English header and what it stands for, for translators (config.COLUMNS).
_COLUMNS: dict[str, tuple[str, str]] = {
    "title": ("Title", "Column header: the paper's title."),
    "authors": ("Authors", "Column header: the paper's authors."),
    "model": (
        "Name",
        "Column header: the short name of the model or resource a paper presents (scGPT, UNI).",
    ),
    "kind": ("Kind", "Column header: the kind of paper (model, benchmark, dataset...)."),
    "year": (
        "Year",
        (
            "Column header: the year of publication; also the stats table's first column and "
            "the year filter of the search bar."
        ),
    ),
    "venue": (
        "Venue",
        "Column header: where the paper appeared (a journal, conference or preprint server).",
    ),
    "venue-kind": (
        "Venue kind",
        "Column header: the kind of venue (journal, conference, workshop, preprint).",
    ),
    "links": ("Links", "Column header: links to the paper's code, weights, project page."),
    "domain": ("Domain", "Column header: the research domain (single-cell, pathology...)."),
    "section": ("Section", "Column header: the section of the domain's reading list."),
    "flags": ("Flags", "Column header: defects found in the source entry."),
    "notes": ("Notes", "Column header: free notes on the paper."),
    "doi": ("DOI", "Column header: the Digital Object Identifier."),
    "id": ("Id", "Column header: the paper's identifier in the catalogue."),
}
#: Columns a table, list or card can show, with their English headers.
COLUMN_LABELS: dict[str, str] = {key: text for key, (text, _) in _COLUMNS.items()}

_PAPER_KIND_TEXT: dict[str, str] = {
    "model": "Model",
    "benchmark": "Benchmark",
    "dataset": "Dataset",
    "survey": "Survey",
    "application": "Application",
    "other": "Other",
}
assert tuple(_PAPER_KIND_TEXT) == tuple(PAPER_KINDS)
_VENUE_KIND_TEXT: dict[str, str] = {
    "journal": "Journal",
    "conference": "Conference",
    "workshop": "Workshop",
    "preprint": "Preprint",
    "other": "Other",
}
assert tuple(_VENUE_KIND_TEXT) == VENUE_KINDS
_LINK_TEXT: dict[LinkKind, str] = {
    "paper": "paper",
    "code": "code",
    "weights": "weights",
    "project": "project",
}

_NOTE_RULE = (
    "A paper in several {what}s is counted in each of their columns and once in Total; "
    "{{count}} paper is in more than one {what}."
)
_NOTE_RULE_PLURAL = (
    "A paper in several {what}s is counted in each of their columns and once in Total; "
    "{{count}} papers are in more than one {what}."
)
_NOTE_STATS = (
    " 'Total' and 'Other' are the stats table's column headers: use the same words as "
    "their translations."
)

#: Every label, by the key ``fm_papers_labels`` overrides it with.
LABELS: dict[str, Label] = {
    **{key: Label(text, note) for key, (text, note) in _COLUMNS.items()},
    # The search bar of interactive tables (written by the browser script).
    "search": Label("Search papers", "Label of the search box above a table of papers."),
    "search-placeholder": Label(
        "Title, name or venue", "Placeholder inside the search box: what it searches."
    ),
    "all": Label("All", "First choice of a filter menu (year, kind...): no filtering."),
    "clear": Label("Clear", "Button that empties the search box and resets the filters."),
    "shown": Label(
        "{shown} of {total} paper",
        "How many papers the search leaves shown, out of the table's total.",
        plural="{shown} of {total} papers",
        number="total",
    ),
    "field": Label(
        "{label}:",
        "A card's field name ({label}: a column header) before its value, as in 'Venue: Nature'.",
    ),
    "papers": Label("Papers", "Name of the scrolling region holding a table, for screen readers."),
    "empty": Label(
        "No papers match this selection.", "Shown instead of a table when no paper matches."
    ),
    # :group-by: captions.
    "year-group": Label("Year {year}", "Caption of a group of papers published in one year."),
    "year-unknown": Label("Year unknown", "Caption of the group of papers without a year."),
    "kind-group": Label(
        "Kind: {kind}", "Caption of a group of papers of one kind ({kind}: Model, Benchmark...)."
    ),
    "kind-unknown": Label("Kind unknown", "Caption of the group of papers without a kind."),
    "venue-kind-group": Label(
        "Venue kind: {kind}",
        "Caption of a group of papers from one kind of venue ({kind}: Journal, Preprint...).",
    ),
    "venue-kind-unknown": Label(
        "Venue kind unknown", "Caption of the group of papers without a kind of venue."
    ),
    # The closed vocabularies, as a cell, a group caption or a filter menu shows them.
    **{
        f"kind-{key}": Label(text, f"A kind of paper: {PAPER_KINDS[key]}.")
        for key, text in _PAPER_KIND_TEXT.items()
    },
    **{
        f"venue-kind-{key}": Label(text, "A kind of venue a paper appeared in.")
        for key, text in _VENUE_KIND_TEXT.items()
    },
    **{
        f"link-{key}": Label(text, "Text of a link, in lower case: the paper's " + text + ".")
        for key, text in _LINK_TEXT.items()
    },
    # fm-papers-stats.
    "total": Label("Total", "Stats table: last column and last row, each paper counted once."),
    "other": Label(
        "Other", "Stats table: column of papers in none of the series (domains or sections)."
    ),
    "unknown-year": Label("unknown", "Stats table: the row of papers without a year."),
    "source-defect": Label(
        FLAG_LABEL,  # the command line's words
        "Starts the tooltip (in text: the note) of the mark after a flagged paper's title, "
        "before the defects the source list has for it: 'source defect: the year is ...'.",
    ),
    "several-domains": Label(
        "In several domains", "Stats table: column of papers listed in more than one domain."
    ),
    "several-sections": Label(
        "In several sections", "Stats table: column of papers listed in more than one section."
    ),
    "note-several-domains": Label(
        _NOTE_RULE.format(what="domain"),
        "Stats: the counting rule, under the table." + _NOTE_STATS,
        plural=_NOTE_RULE_PLURAL.format(what="domain"),
        number="count",
    ),
    "note-several-sections": Label(
        _NOTE_RULE.format(what="section"),
        "Stats: the counting rule, under the table." + _NOTE_STATS,
        plural=_NOTE_RULE_PLURAL.format(what="section"),
        number="count",
    ),
    "note-other-domains": Label(
        "{count} paper is in none of these domains and counted under Other.",
        "Stats: papers in none of the table's domains." + _NOTE_STATS,
        plural="{count} papers are in none of these domains and counted under Other.",
        number="count",
    ),
    "note-other-sections": Label(
        "{count} paper is in none of these sections and counted under Other.",
        "Stats: papers in none of the table's sections." + _NOTE_STATS,
        plural="{count} papers are in none of these sections and counted under Other.",
        number="count",
    ),
    "chart-title": Label(
        "Papers per year", "Title of the stats chart and name of the stats table's region."
    ),
    "legend-only": Label(
        "{series} only",
        "Chart legend: papers in this series ({series}, a domain or section) and no other.",
    ),
    "legend-several-domains": Label(
        "in several domains", "Chart legend: papers in more than one domain (lower case)."
    ),
    "legend-several-sections": Label(
        "in several sections", "Chart legend: papers in more than one section (lower case)."
    ),
    "legend-other": Label("other", "Chart legend: papers in none of the series (lower case)."),
    "legend-other-domains": Label(
        "other (in none of these domains)", "Chart tooltip: papers in none of the domains."
    ),
    "legend-other-sections": Label(
        "other (in none of these sections)", "Chart tooltip: papers in none of the sections."
    ),
}


def placeholders(text: str) -> set[str]:
    """The ``{name}`` placeholders of a label's text."""
    return set(_FIELD.findall(text))


def _fill(text: str, values: Mapping[str, object]) -> str:
    # Only ``{name}`` of the given values is replaced: a label is never a format string.
    return _FIELD.sub(lambda m: str(values[m[1]]) if m[1] in values else m[0], text)


@cache
def _translations(language: str | None) -> gettext.NullTranslations:
    if not language or language == "en":
        return gettext.NullTranslations()
    return gettext.translation(CATALOGUE, LOCALE, languages=[language], fallback=True)


@dataclass(frozen=True)
class Labels:
    """The labels of one build: translated into its ``language``, then overridden.

    ``labels("year")`` is a label's text; ``labels("year-group", year=2024)`` fills its
    placeholders; a label with a number (:attr:`Label.number`) takes the plural form for it.
    """

    language: str | None = None
    overrides: tuple[tuple[str, str], ...] = ()

    @cached_property
    def _overridden(self) -> dict[str, str]:
        # Made once: a table looks labels up for every row (its kind, its card's fields).
        return dict(self.overrides)

    def __call__(self, key: str, **values: object) -> str:
        """The label ``key``, its placeholders filled from ``values``."""
        label = LABELS[key]
        text = self._overridden.get(key)
        if text is None:
            translations = _translations(self.language)
            if label.plural is not None and label.number is not None:
                number = values[label.number]
                assert isinstance(number, int)
                text = translations.npgettext(key, label.text, label.plural, number)
            else:
                text = translations.pgettext(key, label.text)
        return _fill(text, values)

    def value(self, column: str, value: str) -> str:
        """A value of a closed vocabulary as shown: ``value("kind", "model")`` is "Model"."""
        key = f"{column}-{value}"
        return self(key) if key in LABELS else value

    def script(self, total: int) -> str:
        """The browser script's strings for a block of ``total`` papers, as JSON."""
        strings = {key: self(key) for key in ("search", "search-placeholder", "all", "clear")} | {
            "shown": self("shown", total=total, shown="{shown}"),
            "facets": {key: self(key) for key in ("domain", "kind", "year", "venue-kind")},
            "values": {
                "kind": {key: self.value("kind", key) for key in PAPER_KINDS},
                "venue-kind": {key: self.value("venue-kind", key) for key in VENUE_KINDS},
            },
        }
        return json.dumps(strings, ensure_ascii=False, sort_keys=True)


def check_overrides(value: Mapping[object, object]) -> str | None:
    """What is wrong with a ``fm_papers_labels`` value, or None."""
    for key, text in value.items():
        if not isinstance(key, str) or key not in LABELS:
            return (
                f"unknown label {key!r}"
                + f"{suggestion(str(key), list(LABELS)) or '.'} {valid_values(list(LABELS))}"
            )
        if not isinstance(text, str):
            return f"label {key!r}: expected a string"
        want = placeholders(LABELS[key].text)
        if placeholders(text) != want:
            fields = ", ".join(f"{{{name}}}" for name in sorted(want)) or "no placeholder"
            return f"label {key!r}: expected {fields}, as in {LABELS[key].text!r}"
    return None
