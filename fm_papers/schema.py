"""The JSON Schema of data files, generated from the models so it cannot drift from them."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from .models import Domain, OverlayPaper, PaperExtension, Venue

__all__ = ["data_file_schema"]


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
    schema["title"] = "fm-papers data file"
    return schema
