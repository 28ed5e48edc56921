"""The domain → section tree, with key and alias resolution."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, NamedTuple

from .errors import QueryError

if TYPE_CHECKING:
    from .records import DomainLike, SectionLike

__all__ = ["Node", "Taxonomy"]


class Node(NamedTuple):
    """A section of the tree, placed: its domain, its ancestors and its descendants."""

    section: SectionLike
    domain: str
    #: Keys from the domain's top section down to this one's parent.
    ancestors: tuple[str, ...]
    #: This key and every key below it.
    subtree: frozenset[str]
    #: The kind of the papers listed here: the section's own, else its nearest ancestor's.
    kind: str | None = None

    @property
    def key(self) -> str:
        """The section's key."""
        return self.section.key

    @property
    def title(self) -> str:
        """The section's title (the source's heading)."""
        return self.section.title

    @property
    def depth(self) -> int:
        """0 for a top section of a domain."""
        return len(self.ancestors)


class Taxonomy:
    """Domains and their sections, looked up by key or alias, case-insensitively.

    :raises ValueError: if a key or alias is used twice.
    """

    def __init__(self, domains: Iterable[DomainLike]) -> None:
        self.domains: tuple[DomainLike, ...] = tuple(domains)
        self._domains: dict[str, DomainLike] = {}
        self._domain_aliases: dict[str, str] = {}
        self._nodes: dict[str, Node] = {}
        self._section_aliases: dict[str, str] = {}
        for domain in self.domains:
            self._claim(self._domain_aliases, domain.key, domain.key, "domain")
            for alias in domain.aliases:
                self._claim(self._domain_aliases, alias, domain.key, "domain")
            self._domains[domain.key] = domain
            for top in domain.sections:
                kinds: dict[str, str | None] = {}
                for section, ancestors in top.walk():
                    if section.key in self._nodes:
                        raise ValueError(f"section key or alias {section.key!r} is used twice")
                    subtree = frozenset(node.key for node, _ in section.walk())
                    self._claim(self._section_aliases, section.key, section.key, "section")
                    for alias in section.aliases:
                        self._claim(self._section_aliases, alias, section.key, "section")
                    kind = section.kind or (kinds[ancestors[-1]] if ancestors else None)
                    kinds[section.key] = kind
                    self._nodes[section.key] = Node(section, domain.key, ancestors, subtree, kind)

    @staticmethod
    def _claim(table: dict[str, str], name: str, key: str, what: str) -> None:
        folded = name.casefold()
        if table.get(folded, key) != key:
            raise ValueError(f"{what} key or alias {name!r} is used twice")
        table[folded] = key

    def domain_keys(self) -> tuple[str, ...]:
        """Domain keys in tree order."""
        return tuple(self._domains)

    def section_keys(self) -> tuple[str, ...]:
        """Section keys in tree order (depth first)."""
        return tuple(self._nodes)

    def domain(self, key: str) -> DomainLike:
        """The domain of a key or alias.

        :raises QueryError: naming the valid keys and the nearest one.
        """
        found = self._domain_aliases.get(key.strip().casefold())
        if found is None:
            raise QueryError("domain", key, f"unknown domain {key!r}", self.domain_keys())
        return self._domains[found]

    def node(self, key: str) -> Node:
        """The section of a key or alias.

        :raises QueryError: naming the valid keys and the nearest one.
        """
        found = self._section_aliases.get(key.strip().casefold())
        if found is None:
            raise QueryError("section", key, f"unknown section {key!r}", self.section_keys())
        return self._nodes[found]

    def has_section(self, key: str) -> bool:
        """True if ``key`` is a section key or alias."""
        return key.strip().casefold() in self._section_aliases

    def nodes(self, domain: str | None = None) -> Iterator[Node]:
        """Every section in tree order, optionally of one domain only."""
        for node in self._nodes.values():
            if domain is None or node.domain == domain:
                yield node

    def section_by_heading(self, heading: str) -> Node | None:
        """The section that collects a source heading (case-insensitive), if any."""
        folded = heading.strip().rstrip(":").strip().casefold()
        for node in self._nodes.values():
            if any(h.casefold() == folded for h in node.section.headings):
                return node
        return None
