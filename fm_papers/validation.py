"""Validating untrusted entries, with every problem said in the project's own words and
located in its file.

:func:`validate` checks one entry against a model; :func:`plain_errors` words each error the
validator found, naming the fix (the values a closed vocabulary takes and the nearest one, the
fields an entry may have, what ``extend:`` may change); :func:`validation_problems` places
them at the entry's line as :class:`~fm_papers.errors.DataProblem`. No message carries the
validator's own wording. Only untrusted data (overlays, and the shipped data when it is
verified) comes here: reading the shipped data imports neither this nor pydantic.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .datafile import DataFile
from .errors import DataProblem, hint, suggestion
from .safety import check_text

__all__ = ["plain_errors", "validate", "validation_problems"]

_M = TypeVar("_M", bound=BaseModel)
_Location = list[str | int]
_Detail = dict[str, Any]


def plain_errors(
    error: ValidationError, model: type[BaseModel] | None = None
) -> list[tuple[_Location, str]]:
    """``(location, message)`` per validation error of ``model``, in the project's words.

    A list whose items failed is also reported as too short by the validator; that second
    message says nothing new, so it is dropped.
    """
    details = error.errors(include_url=False)
    failed_inside = {tuple(d["loc"][:1]) for d in details if len(d["loc"]) > 1}
    found: list[tuple[_Location, str]] = []
    for detail in details:
        loc: _Location = [
            part for part in detail["loc"] if not isinstance(part, str) or "[" not in part
        ]
        if detail["type"] == "too_short" and tuple(loc[:1]) in failed_inside:
            continue
        found.append((loc, _message(dict(detail), loc, model)))
    return found


def validation_problems(
    error: ValidationError,
    file: DataFile,
    top: str,
    index: int,
    entry: str | None,
    model: type[BaseModel] | None = None,
) -> list[DataProblem]:
    """One located problem per validation error (see :func:`plain_errors`)."""
    return [
        file.problem(message, top, index, *loc, entry=entry)
        for loc, message in plain_errors(error, model)
    ]


def validate(
    model: type[_M], raw: Any, file: DataFile, top: str, index: int, entry: str
) -> tuple[_M | None, list[DataProblem]]:
    """``raw`` validated as ``model``, or ``None`` and the located problems."""
    try:
        return model.model_validate(raw), []
    except ValidationError as error:
        return None, validation_problems(error, file, top, index, entry, model)


# The messages -------------------------------------------------------------------------------


def _message(detail: _Detail, loc: _Location, model: type[BaseModel] | None) -> str:
    """What is wrong at ``loc``, and how to put it right."""
    kind = detail["type"]
    value = detail.get("input")
    where = _model_at(model, loc[:-1]) if model is not None else None
    name = loc[-1] if loc else None
    if kind in _WORDS:
        return _WORDS[kind](detail, value)
    if kind == "missing":
        return "required field is missing" + _described(where, name)
    if kind == "extra_forbidden":
        return _unknown_field(where, str(name))
    if kind == "literal_error":
        return _not_one_of(value, _expected(detail), str(name))
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        fields = ", ".join(_fields_at(model, loc))
        listed = f" ({fields})" if fields else ""
        return f"expected a mapping of fields{listed}, got {_kind_of(value)}"
    if kind == "string_pattern_mismatch":
        return _pattern(detail, value, str(name))
    if kind in ("too_short", "string_too_short"):
        return "must not be empty" if isinstance(value, str) else "needs at least one item"
    if kind in ("too_long", "string_too_long"):
        most = (detail.get("ctx") or {}).get("max_length")
        unit = "characters" if isinstance(value, str) else "items"
        return f"may hold at most {most} {unit}"
    return f"cannot take {_kind_of(value)} here"


def _kind_of(value: object) -> str:
    """A value's kind as messages name it."""
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return f"the number {value!r}"
    if isinstance(value, str):
        return f"the text {_short(value)!r}"
    names: dict[type, str] = {dict: "a mapping", list: "a list", tuple: "a list"}
    return names.get(type(value), "a value of another kind")


def _short(text: str, most: int = 40) -> str:
    return text if len(text) <= most else text[:most] + "…"


def _text(detail: _Detail, value: object) -> str:
    hint = f"; quote it to keep it as written: '{value}'" if isinstance(value, int | float) else ""
    return f"expected text, got {_kind_of(value)}{hint}"


def _whole(detail: _Detail, value: object) -> str:
    return f"expected a whole number (a year is written 2024), got {_kind_of(value)}"


def _ours(detail: _Detail, value: object) -> str:
    # The models' own checks raise ValueError with a message written for users.
    message = str((detail.get("ctx") or {}).get("error") or detail["msg"])
    return message.removeprefix("Value error, ").removeprefix("Assertion failed, ")


def _bound(detail: _Detail, value: object) -> str:
    ctx = detail.get("ctx") or {}
    words = {"ge": "at least", "gt": "more than", "le": "at most", "lt": "less than"}
    for key, word in words.items():
        if key in ctx:
            return f"must be {word} {ctx[key]}, got {_kind_of(value)}"
    return f"is out of range: {_kind_of(value)}"


