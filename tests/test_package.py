"""Packaging promises: what importing costs, the version, the schema, the canonical form."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from importlib.metadata import version
from pathlib import Path

import pytest
import yaml

import fm_papers
from fm_papers.canonical import dump_data
from fm_papers.datafile import builtin_files
from fm_papers.schema import data_file_schema

REPO = Path(__file__).resolve().parent.parent


def test_the_core_never_imports_sphinx_or_docutils() -> None:
    code = (
        "import sys, fm_papers; c = fm_papers.load(); c.query(domain='pathology'); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sphinx', 'docutils')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_only_enrich_reaches_for_the_network() -> None:
    """Loading, querying, exporting and the commands that do so never import an HTTP client:
    only ``fm-papers enrich`` (:mod:`fm_papers.curation.metadata`) does."""
    code = (
        "import sys, fm_papers; from fm_papers.cli import main; c = fm_papers.load(); "
        "c.query(domain='pathology'); fm_papers.formats.render('bibtex', c.records(), c); "
        "main(['list', '--format', 'ids']); main(['show', c.ids()[0]]); "
        "print(sorted(m for m in ('urllib.request', 'http.client') if m in sys.modules), "
        "file=sys.stderr)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stderr.strip() == "[]"


def test_version_is_in_one_place() -> None:
    assert fm_papers.__version__ == version("fm-papers")


def test_public_names() -> None:
    assert set(fm_papers.__all__) == {
        "Catalogue", "DataError", "FmPapersError", "Paper", "Papers", "Query", "QueryError",
        "UnknownPaperError", "__version__", "load",
    }  # fmt: skip


def test_model_dump_is_plain_data() -> None:
    data = fm_papers.load().get("scgpt").model_dump(mode="json")
    assert json.loads(json.dumps(data)) == data
    assert data["memberships"] == [{"domain": "single-cell", "section": "fm"}]
    assert data["links"][0] == {
        "kind": "paper",
        "url": "https://www.nature.com/articles/s41592-024-02201-0",
    }


def test_the_schema_describes_data_files() -> None:
    schema = data_file_schema()
    assert schema["$schema"].endswith("2020-12/schema")
    assert set(schema["properties"]) == {"papers", "domains", "venues"}
    paper = schema["$defs"]["OverlayPaper"]
    assert {"id", "title", "memberships"} <= set(paper["required"])
    assert paper["additionalProperties"] is False
    json.dumps(schema)


def test_the_shipped_data_is_in_canonical_form() -> None:
    papers_file = builtin_files()[2]
    text = papers_file.read_text(encoding="utf-8")
    header = "\n".join(line for line in text.splitlines() if line.startswith("#"))
    assert dump_data(fm_papers.load(), header=header) == text


def test_canonical_form_reads_back_to_the_same_records(tmp_path: Path) -> None:
    catalogue = fm_papers.load()
    path = tmp_path / "copy.yaml"
    path.write_text(dump_data(catalogue.papers[:20]), encoding="utf-8")
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    again = [fm_papers.Paper.model_validate(entry) for entry in document["papers"]]
    assert tuple(again) == catalogue.papers[:20]


def test_the_grammar_spells_out_the_venue_kinds() -> None:
    from typing import get_args

    from fm_papers.models import VenueKind
    from fm_papers.query import VENUE_KINDS

    assert get_args(VenueKind) == VENUE_KINDS


def test_importing_the_package_or_the_cli_does_not_import_pydantic() -> None:
    code = "import sys, fm_papers, fm_papers.cli; print('pydantic' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize("number", range(3), ids=["taxonomy", "venues", "papers"])
def test_the_json_copy_of_each_shipped_file_is_current_and_used(number: int) -> None:
    from fm_papers.built import read_sidecar, sidecar_path
    from fm_papers.datafile import read_data_file

    shipped = builtin_files()[number]
    data = shipped.read_bytes()
    digest = __import__("hashlib").blake2b(data, digest_size=16).digest()
    copy = read_sidecar(shipped, data, digest)
    assert copy is not None
    parsed = read_data_file(shipped)
    assert (copy.papers, copy.domains, copy.venues) == (
        parsed.papers,
        parsed.domains,
        parsed.venues,
    )
    assert json.loads(sidecar_path(shipped).read_text("utf-8"))["yaml"] == digest.hex()
    # A copy made from other bytes is never used.
    other = data + b"\n"
    other_digest = __import__("hashlib").blake2b(other, digest_size=16).digest()
    assert read_sidecar(shipped, other, other_digest) is None


def test_trusted_shipped_entries_equal_validated_ones(fresh_cache: None) -> None:
    trusted = fm_papers.load()
    verified = fm_papers.load(verify=True)
    assert trusted is not verified
    assert trusted.papers == verified.papers
    assert [p.model_dump() for p in trusted] == [p.model_dump() for p in verified]


def test_trusted_taxonomy_and_venues_equal_validated_ones(fresh_cache: None) -> None:
    from fm_papers.models import Domain

    trusted, verified = fm_papers.load(), fm_papers.load(verify=True)
    assert [Domain.from_record(d) for d in trusted.taxonomy.domains] == list(
        verified.taxonomy.domains
    )
    assert [(v.name, v.kind, v.aliases) for v in trusted.venues.venues] == [
        (v.name, v.kind, v.aliases) for v in verified.venues.venues
    ]


def test_the_support_range_is_stated_as_ci_tests_it() -> None:
    """Classifiers name only the Python CI runs (the floor of requires-python), and the
    README's support sentence names each lower bound that ``nox -s compat`` installs."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pythons = [
        c.rsplit(" :: ", 1)[1]
        for c in project["classifiers"]
        if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c)
    ]
    assert pythons == [project["requires-python"].removeprefix(">=")]
    readme = " ".join((REPO / "README.md").read_text(encoding="utf-8").split())
    (sentence,) = re.findall(r"Supported and tested in CI: (.*?)\. ", readme)
    assert sentence.startswith(f"Python {pythons[0]};")
    names = {"sphinx": "Sphinx", "docutils": "docutils", "sphinx-design": "sphinx-design",
             "pydantic": "pydantic", "pyyaml": "PyYAML"}  # fmt: skip
    for requirement in [*project["dependencies"], *project["optional-dependencies"]["sphinx"]]:
        name, bound = requirement.split(">=")
        assert f"{names[name]} {bound.removesuffix('.0')}" in sentence, requirement


@pytest.mark.parametrize("page", ["README.md", "example_docs/quickstart.rst"])
def test_the_install_routes_name_the_wheel_the_build_makes(page: str) -> None:
    text = (REPO / page).read_text(encoding="utf-8")
    assert f'"dist/fm_papers-{fm_papers.__version__}-py3-none-any.whl[sphinx]"' in text
    assert 'python -m pip install ".[sphinx]"' in text
