"""Load the shipped data and users' overlay files into a validated, cached :class:`Catalogue`.

Every problem is reported as ``file:line: entry 'id': field: message`` through
:class:`~fm_papers.errors.DataError`; nothing else escapes :func:`load`. Reading a file is
:mod:`fm_papers.datafile`'s job (the shipped files are read from their built form,
:mod:`fm_papers.built`), validating and merging them :mod:`fm_papers.merge`'s; this module
reads each file once per content and caches the catalogues it made.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterable
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .built import read_sidecar
from .bulk import gc_paused
from .datafile import DataFile, builtin_files, read_data_file
from .files import StrPath, read_bytes
from .merge import merge

if TYPE_CHECKING:
    from .catalogue import Catalogue

__all__ = ["clear_cache", "load"]

_CACHE: dict[tuple[object, ...], Catalogue] = {}
_PARSED: dict[tuple[str, bytes], DataFile] = {}
_CACHE_SIZE = 16
_LOCK = threading.Lock()


def clear_cache() -> None:
    """Forget every catalogue :func:`load` has cached."""
    with _LOCK:
        _CACHE.clear()
        _PARSED.clear()


def load(
    extra: StrPath | Iterable[StrPath] = (), include_builtin: bool = True, *, verify: bool = False
) -> Catalogue:
    """Load the catalogue: the shipped papers (unless ``include_builtin`` is false) plus overlays.

    Results are cached per process by the files' paths and contents, so an edited overlay is
    read again and an unchanged one is not. Overlays are always validated. The shipped
    entries were validated when the catalogue was built (and are again by the tests and by
    ``fm-papers validate``), so they are trusted unless ``verify`` is true: validating them
    would be most of the time a command line takes to start.

    :param extra: overlay YAML files (one path or several), merged in order.
    :param include_builtin: whether to start from the shipped catalogue.
    :param verify: validate the shipped entries too.
    :raises DataError: listing every problem found, each with file, line and entry id.
    """
    paths = [extra] if isinstance(extra, str | PathLike) else list(extra)
    shipped = builtin_files() if include_builtin else ()
    files = [*shipped, *(Path(p) for p in paths)]
    contents = [(path, read_bytes(path)) for path in files]
    digests = [(str(p), hashlib.blake2b(b, digest_size=16).digest()) for p, b in contents]
    key = (include_builtin, verify, *digests)
    with _LOCK:
        cached = _CACHE.get(key)
    if cached is not None:
        return cached
    with gc_paused():
        parsed = [
            _parse_cached(d, path, data) for d, (path, data) in zip(digests, contents, strict=True)
        ]
        catalogue = merge(parsed, len(shipped), trust_builtin=not verify)
    with _LOCK:
        _remember(_CACHE, key, catalogue)
    return catalogue


def _remember(cache: dict[Any, Any], key: object, value: object) -> None:
    """Store in a small cache, dropping the oldest entry when it is full."""
    if len(cache) >= _CACHE_SIZE:
        cache.pop(next(iter(cache)))
    cache[key] = value


def _parse_cached(digest: tuple[str, bytes], path: Path, data: bytes) -> DataFile:
    """Parse a file once per content: an overlay beside the shipped data re-parses only itself.

    Validation never changes the parsed lists, so catalogues may share them.
    """
    with _LOCK:
        parsed = _PARSED.get(digest)
    if parsed is None:
        parsed = read_sidecar(path, data, digest[1]) or read_data_file(path, data)
        with _LOCK:
            _remember(_PARSED, digest, parsed)
    return parsed
