"""The command line: every command in-process through ``main([...])``, the main and error paths
again through the installed script and ``python -m fm_papers`` in subprocesses."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import fm_papers
from fm_papers.cli import main
from fm_papers.datafile import builtin_files
from fm_papers.formats import EXPORT_FORMATS, render
from fm_papers.models import max_year

PAPERS_YAML = builtin_files()[2]
#: The ``write_yaml`` fixture of conftest.py: ``write_yaml(text, name)`` gives the file.
WriteYaml = Callable[..., Path]

OVERLAY = """\
papers:
  - id: my-lab-model
    title: "LabFM: a model our lab reads"
    year: 2025
    venue: bioRxiv
    links:
      - kind: paper
        url: https://example.org/labfm
    memberships:
      - domain: pathology
        section: segmentation
"""

STANDALONE = """\
domains:
  - key: lab
    title: Our lab
    sections:
      - key: reading
        title: Reading list
venues:
  - {name: Lab Notes, kind: other}
papers:
  - id: only-paper
    title: The only paper
    venue: Lab Notes
    links:
      - {kind: paper, url: "https://example.org/only"}
    memberships:
      - {domain: lab, section: reading}
"""


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# list / search / show ---------------------------------------------------------------------


def test_list_ids_are_the_query_result(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys, "list", "--domain", "pathology", "--year", ">=2024", "--sort", "-year,title",
        "--format", "ids",
    )  # fmt: skip
    expected = fm_papers.load().query(domain="pathology", year=">=2024", sort="-year,title")
    assert (code, err) == (0, "")
    assert out.split() == [p.id for p in expected]


@pytest.mark.parametrize("year", ["2024-", "-2022", "..2022"])
def test_open_year_ranges_are_values_not_flags(
    year: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "list", "--year", year, "--format", "ids")
    expected = fm_papers.load().query(year=year)
    assert (code, err) == (0, "")
    assert expected and out.split() == [p.id for p in expected]


def test_every_filter_has_a_flag(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "list", "--help")
    assert code == 0
    for name in fm_papers.query.FILTERS:
        assert "--" + name.replace("_", "-") in out
    assert "examples:" in out


def test_list_table_fits_the_terminal(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "90")
    code, out, _ = run(capsys, "list", "--section", "segmentation")
    lines = out.splitlines()
    assert code == 0
    assert lines[0].split()[:2] == ["ID", "YEAR"]
    selected = fm_papers.load().query(section="segmentation")
    # Some of them are flagged: their titles start with [!], which the count explains.
    assert lines[-1] == f"({len(selected)} papers; [!]: a source defect)"
    assert sum("[!]" in line for line in lines[1:-1]) == sum(bool(p.flags) for p in selected)
    assert all(len(line) <= 90 for line in lines)


def test_has_code_alone_means_yes(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "list", "--has-code", "--format", "ids")
    assert out.split() == [p.id for p in fm_papers.load().query(has_code=True)]


def _searched(paper: fm_papers.Paper) -> str:
    """What search looks in, as its help says: the title, short name and aliases."""
    return " ".join((paper.title, paper.model or "", *paper.aliases)).casefold()


def test_search_matches_titles_and_models(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "search", "whole", "slide", "--format", "ids")
    catalogue = fm_papers.load()
    expected = [p.id for p in catalogue if "whole" in _searched(p) and "slide" in _searched(p)]
    assert code == 0 and expected
    listed = [p.id for p in catalogue.query(search="whole slide")]  # in the default order
    assert out.split() == listed and set(listed) == set(expected)


def test_search_matches_aliases(capsys: pytest.CaptureFixture[str]) -> None:
    catalogue = fm_papers.load()
    # A one-word alias found in no other paper's text, nor in its own title or short name.
    aliased = next(
        p
        for p in catalogue
        for alias in p.aliases[:1]
        if alias.split() == [alias]
        and alias.casefold() not in f"{p.title} {p.model}".casefold()
        and not any(alias.casefold() in _searched(q) for q in catalogue if q is not p)
    )
    code, out, _ = run(capsys, "search", aliased.aliases[0], "--format", "ids")
    assert code == 0 and out.split() == [aliased.id]


def test_kind_filter(capsys: pytest.CaptureFixture[str]) -> None:
    catalogue = fm_papers.load()
    code, out, _ = run(capsys, "list", "--kind", "benchmark,dataset", "--format", "ids")
    expected = {p.id for p in catalogue if p.kind in ("benchmark", "dataset")}
    listed = [p.id for p in catalogue.query(kind="benchmark,dataset")]  # in the default order
    assert code == 0 and out.split() == listed and set(listed) == expected
    code, _, err = run(capsys, "list", "--kind", "benchmarks")
    assert code == 2
    assert err == (
        "fm-papers list: error: --kind: unknown kind 'benchmarks'; did you mean 'benchmark'?\n"
    )


@pytest.mark.parametrize("name", ["general-purpose-foundation-2024", "UNI", "uni"])
def test_show_finds_a_paper_by_alias_or_name(capsys: pytest.CaptureFixture[str], name: str) -> None:
    code, out, _ = run(capsys, "show", name)
    assert code == 0 and out.splitlines()[0] == "uni"
    assert "  also found as  general-purpose-foundation-2024" in out.splitlines()
    assert "  kind           model" in out.splitlines()


def test_show_prints_every_part(capsys: pytest.CaptureFixture[str]) -> None:
    flagged = fm_papers.load().flagged()[0]
    code, out, _ = run(capsys, "show", flagged.id)
    assert code == 0
    assert out.splitlines()[0] == flagged.id
    assert flagged.title in out
    assert str(flagged.url) in out
    assert flagged.flags[0].kind in out
    for membership in flagged.memberships:
        assert membership.section in out


def test_show_in_another_format(capsys: pytest.CaptureFixture[str]) -> None:
    paper = next(p for p in fm_papers.load() if p.authors and p.venue_kind == "journal")
    code, out, _ = run(capsys, "show", paper.id, "--format", "bibtex")
    assert code == 0 and out.startswith(f"@article{{{paper.id},\n  author")


def test_show_unknown_id_suggests(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "show", "scgtp")
    assert code == 2 and out == ""
    assert err.startswith("fm-papers show: error: unknown paper id 'scgtp'; did you mean 'scgpt'")
    assert len(err.splitlines()) == 1


# sections / stats -------------------------------------------------------------------------


def test_sections_shows_keys_and_counts(capsys: pytest.CaptureFixture[str]) -> None:
    catalogue = fm_papers.load()
    code, out, _ = run(capsys, "sections")
    rows = {line.split()[0]: int(line.split()[1]) for line in out.splitlines()}
    assert code == 0
    assert rows["pathology"] == len(catalogue.query(domain="pathology"))
    assert rows["adaptation"] == len(catalogue.query(section="adaptation"))
    assert set(rows) == {*catalogue.taxonomy.domain_keys(), *catalogue.taxonomy.section_keys()}


def test_sections_of_one_domain(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "sections", "--domain", "sc")
    assert out.split()[0] == "single-cell"
    assert "pathology" not in out


def test_stats_counts(capsys: pytest.CaptureFixture[str]) -> None:
    catalogue = fm_papers.load()
    code, out, _ = run(capsys, "stats")
    assert code == 0
    assert out.splitlines()[0] == (
        f"{len(catalogue)} papers, {sum(1 for p in catalogue if p.authors)} with authors, "
        f"{len(catalogue.flagged())} with source flags"
    )
    assert "By venue kind" in out and "Flagged papers" in out
    by_kind = out.split("\nBy kind\n")[1].split("\n\n")[0].splitlines()
    counts = {line.split()[0]: int(line.split()[1]) for line in by_kind}
    assert counts == {
        kind: sum(1 for p in catalogue if p.kind == kind)
        for kind in {p.kind for p in catalogue if p.kind}
    }


# validate ---------------------------------------------------------------------------------


def test_validate_shipped_data(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "validate")
    assert (code, err) == (0, "")
    assert out.startswith(f"ok: {len(fm_papers.load())} papers valid")


def test_validate_overlay(capsys: pytest.CaptureFixture[str], write_yaml: WriteYaml) -> None:
    path = write_yaml(OVERLAY)
    code, out, _ = run(capsys, "validate", str(path))
    assert code == 0
    assert f"{len(fm_papers.load()) + 1} papers valid" in out


def test_validate_reports_located_problems(
    capsys: pytest.CaptureFixture[str], write_yaml: WriteYaml
) -> None:
    path = write_yaml(OVERLAY.replace("year: 2025", "year: 1066"))
    code, out, err = run(capsys, "validate", str(path))
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        f"{path}:4: entry 'my-lab-model': year: year 1066 is outside 1950..{max_year()}"
    ]


def test_extra_and_no_builtin(capsys: pytest.CaptureFixture[str], write_yaml: WriteYaml) -> None:
    with_builtin = write_yaml(OVERLAY, "overlay.yaml")
    alone = write_yaml(STANDALONE, "alone.yaml")
    _, out, _ = run(
        capsys, "list", "--extra", str(with_builtin), "--ids", "my-lab-model", "-f", "ids"
    )
    assert out == "my-lab-model\n"
    _, out, _ = run(capsys, "list", "--no-builtin", "--extra", str(alone), "--format", "ids")
    assert out == "only-paper\n"


# export / schema / import-markdown --------------------------------------------------------


def test_export_to_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "pathology.json"
    code, out, err = run(capsys, "export", "-f", "json", "--domain", "pathology", "-o", str(target))
    assert (code, out) == (0, "")
    assert err == f"wrote {target}\n"
    data = json.loads(target.read_text(encoding="utf-8"))
    assert [entry["id"] for entry in data] == [
        p.id for p in fm_papers.load().query(domain="pathology")
    ]


EXTENSIONS_NAMED = (
    ".bib (bibtex), .json (json), .csv (csv), .yaml (yaml), .yml (yaml), .ris (ris), .md (markdown)"
)


@pytest.mark.parametrize(
    ("argv", "where"),
    [
        ((), "no -o FILE"),
        (("-o", "-"), "no -o FILE"),
        (("-o", "refs.txt"), "-o 'refs.txt' names no format"),
    ],
)
def test_export_needs_a_format(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: tuple[str, ...], where: str
) -> None:
    code, out, err = run(capsys, "export", *argv)
    assert (code, out) == (2, "")
    assert err == (
        f"fm-papers export: error: --format: expected a format, {where}; valid values: "
        f"{', '.join(EXPORT_FORMATS)}, or an -o file ending in {EXTENSIONS_NAMED}\n"
    )
    assert not (tmp_path / "refs.txt").exists()


@pytest.mark.parametrize(
    ("name", "format_"),
    [
        ("refs.bib", "bibtex"),
        ("REFS.BIB", "bibtex"),
        ("papers.json", "json"),
        ("papers.csv", "csv"),
        ("papers.yaml", "yaml"),
        ("papers.yml", "yaml"),
        ("papers.ris", "ris"),
        ("README.md", "markdown"),
    ],
)
def test_export_reads_the_format_from_the_extension(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str, format_: str
) -> None:
    target = tmp_path / name
    code, _, err = run(capsys, "export", "--ids", "uni,scgpt", "-o", str(target))
    assert (code, err) == (0, f"wrote {target}\n")
    catalogue = fm_papers.load()
    expected = render(format_, catalogue.records(ids="uni,scgpt"), catalogue)
    assert target.read_bytes().decode("utf-8") == expected


def test_an_explicit_format_wins_over_the_extension(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "refs.json"
    code, _, _ = run(capsys, "export", "--ids", "uni", "--format", "csl-json", "-o", str(target))
    catalogue = fm_papers.load()
    assert code == 0
    assert target.read_text(encoding="utf-8") == render(
        "csl-json", [catalogue.record("uni")], catalogue
    )
    assert target.read_text(encoding="utf-8") != render(
        "json", [catalogue.record("uni")], catalogue
    )


def test_schema(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "schema")
    schema = json.loads(out)
    assert code == 0
    assert schema["$schema"].endswith("2020-12/schema")
    assert set(schema["properties"]) == {"papers", "domains", "venues"}


MARKDOWN = """\
# Reading list
## Pathological Component Segmentation
1. [2024 Nature Methods][**CellX**] **CellX: segmenting cells** [[paper]](https://example.org/cellx) [[code]](https://github.com/lab/cellx)
1. [2024 CVPR] a line without a bold title [[paper]](https://example.org/none)
## Our own heading
1. [2023 bioRxiv] **Something new** [[paper]](https://www.biorxiv.org/content/10.1101/2023.01.01.000001v1)
"""


def test_import_markdown(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    source = tmp_path / "list.md"
    source.write_text(MARKDOWN, encoding="utf-8")
    target = tmp_path / "overlay.yaml"
    code, _, err = run(
        capsys, "import-markdown", str(source), "--domain", "pathology", "-o", str(target)
    )
    # One line could not be read: reported with its line, and the exit status says so.
    assert code == 1
    assert f"{source}:4: no **title** after the bracket" in err.splitlines()
    catalogue = fm_papers.load(extra=[target])
    cellx = catalogue.get("cellx")
    assert (cellx.venue, cellx.year, cellx.code_urls) == (
        "Nature Methods", 2024, ("https://github.com/lab/cellx",),
    )  # fmt: skip
    assert cellx.sections == ("segmentation",)
    new = catalogue.get("something-new-2023")
    assert new.sections == ("our-own-heading",)
    assert catalogue.taxonomy.node("our-own-heading").domain == "pathology"


KNOWN = """\
# Our lab's reading list
## Papers we discussed
- [Towards a general-purpose foundation model for computational pathology](https://www.nature.com/articles/s41591-024-02857-3) - Nature Medicine 2024 [[code]](https://example.org/our-uni-notebooks)
- [scGPT, as our journal club wrote it](https://www.nature.com/articles/s41592-024-02201-0) (Nature Methods, 2024)
- [A paper of our own](https://example.org/ours) - bioRxiv 2026
- [Back to top](#our-labs-reading-list)
"""


def test_import_markdown_extends_papers_the_catalogue_has(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    source = tmp_path / "reading.md"
    source.write_text(KNOWN, encoding="utf-8")
    target = tmp_path / "reading.yaml"
    code, _, err = run(capsys, "import-markdown", str(source), "--domain", "lab", "-o", str(target))
    assert code == 0, err
    assert err.splitlines() == [
        f"wrote {target}",
        f"skipped {source}:6: not a paper: a link within the page",
        (
            "3 entries read: 1 new, 2 extending papers of the catalogue, 0 already there as "
            "listed; 1 line skipped, 0 problems"
        ),
    ]
    text = target.read_text(encoding="utf-8")
    assert "  - id: uni\n    extend: true\n" in text
    assert "  - id: scgpt\n    extend: true\n" in text
    catalogue = fm_papers.load(extra=[target])
    uni = catalogue.get("uni")
    assert uni.sections == (*fm_papers.load().get("uni").sections, "papers-we-discussed")
    assert "https://example.org/our-uni-notebooks" in uni.code_urls
    assert catalogue.get("paper-our-own-2026").sections == ("papers-we-discussed",)
    assert len(catalogue) == len(fm_papers.load()) + 1


def test_import_markdown_locates_a_link_it_cannot_read(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    source = tmp_path / "reading.md"
    source.write_text("## Reading\n\n- **Bad link** [[paper]](http://[bad/x)\n", "utf-8")
    code, out, err = run(capsys, "import-markdown", str(source), "--domain", "lab")
    assert code == 1
    assert f"{source}:3: entry 'bad-link': links.0.url: " in err
    assert "Traceback" not in err + out


def test_import_markdown_unreadable_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, "import-markdown", str(tmp_path / "missing.md"))
    assert code == 1
    assert err == f"{tmp_path / 'missing.md'}: cannot read: No such file or directory\n"


# fmt --------------------------------------------------------------------------------------

MESSY = """\
# Our reading list.
# Second header line.

papers:
- memberships: [{section: segmentation, domain: pathology}]
  links: [{url: "https://example.org/x", kind: paper}]
  title: "  A paper  "
  id: a-paper
  year: "2024"
"""


def test_fmt_check_then_format(capsys: pytest.CaptureFixture[str], write_yaml: WriteYaml) -> None:
    path = write_yaml(MESSY)
    code, _, err = run(capsys, "fmt", "--check", str(path))
    assert code == 1
    assert f"would reformat {path}" in err
    assert path.read_text(encoding="utf-8") == MESSY
    code, _, err = run(capsys, "fmt", str(path))
    assert code == 0 and f"reformatted {path}" in err
    text = path.read_text(encoding="utf-8")
    assert text.startswith(
        "# Our reading list.\n# Second header line.\n\npapers:\n  - id: a-paper\n"
    )
    assert "    title: A paper\n    year: 2024\n" in text
    assert "      - kind: paper\n        url: https://example.org/x\n" in text
    assert run(capsys, "fmt", "--check", str(path))[0] == 0
    assert fm_papers.load(extra=[path]).get("a-paper").title == "A paper"


def test_fmt_refuses_invalid_files(
    capsys: pytest.CaptureFixture[str], write_yaml: WriteYaml
) -> None:
    broken = MESSY.replace("https://example.org/x", "ftp://example.org/x")
    path = write_yaml(broken)
    code, _, err = run(capsys, "fmt", str(path))
    assert code == 1
    assert err.startswith(f"{path}:")
    assert "entry 'a-paper': links.0.url:" in err
    assert path.read_text(encoding="utf-8") == broken


def test_shipped_data_is_canonical(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "fmt", "--check", str(PAPERS_YAML))
    assert code == 0
    assert "0 file(s) to reformat, 1 already canonical" in err


# bad usage --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["list", "--domian", "pathology"], "unknown option '--domian'; did you mean '--domain'?"),
        (["list", "--year", "20x4"], "--year: cannot read year '20x4'"),
        (["list", "--section", "segmentaton"], "did you mean 'segmentation'?"),
        (["list", "--venue-kind", "jurnal"], "did you mean 'journal'?"),
        (["list", "--sort", "yeer"], "did you mean 'year'?"),
        (["list", "--limit", "0"], "--limit: expected a positive whole number"),
        (["list", "--format", "jsn"], "unknown value 'jsn'; did you mean 'json'?"),
        (["lst"], "unknown command 'lst'; did you mean 'list'?"),
        (["sections", "--domain", "pathlogy"], "did you mean 'pathology'?"),
        (["import-markdown", "x.md", "--domain", "Not A Key"], "lowercase slug"),
    ],
)
def test_bad_usage_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, "")
    assert len(err.splitlines()) == 1
    assert err.startswith("fm-papers")
    assert message in err


def test_version_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--version")
    assert (code, out) == (0, f"fm-papers {fm_papers.__version__}\n")
    for command in ("list", "show", "search", "sections", "stats", "validate", "export",
                    "import-markdown", "schema", "fmt"):  # fmt: skip
        code, out, _ = run(capsys, command, "--help")
        assert code == 0
        assert f"fm-papers {command}" in out.split("examples:")[1]


# the real console script --------------------------------------------------------------------


def _both(*argv: str) -> list[subprocess.CompletedProcess[str]]:
    """Run the installed script and ``python -m fm_papers`` with the same arguments."""
    commands = [["fm-papers", *argv], [sys.executable, "-m", "fm_papers", *argv]]
    return [
        subprocess.run(command, capture_output=True, text=True, encoding="utf-8", check=False)
        for command in commands
    ]


@pytest.mark.parametrize(
    "argv",
    [
        ["list", "--domain", "pathology", "--format", "ids"],
        ["export", "--format", "bibtex", "--section", "segmentation"],
        ["show", "scgpt"],
        ["validate"],
    ],
)
def test_script_and_module_agree(argv: list[str]) -> None:
    script, module = _both(*argv)
    assert script.returncode == module.returncode == 0
    assert script.stdout == module.stdout != ""
    assert script.stderr == module.stderr == ""


@pytest.mark.parametrize(
    ("argv", "status"),
    [
        (["list", "--year", "next year"], 2),
        (["list", "--bogus"], 2),
        (["show", "no-such-paper"], 2),
        (["validate", "/nonexistent/overlay.yaml"], 1),
    ],
)
def test_script_errors_are_one_line(argv: list[str], status: int) -> None:
    script, module = _both(*argv)
    assert script.returncode == module.returncode == status
    assert script.stderr == module.stderr
    assert len(script.stderr.splitlines()) == 1
    assert "Traceback" not in script.stderr


def test_ascii_terminal_gets_escapes_not_a_traceback() -> None:
    table = subprocess.run(
        ["fm-papers", "show", "visual-language-foundation-2023"],
        capture_output=True,
        env={**os.environ, "PYTHONIOENCODING": "ascii"},
        check=False,
    )
    assert (table.returncode, table.stderr) == (0, b"")
    assert b"visual\\u2013language" in table.stdout


def test_cli_never_imports_sphinx() -> None:
    code = (
        "import sys; from fm_papers.cli import main; "
        "status = main(['list', '--domain', 'pathology', '--format', 'ids']); "
        "loaded = [m for m in sys.modules if m.split('.')[0] in ('sphinx', 'docutils')]; "
        "print('LOADED', loaded, file=sys.stderr); sys.exit(status)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0
    assert done.stderr.strip() == "LOADED []"


def test_broken_pipe_is_quiet() -> None:
    # The reading end is closed before the command starts, as when `head` has already exited,
    # so the first write fails with EPIPE.
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run(
            ["fm-papers", "list", "--domain", "pathology"],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    finally:
        os.close(write_end)
    assert done.stderr == ""
    assert done.returncode == 141


@pytest.mark.parametrize("unbuffered", ["", "1"])
def test_a_reader_that_leaves_mid_write_is_a_broken_pipe(unbuffered: str) -> None:
    """``fm-papers export --format json | head -c 100``: the reader takes part of a long
    write and leaves; the command says so (141), buffered or not (PYTHONUNBUFFERED)."""
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    if unbuffered:
        environment["PYTHONUNBUFFERED"] = unbuffered
    # Longer than a pipe holds, so that the command is still writing when the reader leaves.
    command = "fm-papers export --format json | head -c 100 > /dev/null; exit ${PIPESTATUS[0]}"
    done = subprocess.run(
        ["bash", "-c", command], env=environment, capture_output=True, text=True, check=False
    )
    assert (done.returncode, done.stderr) == (141, "")


def test_broken_pipe_in_process(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    class Closed(io.StringIO):
        def write(self, text: str) -> int:
            raise BrokenPipeError(32, "Broken pipe")

    with capsys.disabled():
        monkeypatch.setattr(sys, "stdout", Closed())
        assert main(["list", "--format", "ids"]) == 141


def test_fmt_checks_a_copy_of_the_shipped_data_on_its_own(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # A copy of the shipped files (a checkout beside a normal install) is a catalogue of its
    # own with --no-builtin; on top of the shipped data its ids would clash with them.
    data = tmp_path / "fm_papers" / "data"
    shutil.copytree(PAPERS_YAML.parent, data)
    papers = str(data / "papers.yaml")
    context = ["--extra", str(data / "taxonomy.yaml"), "--extra", str(data / "venues.yaml")]
    code, _, err = run(capsys, "fmt", "--check", "--no-builtin", *context, papers)
    assert (code, err.strip()) == (0, "0 file(s) to reformat, 1 already canonical")
    code, _, err = run(capsys, "fmt", "--check", papers)
    assert code == 1
    first = fm_papers.load().ids()[0]
    assert re.match(rf"{re.escape(papers)}:\d+: entry '{first}': id: duplicate id", err), err
    (data / "papers.yaml").write_text("papers: [{id: x}]\n", encoding="utf-8")
    code, _, err = run(capsys, "fmt", "--check", "--no-builtin", *context, papers)
    assert code == 1
    assert err.startswith(f"{papers}:1: entry 'x': title: required field is missing")


def test_fmt_checks_the_shipped_files_as_the_shipped_data(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Named by their installed path (a checkout, in an editable install), the shipped files
    # are not overlays on top of themselves.
    code, _, err = run(capsys, "fmt", "--check", str(PAPERS_YAML))
    assert (code, err.strip()) == (0, "0 file(s) to reformat, 1 already canonical")


def test_validate_needs_something_to_validate(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "validate", "--no-builtin")
    assert (code, out) == (2, "")
    assert err == (
        "fm-papers validate: error: nothing to validate: name overlay files, or leave out "
        "--no-builtin to check the shipped data\n"
    )
