"""The catalogue a build reads: loaded at most once per build, kept beside the environment.

The catalogue is kept in a weak mapping keyed by the environment rather than in it, so it is
never pickled. :mod:`.domain`'s ``env-get-outdated`` handler hashes the data files and the
settings (:func:`digest`) and loads the catalogue only when pages are about to be read (so
that forked parallel readers inherit it); a no-op rebuild never loads it, nor imports the
catalogue or the loader. Anything else that needs it later (pages written without being read)
loads it on first use (:func:`loaded`).

A catalogue with overlays is also kept on disk in its built form (:data:`KEPT_NAME` in the
doctree folder), keyed by the data files' content and the package's own code: a later build
with the same files (``-E`` included) reads it back as the shipped data is read, without
validating the overlays, or importing pydantic, again.
"""

from __future__ import annotations

import functools
import hashlib
import weakref
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.util import logging

import fm_papers
from fm_papers.datafile import builtin_files
from fm_papers.errors import DataError
from fm_papers.files import read_bytes

from .config import Settings, settings

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment

    from fm_papers.catalogue import Catalogue

__all__ = [
    "KEPT_NAME",
    "Checked",
    "Loaded",
    "code_digest",
    "data_files",
    "digest",
    "forget",
    "load_catalogue",
    "loaded",
    "note_check",
    "note_files",
]

logger = logging.getLogger(__name__)

#: The file, in the doctree folder, that keeps a catalogue with overlays in its built form.
KEPT_NAME = "fm-papers-catalogue.json"


@dataclass(frozen=True)
class Checked:
    """What ``env-get-outdated`` found, for a later load: conf.py's folder, data changed or not,
    and the data files' digest (``None`` before it ran)."""

    confdir: Path
    status: str  # "cached" or "reloaded", for the status line
    digest: str | None = None


@dataclass(frozen=True)
class Loaded:
    """What this build reads: the settings, the data files and their catalogue.

    ``catalogue`` is None when a data file is broken; the problem was already reported.
    """

    settings: Settings
    files: tuple[Path, ...]
    catalogue: Catalogue | None


_LOADED: weakref.WeakKeyDictionary[BuildEnvironment, Loaded] = weakref.WeakKeyDictionary()
_CHECKED: weakref.WeakKeyDictionary[BuildEnvironment, Checked] = weakref.WeakKeyDictionary()


def loaded(env: BuildEnvironment) -> Loaded:
    """The catalogue of this build, loading it if the build did not yet."""
    found = _LOADED.get(env)
    if found is None:
        # Noted when the builder started (note_check); a build always starts one.
        found = load_catalogue(env, _CHECKED[env])
    return found


def note_files(env: BuildEnvironment) -> Loaded:
    """The build's data, with each data file noted as a dependency of the current page (a
    page showing or citing papers is read again when one changes)."""
    state = loaded(env)
    for path in state.files:
        env.note_dependency(path)
    return state


def data_files(config: Settings, confdir: Path) -> tuple[Path, ...]:
    """The shipped files (unless left out) and the overlays, whose paths are relative to the
    folder of conf.py."""
    extra = tuple(confdir / name for name in config.extra_files)
    return (*(builtin_files() if config.include_builtin else ()), *extra)


def load_catalogue(env: BuildEnvironment, checked: Checked) -> Loaded:
    """Load the build's catalogue; a broken data file is a located ``fm_papers.data`` error
    (and no catalogue: pages then show no papers rather than wrong ones)."""
    from fm_papers.loader import load

    config = settings(env.config)
    files = data_files(config, checked.confdir)
    overlays = files[len(files) - len(config.extra_files) :]
    # Only a catalogue with overlays is kept: the shipped data alone is read as fast. The
    # files' digest is the one env-get-outdated took, when it ran.
    kept, key, catalogue = None, "", None
    if overlays:
        kept = Path(env.doctreedir) / KEPT_NAME
        key = f"{code_digest()} {config.include_builtin} {checked.digest or digest(files)}"
        catalogue = _read_kept(kept, key, files)
    status = checked.status
    try:
        if catalogue is None:
            catalogue = load(overlays, include_builtin=config.include_builtin)
            if kept is not None:
                _keep(kept, key, catalogue)
        else:
            status += ", validated before"
    except DataError as error:
        catalogue = None
        for problem in error.problems:
            if problem.line:
                where = f"{problem.file}:{problem.line}"
                text = str(problem).removeprefix(where + ": ")
                logger.error("%s", text, location=where, type="fm_papers", subtype="data")
            else:
                # Sphinx reads a location without a line as a document name ("lab.yaml.rst"):
                # the file goes into the message instead.
                logger.error("%s", problem, type="fm_papers", subtype="data")
    result = Loaded(config, files, catalogue)
    _LOADED[env] = result
    size = len(catalogue) if catalogue is not None else 0
    logger.info("fm-papers: catalogue of %d papers from %d files (%s)", size, len(files), status)
    return result


@functools.cache
def code_digest() -> str:
    """The package's version and core modules, hashed: a catalogue kept by other code (an
    upgrade, or an edit in a checkout) is never read back."""
    hashed = hashlib.blake2b(fm_papers.__version__.encode(), digest_size=8)
    for module in sorted(Path(fm_papers.__file__).parent.rglob("*.py")):
        hashed.update(module.read_bytes())
    return hashed.hexdigest()


def _read_kept(path: Path, key: str, files: Iterable[Path]) -> Catalogue | None:
    """The catalogue kept at ``path`` for exactly these data files and this code, if any."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    from fm_papers.built import from_built_text

    first, _, rest = text.partition("\n")
    return from_built_text(rest, files) if first == key else None


def _keep(path: Path, key: str, catalogue: Catalogue) -> None:
    """Keep a validated catalogue for later builds; one that cannot be written is only not
    kept (the next build validates again)."""
    from fm_papers.built import built_text
    from fm_papers.files import write_atomic

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, f"{key}\n{built_text(catalogue)}")
    except OSError as error:
        logger.debug("fm-papers: the catalogue is not kept: %s", error)


def digest(files: Iterable[Path]) -> str:
    """The data files' content, hashed; read as the loader reads them (regular files within
    the size limit only, so a pipe or a device never hangs or exhausts the build)."""
    hashed = hashlib.blake2b(digest_size=8)
    for path in files:
        hashed.update(str(path).encode())
        try:
            hashed.update(read_bytes(path))
        except DataError as error:
            hashed.update(b"\0" + str(error).encode())
    return hashed.hexdigest()


def forget(env: BuildEnvironment) -> None:
    """Drop the catalogue of ``env``: an app building twice must not keep last build's data."""
    _LOADED.pop(env, None)


def note_check(
    env: BuildEnvironment, confdir: Path, status: str, data_digest: str | None = None
) -> Checked:
    """Remember what ``env-get-outdated`` found, for the load that follows."""
    found = _CHECKED[env] = Checked(confdir, status, data_digest)
    return found
