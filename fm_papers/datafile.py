"""Data files: reading one into its parts, locating a problem in it, and the JSON copy.

A data file is YAML: a mapping with any of ``papers`` (a list of entries), ``domains``
(taxonomy additions) and ``venues`` (venue additions); a bare list is read as ``papers``.
Parsing uses libyaml's ``CSafeLoader`` where available. Line numbers are found only when
there is a problem to report, by composing the file a second time, so a clean read pays
for one parse.

Files are untrusted: before a parser sees one, it must be a regular file no bigger than
:data:`~fm_papers.safety.MAX_FILE_BYTES`, UTF-8, free of control and bidirectional
characters, and nested at most :data:`~fm_papers.safety.MAX_DEPTH` deep; its aliases may
not expand past :data:`~fm_papers.safety.MAX_ALIAS_NODES` nodes nor its text past
:data:`~fm_papers.safety.MAX_FILE_BYTES` characters, nor form a cycle, and a mapping may not
repeat a key. Each is a located :class:`~fm_papers.errors.DataError`.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import stat
from dataclasses import dataclass
from importlib import resources
from os import PathLike
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from .errors import DataError, DataProblem
from .safety import MAX_ALIAS_NODES, MAX_DEPTH, MAX_FILE_BYTES, find_forbidden

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
    "validation_problems",
]

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TOP_KEYS = ("papers", "domains", "venues")

StrPath = str | PathLike[str]


@functools.cache
def builtin_files() -> tuple[Path, ...]:
    """The shipped data files, in load order: taxonomy, venues, papers."""
    data = resources.files("fm_papers") / "data"
    return tuple(Path(str(data / name)) for name in ("taxonomy.yaml", "venues.yaml", "papers.yaml"))


@dataclass
class DataFile:
    """One parsed data file, with what is needed to locate problems in it."""

    path: Path
    text: str
    papers: list[Any]
    domains: list[Any]
    venues: list[Any]
    _root: yaml.Node | None = None

    @property
    def name(self) -> str:
        """How messages name the file."""
        return str(self.path)

    def line(self, *keys: str | int) -> int | None:
        """The 1-based line of the node at ``keys`` (e.g. ``"papers", 3, "links", 0``).

        Walks as deep as the path exists, so a missing field gives its entry's line.
        """
        if self._root is None:
            try:
                self._root = yaml.compose(self.text, Loader=_Loader)
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
    if isinstance(node, yaml.MappingNode) and isinstance(key, str):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
                return value_node  # type: ignore[no-any-return]
    if isinstance(node, yaml.SequenceNode) and isinstance(key, int) and 0 <= key < len(node.value):
        return node.value[key]  # type: ignore[no-any-return]
    return None


def sidecar_path(path: Path) -> Path:
    """Where the JSON copy of a shipped YAML file lives (``papers.yaml`` → ``papers.json``)."""
    return path.with_suffix(".json")


def sidecar_text(data: bytes) -> str:
    """The JSON copy of a shipped YAML file: its parsed document and the YAML's digest.

    One value per line, so that a change to the data is a readable diff of the fields that
    changed, and two changes to different papers touch different lines.
    """
    document = yaml.load(data.decode("utf-8"), Loader=_Loader)  # noqa: S506 - a safe loader
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
    path = Path(path)
    text = read_text(path, data)
    return _data_file(path, text, parse_yaml(text, str(path)))


class _Refused(yaml.constructor.ConstructorError):
    """Valid-looking YAML that a data file may not hold; reported without "invalid YAML"."""


class _StrictLoader(_Loader):  # type: ignore[misc,valid-type]
    """The safe loader, refusing what would silently lose data or crash further on."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        """A mapping; a key written twice is an error (YAML keeps the last one silently)."""
        keys = [key.value for key, _ in node.value if isinstance(key, yaml.ScalarNode)]
        if len(set(keys)) != len(keys):
            seen: dict[tuple[str, str], int] = {}
            for key_node, _ in node.value:
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag.endswith(":merge"):
                    continue
                identity = (key_node.tag, key_node.value)
                if identity in seen:
                    raise _Refused(
                        None,
                        None,
                        f"duplicate key {key_node.value!r} (first at line {seen[identity]})",
                        key_node.start_mark,
                    )
                seen[identity] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep)  # type: ignore[no-any-return]

    def _located(self, construct: Any, node: yaml.ScalarNode) -> Any:
        """A scalar Python cannot represent (a 5,000-digit number, the 13th month) is an
        error at its line, not a traceback."""
        try:
            return construct(self, node)
        except (ValueError, OverflowError) as error:
            reason = str(error)
            if "integer string conversion" in reason:
                reason = "a number of more digits than Python reads"
            raise _Refused(
                None, None, f"cannot read this value: {reason}", node.start_mark
            ) from None

    def construct_yaml_int(self, node: yaml.ScalarNode) -> Any:
        """An integer (see :meth:`_located`)."""
        return self._located(_Loader.construct_yaml_int, node)

    def construct_yaml_timestamp(self, node: yaml.ScalarNode, values: Any = None) -> Any:
        """A date or time (see :meth:`_located`)."""
        return self._located(_Loader.construct_yaml_timestamp, node)


_StrictLoader.add_constructor("tag:yaml.org,2002:int", _StrictLoader.construct_yaml_int)
_StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", _StrictLoader.construct_yaml_timestamp)


# A line's block indentation and the compact indicators, anchors and tags opening it: the
# columns a block collection can start at, which bound how deep block nesting goes.
_BLOCK_PREFIX = re.compile(r"^[ ]*(?:(?:[-?:]|[&!][^ \t\n]*)[ \t]+)*", re.MULTILINE)
_COLLECTION_STARTS = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_COLLECTION_ENDS = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


def parse_yaml(text: str, name: str) -> object:
    """The YAML document of a data file's text, after the limits of untrusted input.

    :param name: how messages name the file.
    :raises DataError: located at the offending line.
    """

    def problem(line: int | None, message: str) -> DataError:
        return DataError([DataProblem(name, line, message)])

    forbidden = find_forbidden(text)
    if forbidden is not None:
        line, column, message = forbidden
        raise problem(line, f"{message} (column {column})")
    try:
        _check_depth(text, name)
        loader = _StrictLoader(text)
        try:
            node = loader.get_single_node()
            if node is not None and "*" in text:
                _check_aliases(node, name)
            return loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        reason = error.problem or error.context or "invalid YAML"
        if not isinstance(error, _Refused):
            reason = f"invalid YAML: {reason}"
        raise problem(_line_of(mark), reason) from None
    except (yaml.YAMLError, RecursionError) as error:
        raise problem(None, f"invalid YAML: {error}") from None


def _line_of(mark: object) -> int | None:
    """The line (from 1) a mark of the Python or the C parser points at; ``None`` without one."""
    line = getattr(mark, "line", None)
    return line + 1 if isinstance(line, int) else None


def _check_depth(text: str, name: str) -> None:
    """Refuse nesting deeper than MAX_DEPTH before anything recursive reads the document.

    Depth is bounded by the flow brackets in the text plus twice the widest block prefix; a
    usual file stays far below the limit by that bound alone, and only otherwise are its
    parser events walked (libyaml's parser does not recurse, its composer does).
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text
    widest = max(map(len, _BLOCK_PREFIX.findall(lines)), default=0)  # YAML breaks at CR too
    if text.count("[") + text.count("{") + 2 * widest + 2 <= MAX_DEPTH:
        return

    def too_deep(mark: object) -> DataError:
        message = f"nested more than {MAX_DEPTH} levels deep"
        return DataError([DataProblem(name, _line_of(mark), message)])

    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, _COLLECTION_STARTS):
                depth += 1
                if depth > MAX_DEPTH:
                    raise too_deep(event.start_mark)
            elif isinstance(event, _COLLECTION_ENDS):
                depth -= 1
    except yaml.MarkedYAMLError as error:
        # The libyaml of PyYAML 6.0.4's wheels refuses more than 1,000 flow levels while it
        # scans ahead, before any event reaches this count: deeper than MAX_DEPTH all the same.
        if "nesting depth" in str(error.problem):
            raise too_deep(error.problem_mark) from None
        raise


