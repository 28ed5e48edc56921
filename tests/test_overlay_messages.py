"""Overlays as people write them by hand: what the loader reads the way it was meant, and a
message that names the fix, in the project's words, for every mistake it cannot read."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

import fm_papers
from fm_papers import DataError
from fm_papers.derive import doi
from fm_papers.kinds import PAPER_KINDS
from fm_papers.models import Paper, PaperExtension

WriteYaml = Callable[..., Path]

#: Phrases of the validator's own messages; none may reach a user.
VALIDATOR_WORDING = (
    "Input should",
    "valid tuple",
    "valid dictionary",
    "Field required",
    "Value error",
    "String should",
    "Extra inputs",
    "should have at least",
    "Assertion failed",
    "unable to parse",
    "pydantic",
    "type=",
)


def _problems(write_yaml: WriteYaml, text: str) -> list[str]:
    path = write_yaml(text)
    with pytest.raises(DataError) as caught:
        fm_papers.load(extra=[path])
    messages = [str(p) for p in caught.value.problems]
    for message in messages:
        assert not any(phrase in message for phrase in VALIDATOR_WORDING), message
    return [m.removeprefix(f"{path}:") for m in messages]


def _load(write_yaml: WriteYaml, text: str) -> fm_papers.Catalogue:
    return fm_papers.load(extra=[write_yaml(text)])


ENTRY = """\
papers:
  - id: our-paper
    title: {title}
    memberships:
      - domain: pathology
        section: segmentation
