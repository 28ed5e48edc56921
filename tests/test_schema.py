"""The JSON Schema that editors read (``fm-papers schema``, published with the manual)."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest
import yaml

from fm_papers.schema import SCHEMA_URL, data_file_schema

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = data_file_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_the_schema_names_the_address_it_is_published_at() -> None:
    assert data_file_schema()["$id"] == SCHEMA_URL
    assert SCHEMA_URL.startswith("https://") and SCHEMA_URL.endswith(".schema.json")


def test_every_overlay_of_the_manual_satisfies_it(
    validator: jsonschema.Draft202012Validator,
) -> None:
    # messy.yaml is the fmt example's deliberately untidy input: the loader reads its year
    # written as a string, which the schema (of the canonical form) flags, as an editor should;
    # hand-written.yaml the overlays page's example of mistakes (see the next test).
    mistaken = ("messy.yaml", "hand-written.yaml")
    overlays = sorted(p for p in (REPO / "example_docs").rglob("*.yaml") if p.name not in mistaken)
    assert overlays
    for path in overlays:
        errors = list(validator.iter_errors(yaml.safe_load(path.read_text(encoding="utf-8"))))
        assert errors == [], path


@pytest.mark.parametrize(
    ("entry", "wrong"),
    [
        ({"id": "x-2025", "title": "T", "links": [], "memberships": [], "yaer": 2025}, "yaer"),
        ({"id": "x-2025", "links": [], "memberships": []}, "title"),
        ({"id": "x-2025", "title": "T", "links": [{"kind": "paper"}], "memberships": []}, "url"),
    ],
)
def test_an_editor_flags_what_the_loader_refuses(
    validator: jsonschema.Draft202012Validator, entry: dict[str, object], wrong: str
) -> None:
    def messages(errors: list[jsonschema.ValidationError]) -> list[str]:
        # An entry is one of two shapes (anyOf): what each shape finds wrong is in the context.
        return [m for e in errors for m in [e.message, *messages(list(e.context or []))]]

    found = messages(list(validator.iter_errors({"papers": [entry]})))
    assert any(wrong in message for message in found), found


def test_an_editor_flags_the_mistakes_of_the_manuals_example(
    validator: jsonschema.Draft202012Validator,
) -> None:
    path = REPO / "example_docs" / "cli-examples" / "hand-written.yaml"
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))["papers"]
    flagged = [bool(list(validator.iter_errors({"papers": [entry]}))) for entry in entries]
    # The kind misspelt, and a year in an extension; a section or an id is the loader's to
    # check against the catalogue.
    assert flagged == [True, False, True]


def test_the_manual_shows_the_editor_line_with_the_published_address() -> None:
    page = (REPO / "example_docs" / "integrations.rst").read_text(encoding="utf-8")
    assert f"# yaml-language-server: $schema={SCHEMA_URL}" in page