def _check_aliases(root: yaml.Node, name: str) -> None:
    """Refuse aliases that expand the document by more than MAX_ALIAS_NODES nodes, to more
    than MAX_FILE_BYTES characters of text, or more than MAX_DEPTH levels deep, and an alias
    inside the collection it names (a cycle)."""
    # node -> (expanded nodes, expanded characters, expanded depth)
    measured: dict[int, tuple[int, int, int]] = {}
    open_nodes: set[int] = set()
    too_deep = f"aliases nest the document more than {MAX_DEPTH} levels deep"

    def refuse(message: str, node: yaml.Node | None = None) -> DataError:
        return DataError([DataProblem(name, _line_of(getattr(node, "start_mark", None)), message)])

    def measure(node: yaml.Node, level: int) -> tuple[int, int, int]:
        known = measured.get(id(node))
        if known is not None:
            if level + known[2] - 1 > MAX_DEPTH + 1:  # scalars are a level of their own
                raise refuse(too_deep, node)
            return known
        if id(node) in open_nodes:
            raise refuse("an alias stands for a collection that holds it (a cycle)", node)
        if level > MAX_DEPTH + 1:
            raise refuse(too_deep, node)
        if isinstance(node, yaml.ScalarNode):
            found = (1, len(node.value), 1)
        else:
            children: list[yaml.Node] = (
                list(node.value)
                if isinstance(node, yaml.SequenceNode)
                else [part for pair in node.value for part in pair]
            )
            open_nodes.add(id(node))
            sizes = [measure(child, level + 1) for child in children]
            open_nodes.discard(id(node))
            found = (
                1 + sum(s[0] for s in sizes),
                sum(s[1] for s in sizes),
                1 + max((s[2] for s in sizes), default=0),
            )
        measured[id(node)] = found
        return found

    expanded, characters, _ = measure(root, 1)
    if expanded - len(measured) > MAX_ALIAS_NODES or characters > MAX_FILE_BYTES:
        raise refuse(
            f"aliases expand the document to {expanded:,} nodes and {characters:,} characters "
            f"of text; they may add at most {MAX_ALIAS_NODES:,} nodes, and the text may be at "
            f"most {MAX_FILE_BYTES:,} characters once expanded"
        )


