"""Files, read and written safely: bounded reads of regular files, and writes that replace a
file at once, so that a failure never leaves one half-written.

The loader, the command line, the curation build and the Sphinx extension all read and write
through these few functions.
"""

from __future__ import annotations

import contextlib
import os
import stat
from os import PathLike
from pathlib import Path

from .errors import DataError, DataProblem
from .safety import MAX_FILE_BYTES

__all__ = ["StrPath", "read_bytes", "read_text", "write_atomic"]

StrPath = str | PathLike[str]


def read_bytes(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """A regular file's bytes, at most ``limit`` of them; anything else is a located
    :class:`DataError` (a directory, a pipe or a device is never opened, so nothing hangs)."""

    def problem(message: str) -> DataError:
        return DataError([DataProblem(str(path), None, message)])

    try:
        # Opened without blocking (a pipe with no writer would wait forever), then checked:
        # checking first and opening after could be raced by swapping the file.
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(handle, "rb") as stream:
            if not stat.S_ISREG(os.fstat(handle).st_mode):
                raise problem("cannot read: not a regular file")
            data = stream.read(limit + 1)
    except OSError as error:
        raise problem(f"cannot read: {error.strerror or error}") from None
    if len(data) > limit:
        raise problem(f"the file is larger than {limit:,} bytes, the limit for data files")
    return data


def read_text(path: Path, data: bytes | None = None) -> str:
    """A file's text (``data``, if given, are its bytes); unreadable or not UTF-8 is a DataError."""
    raw = read_bytes(path) if data is None else data
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise DataError([DataProblem(str(path), None, f"not UTF-8 text: {error.reason}")]) from None


def write_atomic(path: StrPath, text: str) -> None:
    """Replace a file's content at once: write a temporary file beside it, then rename it.

    A failure half-way leaves the old file as it was. The new file keeps the old one's mode.
    A symbolic link is written through: its target gets the new content and the link stays.

    :param path: the file to write.
    :param text: its new content (written as UTF-8).
    :raises OSError: if the directory cannot be written, or a link loops or leads nowhere
        writable.
    """
    import tempfile  # only to write: reading commands start without it

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
