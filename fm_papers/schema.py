"""The JSON Schema of data files, generated from the models so it cannot drift from them."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from .models import Domain, OverlayPaper, PaperExtension, Venue

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
    """The JSON Schema (draft 2020-12) a data file must satisfy, for editors and CI."""
    schema = _DataFile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SCHEMA_URL
    schema["title"] = "fm-papers data file"
    return schema


def schema_text() -> str:
    """:func:`data_file_schema` as the file ``fm-papers schema`` writes and the manual publishes."""
    import json

    return json.dumps(data_file_schema(), indent=2, ensure_ascii=False) + "\n"
