"""The catalogue build against simulated upstream edits: ids never change meaning.

Each test copies the sources, the ledger, curation.yaml and the shipped data into a scratch
checkout, edits a source list the way upstream might, runs the build
(:mod:`fm_papers.curation.build`, which ``curation/build.py`` runs) with ``--root`` and checks
every id that existed before still names the same paper.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from fm_papers.curation import build

REPO = Path(__file__).resolve().parent.parent

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A scratch copy of what the build reads and writes."""
    shutil.copytree(REPO / "curation", tmp_path / "curation", ignore=shutil.ignore_patterns("*.py"))
    data = tmp_path / "fm_papers" / "data"
    data.mkdir(parents=True)
    for name in ("taxonomy", "venues", "papers"):
        for suffix in (".yaml", ".json"):
            shutil.copy(REPO / "fm_papers" / "data" / (name + suffix), data / (name + suffix))
    return tmp_path


@pytest.fixture
def run(checkout: Path, capsys: pytest.CaptureFixture[str]) -> Run:
    def run(*args: str) -> tuple[int, str, str]:
        code = build.main(["--root", str(checkout), *args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def _papers(checkout: Path) -> dict[str, dict[str, Any]]:
    """The built papers.yaml's entries by id, as YAML reads them."""
    text = (checkout / "fm_papers" / "data" / "papers.yaml").read_text(encoding="utf-8")
    return {entry["id"]: entry for entry in yaml.safe_load(text)["papers"]}


def _edit(checkout: Path, name: str, edit: Callable[[list[str]], list[str]]) -> None:
    path = checkout / "curation" / "sources" / name
    lines = path.read_text(encoding="utf-8").split("\n")
    path.write_text("\n".join(edit(lines)), encoding="utf-8")


def _line_of(lines: list[str], text: str) -> int:
    """The index of the one line holding ``text`` (a heading: the one line that is it)."""
    heading = text.startswith("#")
    (found,) = [
        n for n, line in enumerate(lines) if (line.strip() == text if heading else text in line)
    ]
    return found


def _same_papers(before: dict[str, dict[str, object]], after: dict[str, dict[str, object]]) -> None:
    """Every id of ``before`` names the same paper after, every field equal but the source
    lines (which move when lines move)."""
    for paper_id, entry in before.items():
        assert paper_id in after, f"{paper_id} disappeared"
        unmoved = {k: v for k, v in after[paper_id].items() if k != "sources"}
        assert unmoved == {k: v for k, v in entry.items() if k != "sources"}, paper_id


NEW_LINE = (
    "1. [2026 bioRxiv] **A brand-new cell model for testing the ledger** "
    "[[paper]](https://www.biorxiv.org/content/10.1101/2026.01.01.000001v1)"
)


def test_the_checkout_is_up_to_date(run: Run) -> None:
    assert run("--check")[0] == 0


def test_inserting_a_line_above_papers_keeps_every_id(run: Run, checkout: Path) -> None:
    before = _papers(checkout)
    _edit(checkout, "single-cell.md", lambda lines: [lines[0], NEW_LINE, *lines[1:]])
    code, out, err = run()
    assert code == 0, err
    after = _papers(checkout)
    _same_papers(before, after)
    added = set(after) - set(before)
    assert len(added) == 1
    (new_id,) = added
    assert new_id == "brand-new-cell-2026"
    assert f"  + {new_id}  " in out
    assert "added (1):" in out and "renamed" not in out
    # The ledger now holds the new id; building again changes nothing.
    ledger = (checkout / "curation" / "ids.yaml").read_text(encoding="utf-8")
    assert f"- id: {new_id}\n" in ledger
    assert run("--check")[0] == 0


def test_reordering_lines_keeps_every_id(run: Run, checkout: Path) -> None:
    before = _papers(checkout)

    def reverse_the_fm_section(lines: list[str]) -> list[str]:
        start = _line_of(lines, "## FM") + 1
        end = _line_of(lines, "## Foundation-Model-Genetic-Perturbation") - 2
        return [*lines[:start], *reversed(lines[start:end]), *lines[end:]]

    _edit(checkout, "single-cell.md", reverse_the_fm_section)
    code, out, err = run()
    assert code == 0, err
    assert _papers(checkout).keys() == before.keys()
    _same_papers(before, _papers(checkout))
    assert "added" not in out and "removed" not in out


def test_a_retitled_paper_keeps_its_id(run: Run, checkout: Path) -> None:
    _edit(
        checkout,
        "single-cell.md",
        lambda lines: [
            line.replace("**Metric Mirages in Cell Embeddings**", "**Metric Mirages Revisited**")
            for line in lines
        ],
    )
    code, out, err = run()
    assert code == 0, err
    paper = _papers(checkout)["metric-mirages-cell-2024"]
    assert paper["title"] == "Metric Mirages Revisited"
    assert "  ~ metric-mirages-cell-2024: title" in out
    ledger = (checkout / "curation" / "ids.yaml").read_text(encoding="utf-8")
    assert "      - Metric Mirages in Cell Embeddings\n      - Metric Mirages Revisited\n" in ledger


def test_a_paper_whose_link_changed_keeps_its_id(run: Run, checkout: Path) -> None:
    old = "https://www.nature.com/articles/s41592-024-02201-0"
    new = "https://doi.org/10.1038/s41592-024-02201-0"
    _edit(checkout, "single-cell.md", lambda lines: [line.replace(old, new) for line in lines])
    code, out, err = run()
    assert code == 0, err
    assert _papers(checkout)["scgpt"]["links"] == [{"kind": "paper", "url": new}]
    assert "  ~ scgpt: links" in out


def test_a_paper_moved_to_another_section_keeps_its_id(run: Run, checkout: Path) -> None:
    def move(lines: list[str]) -> list[str]:
        line = lines.pop(_line_of(lines, "**scGenePT: Is language"))
        lines.insert(_line_of(lines, "## FM + LLM") + 1, line)
        return lines

    _edit(checkout, "single-cell.md", move)
    code, out, err = run()
    assert code == 0, err
    assert _papers(checkout)["scgenept"]["memberships"] == [
        {"domain": "single-cell", "section": "fm-llm"}
    ]
    assert "  ~ scgenept: +single-cell/fm-llm; -single-cell/perturbation" in out


def test_a_deleted_paper_fails_the_build_until_it_is_retired(run: Run, checkout: Path) -> None:
    before = (checkout / "fm_papers" / "data" / "papers.yaml").read_bytes()
    _edit(checkout, "single-cell.md", lambda lines: [x for x in lines if "Metric Mirages" not in x])
    code, _, err = run()
    assert code == 1
    assert (
        "error: id 'metric-mirages-cell-2024' ('Metric Mirages in Cell Embeddings') names no "
        "paper of the sources any more; if the paper was dropped on purpose, add "
        "'retired: <why>' to its record in the ledger (its id stays reserved)"
    ) in err
    assert "nothing was written" in err
    assert (checkout / "fm_papers" / "data" / "papers.yaml").read_bytes() == before

    ledger = checkout / "curation" / "ids.yaml"
    text = ledger.read_text(encoding="utf-8").replace(
        "- id: metric-mirages-cell-2024\n",
        "- id: metric-mirages-cell-2024\n    retired: dropped upstream\n",
    )
    ledger.write_text(text, encoding="utf-8")
    code, out, err = run()
    assert code == 0, err
    assert "  - metric-mirages-cell-2024  'Metric Mirages in Cell Embeddings' (retired)" in out
    assert "metric-mirages-cell-2024" not in _papers(checkout)
    # The id stays reserved: a new paper with the same first words gets a longer id.
    _edit(
        checkout,
        "single-cell.md",
        lambda lines: [
            lines[0],
            (
                "1. [2024 biorxiv] **Metric Mirages in Cell Embeddings, Again** "
                "[[paper]](https://www.biorxiv.org/content/10.1101/2026.02.02.000002v1)"
            ),
            *lines[1:],
        ],
    )
    code, out, err = run()
    assert code == 0, err
    assert "  + metric-mirages-cell-embeddings-2024 " in out


def test_a_paper_listed_in_both_lists_is_merged_under_its_id(run: Run, checkout: Path) -> None:
    scgpt = (
        "1. [2024 Nature Methods][**scGPT**] **scGPT: toward building a foundation model for "
        "single-cell multi-omics using generative AI** "
        "[[paper]](https://www.nature.com/articles/s41592-024-02201-0)"
    )
    _edit(checkout, "single-cell.md", lambda lines: [*lines, "", scgpt])
    before = _papers(checkout)
    code, out, err = run()
    assert code == 0, err
    after = _papers(checkout)
    assert after.keys() == before.keys()
    sections = [m["section"] for m in after["scgpt"]["memberships"]]
    assert sections == ["fm", "pathology-fm"]
    assert "  ~ scgpt: +pathology/pathology-fm" in out


def test_two_ids_become_one_only_when_a_reviewer_confirms_it(run: Run, checkout: Path) -> None:
    # A source line takes another paper's title (a copy-paste slip, or the same paper).
    uni_title = "Towards a general-purpose foundation model for computational pathology"
    rudolfv_title = "RudolfV: A Foundation Model by Pathologists for Pathologists"
    _edit(
        checkout, "pathology.md", lambda lines: [x.replace(rudolfv_title, uni_title) for x in lines]
    )
    before = (checkout / "fm_papers" / "data" / "papers.yaml").read_bytes()
    code, _, err = run()
    assert code == 1
    assert (
        f"error: ids 'uni' ('{uni_title}'), 'rudolfv' ('{rudolfv_title}') would become one "
        "paper: the sources list them as one now. If they are one paper, add 'merged_into: "
        "uni' to the record of 'rudolfv' in the ledger"
    ) in err
    assert (checkout / "fm_papers" / "data" / "papers.yaml").read_bytes() == before

    ledger = checkout / "curation" / "ids.yaml"
    text = ledger.read_text(encoding="utf-8")
    ledger.write_text(
        text.replace("  - id: rudolfv\n", "  - id: rudolfv\n    merged_into: uni\n"), "utf-8"
    )
    code, out, err = run()
    # Each had its reviewed authors: the reviewer keeps the paper's one list.
    assert code == 1
    assert "'rudolfv' is now an alias of 'uni', which has a record already; keep one" in err
    authors = checkout / "curation" / "authors.yaml"
    data = yaml.safe_load(authors.read_text(encoding="utf-8"))
    data["papers"] = [record for record in data["papers"] if record["id"] != "rudolfv"]
    authors.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    code, out, err = run()
    assert code == 0, err
    assert "merged (1):\n  = uni: absorbs rudolfv\n" in out
    papers = _papers(checkout)
    assert "rudolfv" not in papers and "rudolfv" in papers["uni"]["aliases"]
    records = {r["id"]: r for r in yaml.safe_load(ledger.read_text("utf-8"))["papers"]}
    assert records["rudolfv"]["merged_into"] == "uni"
    assert rudolfv_title in records["uni"]["titles"]
    assert run("--check")[0] == 0  # a second build changes nothing


def test_a_merge_into_an_unknown_id_fails_the_build(run: Run, checkout: Path) -> None:
    ledger = checkout / "curation" / "ids.yaml"
    text = ledger.read_text(encoding="utf-8")
    ledger.write_text(
        text.replace("  - id: rudolfv\n", "  - id: rudolfv\n    merged_into: unii\n"), "utf-8"
    )
    code, _, err = run()
    assert code == 1
    assert "error: id 'rudolfv' (" in err and "is merged_into 'unii', which is no id" in err


def test_an_id_that_would_change_meaning_fails_the_build(run: Run, checkout: Path) -> None:
    # Swapping two records of the ledger by hand would give 'uni' to CONCH's paper.
    ledger = checkout / "curation" / "ids.yaml"
    text = ledger.read_text(encoding="utf-8")
    text = text.replace("- id: uni\n", "- id: @@\n").replace("- id: conch\n", "- id: uni\n")
    ledger.write_text(text.replace("- id: @@\n", "- id: conch\n"), encoding="utf-8")
    before = (checkout / "fm_papers" / "data" / "papers.yaml").read_bytes()
    code, _, err = run()
    assert code == 1
    assert (
        "error: id 'uni' named 'Towards a general-purpose foundation model for computational "
        "pathology' and would name 'A visual-language foundation model for computational "
        "pathology'"
    ) in err
    assert (checkout / "fm_papers" / "data" / "papers.yaml").read_bytes() == before


def test_an_id_cannot_split_between_two_papers(run: Run, checkout: Path) -> None:
    # Upstream retitles a paper and adds another under the old title.
    title = "Metric Mirages in Cell Embeddings"

    def split(lines: list[str]) -> list[str]:
        lines = [x.replace(f"**{title}**", "**Metric Mirages, Retitled**") for x in lines]
        return [
            lines[0],
            f"1. [2024 bioRxiv] **{title}** [[paper]](https://example.org/another-paper)",
            *lines[1:],
        ]

    _edit(checkout, "single-cell.md", split)
    code, _, err = run()
    assert code == 1
    assert (
        "id 'metric-mirages-cell-2024' ('Metric Mirages in Cell Embeddings') would be given to 2 papers"
        in err
    )


def test_stale_data_is_reported_by_check(run: Run, checkout: Path) -> None:
    _edit(checkout, "single-cell.md", lambda lines: [lines[0], NEW_LINE, *lines[1:]])
    code, _, err = run("--check")
    assert code == 1
    assert "papers.yaml is out of date" in err and "ids.yaml is out of date" in err


def test_the_manuals_report_example_is_what_the_build_prints(run: Run, checkout: Path) -> None:
    """updating.rst shows the report of one insert, one retitle and one move: this build."""

    def edit(lines: list[str]) -> list[str]:
        lines = [
            line.replace("**Metric Mirages in Cell Embeddings**", "**Metric Mirages Revisited**")
            for line in lines
        ]
        moved = lines.pop(_line_of(lines, "**scGenePT: Is language"))
        lines.insert(_line_of(lines, "## FM + LLM") + 1, moved)
        return [lines[0], NEW_LINE, *lines[1:]]

    _edit(checkout, "single-cell.md", edit)
    code, out, err = run()
    assert code == 0, err
    manual = (REPO / "example_docs" / "updating.rst").read_text(encoding="utf-8")
    block = manual.split(".. code-block:: text\n\n", 1)[1].split("\n\n", 1)[0]
    shown = [line.removeprefix("      ") for line in block.splitlines()]
    assert shown[-1].strip() == "..."

    def counts_as_n(line: str) -> str:  # the figures depend on the data, the shape does not
        return re.sub(r"\d+", "N", line) if line.startswith(("papers:", "source lines")) else line

    printed = out.splitlines()[: len(shown) - 1]
    assert [counts_as_n(x) for x in printed] == [counts_as_n(x) for x in shown[:-1]]


@pytest.mark.parametrize(
    ("decision", "message"),
    [
        (
            "  - title: A paper no source lists\n    model: Ghost\n    reason: because\n",
            "error: curation: no paper of the sources is titled 'A paper no source lists'",
        ),
        (
            "  - title: Metric Mirages in Cell Embeddings\n    model: Mirage\n",
            "error: curation/curation.yaml: papers[{n}] needs a title and a reason",
        ),
        (
            "  - title: Metric Mirages in Cell Embeddings\n    kind: essay\n    reason: r\n",
            (
                "error: curation/curation.yaml: papers[{n}]: unknown kind 'essay'; one of model, benchmark, "
                "dataset, survey, application, other"
            ),
        ),
    ],
)
def test_a_stale_or_unreasoned_decision_fails_the_build(
    run: Run, checkout: Path, decision: str, message: str
) -> None:
    curation = checkout / "curation" / "curation.yaml"
    text = curation.read_text(encoding="utf-8")
    curation.write_text(text + decision, encoding="utf-8")
    code, _, err = run()
    assert code == 1
    assert message.format(n=text.count("  - title: ") + 1) in err.splitlines()


@pytest.mark.parametrize(
    ("path", "edit", "message"),
    [
        ("curation/curation.yaml", lambda t: t + "  - {title: x, reason: y, model: 5}\n", None),
        (
            "curation/curation.yaml",
            lambda t: t.replace("sources:\n", "sources: sources/pathology.md\nold_sources:\n"),
            "curation/curation.yaml: 'sources' must list the source files",
        ),
        (
            "curation/curation.yaml",
            lambda t: t.replace("  - sources/pathology.md\n", "  - sources/nope.md\n"),
            "curation/sources/nope.md: cannot read: No such file or directory",
        ),
        (
            "curation/curation.yaml",
            lambda t: t.replace("  - sources/pathology.md\n", "  - /nonexistent/list.md\n"),
            "/nonexistent/list.md: cannot read: No such file or directory",
        ),
        ("curation/curation.yaml", lambda t: "- a list\n", None),
        ("curation/curation.yaml", lambda t: t + "papers: [\n", None),
        (
            "curation/ids.yaml",
            lambda t: t.replace("  - id: uni\n", "  - idd: uni\n"),
            "curation/ids.yaml: papers[{uni}]: unknown fields: idd",
        ),
        (
            "curation/ids.yaml",
            lambda t: "papers:\n  - id: a\n    titles: x\n",
            "curation/ids.yaml: papers[1]: titles must be a list of strings",
        ),
        ("curation/ids.yaml", lambda t: "papers: {a: 1}\n", None),
    ],
)
def test_malformed_build_input_is_one_located_message(
    run: Run, checkout: Path, path: str, edit: Callable[[str], str], message: str | None
) -> None:
    file = checkout / path
    text = file.read_text(encoding="utf-8")
    uni = 1 + text.split("  - id: uni\n")[0].count("  - id: ")
    file.write_text(edit(text), encoding="utf-8")
    before = (checkout / "fm_papers" / "data" / "papers.yaml").read_bytes()
    code, out, err = run()
    assert code == 1
    lines = err.splitlines()
    assert lines[-1] == "1 problem(s); nothing was written", err
    assert lines[0].startswith(f"error: {path}") or message is not None
    if message is not None:
        assert lines[0] == "error: " + message.format(uni=uni)
    assert "Traceback" not in out + err
    assert (checkout / "fm_papers" / "data" / "papers.yaml").read_bytes() == before


def test_a_curated_alias_the_models_refuse_names_its_paper(run: Run, checkout: Path) -> None:
    curation = checkout / "curation" / "curation.yaml"
    text = curation.read_text(encoding="utf-8")
    curation.write_text(text.replace("aliases: [gigapath]", "aliases: [gigapath, 'bad alias!']"))
    code, _, err = run()
    assert code == 1
    assert err.startswith("error: entry 'prov-gigapath': aliases.2: ")  # after its earlier id


def test_two_decisions_about_one_paper_fail_the_build(run: Run, checkout: Path) -> None:
    curation = checkout / "curation" / "curation.yaml"
    text = curation.read_text(encoding="utf-8")
    extra = "  - title: Metric Mirages in Cell Embeddings\n    model: Mirage\n    reason: r\n"
    curation.write_text(text + extra + extra.replace("Mirage\n", "Mirage2\n"), "utf-8")
    code, _, err = run()
    assert code == 1
    assert (
        "error: curation: two decisions about 'Metric Mirages in Cell Embeddings'; keep one"
    ) in err.splitlines()


def test_the_script_builds_its_own_checkout(checkout: Path) -> None:
    """``curation/build.py`` is a thin entry point: it builds the checkout it lives in, from
    any folder (here a scratch copy, run from elsewhere)."""
    shutil.copy(REPO / "curation" / "build.py", checkout / "curation" / "build.py")
    result = subprocess.run(
        [sys.executable, str(checkout / "curation" / "build.py"), "--check"],
        capture_output=True, text=True, check=False, cwd=checkout.parent,
    )  # fmt: skip
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.strip().endswith("are up to date")
