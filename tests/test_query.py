"""The query grammar: every filter, its string syntax, and its errors."""

from __future__ import annotations

import doctest
import importlib
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest

import fm_papers
from fm_papers import QueryError
from fm_papers.query import DEFAULT_SORT, FILTERS, Query, YearRange


@pytest.fixture(scope="module")
def catalogue() -> fm_papers.Catalogue:
    return fm_papers.load()


def ids(papers: tuple[fm_papers.Paper, ...]) -> list[str]:
    return [p.id for p in papers]


def listed(papers: Iterable[fm_papers.Paper]) -> tuple[fm_papers.Paper, ...]:
    """``papers`` in the documented default order: newest first, then by title (case
    ignored), the papers without a year last."""
    by_title = sorted(papers, key=lambda p: p.title.casefold())
    dated = sorted((p for p in by_title if p.year is not None), key=lambda p: -(p.year or 0))
    return (*dated, *(p for p in by_title if p.year is None))


def searched(paper: fm_papers.Paper) -> str:
    """What ``search`` looks in, as its documentation says: title, short name and aliases."""
    return " ".join((paper.title, paper.model or "", *paper.aliases)).casefold()


def test_the_issue_example(catalogue: fm_papers.Catalogue) -> None:
    papers = catalogue.query(domain="pathology", section="segmentation")
    # Every paper listed under the section, newest first (test_data.py pins the count).
    assert papers == listed(p for p in catalogue if "segmentation" in p.sections)
    assert "autosam" in ids(papers)
    assert all(isinstance(p, fm_papers.Paper) for p in papers)


def test_a_parent_section_includes_its_descendants(catalogue: fm_papers.Catalogue) -> None:
    parent = set(ids(catalogue.query(section="adaptation")))
    children = set(ids(catalogue.query(section="classification,segmentation,other-applications")))
    assert parent == children
    assert parent == {
        p.id
        for p in catalogue
        if {"classification", "segmentation", "other-applications"} & set(p.sections)
    }


def test_keys_are_case_insensitive_and_alias_aware(catalogue: fm_papers.Catalogue) -> None:
    assert catalogue.query(domain="Pathology") == catalogue.query(domain="histopathology")
    assert catalogue.query(section="MLLM") == catalogue.query(section="multimodal-llm")


@pytest.mark.parametrize(
    ("text", "ranges"),
    [
        ("2024", (YearRange(2024, 2024),)),
        ("2023-2025", (YearRange(2023, 2025),)),
        ("2023..2025", (YearRange(2023, 2025),)),
        ("2024-", (YearRange(2024, None),)),
        ("2024..", (YearRange(2024, None),)),
        ("-2022", (YearRange(None, 2022),)),
        ("..2022", (YearRange(None, 2022),)),
        ("2023 - 2025", (YearRange(2023, 2025),)),
        (">=2024", (YearRange(2024, None),)),
        (">2024", (YearRange(2025, None),)),
        ("<=2023", (YearRange(None, 2023),)),
        ("<2023", (YearRange(None, 2022),)),
        ("2022, 2024", (YearRange(2022, 2022), YearRange(2024, 2024))),
        (2024, (YearRange(2024, 2024),)),
    ],
)
def test_year_forms(text: str | int, ranges: tuple[YearRange, ...]) -> None:
    assert Query.parse(year=text).year == ranges


def test_year_filter(catalogue: fm_papers.Catalogue) -> None:
    recent = catalogue.query(year=">=2025")
    assert recent and recent == listed(p for p in catalogue if p.year and p.year >= 2025)
    spans = catalogue.query(year="2022,2023")
    assert spans == listed(p for p in catalogue if p.year in (2022, 2023))
    assert {p.year for p in spans} == {2022, 2023}
    # Papers without a year match no year filter.
    assert catalogue.get("seganypath").year is None
    assert catalogue.query(year="<3000") == listed(p for p in catalogue if p.year is not None)


def test_venue_and_kind(catalogue: fm_papers.Catalogue) -> None:
    nm = catalogue.query(venue="nm")
    assert nm == catalogue.query(venue="Nature Methods")
    assert {p.venue for p in nm} == {"Nature Methods"}
    both = catalogue.query(venue="CVPR,ECCV")
    assert {p.venue for p in both} == {"CVPR", "ECCV"}
    kinds = catalogue.query(venue_kind="workshop,preprint")
    assert {p.venue_kind for p in kinds} == {"workshop", "preprint"}


