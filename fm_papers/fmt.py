"""Rewrite data files in the canonical form, for ``fm-papers fmt``: reorder, never change data.

The canonical text comes from :func:`fm_papers.canonical.dump_data`, the function the catalogue
build writes the shipped data with, so the shipped file is clean by construction. Entries are
read back through the models, which fixes the key order at every depth; ``domains`` and
``venues`` are kept as written, and so is a leading block of ``#`` comments. Other comments
are not kept.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .canonical import dump_data
from .datafile import StrPath, entry_name, read_data_file
from .errors import DataError, DataProblem
from .models import OverlayPaper, PaperExtension
from .validation import validation_problems

__all__ = ["canonical_text", "leading_comments", "write_atomic"]


def leading_comments(text: str) -> str:
    """The block of ``#`` lines a file opens with (blank lines before it skipped), or ``""``.

    :param text: a file's text.
    """
    block = []
    for line in text.lstrip("\n").splitlines():
        if not line.startswith("#"):
            break
        block.append(line)
    return "\n".join(block)


def _entry(raw: Any) -> OverlayPaper | PaperExtension:
    if isinstance(raw, dict) and raw.get("extend") is not None:
        return PaperExtension.model_validate(raw)
    return OverlayPaper.model_validate(raw)


def canonical_text(path: StrPath) -> tuple[str, str]:
    """The file's text now, and in the canonical form.

    Check the file with :func:`fm_papers.load` first: entries are validated one by one here,
    without the catalogue they join (its sections, its ids).

    :param path: a data file.
    :raises DataError: if the file cannot be read, is not shaped like a data file, or holds
        an entry the models reject (located at the entry's line).
    """
    file = read_data_file(path)
    entries: list[OverlayPaper | PaperExtension] = []
    problems: list[DataProblem] = []
    for index, raw in enumerate(file.papers):
        try:
            entries.append(_entry(raw))
        except ValidationError as error:
            problems += validation_problems(error, file, "papers", index, entry_name(raw, index))
    if problems:
        raise DataError(problems)
    text = dump_data(
        entries, domains=file.domains, venues=file.venues, header=leading_comments(file.text)
    )
    return file.text, text


def write_atomic(path: StrPath, text: str) -> None:
    """Replace a file's content at once: write a temporary file beside it, then rename it.

    A failure half-way leaves the old file as it was. The new file keeps the old one's mode.
    A symbolic link is written through: its target gets the new content and the link stays.

    :param path: the file to write.
    :param text: its new content (written as UTF-8).
    :raises OSError: if the directory cannot be written, or a link loops or leads nowhere
        writable.
    """
    target = Path(path)
    if target.is_symlink():
        # strict: a loop is an error here, not a path to create a file at.
        target = Path(os.path.realpath(target, strict=True))
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", text=True)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
        Path(temporary).chmod(_mode(target))
        Path(temporary).replace(target)
    except BaseException:
        with contextlib.suppress(OSError):
            Path(temporary).unlink()
        raise


def _mode(target: Path) -> int:
    """The old file's permissions, or what a new file gets (mkstemp's are owner-only)."""
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
