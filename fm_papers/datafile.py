"""Data files: reading one into its parts, locating a problem in it, and the JSON copy.

A data file is YAML: a mapping with any of ``papers`` (a list of entries), ``domains``
(taxonomy additions) and ``venues`` (venue additions); a bare list is read as ``papers``.
Line numbers are found only when
there is a problem to report, by composing the file a second time, so a clean read pays
for one parse. The shipped files are read from their JSON copy, so reading them imports no
YAML parser.

Files are untrusted: one must be a regular file no bigger than
:data:`~fm_papers.safety.MAX_FILE_BYTES` and UTF-8, and its YAML is parsed within the limits
of :mod:`fm_papers.yamlsafe`. Each refusal is a located :class:`~fm_papers.errors.DataError`;
:mod:`fm_papers.validation` words and locates what the models reject.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import stat
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from .errors import DataError, DataProblem
from .safety import MAX_FILE_BYTES

if TYPE_CHECKING:
    import yaml

__all__ = [
    "DataFile",
    "StrPath",
    "builtin_files",
    "entry_name",
    "kind_of",
    "read_bytes",
    "read_data_file",
    "read_sidecar",
    "read_text",
    "sidecar_path",
    "sidecar_text",
]

_TOP_KEYS = ("papers", "domains", "venues")

StrPath = str | PathLike[str]


@functools.cache
def builtin_files() -> tuple[Path, ...]:
    """The shipped data files, in load order: taxonomy, venues, papers."""
    # Beside the package's modules: they are read as files (a zipped package is not supported).
    data = Path(__file__).with_name("data")
    return tuple(data / name for name in ("taxonomy.yaml", "venues.yaml", "papers.yaml"))


class DataFile:
    """One parsed data file, with what is needed to locate problems in it: its ``papers``,
    ``domains`` and ``venues`` lists, as parsed."""

    __slots__ = ("_root", "domains", "papers", "path", "text", "venues")

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.text = text
        self.papers: list[Any] = []
        self.domains: list[Any] = []
        self.venues: list[Any] = []
        #: The YAML's node tree, composed the first time a problem is located.
        self._root: yaml.Node | None = None

    @property
    def name(self) -> str:
        """How messages name the file."""
        return str(self.path)

    def line(self, *keys: str | int) -> int | None:
        """The 1-based line of the node at ``keys`` (e.g. ``"papers", 3, "links", 0``).

        Walks as deep as the path exists, so a missing field gives its entry's line.
        """
        import yaml  # only once there is a problem to locate

        from .yamlsafe import Loader

        if self._root is None:
            try:
                self._root = yaml.compose(self.text, Loader=Loader)
            except yaml.YAMLError:
                return None
        node = self._root
        if isinstance(node, yaml.SequenceNode) and keys and keys[0] == "papers":
            keys = keys[1:]  # a bare list is the papers list
        found = node.start_mark.line + 1 if node is not None else None
        for key in keys:
            child = _child(node, key)
            if child is None:
                break
            node, found = child, child.start_mark.line + 1
        return found

    def problem(
        self, message: str, *keys: str | int, entry: str | None = None, field: str | None = None
    ) -> DataProblem:
        """A problem located at ``keys``."""
        return DataProblem(self.name, self.line(*keys), message, entry=entry, field=field)


def _child(node: yaml.Node | None, key: str | int) -> yaml.Node | None:
    import yaml

    if isinstance(node, yaml.MappingNode) and isinstance(key, str):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
                return cast(yaml.Node, value_node)
    if isinstance(node, yaml.SequenceNode) and isinstance(key, int) and 0 <= key < len(node.value):
        return cast(yaml.Node, node.value[key])
    return None


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
    return _data_file(path, data.decode("utf-8"), copy.get("document"))


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


def read_data_file(path: StrPath, data: bytes | None = None) -> DataFile:
    """Parse one data file (without validating its entries).

    :raises DataError: if it cannot be read, is not YAML, breaks a limit of untrusted input,
        or is not shaped like a data file.
    """
    from .yamlsafe import parse_yaml  # YAML is parsed only here: the shipped data is JSON

    path = Path(path)
    text = read_text(path, data)
    return _data_file(path, text, parse_yaml(text, str(path)))


def _data_file(path: Path, text: str, document: object) -> DataFile:
    """Check a parsed document's shape and sort its parts out.

    :raises DataError: if it is not a mapping of lists (or a bare list of papers).
    """
    file = DataFile(path, text)
    if document is None:
        return file
    if isinstance(document, list):
        file.papers = document
        return file
    if not isinstance(document, dict):
        raise DataError(
            [
                file.problem(
                    f"expected a mapping with {', '.join(_TOP_KEYS)}, got {kind_of(document)}"
                )
            ]
        )
    problems = []
    for key, value in document.items():
        if key not in _TOP_KEYS:
            problems.append(
                file.problem(
                    f"unknown top-level key {key!r}; expected one of {', '.join(_TOP_KEYS)}",
                    str(key),
                )
            )
        elif value is None:
            continue
        elif not isinstance(value, list):
            problems.append(file.problem(f"{key} must be a list, got {kind_of(value)}", key))
        else:
            setattr(file, key, value)
    if problems:
        raise DataError(problems)
    return file


def kind_of(value: object) -> str:
    names: dict[type, str] = {dict: "a mapping", list: "a list", str: "text"}
    return names.get(type(value), type(value).__name__)


def entry_name(raw: object, index: int) -> str:
    """How messages name an entry: its id (a domain's or venue's key or name), else its number."""
    if isinstance(raw, dict):
        for field in ("id", "key", "name"):
            value = raw.get(field)
            if isinstance(value, str | int) and not isinstance(value, bool):
                return str(value)
    return f"#{index + 1}"