def _data_file(path: Path, text: str, document: object) -> DataFile:
    """Check a parsed document's shape and sort its parts out.

    :raises DataError: if it is not a mapping of lists (or a bare list of papers).
    """
    file = DataFile(path, text, [], [], [])
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
        if detail["type"] == "string_pattern_mismatch" and loc[:1] in (["doi"], ["arxiv"]):
            message = str(detail["msg"])
        elif detail["type"] == "string_pattern_mismatch" and loc[:1] == ["aliases"]:
            message = (
                "an alias starts with a letter or digit and holds only letters, digits, "
                "spaces and . + - _"
            )
        found.append((loc, message))
    return found


def validation_problems(
    error: ValidationError, file: DataFile, top: str, index: int, entry: str | None
) -> list[DataProblem]:
    """One located problem per validation error (see :func:`plain_errors`)."""
    return [
        file.problem(message, top, index, *loc, entry=entry, field=".".join(map(str, loc)) or None)
        for loc, message in plain_errors(error)
    ]


def entry_name(raw: object, index: int) -> str:
    """How messages name an entry: its id (a domain's or venue's key or name), else its number."""
    if isinstance(raw, dict):
        for field in ("id", "key", "name"):
            value = raw.get(field)
            if isinstance(value, str | int) and not isinstance(value, bool):
                return str(value)
    return f"#{index + 1}"