"""


# Read as meant ---------------------------------------------------------------------------------


def test_a_single_note_or_link_is_a_list_of_one(write_yaml: WriteYaml) -> None:
    text = ENTRY.format(title="Ours") + (
        "    notes: Read for the journal club\n    links: https://example.org/ours\n"
    )
    paper = _load(write_yaml, text).get("our-paper")
    assert paper.notes == ("Read for the journal club",)
    assert [(link.kind, link.url) for link in paper.links] == [
        ("paper", "https://example.org/ours")
    ]


def test_a_single_membership_and_alias_are_lists_of_one(write_yaml: WriteYaml) -> None:
    text = (
        "papers:\n  - id: our-paper\n    title: Ours\n    aliases: OurModel\n"
        "    memberships: {domain: single-cell, section: evaluation}\n"
    )
    catalogue = _load(write_yaml, text)
    paper = catalogue.get("OurModel")
    assert paper.id == "our-paper"
    assert [(m.domain, m.section) for m in paper.memberships] == [("single-cell", "evaluation")]


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("https://example.org/paper", "paper"),
        ("https://github.com/our-lab/our-model", "code"),
        ("https://huggingface.co/our-lab/our-model", "weights"),
        ("https://our-lab.github.io/our-model", "project"),
    ],
)
def test_a_link_written_as_its_url_takes_its_hosts_kind(
    write_yaml: WriteYaml, url: str, kind: str
) -> None:
    text = (
        ENTRY.format(title="Ours")
        + f"    links:\n      - https://example.org/first\n      - {url}\n"
    )
    paper = _load(write_yaml, text).get("our-paper")
    assert [link.kind for link in paper.links] == ["paper", kind]


@pytest.mark.parametrize(
    ("block", "note"),
    [
        (">\n      A folded\n      block of notes\n", "A folded block of notes"),
        (">-\n      Folded, kept\n      without its end\n", "Folded, kept without its end"),
        (
            "|\n      A literal block:\n      its lines joined\n",
            "A literal block: its lines joined",
        ),
    ],
)
def test_block_scalars_are_read_as_one_note(write_yaml: WriteYaml, block: str, note: str) -> None:
    text = ENTRY.format(title="Ours") + f"    notes: {block}"
    assert _load(write_yaml, text).get("our-paper").notes == (note,)


def test_a_long_title_may_be_a_folded_block(write_yaml: WriteYaml) -> None:
    text = ENTRY.format(title=">\n      A title too long\n      for one line")
    assert _load(write_yaml, text).get("our-paper").title == "A title too long for one line"


def test_a_tab_or_control_character_stays_refused_in_a_block(write_yaml: WriteYaml) -> None:
    problems = _problems(write_yaml, ENTRY.format(title="Ours") + '    notes: "one\\ttwo"\n')
    assert problems == [
        "7: entry 'our-paper': notes.0: control character U+0009 (HT) is not allowed"
    ]


@pytest.mark.parametrize(
    ("title", "section", "kind"),
    [
        ("A survey of foundation models", "segmentation", "survey"),  # the title's
        ("Benchmarking foundation models", "segmentation", "benchmark"),
        ("OurSeg", "segmentation", None),  # the section's
        ("OurModel", "vision-representation", None),
    ],
)
def test_an_entry_without_kind_gets_one_by_the_shipped_rules(
    write_yaml: WriteYaml, title: str, section: str, kind: str | None
) -> None:
    text = ENTRY.format(title=title).replace("section: segmentation", f"section: {section}")
    catalogue = _load(write_yaml, text)
    paper = catalogue.get("our-paper")
    expected = kind or catalogue.taxonomy.node(section).kind
    assert expected in PAPER_KINDS
    assert paper.kind == expected
    assert "our-paper" in [p.id for p in catalogue.query(kind=expected)]


def test_an_entry_of_a_section_without_kind_is_other(write_yaml: WriteYaml) -> None:
    text = (
        "domains:\n  - key: lab\n    title: Lab\n    sections:\n      - {key: club, title: Club}\n"
        "papers:\n  - id: our-paper\n    title: OurModel\n"
        "    memberships: [{domain: lab, section: club}]\n"
    )
    catalogue = _load(write_yaml, text)
    assert catalogue.get("our-paper").kind == "other"
    assert [p.id for p in catalogue.query(kind="other", domain="lab")] == ["our-paper"]


def test_an_extension_corrects_the_paper_link(write_yaml: WriteYaml) -> None:
    shipped = fm_papers.load().get("uni")
    assert shipped.url is not None and shipped.doi == doi(shipped.url)
    others = [link for link in shipped.links if link.kind != "paper"]
    text = (
        "papers:\n  - id: uni\n    extend: true\n"
        "    links:\n      - https://doi.org/10.1000/corrected\n      - https://example.org/slides\n"
    )
    paper = _load(write_yaml, text).get("uni")
    assert paper.url == "https://doi.org/10.1000/corrected"  # the title links here
    assert shipped.url not in [link.url for link in paper.links]
    assert paper.doi == "10.1000/corrected"  # read off the new link, not kept from the old
    assert [link for link in paper.links if link.kind != "paper"][: len(others)] == others
    assert sum(link.kind == "paper" for link in paper.links) == 1


def test_an_extension_without_a_paper_link_keeps_it(write_yaml: WriteYaml) -> None:
    shipped = fm_papers.load().get("uni")
    text = (
        "papers:\n  - id: uni\n    extend: true\n    links: https://github.com/our-lab/uni-notes\n"
    )
    paper = _load(write_yaml, text).get("uni")
    assert (paper.url, paper.doi) == (shipped.url, shipped.doi)
    assert paper.links[-1].kind == "code"


# Mistakes, each with its fix -------------------------------------------------------------------


def test_a_misspelt_kind_suggests_the_kind(write_yaml: WriteYaml) -> None:
    problems = _problems(write_yaml, ENTRY.format(title="Ours") + "    kind: modle\n")
    assert problems == ["7: entry 'our-paper': kind: unknown kind 'modle'; did you mean 'model'?"]
    (far,) = _problems(write_yaml, ENTRY.format(title="Ours") + "    kind: paper\n")
    assert far.endswith("unknown kind 'paper'; valid values: " + ", ".join(PAPER_KINDS))


@pytest.mark.parametrize(
    ("field", "value", "nearest"),
    [
        ("venue_kind", "jurnal", "journal"),
        ("links", "[{kind: pper, url: 'https://example.org/x'}]", "paper"),
        ("authors_source", "{url: 'https://example.org/x', version: preprnt}", "preprint"),
    ],
)
def test_every_closed_vocabulary_suggests(
    write_yaml: WriteYaml, field: str, value: str, nearest: str
) -> None:
    (problem,) = _problems(write_yaml, ENTRY.format(title="Ours") + f"    {field}: {value}\n")
    assert f"did you mean {nearest!r}?" in problem


def test_a_misspelt_field_suggests_the_field(write_yaml: WriteYaml) -> None:
    text = ENTRY.format(title="Ours") + "    yaer: 2024\n    overide: true\n"
    problems = _problems(write_yaml, text)
    assert problems == [
        "7: entry 'our-paper': yaer: unknown field; did you mean 'year'?",
        "8: entry 'our-paper': overide: unknown field; did you mean 'override'?",
    ]


def test_a_section_is_suggested_only_from_the_domain_written(write_yaml: WriteYaml) -> None:
    catalogue = fm_papers.load()
    pathology = {node.key for node in catalogue.taxonomy.nodes("pathology")}
    elsewhere = {node.key for node in catalogue.taxonomy.nodes()} - pathology
    assert "evaluation" in elsewhere  # the nearest key overall, which pathology does not have
    text = ENTRY.format(title="Ours").replace("segmentation", "evaluation-lab")
    (problem,) = _problems(write_yaml, text)
    assert "did you mean" not in problem
    assert problem.startswith("6: entry 'our-paper': memberships.0.section: unknown section")
    listed = set(problem.partition("; valid values: ")[2].split(" (and")[0].split(", "))
    assert listed and listed <= pathology
    (problem,) = _problems(
        write_yaml, ENTRY.format(title="Ours").replace("segmentation", "segmentaton")
    )
    assert problem.endswith("did you mean 'segmentation'?")


def test_a_section_of_another_domain_names_it(write_yaml: WriteYaml) -> None:
    text = ENTRY.format(title="Ours").replace("segmentation", "perturbation")
    (problem,) = _problems(write_yaml, text)
    assert "section 'perturbation' belongs to domain 'single-cell', not 'pathology'" in problem


def test_extend_says_what_it_may_change_and_points_to_override(write_yaml: WriteYaml) -> None:
    text = "papers:\n  - id: uni\n    extend: true\n    year: 2023\n    venue: Nature\n"
    problems = _problems(write_yaml, text)
    assert len(problems) == 2
    for line, field in ((4, "year"), (5, "venue")):
        problem = problems[line - 4]
        assert problem.startswith(f"{line}: entry 'uni': {field}: 'extend: true' adds aliases")
        assert f"to change {field!r}, write the whole entry with 'override: true'" in problem
    extended = set(PaperExtension.model_fields) - {"id", "extend", "authors_source"}
    assert all(field in problems[0] for field in extended)


def test_extend_of_a_misspelt_id_suggests_the_id(write_yaml: WriteYaml) -> None:
    problems = _problems(write_yaml, "papers:\n  - id: scgtp\n    extend: true\n    notes: x\n")
    assert problems == [
        (
            "2: entry 'scgtp': id: 'extend: true' names no entry defined before it; "
            "did you mean 'scgpt'?"
        )
    ]


def test_every_problem_of_a_file_is_reported_in_one_run(write_yaml: WriteYaml) -> None:
    text = (
        "domains:\n  - key: lab\n    title: Lab\n    colour: red\n"
        "papers:\n"
        "  - id: scgpt\n    title: Ours\n    memberships: [{domain: single-cell, section: fm}]\n"
        "  - id: no-memberships\n    title: Ours\n"
        "  - id: uni\n    title: Broken too\n    kind: modle\n"
        "    memberships: [{domain: pathology, section: segmentaton}]\n"
    )
    problems = _problems(write_yaml, text)
    assert [p.split(":")[0] for p in problems] == ["4", "6", "9", "11", "13", "14"]
    assert "colour: unknown field" in problems[0]
    assert "'scgpt': id: duplicate id" in problems[1]
    assert "'no-memberships': memberships: required field is missing" in problems[2]
    # An entry that fails is still checked for what can be: its id and its sections.
    assert "'uni': id: duplicate id" in problems[3]
    assert "did you mean 'model'?" in problems[4]
    assert "did you mean 'segmentation'?" in problems[5]


@pytest.mark.parametrize(
    ("fields", "fix"),
    [
        ("    year: soon\n", "expected a whole number (a year is written 2024)"),
        ("    year: 2024.5\n", "expected a whole number"),
        ("    model: 3\n", "expected text, got the number 3; quote it"),
        ("    notes: [[nested]]\n", "expected text, got a list"),
        ("    links: [5]\n", "expected a mapping of fields (kind, url), got the number 5"),
        ("    links: [{kind: code}]\n", "required field is missing: add 'url'"),
        ("    doi: doi:10.1/x\n", "is not a DOI: write it as 10."),
        ("    arxiv: arXiv:2401.1\n", "is not an arXiv id: write it as"),
        ("    override: maybe\n", "must be true or false"),
        ("    authors: [{name: Consortium, given: A}]\n", "an organisation has a name"),
        ("    sources: [{file: x, line: 0}]\n", "must be at least 1"),
    ],
)
def test_each_wrong_value_names_the_fix(write_yaml: WriteYaml, fields: str, fix: str) -> None:
    problems = _problems(write_yaml, ENTRY.format(title="Ours") + fields)
    assert len(problems) == 1 and fix in problems[0], problems


def test_the_api_reads_single_values_as_the_loader_does() -> None:
    paper = Paper.model_validate(
        {
            "id": "ours",
            "title": "Ours",
            "memberships": {"domain": "pathology", "section": "segmentation"},
            "notes": "one",
            "links": "https://github.com/a/b",
            "authors": "Lu, Ming Y.",
        }
    )
    assert paper.notes == ("one",)
    assert paper.links[0].kind == "code"
    assert (paper.authors[0].family, paper.authors[0].given) == ("Lu", "Ming Y.")


# The manual says the same ----------------------------------------------------------------------

DOCS = Path(__file__).resolve().parent.parent / "example_docs"
REQUIRED = {name for name, field in Paper.model_fields.items() if field.is_required()}


@pytest.mark.parametrize("page", ["data-model.rst", "overlays.rst"])
def test_the_manual_marks_the_required_fields(page: str) -> None:
    text = (DOCS / page).read_text(encoding="utf-8")
    table = text[text.index("     - Required\n") :]
    table = table[: table.index("\n\n", table.index("     - optional"))]
    rows = re.findall(r"^   \* - (.+)\n     - (required|optional)$", table, re.MULTILINE)
    marked = {field: mark for names, mark in rows for field in re.findall(r"``([a-z_]+)``", names)}
    assert {field for field, mark in marked.items() if mark == "required"} == REQUIRED
    assert set(marked) <= set(Paper.model_fields)


def test_the_overlay_pages_yaml_examples_load(
    write_yaml: WriteYaml, code_blocks: Callable[[str, str], list[str]]
) -> None:
    blocks = code_blocks((DOCS / "overlays.rst").read_text(encoding="utf-8"), "yaml")
    assert blocks
    for number, block in enumerate(blocks):
        fm_papers.load(extra=[write_yaml(block, f"example-{number}.yaml")])


def test_the_hand_written_example_shows_each_kind_of_fix() -> None:
    path = DOCS / "cli-examples" / "hand-written.yaml"
    with pytest.raises(DataError) as caught:
        fm_papers.load(extra=[path])
    messages = [p.message for p in caught.value.problems]
    assert len(messages) == 4
    assert sum("did you mean" in m for m in messages) == 3
    assert "'override: true'" in messages[3]
