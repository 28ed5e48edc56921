"""The JSON Schema of data files, generated from the models so it cannot drift from them."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from .models import Domain, OverlayPaper, PaperExtension, Venue
from .safety import FIELD_TEXT

#: :data:`~fm_papers.safety.FIELD_TEXT` with line ends allowed (a block scalar's).
LINES_TEXT = FIELD_TEXT.replace("\x00-\x1f", "\x00-\x09\x0b\x0c\x0e-\x1f", 1)

__all__ = ["SCHEMA_URL", "data_file_schema", "schema_text"]

#: Where the manual publishes the schema of the current release: the address for an editor's
#: ``# yaml-language-server: $schema=`` line and the schema's ``$id``.
SCHEMA_URL = "https://fm-papers.readthedocs.io/en/stable/fm-papers.schema.json"


class _DataFile(BaseModel):
    """A fm-papers data file: shipped data or a user's overlay."""

    papers: list[OverlayPaper | PaperExtension] = Field(
        default=[], description="Entries; `extend: true` adds to an entry defined earlier."
    )
    domains: list[Domain] = Field(default=[], description="Domains and sections to add.")
    venues: list[Venue] = Field(default=[], description="Venues to add to the venue table.")


def data_file_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) a data file must satisfy, for editors and CI.

    It takes what the loader takes: a list written as its one item, a link as its URL, an
    author as one text, text on several lines (a YAML block scalar).
    """
    schema = _DataFile.model_json_schema()
    definitions = schema["$defs"]
    for definition in definitions.values():
        for name, field in definition.get("properties", {}).items():
            one_line = name in ("url", "also")  # an address has no line end to fold
            definition["properties"][name] = _one_or_many(field if one_line else _lines(field))
    for name, form, pattern in (
        ("Link", "its URL alone", FIELD_TEXT),
        ("Author", "a person as 'Family, Given'", LINES_TEXT),
    ):
        model = definitions[name]
        text = {"type": "string", "pattern": pattern, "description": form}
        definitions[name] = {"anyOf": [model, text], "description": model.get("description")}
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SCHEMA_URL
    schema["title"] = "fm-papers data file"
    return schema


def _lines(field: dict[str, Any]) -> dict[str, Any]:
    """A field of one line of text, taking line ends too (they are read as spaces)."""
    if field.get("pattern") == FIELD_TEXT:
        return {**field, "pattern": LINES_TEXT}
    if "items" in field:
        return {**field, "items": _lines(field["items"])}
    if "anyOf" in field:
        return {**field, "anyOf": [_lines(option) for option in field["anyOf"]]}
    return field


def _one_or_many(field: dict[str, Any]) -> dict[str, Any]:
    """A list field that takes its one item too."""
    if field.get("type") != "array" or "items" not in field:
        return field
    keep: dict[str, Any] = {
        key: field.pop(key) for key in ("title", "description", "default") if key in field
    }
    return {"anyOf": [field["items"], field], **keep}


def schema_text() -> str:
    """:func:`data_file_schema` as the file ``fm-papers schema`` writes and the manual publishes."""
    import json

    return json.dumps(data_file_schema(), indent=2, ensure_ascii=False) + "\n"