_WORDS: dict[str, Callable[[_Detail, object], str]] = {
    "string_type": _text,
    "int_type": _whole,
    "int_parsing": _whole,
    "int_from_float": _whole,
    "float_type": _whole,
    "bool_type": lambda d, v: f"must be true or false, got {_kind_of(v)}",
    "bool_parsing": lambda d, v: f"must be true or false, got {_kind_of(v)}",
    "tuple_type": lambda d, v: f"expected a list, got {_kind_of(v)}",
    "list_type": lambda d, v: f"expected a list, got {_kind_of(v)}",
    "iterable_type": lambda d, v: f"expected a list, got {_kind_of(v)}",
    "value_error": _ours,
    "assertion_error": _ours,
    "greater_than_equal": _bound,
    "greater_than": _bound,
    "less_than_equal": _bound,
    "less_than": _bound,
}


def _expected(detail: _Detail) -> list[str]:
    """The values a closed vocabulary takes, in its order."""
    expected = str((detail.get("ctx") or {}).get("expected", ""))
    return re.findall(r"'([^']*)'", expected) or re.findall(r"\w+", expected)


def _not_one_of(value: object, valid: Sequence[str], field: str) -> str:
    listed = ", ".join(valid)
    if field == "extend":
        return "'extend' is only ever true; leave it out to add a new entry"
    if not isinstance(value, str):
        return f"expected one of {listed}, got {_kind_of(value)}"
    return f"unknown {field.replace('_', ' ')} {value!r}{hint(value, valid)}"


#: What an ``extend:`` entry may hold beyond its id; every other field of a paper is changed
#: by replacing the entry with ``override: true``.
_EXTENDS = "aliases, memberships, links, notes, and authors where the paper has none"


def _unknown_field(where: type[BaseModel] | None, name: str) -> str:
    fields = list(where.model_fields) if where is not None else []
    if where is not None and where.__name__ == "PaperExtension":
        from .models import OverlayPaper

        if name == "override":
            return (
                "an entry extends another ('extend: true') or replaces it ('override: true'), "
                "not both"
            )
        if name in OverlayPaper.model_fields:
            return (
                f"'extend: true' adds {_EXTENDS}; to change {name!r}, write the whole entry "
                "with 'override: true' instead"
            )
    if where is not None and where.__name__ == "Paper":
        fields += ["override", "extend"]  # an overlay's entry may say either
    near = suggestion(name, fields)
    known = f"; valid fields: {', '.join(fields)}" if fields and not near else ""
    return f"unknown field{near}{known}"


def _described(where: type[BaseModel] | None, name: str | int | None) -> str:
    """``: what the field holds`` from the model's description, to say what to add."""
    if where is None or not isinstance(name, str) or name not in where.model_fields:
        return ""
    description = where.model_fields[name].description
    if not description:
        return ""
    return f": add {name!r} ({description[0].lower()}{description[1:].rstrip('.')})"


def _pattern(detail: _Detail, value: object, field: str) -> str:
    forbidden = _forbidden(value)
    if forbidden is not None:
        return forbidden
    if field == "doi":
        return f"{_kind_of(value)} is not a DOI: write it as 10.1038/s41586-024-07441-w"
    if field == "arxiv":
        return f"{_kind_of(value)} is not an arXiv id: write it as 2307.15043"
    if field in ("aliases",) or (isinstance(value, str) and field.isdigit()):
        return (
            "an alias starts with a letter or digit and holds only letters, digits, "
            "spaces and . + - _"
        )
    return "must be a lowercase slug: letters a-z, digits and '-'"


def _forbidden(value: object) -> str | None:
    """What :func:`~fm_papers.safety.check_text` says of a text that failed its pattern
    because it holds a forbidden character (the models check the pattern, not the function)."""
    if not isinstance(value, str):
        return None
    try:
        check_text(value)
    except ValueError as error:
        return str(error)
    return None


# Where an error is -----------------------------------------------------------------------------


def _model_at(model: type[BaseModel], loc: _Location) -> type[BaseModel] | None:
    """The model whose field ``loc`` leads to (``["links", 0]``: :class:`Link`)."""
    current: type[BaseModel] | None = model
    for part in loc:
        if isinstance(part, int):
            continue
        if current is None or part not in current.model_fields:
            return None
        current = _model_in(current.model_fields[part].annotation)
    return current


def _model_in(annotation: object) -> type[BaseModel] | None:
    """The model a field's type holds (``tuple[Link, ...]``, ``Author | None``), if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if typing.get_origin(annotation) in (typing.Union, types.UnionType, tuple, typing.Annotated):
        for argument in typing.get_args(annotation):
            found = _model_in(argument)
            if found is not None:
                return found
    return None


def _fields_at(model: type[BaseModel] | None, loc: _Location) -> list[str]:
    """The fields of the model expected at ``loc`` (a list's item or a field)."""
    if model is None:
        return []
    found = _model_at(model, loc)
    return list(found.model_fields) if found is not None else []
