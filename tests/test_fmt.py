"""``fm-papers fmt`` (:func:`fm_papers.canonical.canonical_text`): the canonical form of a data file, and the errors of one it cannot write."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from fm_papers.canonical import canonical_text, leading_comments
from fm_papers.errors import DataError

WriteYaml = Callable[..., Path]


def test_canonical_form_orders_keys_and_keeps_the_leading_comments(write_yaml: WriteYaml) -> None:
    path = write_yaml(
        "# Our reading list.\n\n"
        "papers:\n"
        "  - title: A paper\n"
        "    id: a-paper\n"
        "    links: [{url: 'https://example.org/a', kind: paper}]\n"
        "    memberships: [{section: s, domain: d}]\n"
        "  - {id: scgpt, extend: true, notes: [read it]}\n"
    )
    old, new = canonical_text(path)
    assert old == path.read_text(encoding="utf-8")
    assert new == (
        "# Our reading list.\n"
        "\n"
        "papers:\n"
        "  - id: a-paper\n"
        "    title: A paper\n"
        "    links:\n"
        "      - kind: paper\n"
        "        url: https://example.org/a\n"
        "    memberships:\n"
        "      - domain: d\n"
        "        section: s\n"
        "\n"
        "  - id: scgpt\n"
        "    extend: true\n"
        "    notes:\n"
        "      - read it\n"
    )
    assert leading_comments(new) == "# Our reading list."


def test_an_entry_the_models_refuse_is_a_located_data_error(write_yaml: WriteYaml) -> None:
    path = write_yaml(
        "papers:\n"
        "  - id: fine\n"
        "    title: Fine\n"
        "    links: [{kind: paper, url: 'https://example.org/f'}]\n"
        "    memberships: [{domain: d, section: s}]\n"
        "  - id: Not A Slug\n"
        "    links: []\n"
    )
    with pytest.raises(DataError) as caught:
        canonical_text(path)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:6: entry 'Not A Slug': id: must be a lowercase slug: letters a-z, digits and '-'",
        f"{path}:6: entry 'Not A Slug': title: required field is missing",
        f"{path}:6: entry 'Not A Slug': memberships: required field is missing",
    ]
