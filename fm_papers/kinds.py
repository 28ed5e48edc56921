"""The closed vocabularies of the data: kinds of paper and of venue, and the shape of a key.

Declared once, here, without pydantic: the models type their fields with these ``Literal``
types, and the query grammar (which the command line imports to build its flags) reads the
same values without importing the models.
"""

from __future__ import annotations

from typing import Literal, get_args

__all__ = ["KEY", "PAPER_KINDS", "VENUE_KINDS", "PaperKind", "VenueKind"]

#: An id, or a domain's or section's key: a lowercase slug (a pattern to match in full).
KEY = r"[a-z0-9][a-z0-9-]*"

VenueKind = Literal["journal", "conference", "workshop", "preprint", "other"]
#: Every venue kind, in the order tables and groups list them.
VENUE_KINDS: tuple[str, ...] = get_args(VenueKind)

PaperKind = Literal["model", "benchmark", "dataset", "survey", "application", "other"]
#: Every kind of paper, with what it means (the manual's table reads this).
PAPER_KINDS: dict[str, str] = {
    "model": "presents a model: a foundation model, a pretrained model or an assistant built on one",
    "benchmark": "benchmarks, evaluates or assesses models, or a framework for doing so",
    "dataset": "presents a dataset, such as image-text pairs for training",
    "survey": "a survey, review, overview or perspective",
    "application": "adapts or applies foundation models to one task",
    "other": "none of the above",
}
assert tuple(PAPER_KINDS) == get_args(PaperKind), "every paper kind needs a description"
