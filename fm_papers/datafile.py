"""Data files: reading one into its parts, and locating a problem in it.

A data file is YAML: a mapping with any of ``papers`` (a list of entries), ``domains``
(taxonomy additions) and ``venues`` (venue additions); a bare list is read as ``papers``.
Line numbers are found only when there is a problem to report, by composing the file a
second time, so a clean read pays for one parse. The shipped files are read from their JSON
copy (:mod:`fm_papers.built`), so reading them imports no YAML parser.

Files are untrusted: one must be a regular file no bigger than
:data:`~fm_papers.safety.MAX_FILE_BYTES` and UTF-8 (:mod:`fm_papers.files`), and its YAML is
parsed within the limits of :mod:`fm_papers.yamlsafe`. Each refusal is a located
:class:`~fm_papers.errors.DataError`; :mod:`fm_papers.validation` words and locates what the
models reject.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from .errors import DataError, DataProblem
from .files import StrPath, read_text

if TYPE_CHECKING:
    import yaml

__all__ = [
    "DataFile",
    "builtin_files",
    "data_file",
    "entry_name",
    "kind_of",
    "read_data_file",
]

_TOP_KEYS = ("papers", "domains", "venues")
#: The keys of a problem's location that start an entry of a list: ``("papers",)``...
_ENTRY_LISTS = {(key,) for key in _TOP_KEYS}


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

    def problem(self, message: str, *keys: str | int, entry: str | None = None) -> DataProblem:
        """A problem located at ``keys`` (``"papers", 3, "links", 0``), its line found in the
        file; the field it names is the path below the entry (``links.0``), if any."""
        field = ".".join(map(str, keys[2:])) if keys[:1] in _ENTRY_LISTS else ""
        return DataProblem(self.name, self.line(*keys), message, entry=entry, field=field or None)


def _child(node: yaml.Node | None, key: str | int) -> yaml.Node | None:
    import yaml

    if isinstance(node, yaml.MappingNode) and isinstance(key, str):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
                return cast(yaml.Node, value_node)
    if isinstance(node, yaml.SequenceNode) and isinstance(key, int) and 0 <= key < len(node.value):
        return cast(yaml.Node, node.value[key])
    return None


def read_data_file(path: StrPath, data: bytes | None = None) -> DataFile:
    """Parse one data file (without validating its entries).

    :raises DataError: if it cannot be read, is not YAML, breaks a limit of untrusted input,
        or is not shaped like a data file.
    """
    from .yamlsafe import parse_yaml  # YAML is parsed only here: the shipped data is JSON

    path = Path(path)
    text = read_text(path, data)
    return data_file(path, text, parse_yaml(text, str(path)))


def data_file(path: Path, text: str, document: object) -> DataFile:
    """A parsed document as a data file: its shape checked, its parts sorted out.

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
