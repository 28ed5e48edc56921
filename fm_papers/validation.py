"""Validating untrusted entries, with pydantic's errors in plain words located in their file.

:func:`validate` checks one entry against a model; :func:`plain_errors` rewords each error;
:func:`validation_problems` places them at the entry's line as
:class:`~fm_papers.errors.DataProblem`. Only untrusted data (overlays, and the shipped data
when it is verified) comes here: reading the shipped data imports neither this nor pydantic.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .datafile import DataFile
from .errors import DataProblem
from .safety import check_text

__all__ = ["plain_errors", "validate", "validation_problems"]

_M = TypeVar("_M", bound=BaseModel)


#: Plainer words for pydantic's messages, by error type.
_MESSAGES = {
    "missing": "required field is missing",
    "extra_forbidden": "unknown field",
    "string_pattern_mismatch": "must be a lowercase slug: letters a-z, digits and '-'",
    "too_short": "needs at least one item",
}


def plain_errors(error: ValidationError) -> list[tuple[list[str | int], str]]:
    """``(location, message)`` per validation error, in plain words.

    A list whose items failed is also reported as too short by pydantic; that second
    message says nothing new, so it is dropped.
    """
    details = error.errors(include_url=False)
    failed_inside = {tuple(d["loc"][:1]) for d in details if len(d["loc"]) > 1}
    found: list[tuple[list[str | int], str]] = []
    for detail in details:
        loc = [part for part in detail["loc"] if not isinstance(part, str) or "[" not in part]
        if detail["type"] == "too_short" and tuple(loc[:1]) in failed_inside:
            continue
        message = _MESSAGES.get(detail["type"], str(detail["msg"]).removeprefix("Value error, "))
        forbidden = _forbidden(detail)
        if forbidden is not None:
            message = forbidden
        elif detail["type"] == "string_pattern_mismatch" and loc[:1] in (["doi"], ["arxiv"]):
            message = str(detail["msg"])
        elif detail["type"] == "string_pattern_mismatch" and loc[:1] == ["aliases"]:
            message = (
                "an alias starts with a letter or digit and holds only letters, digits, "
                "spaces and . + - _"
            )
        found.append((loc, message))
    return found


def _forbidden(detail: Any) -> str | None:
    """What :func:`~fm_papers.safety.check_text` says of a text that failed its pattern
    because it holds a forbidden character (the models check the pattern, not the function)."""
    value = detail.get("input")
    if detail["type"] != "string_pattern_mismatch" or not isinstance(value, str):
        return None
    try:
        check_text(value)
    except ValueError as error:
        return str(error)
    return None


def validation_problems(
    error: ValidationError, file: DataFile, top: str, index: int, entry: str | None
) -> list[DataProblem]:
    """One located problem per validation error (see :func:`plain_errors`)."""
    return [
        file.problem(message, top, index, *loc, entry=entry) for loc, message in plain_errors(error)
    ]


def validate(
    model: type[_M], raw: Any, file: DataFile, top: str, index: int, entry: str
) -> tuple[_M | None, list[DataProblem]]:
    """``raw`` validated as ``model``, or ``None`` and the located problems."""
    try:
        return model.model_validate(raw), []
    except ValidationError as error:
        return None, validation_problems(error, file, top, index, entry)