def test_model_has_code_and_search(catalogue: fm_papers.Catalogue) -> None:
    scgpt = catalogue.query(model="scgpt")
    assert "scgpt" in ids(scgpt)
    assert scgpt == listed(p for p in catalogue if (p.model or "").casefold() == "scgpt")
    coded = catalogue.query(has_code="yes", domain="pathology")
    assert coded and all(p.has_code for p in coded)
    uncoded = catalogue.query(has_code=False, domain="pathology")
    assert set(coded) | set(uncoded) == set(catalogue.query(domain="pathology"))
    assert not set(coded) & set(uncoded)
    clip = catalogue.query(search="CLIP")
    assert {"clipath", "scclip", "benchmarking-pathclip-pathology-2025"} <= set(ids(clip))
    assert clip == listed(p for p in catalogue if "clip" in searched(p))
    # Every word must occur, anywhere in the searched text and in any order.
    words = ("whole", "slide", "llava")
    found = catalogue.query(search="LLaVA slide whole")
    assert "wsi-llava" in ids(found)
    assert found == listed(p for p in catalogue if all(w in searched(p) for w in words))
    assert len(found) < len(catalogue.query(search="whole slide"))


def test_ids_keep_their_order_and_exclude_removes(catalogue: fm_papers.Catalogue) -> None:
    assert ids(catalogue.query(ids="scgpt,cellvit")) == [
        "scgpt",
        "cellvit",
    ]
    every = catalogue.query(section="segmentation")
    seg = catalogue.query(section="segmentation", exclude="cellvit,autosam")
    assert seg == tuple(p for p in every if p.id not in ("cellvit", "autosam"))
    assert len(seg) == len(every) - 2


def test_multi_key_sort_and_limit(catalogue: fm_papers.Catalogue) -> None:
    papers = catalogue.query(section="segmentation", sort="-year,title")
    assert set(papers) == set(catalogue.query(section="segmentation"))
    keys = [(-(p.year or 0), p.title.casefold()) for p in papers if p.year]
    assert keys == sorted(keys)
    # Papers without a year come last, in either direction: by title here, else in
    # catalogue order (the sort is stable).
    undated = [p for p in catalogue if "segmentation" in p.sections and p.year is None]
    assert "all-in-sam" in ids(tuple(undated))
    tail = papers[len(papers) - len(undated) :]
    assert set(tail) == set(undated)
    assert [p.title.casefold() for p in tail] == sorted(p.title.casefold() for p in tail)
    assert list(catalogue.query(section="segmentation", sort="year")[-len(undated) :]) == undated
    top = catalogue.query(section="segmentation", sort="-year,title", limit=3)
    assert top == papers[:3]


def test_default_order_is_newest_first_then_title(catalogue: fm_papers.Catalogue) -> None:
    assert DEFAULT_SORT == "-year,title"
    assert catalogue.query() == listed(catalogue) == catalogue.query(sort=DEFAULT_SORT)
    assert catalogue.query() != catalogue.papers  # so the default order is really applied
    assert catalogue.records() == tuple(catalogue.record(p.id) for p in catalogue)
    assert catalogue.query(sort="") == catalogue.query(sort=()) == catalogue.papers
    assert catalogue.query(sort=None) == catalogue.query()
    # Ids keep their own order unless a sort is given.
    assert ids(catalogue.query(ids="uni,scgpt")) == ["uni", "scgpt"]
    assert ids(catalogue.query(ids="uni,scgpt", sort="")) == ["uni", "scgpt"]
    assert ids(catalogue.query(ids="uni,scgpt", sort="id")) == ["scgpt", "uni"]
    # The other listings follow the same order.
    assert catalogue.flagged() == listed(p for p in catalogue if p.flags)
    assert catalogue.records(domain="pathology") == tuple(
        catalogue.record(p.id) for p in catalogue.query(domain="pathology")
    )


