"""curation/authors.yaml as the build reads it: every record that cannot be read, or names no
paper, is one message naming the record; the records read are applied as they are written."""

from __future__ import annotations

from typing import Any

import pytest

from fm_papers.curation.authors import apply_authors, read_authors

NAMES = {"uni": "uni", "conch": "conch", "old-uni": "uni"}  # ids, and an alias to its id


def record(**changes: Any) -> dict[str, Any]:
    base = {
        "id": "uni",
        "version": "journal",
        "source": "https://www.nature.com/articles/s41591-024-02857-3",
        "authors": ["Chen, Richard J.", {"name": "A Consortium"}],
    }
    return {key: value for key, value in {**base, **changes}.items() if value is not None}


def read(data: object, retired: tuple[str, ...] = ()) -> tuple[Any, Any, list[str]]:
    problems: list[str] = []
    found, without = read_authors(data, NAMES, retired, problems)
    return found, without, problems


def test_a_record_is_read() -> None:
    found, without, problems = read(
        {"papers": [record(doi="10.1038/s41591-024-02857-3")], "without_authors": {"conch": "none"}}
    )
    assert problems == []
    assert [a.inverted for a in found["uni"].authors] == ["Chen, Richard J.", "A Consortium"]
    assert (found["uni"].source.version, found["uni"].doi) == (
        "journal",
        "10.1038/s41591-024-02857-3",
    )
    assert without == {"conch": "none"}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "expected a mapping with papers and without_authors"),
        ({"papers": ["uni"]}, "papers[1]: a record is a mapping with an id"),
        ({"papers": [record(pages=3)]}, "papers[1] (uni): unknown fields pages"),
        ({"papers": [record(authors=[])]}, "authors must be a list of at least one name"),
        ({"papers": [record(doi="doi:10.1/x")]}, "doi 'doi:10.1/x' is not a DOI"),
        ({"papers": [record(arxiv=2405.12971)]}, "is not an arXiv id (quote it"),
        (
            {"papers": [record(authors=["Chen,\u202e Richard"])]},
            "papers[1] (uni): authors[1].given: bidirectional",
        ),
        ({"papers": [record(source="not a page")]}, "papers[1] (uni): url:"),
        ({"papers": [record(version="blog")]}, "papers[1] (uni): version:"),
        ({"papers": [record(id="unknown")]}, "papers[1]: no paper has the id 'unknown'"),
        (
            {"papers": [record(), record(id="old-uni")]},
            "papers[2]: 'old-uni' is now an alias of 'uni', which has a record already",
        ),
        ({"papers": [record(), record()]}, "papers[2]: 'uni' has a record already; keep one"),
        ({"papers": [record()], "without_authors": {"uni": "x"}}, "'uni' is both with and without"),
        ({"without_authors": ["uni"]}, "without_authors must map ids to the reason"),
        ({"without_authors": {"uni": " "}}, "without_authors must map ids to the reason"),
        ({"without_authors": {"gone": "x"}}, "without_authors: no paper has the id 'gone'"),
    ],
)
def test_a_bad_record_is_one_named_problem(data: object, message: str) -> None:
    _, _, problems = read(data)
    assert len(problems) == 1, problems
    assert problems[0].startswith("curation/authors.yaml: ")
    assert message in problems[0]


def test_retired_ids_are_left() -> None:
    found, without, problems = read(
        {"papers": [record(id="gone")], "without_authors": {"gone": "x"}}, retired=("gone",)
    )
    assert (found, without, problems) == ({}, {"gone": "x"}, [])


def test_an_alias_reaches_its_paper() -> None:
    found, without, problems = read(
        {"papers": [record(id="old-uni")], "without_authors": {"conch": "x"}}
    )
    assert (list(found), without, problems) == (["uni"], {"conch": "x"}, [])


def test_applied_where_the_link_gives_no_identifier() -> None:
    found, _, _ = read({"papers": [record(doi="10.1038/s41591-024-02857-3", arxiv="2308.15474")]})
    entry: dict[str, Any] = {"id": "uni", "doi": "10.1038/from-the-link"}
    apply_authors(entry, found)
    assert entry["authors"] == [{"family": "Chen", "given": "Richard J."}, {"name": "A Consortium"}]
    assert entry["authors_source"] == {
        "url": "https://www.nature.com/articles/s41591-024-02857-3",
        "version": "journal",
    }
    assert (entry["doi"], entry["arxiv"]) == ("10.1038/from-the-link", "2308.15474")
    other = {"id": "conch"}
    apply_authors(other, found)
    assert other == {"id": "conch"}
