"""Loading: overlays, caching, and one located message per bad input (never a traceback)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

import fm_papers
from fm_papers import DataError
from fm_papers.datafile import builtin_files

WriteYaml = Callable[..., Path]
NEXT_YEAR = datetime.date.today().year + 1

GOOD = """\
papers:
  - id: our-model-2026
    title: "OurModel: a foundation model for our cells"
    model: OurModel
    year: 2025
    venue: NM
    links:
      - {kind: paper, url: "https://example.org/our-model"}
      - {kind: code, url: "https://example.org/our-code"}
    memberships:
      - {domain: single-cell, section: fm}
"""


def test_load_is_cached_and_immutable() -> None:
    first = fm_papers.load()
    assert fm_papers.load() is first
    assert isinstance(first.papers, tuple)
    with pytest.raises(Exception, match="frozen"):
        first.papers[0].title = "changed"  # type: ignore[misc]  # the write mypy refuses is the test


def _shipped() -> int:
    """How many papers the shipped catalogue holds (its figure is test_data.py's to pin)."""
    return len(fm_papers.load())


def test_a_single_path_is_one_overlay(write_yaml: WriteYaml, fresh_cache: None) -> None:
    path = write_yaml(GOOD)
    catalogue = fm_papers.load(str(path))
    assert len(catalogue) == _shipped() + 1
    paper = catalogue.get("our-model-2026")
    # Venue spellings of overlays are normalised like the shipped ones.
    assert (paper.venue, paper.venue_kind, paper.venue_as_written) == (
        "Nature Methods",
        "journal",
        "NM",
    )
    assert paper.has_code
    assert catalogue.query(model="ourmodel") == (paper,)


def test_an_edited_overlay_is_read_again(write_yaml: WriteYaml, fresh_cache: None) -> None:
    path = write_yaml(GOOD)
    before = fm_papers.load(extra=[path])
    assert fm_papers.load(extra=[path]) is before
    path.write_text(GOOD.replace("year: 2025", "year: 2024"), encoding="utf-8")
    after = fm_papers.load(extra=[path])
    assert after is not before
    assert after.get("our-model-2026").year == 2024


def test_overlay_only_catalogue(write_yaml: WriteYaml) -> None:
    taxonomy, venues, _ = builtin_files()
    catalogue = fm_papers.load(extra=[taxonomy, venues, write_yaml(GOOD)], include_builtin=False)
    assert [p.id for p in catalogue] == ["our-model-2026"]


def test_extend_adds_memberships_and_new_sections(write_yaml: WriteYaml) -> None:
    path = write_yaml(
        """\
domains:
  - key: single-cell
    title: Single-cell
    sections:
      - {key: lab-reading, title: Our lab's reading list}
papers:
  - id: scgpt
    extend: true
    memberships:
      - {domain: single-cell, section: lab-reading}
    notes: [discussed on 2026-03-02]
"""
    )
    catalogue = fm_papers.load(extra=[path])
    scgpt = catalogue.get("scgpt")
    assert scgpt.sections == ("fm", "lab-reading")
    assert scgpt.notes == ("discussed on 2026-03-02",)
    assert catalogue.query(section="lab-reading") == (scgpt,)
    assert len(catalogue) == _shipped()


def test_override_replaces_an_entry(write_yaml: WriteYaml) -> None:
    path = write_yaml(
        GOOD.replace("id: our-model-2026", "id: scgpt\n    override: true").replace(
            "model: OurModel", "model: scGPT"
        )
    )
    catalogue = fm_papers.load(extra=[path])
    assert len(catalogue) == _shipped()
    assert catalogue.get("scgpt").title == "OurModel: a foundation model for our cells"
    assert catalogue.papers[-1].id == "scgpt"


def test_extend_and_override_accept_an_alias(write_yaml: WriteYaml) -> None:
    path = write_yaml(
        """\
papers:
  - id: General-Purpose-Foundation-2024
    extend: true
    aliases: [UNI-1]
    notes: [our favourite]
  - id: provgigapath
    extend: true
    links: [{kind: project, url: "https://example.org/gigapath"}]
  - id: virchow-2
    override: true
    title: Our own reading of Virchow 2
    aliases: [v2]
    links: [{kind: paper, url: "https://example.org/v2"}]
    memberships: [{domain: pathology, section: vision-representation}]
"""
    )
    catalogue = fm_papers.load(extra=[path])
    shipped = fm_papers.load()
    uni = catalogue.get("UNI-1")
    assert "general-purpose-foundation-2024" in shipped.get("uni").aliases
    assert (uni.id, uni.notes) == ("uni", (*shipped.get("uni").notes, "our favourite"))
    assert uni.aliases == (*shipped.get("uni").aliases, "UNI-1")
    # Extended by its name's letters alone, as catalogue.get finds it.
    assert catalogue.get("gigapath").links[-1].kind == "project"
    # The replaced entry keeps its id and every name it had; the one written is an alias.
    virchow2 = catalogue.get("v2")
    assert (virchow2.id, virchow2.title) == ("virchow2", "Our own reading of Virchow 2")
    assert "virchow-2" in shipped.get("virchow2").aliases
    assert virchow2.aliases == (*shipped.get("virchow2").aliases, "v2")
    assert catalogue.get("virchow-2") is virchow2
    assert len(catalogue) == _shipped()


def test_a_name_two_papers_share_finds_neither(write_yaml: WriteYaml) -> None:
    path = write_yaml(
        "papers:\n"
        + "".join(
            f"  - {{id: {paper_id}, title: Paper {n}, year: 2026, model: {model}, "
            f'links: [{{kind: paper, url: "https://example.org/{n}"}}], '
            "memberships: [{domain: pathology, section: segmentation}]}\n"
            for n, (paper_id, model) in enumerate(
                [("foo-one", "Foo"), ("foo-two", "FOO"), ("foo-bar", "Bar"), ("foobar", "Baz")]
            )
        )
    )
    taxonomy, venues, _ = builtin_files()
    catalogue = fm_papers.load(extra=[taxonomy, venues, path], include_builtin=False)
    with pytest.raises(fm_papers.UnknownPaperError) as caught:
        catalogue.get("foo")
    assert str(caught.value) == (
        "'foo' names 2 papers: 'foo-one' (Foo, 2026), 'foo-two' (FOO, 2026); use an id"
    )
    assert caught.value.ambiguous and caught.value.suggestions == ["foo-one", "foo-two"]
    with pytest.raises(fm_papers.QueryError, match="ids: 'foo' names 2 papers"):
        catalogue.query(ids="Foo")
    # Ids win over names in any case; letters and digits alone find a paper only when one
    # paper has them, whichever kind of name it is.
    assert catalogue.get("FOO-BAR").id == "foo-bar" and catalogue.get("FooBar").id == "foobar"
    assert catalogue.resolve("foo_bar") is None and catalogue.resolve("Foo Bar") is None
    assert catalogue.resolve("baz") == "foobar" and "foo" not in catalogue


def test_an_existing_domain_gains_sections_and_aliases(write_yaml: WriteYaml) -> None:
    path = write_yaml(
        "domains:\n  - key: pathology\n    title: Another title\n    aliases: [histo-lab]\n"
        "    sections: [{key: lab-reading, title: Our reading}]\n"
    )
    catalogue = fm_papers.load(extra=[path])
    builtin = fm_papers.load().taxonomy.domain("pathology")
    domain = catalogue.taxonomy.domain("histo-lab")
    assert (domain.key, domain.title) == ("pathology", builtin.title)
    assert domain.aliases == (*builtin.aliases, "histo-lab")
    assert catalogue.query(domain="histo-lab") == catalogue.query(domain="pathology")
    assert catalogue.taxonomy.node("lab-reading").domain == "pathology"


def test_an_extension_alias_of_another_paper_is_located(write_yaml: WriteYaml) -> None:
    path = write_yaml("papers:\n  - id: uni\n    extend: true\n    aliases: [scgpt]\n")
    with pytest.raises(DataError) as caught:
        fm_papers.load(extra=[path])
    (problem,) = caught.value.problems
    assert str(problem).startswith(f"{path}:4: entry 'uni': aliases.0: alias 'scgpt' already names")


def _entry(**fields: str) -> str:
    base = {
        "id": "x-paper",
        "title": "A title",
        "year": "2024",
        "links": '[{kind: paper, url: "https://example.org/x"}]',
        "memberships": "[{domain: pathology, section: segmentation}]",
    }
    base.update(fields)
    lines = [
        f"  - {k}: {v}" if i == 0 else f"    {k}: {v}"
        for i, (k, v) in enumerate(base.items())
        if v != "DROP"
    ]
    return "papers:\n" + "\n".join(lines) + "\n"


BAD_CASES = {
    "unknown-section": (
        _entry(memberships="[{domain: pathology, section: segmentaton}]"),
        (
            "{f}:6: entry 'x-paper': memberships.0.section: unknown section 'segmentaton' of"
            " domain 'pathology'; did you mean 'segmentation'?"
        ),
    ),
    "section-of-other-domain": (
        _entry(memberships="[{domain: single-cell, section: segmentation}]"),
        (
            "{f}:6: entry 'x-paper': memberships.0: section 'segmentation' belongs to domain"
            " 'pathology', not 'single-cell'"
        ),
    ),
    "year-too-early": (
        _entry(year="1949"),
        f"{{f}}:4: entry 'x-paper': year: year 1949 is outside 1950..{NEXT_YEAR}",
    ),
    "year-too-late": (
        _entry(year=str(NEXT_YEAR + 1)),
        f"{{f}}:4: entry 'x-paper': year: year {NEXT_YEAR + 1} is outside 1950..{NEXT_YEAR}",
    ),
    "wrong-type": (
        _entry(year="soon"),
        (
            "{f}:4: entry 'x-paper': year: expected a whole number (a year is written 2024), got"
            " the text 'soon'"
        ),
    ),
    "missing-field": (
        _entry(title="DROP"),
        (
            "{f}:2: entry 'x-paper': title: required field is missing: add 'title' (the title"
            " exactly as the source writes it)"
        ),
    ),
    "not-http": (
        _entry(links='[{kind: paper, url: "javascript:alert(1)"}]'),
        "{f}:5: entry 'x-paper': links.0.url: 'javascript:alert(1)' is not an http(s) URL",
    ),
    "unknown-field": (
        _entry(colour="red"),
        (
            "{f}:7: entry 'x-paper': colour: unknown field; valid fields: id, aliases, title,"
            " authors, model, kind, year, venue, venue_kind, venue_as_written, links, doi, arxiv,"
            " notes, memberships, flags, sources, authors_source, override, extend"
        ),
    ),
    "bad-id": (
        _entry(id="Not A Slug"),
        "{f}:2: entry 'Not A Slug': id: must be a lowercase slug: letters a-z, digits and '-'",
    ),
    "shipped-id-clash": (
        _entry(id="scgpt"),
        (
            "{f}:2: entry 'scgpt': id: duplicate id, first defined at {papers}:{scgpt_line};"
            " set 'override: true' to replace it or 'extend: true' to add to it"
        ),
    ),
    "malformed-yaml": (
        "papers:\n  - id: x\n    title: [unclosed\n",
        "{f}:4: invalid YAML: did not find expected ',' or ']'",
    ),
    "not-a-mapping": ("42\n", "{f}:1: expected a mapping with papers, domains, venues, got int"),
    "unknown-top-key": (
        "paper: []\n",
        "{f}:1: unknown top-level key 'paper'; expected one of papers, domains, venues",
    ),
    "entry-not-mapping": (
        "papers:\n  - just text\n",
        "{f}:2: entry '#1': an entry must be a mapping, got text",
    ),
    "section-key-clash": (
        "domains:\n  - key: pathology\n    title: P\n    sections:\n      - {key: fm, title: Mine}\n",
        "{f}:2: entry 'pathology': section key or alias 'fm' is used twice",
    ),
    "extend-unknown": (
        "papers:\n  - id: no-such-entry-anywhere\n    extend: true\n",
        "{f}:2: entry 'no-such-entry-anywhere': id: 'extend: true' names no entry defined before it",
    ),
    "id-is-an-alias": (
        _entry(id="general-purpose-foundation-2024"),
        (
            "{f}:2: entry 'general-purpose-foundation-2024': id: 'general-purpose-foundation-2024'"
            " is an alias of 'uni' ({papers}:{uni_line}); set 'override: true' to replace it or"
            " 'extend: true' to add to it"
        ),
    ),
    "alias-of-another-paper": (
        _entry(aliases="[mine, CONCH]"),
        "{f}:7: entry 'x-paper': aliases.1: alias 'CONCH' already names 'conch' ({papers}:{conch_line})",
    ),
    "alias-is-own-id": (
        _entry(aliases="[X-Paper]"),
        "{f}:2: entry 'x-paper': alias 'X-Paper' is the entry's own id",
    ),
    "alias-not-a-name": (
        _entry(aliases="['-dash first']"),
        (
            "{f}:7: entry 'x-paper': aliases.0: an alias starts with a letter or digit and holds "
            "only letters, digits, spaces and . + - _"
        ),
    ),
    "unknown-kind": (
        _entry(kind="modle"),
        ("{f}:7: entry 'x-paper': kind: unknown kind 'modle'; did you mean 'model'?"),
    ),
}


@pytest.mark.parametrize("case", list(BAD_CASES))
def test_bad_input_gives_one_located_message(case: str, write_yaml: WriteYaml) -> None:
    text, expected = BAD_CASES[case]
    path = write_yaml(text)
    papers = builtin_files()[2]
    lines = papers.read_text(encoding="utf-8").splitlines()
    line_of = {line.removeprefix("  - id: "): n for n, line in enumerate(lines, 1)}
    with pytest.raises(DataError) as caught:
        fm_papers.load(extra=[path])
    assert str(caught.value) == expected.format(
        f=path,
        papers=papers,
        scgpt_line=line_of["scgpt"],
        uni_line=line_of["uni"],
        conch_line=line_of["conch"],
    )
    assert len(caught.value.problems) == 1


def test_duplicate_ids_within_one_overlay(write_yaml: WriteYaml) -> None:
    entry = _entry().removeprefix("papers:\n")
    path = write_yaml("papers:\n" + entry + entry)
    with pytest.raises(DataError) as caught:
        fm_papers.load(extra=[path])
    (problem,) = caught.value.problems
    assert str(problem).startswith(
        f"{path}:7: entry 'x-paper': id: duplicate id, first defined at {path}:2"
    )


def test_missing_file_is_a_data_error(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"missing\.yaml: cannot read: No such file"):
        fm_papers.load(extra=[tmp_path / "missing.yaml"])


def test_every_problem_of_a_file_is_reported(write_yaml: WriteYaml) -> None:
    path = write_yaml(_entry(year="1900", memberships="[]"))
    with pytest.raises(DataError) as caught:
        fm_papers.load(extra=[path])
    assert [p.field for p in caught.value.problems] == ["year", "memberships"]


# -- property-based: nothing but DataError escapes load() ------------------------------

_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True),
    st.text(max_size=30),
    st.dates(),
)
_values = st.recursive(
    _scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.text(max_size=12), st.integers()), inner, max_size=4),
    ),
    max_leaves=20,
)
_fields = st.sampled_from(
    ["id", "title", "year", "venue", "venue_kind", "links", "memberships", "model", "doi",
     "arxiv", "notes", "flags", "sources", "override", "extend", "kind", "url", "aliases"]
)  # fmt: skip
_entries = st.dictionaries(_fields, _values, max_size=8)
_documents = st.one_of(
    _values,
    st.fixed_dictionaries({"papers": st.lists(_entries, max_size=4)}),
    st.dictionaries(st.sampled_from(["papers", "domains", "venues"]), _values, max_size=3),
)


@given(document=_documents)
def test_random_documents_raise_only_data_errors(document: object, tmp_path: Path) -> None:
    path = tmp_path / "random.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    try:
        catalogue = fm_papers.load(extra=[path])
    except DataError as error:
        assert error.problems
        assert all(str(p).startswith(str(path)) for p in error.problems)
    else:
        assert len(catalogue) >= _shipped()


@given(text=st.text(max_size=200))
def test_random_text_raises_only_data_errors(text: str, tmp_path: Path) -> None:
    path = tmp_path / "random.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        fm_papers.load(extra=[path])
    except DataError as error:
        assert error.problems
