"""The filter table: every place a filter appears is made from ``FILTER_SPECS``."""

from __future__ import annotations

from pathlib import Path

import pytest

from fm_papers.cli import build_parser
from fm_papers.filters import FILTER_SPECS, FILTERS, YEAR_FORMS, Filter, filter_values, spec
from fm_papers.query import Query

ROOT = Path(__file__).resolve().parent.parent


def _words(text: str) -> str:
    return " ".join(text.split())


def test_every_filter_is_a_field_of_the_query() -> None:
    assert Query._fields == FILTERS


def test_names_and_spellings() -> None:
    venue_kind = spec("venue-kind")
    assert venue_kind is spec("venue_kind")
    assert (venue_kind.name, venue_kind.option, venue_kind.flag) == (
        "venue_kind",
        "venue-kind",
        "--venue-kind",
    )
    with pytest.raises(KeyError):
        spec("colour")


def test_description_is_the_help_as_a_sentence() -> None:
    made_up = Filter("colour", "NAME", "a colour, by name", "teal", bare="blue")
    assert made_up.description == "A colour, by name. Given without a value, it means blue."
    assert spec("domain").description == "A domain, by key or alias."


def test_filter_values_take_either_spelling_and_the_bare_meaning() -> None:
    written = {"venue-kind": "journal", "has-code": "", "year": None, "search": ""}
    assert filter_values(written) == {"venue_kind": "journal", "has_code": "yes", "search": ""}
    assert filter_values({"venue_kind": "preprint", "sort": "-year"}) == {
        "venue_kind": "preprint",
        "sort": "-year",
    }
    only_selecting = [f for f in FILTER_SPECS if f.selects]
    assert filter_values({"limit": "3", "domain": "x"}, only_selecting) == {"domain": "x"}


@pytest.mark.parametrize("command", ["list", "search", "stats", "export"])
def test_the_command_line_flags_are_the_table(command: str) -> None:
    parser = build_parser()
    help_text = _words(parser.commands[command].format_help())
    takes = [f for f in FILTER_SPECS if f.flag in help_text]
    expected = [
        f
        for f in FILTER_SPECS
        if not (command == "search" and f.name == "search")
        and not (command == "stats" and not f.selects)
    ]
    assert takes == expected
    for filter_ in expected:
        assert f"{filter_.flag} {filter_.metavar}" in help_text or (
            filter_.bare is not None and f"{filter_.flag} [{filter_.metavar}]" in help_text
        )
        assert _words(filter_.help) in help_text


def test_the_directive_options_are_the_table() -> None:
    from fm_papers.sphinxext.directive import FmPapersDirective
    from fm_papers.sphinxext.stats import FmPapersStatsDirective

    options = list(FmPapersDirective.option_spec)
    assert options[: len(FILTER_SPECS)] == [f.option for f in FILTER_SPECS]
    stats = list(FmPapersStatsDirective.option_spec)
    selecting = [f.option for f in FILTER_SPECS if f.selects]
    assert stats[: len(selecting)] == selecting
    assert "sort" not in stats and "limit" not in stats


def test_each_help_text_is_written_once() -> None:
    """``git grep`` for a filter's help finds the table alone: every other place (CLI help,
    directive options, the manual's tables) is made from it."""
    files = [ROOT / "README.md"]
    for folder in ("fm_papers", "sphinxext", "example_docs"):
        files += [p for p in (ROOT / folder).rglob("*") if p.suffix in (".py", ".rst", ".md")]
    texts = {path: path.read_text(encoding="utf-8") for path in files if path.is_file()}

    def where(text: str) -> list[str]:
        return sorted(str(path.relative_to(ROOT)) for path, found in texts.items() if text in found)

    table = ["fm_papers/filters.py"]
    for filter_ in FILTER_SPECS:
        # A help made with a vocabulary (the kinds, the sort keys) is in no file as a whole.
        written = filter_.help in texts[ROOT / table[0]]
        assert where(filter_.help) == (table if written else []), filter_.name
    assert where(YEAR_FORMS) == table