def test_mapping_and_hyphenated_names(catalogue: fm_papers.Catalogue) -> None:
    assert catalogue.query({"venue-kind": "journal", "has-code": "no"}) == catalogue.query(
        venue_kind="journal", has_code=False
    )


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        (
            {"section": "segmentaton"},
            "section: unknown section 'segmentaton'; did you mean 'segmentation'?",
        ),
        ({"domain": "patholgy"}, "domain: unknown domain 'patholgy'; did you mean 'pathology'?"),
        (
            {"year": "20245-"},
            (
                "year: cannot read year '20245-'; write 2024, 2023-2025, 2024- (from 2024) "
                "or -2022 (until 2022)"
            ),
        ),
        (
            {"year": ".."},
            (
                "year: cannot read year '..'; write 2024, 2023-2025, 2024- (from 2024) "
                "or -2022 (until 2022)"
            ),
        ),
        ({"year": "2025-2023"}, "year: empty year range '2025-2023'; write 2023-2025"),
        (
            {"year": "２０２４"},
            (
                "year: cannot read year '２０２４'; write 2024, 2023-2025, 2024- (from 2024) "
                "or -2022 (until 2022)"
            ),
        ),
        ({"year": -2022}, "year: -2022 is not a year; to mean until 2022, write the text '-2022'"),
        ({"sort": "-yaer"}, "sort: unknown sort key 'yaer'; did you mean 'year'?"),
        (
            {"venue": "Nature Metods"},
            "venue: unknown venue 'Nature Metods'; did you mean 'Nature Methods'?",
        ),
        (
            {"venue_kind": "jornal"},
            "venue_kind: unknown venue kind 'jornal'; did you mean 'journal'?",
        ),
        ({"model": "scGTP"}, "model: unknown model 'scGTP'; did you mean 'scGPT'?"),
        ({"has_code": "maybe"}, "has_code: expected yes or no, got 'maybe'"),
        ({"limit": "0"}, "limit: expected a positive whole number, got '0'"),
        ({"limit": "²"}, "limit: expected a positive whole number, got '²'"),  # isdigit() is true
        ({"colour": "red"}, "unknown filter 'colour'; valid values: domain, section, kind, "),
    ],
)
def test_errors_name_the_field_and_suggest(
    catalogue: fm_papers.Catalogue, filters: dict[str, str], message: str
) -> None:
    with pytest.raises(QueryError) as caught:
        catalogue.query(filters)
    assert str(caught.value).startswith(message)
    field = caught.value.field
    assert field == "filter" if "filter" in message else field == message.split(":")[0]


def test_a_limit_of_any_length_is_read(catalogue: fm_papers.Catalogue) -> None:
    assert len(catalogue.query(limit="0" * 30 + "2")) == 2
    assert len(catalogue.query(limit="9" * 5_000)) == len(catalogue)  # int() stops at 4,300


def test_errors_list_valid_values(catalogue: fm_papers.Catalogue) -> None:
    with pytest.raises(QueryError) as caught:
        catalogue.query(section="nope")
    assert "segmentation" in caught.value.valid
    assert "; valid values: " in str(caught.value) and "(and " in str(caught.value)
    assert str(caught.value) == f"section: {caught.value.detail}"


def test_get_suggests_close_ids(catalogue: fm_papers.Catalogue) -> None:
    with pytest.raises(fm_papers.UnknownPaperError) as caught:
        catalogue.get("scgtp")
    assert str(caught.value).startswith(
        "unknown paper id 'scgtp'; did you mean 'scgpt' (scGPT, 2024), "
    )
    assert caught.value.suggestions[0] == "scgpt"
    assert isinstance(caught.value, LookupError)
    assert "scgpt" in catalogue and "nope" not in catalogue


def test_filters_are_the_documented_ones() -> None:
    assert FILTERS == (
        "domain", "section", "kind", "year", "venue", "venue_kind", "model", "author", "has_code",
        "search", "ids", "exclude", "sort", "limit",
    )  # fmt: skip


