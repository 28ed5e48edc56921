"""The built form: the shipped YAML's JSON copies, and a whole catalogue as one JSON document.

JSON parses an order of magnitude faster than YAML and needs no YAML parser: the shipped data
is read from the JSON copies of its files (:func:`read_sidecar`), which the curation build
writes beside them (:func:`sidecar_text`), and the Sphinx extension keeps a catalogue with
overlays in its built form (:func:`built_text`), read back without validating it again
(:func:`from_built_text`). Records are made from the built form by
:meth:`Record.from_data <fm_papers.records.Record.from_data>`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from .bulk import gc_paused
from .datafile import DataFile, builtin_files, data_file
from .records import DomainRecord, PaperLike, PaperRecord, Record, VenueRecord, built_data

if TYPE_CHECKING:
    from .catalogue import Catalogue

__all__ = ["built_text", "from_built_text", "read_sidecar", "sidecar_path", "sidecar_text"]


def sidecar_path(path: Path) -> Path:
    """Where the JSON copy of a shipped YAML file lives (``papers.yaml`` → ``papers.json``)."""
    return path.with_suffix(".json")


def sidecar_text(data: bytes) -> str:
    """The JSON copy of a shipped YAML file: its parsed document and the YAML's digest.

    One value per line, so that a change to the data is a readable diff of the fields that
    changed, and two changes to different papers touch different lines.
    """
    import yaml

    from .yamlsafe import Loader

    document = yaml.load(data.decode("utf-8"), Loader=Loader)  # noqa: S506 - a safe loader
    digest = hashlib.blake2b(data, digest_size=16).hexdigest()
    copy = {"yaml": digest, "document": document}
    return json.dumps(copy, ensure_ascii=False, indent=1) + "\n"


def read_sidecar(path: Path, data: bytes, digest: bytes) -> DataFile | None:
    """A shipped file parsed from its JSON copy, if the copy was made from these exact bytes.

    JSON parses an order of magnitude faster than YAML; the YAML stays the data people edit
    and the copy is used only while its recorded digest matches, so it can never be stale.
    """
    if path not in builtin_files():
        return None
    try:
        copy = json.loads(sidecar_path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(copy, dict) or copy.get("yaml") != digest.hex():
        return None
    return data_file(path, data.decode("utf-8"), copy.get("document"))


def built_text(catalogue: Catalogue) -> str:
    """The merged catalogue in its built form, one JSON document: what :func:`from_built_text`
    reads back without validating, as the shipped data is read.

    The Sphinx extension keeps this for a catalogue with overlays, so that a build whose data
    files did not change never validates them again.
    """
    with gc_paused():
        head = json.dumps(
            {
                "domains": built_data(catalogue.taxonomy.domains),
                "venues": built_data(catalogue.venues.venues),
            },
            ensure_ascii=False,
        )
        papers = ",".join(map(_paper_json, catalogue.records()))
    return f'{head[:-1]}, "papers": [{papers}]}}'


def _paper_json(paper: PaperLike) -> str:
    """A paper's built form as JSON: a model's written by pydantic's own serializer (an
    overlay's thousands of papers, written fast), a record's through :func:`built_data`."""
    if isinstance(paper, Record):
        return json.dumps(built_data(paper), ensure_ascii=False)
    return paper.model_dump_json(exclude_defaults=True)


def from_built_text(text: str, files: Iterable[Path] = ()) -> Catalogue | None:
    """The catalogue :func:`built_text` wrote, or ``None`` for text that is not one (a file
    cut short, say): the caller then loads the data files again.

    :param files: the data files the catalogue was made from, for :attr:`Catalogue.files`.
    """
    from .catalogue import Catalogue
    from .taxonomy import Taxonomy
    from .venues import VenueTable

    try:
        document = json.loads(text)
        return Catalogue(
            map(PaperRecord.from_data, document["papers"]),
            Taxonomy(map(DomainRecord.from_data, document["domains"])),
            VenueTable(map(VenueRecord.from_data, document["venues"])),
            files,
        )
    except (ValueError, TypeError, KeyError, AttributeError):
        return None
