"""Untrusted YAML, parsed within limits: every refusal is a located data error.

Before the parser sees a text, it must be free of control and bidirectional characters and
nested at most :data:`~fm_papers.safety.MAX_DEPTH` deep; its aliases may not expand past
:data:`~fm_papers.safety.MAX_ALIAS_NODES` nodes nor its text past
:data:`~fm_papers.safety.MAX_FILE_BYTES` characters, nor form a cycle, and a mapping may not
repeat a key. Parsing uses libyaml's ``CSafeLoader`` where available.
"""

from __future__ import annotations

import re
from typing import Any, cast

import yaml

from .errors import DataError, DataProblem
from .safety import MAX_ALIAS_NODES, MAX_DEPTH, MAX_FILE_BYTES, find_forbidden

__all__ = ["Loader", "line_of", "parse_yaml"]

#: The fastest safe loader at hand: libyaml's, else PyYAML's own.
Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Refused(yaml.constructor.ConstructorError):
    """Valid-looking YAML that a data file may not hold; reported without "invalid YAML"."""


# mypy reads a base class chosen at import time (C or Python loader) as a variable type.
class _StrictLoader(Loader):  # type: ignore[misc,valid-type]
    """The safe loader, refusing what would silently lose data or crash further on."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        """A mapping; a key written twice is an error (YAML keeps the last one silently)."""
        _refuse_duplicates(node)
        return cast("dict[Any, Any]", super().construct_mapping(node, deep))

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: Any) -> str:
        """The tag of a node without one, as the safe loader's resolver gives it: a plain
        scalar's by the implicit resolvers of its first character, text when none matches
        (or when quoted), a collection's its kind. The parser asks once per node; the safe
        loader has no path resolvers and no wildcard ones (checked below), so this is all
        its resolver would do, without the detours."""
        if kind is yaml.ScalarNode:
            if implicit[0]:
                for tag, regexp in _IMPLICIT.get(value[:1], ()):
                    if regexp.match(value):
                        return tag
            return _STR
        return _SEQ if kind is yaml.SequenceNode else _MAP

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        """Nothing: path resolvers follow the path the parser descends, and there are none."""

    def ascend_resolver(self) -> None:
        """Nothing (see :meth:`descend_resolver`)."""

    def build(self, node: yaml.Node) -> Any:
        """The Python value of a composed node, as :meth:`construct_document` gives it.

        The safe constructor is written in Python, one generator per collection; here the
        nodes data files are made of (text, lists, mappings of text keys) are built in one
        recursive pass, and every other node (numbers, booleans, dates, merge keys, tags) is
        left to the constructor. Nesting was bounded before composing (:func:`_check_depth`),
        and aliases cannot form a cycle (:func:`_check_aliases`).
        """
        tag = node.tag
        if tag == _STR and node.__class__ is yaml.ScalarNode:
            return node.value
        if tag == _SEQ and node.__class__ is yaml.SequenceNode:
            return [self.build(child) for child in node.value]
        if tag == _MAP and node.__class__ is yaml.MappingNode:
            pairs = node.value
            if all(key.tag == _STR and key.__class__ is yaml.ScalarNode for key, _ in pairs):
                _refuse_duplicates(node)
                return {key.value: self.build(value) for key, value in pairs}
        return self.construct_object(node, deep=True)

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
        return self._located(Loader.construct_yaml_int, node)

    def construct_yaml_timestamp(self, node: yaml.ScalarNode, values: Any = None) -> Any:
        """A date or time (see :meth:`_located`)."""
        return self._located(Loader.construct_yaml_timestamp, node)


def _refuse_duplicates(node: yaml.MappingNode) -> None:
    """A key written twice in a mapping is an error at its line (YAML keeps the last one)."""
    keys = [key.value for key, _ in node.value if isinstance(key, yaml.ScalarNode)]
    if len(set(keys)) == len(keys):
        return
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


_STR, _SEQ, _MAP = (f"tag:yaml.org,2002:{name}" for name in ("str", "seq", "map"))
#: The loader's implicit resolvers, by the first character of a plain scalar ('' for an empty
#: one). :meth:`_StrictLoader.resolve` relies on the safe loader having no others.
_IMPLICIT: dict[str, list[tuple[str, re.Pattern[str]]]] = dict(Loader.yaml_implicit_resolvers)
assert None not in _IMPLICIT and not Loader.yaml_path_resolvers, "a resolver resolve() skips"
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
            return loader.build(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        reason = error.problem or error.context or "invalid YAML"
        if not isinstance(error, _Refused):
            reason = f"invalid YAML: {reason}"
        raise problem(line_of(mark), reason) from None
    except (yaml.YAMLError, RecursionError) as error:
        raise problem(None, f"invalid YAML: {error}") from None


def line_of(mark: object) -> int | None:
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
        return DataError([DataProblem(name, line_of(mark), message)])

    depth = 0
    try:
        for event in yaml.parse(text, Loader=Loader):
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
        return DataError([DataProblem(name, line_of(getattr(node, "start_mark", None)), message)])

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