@pytest.mark.parametrize(
    "module", ["fm_papers", "fm_papers.query", "fm_papers.catalogue", "fm_papers.formats"]
)
def test_the_docstring_examples_run(module: str) -> None:
    found = importlib.import_module(module)
    result = doctest.testmod(found, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0


def test_search_takes_a_list_of_words(catalogue: fm_papers.Catalogue) -> None:
    words = catalogue.query(search="whole slide")
    assert len(words) > 0
    assert catalogue.query(search=["whole", "slide"]) == words
    assert catalogue.query(search=["Whole Slide"]) == words
    with pytest.raises(QueryError, match="search: expected text, got float"):
        catalogue.query(search=[1.5])  # type: ignore[arg-type]  # a wrong type, on purpose


def test_ids_keep_the_order_of_their_first_mention(catalogue: fm_papers.Catalogue) -> None:
    first, second = catalogue.ids()[:2]
    assert [p.id for p in catalogue.query(ids=[first, second, first])] == [first, second]
    assert [p.id for p in catalogue.query(ids=[second, first, second])] == [second, first]


# Authors ------------------------------------------------------------------------------------

AUTHORED = """\
papers:
  - id: graf-2026
    title: One
    year: 2026
    authors: ["Gräf, Stefan", "van Dijk, David", "Viñas Torné, Ramon", {name: Human Cell Atlas}]
    links: [{kind: paper, url: "https://example.org/one"}]
    memberships: [{domain: pathology, section: segmentation}]
  - id: ahlmann-2026
    title: Two
    year: 2026
    authors: ["Ahlmann-Eltze, Constantin", "Graf, Ada"]
    links: [{kind: paper, url: "https://example.org/two"}]
    memberships: [{domain: pathology, section: segmentation}]
"""


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Gräf", ["graf-2026", "ahlmann-2026"]),  # accents folded: Graf matches too
        ("GRAF", ["graf-2026", "ahlmann-2026"]),
        ("van dijk", ["graf-2026"]),
        ("Dijk", ["graf-2026"]),  # a word of a family name
        ("torne", ["graf-2026"]),
        ("Eltze", ["ahlmann-2026"]),
        ("Ahlmann-Eltze", ["ahlmann-2026"]),
        ("Human Cell Atlas", ["graf-2026"]),  # an organisation, by its name
        ("Atlas", []),  # ... and not by a word of it
        ("Stefan", []),  # given names are not family names
        ("Dijk,Eltze", ["graf-2026", "ahlmann-2026"]),
    ],
)
def test_author_filter(write_yaml: Callable[..., Path], value: str, expected: list[str]) -> None:
    catalogue = fm_papers.load(extra=[write_yaml(AUTHORED)])
    ours = ("graf-2026", "ahlmann-2026")
    assert [i for i in ids(catalogue.query(author=value)) if i in ours] == expected


def test_author_sort_and_search(write_yaml: Callable[..., Path]) -> None:
    catalogue = fm_papers.load(extra=[write_yaml(AUTHORED)])
    ours = "graf-2026,ahlmann-2026"
    assert ids(catalogue.query(ids=ours, sort="author")) == ["ahlmann-2026", "graf-2026"]
    assert ids(catalogue.query(ids=ours, search="constantin")) == ["ahlmann-2026"]


def test_api_cli_and_directive_agree_on_an_author(
    catalogue: fm_papers.Catalogue,
    capsys: pytest.CaptureFixture[str],
    build: Callable[..., tuple[Any, str]],
) -> None:
    """The family name most papers share, asked of the API, the command line and the
    directive (the issue's example was Mahmood)."""
    from collections import Counter

    from fm_papers.cli import main

    counts = Counter(
        a.surname for p in catalogue for a in {a.surname: a for a in p.authors}.values()
    )
    name = counts.most_common(1)[0][0]
    expected = ids(catalogue.query(author=name.upper(), sort="id"))
    assert len(expected) == counts[name] > 1
    assert main(["list", "--author", name.lower(), "--sort", "id", "--format", "ids"]) == 0
    assert capsys.readouterr().out.split() == expected
    page = f"Lab\n===\n\n.. fm-papers::\n   :author: {name}\n   :sort: id\n"
    app, warnings = build({"index.rst": page})
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    assert warnings == ""
    assert (
        re.findall(r'<tr class="fm-papers-item[^"]*" id="fm-paper-([a-z0-9-]+)"', html) == expected
    )
