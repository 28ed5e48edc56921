"""The markdown importer: both source layouts, their quirks, and the lines it cannot read."""

from __future__ import annotations

import pytest

from fm_papers.curation.importer import parse_markdown
from fm_papers.curation.text import repair_mojibake

ONE_LINE = """\
# Foundation-Model-For-Single-cell
## FM
1. [2024 Nature Methods][**scGPT**] **scGPT: toward building a foundation model** [[paper]](https://www.nature.com/articles/s41592-024-02201-0)
1. [2024 BioRxiv] **Mis-nested brackets** [[paper](https://www.biorxiv.org/content/10.1101/2024.10.23.619972v1)]
1. [2024 Cell, FM4perturbation data: a review] **A URL with parentheses** [[paper](https://www.cell.com/cell/abstract/S0092-8674(24)00829-8?x=1)]
1. [2023 NeurIPS 2023 AI for Science Workshop] **Year twice** [[paper]](https://openreview.net/pdf?id=KMtM5ZHxct)
1. [2024] **No venue** [[paper]](https://www.nxn.se/valent/2024/2/4/single-cell-metadata-as-language)
1. [2024 Nature] no bold title here
1. [2024 Nature] **No link**
"""

BULLETS = """\
## Adaptation of Foundation Models

### Pathological Classification:

42. \u00f0\u0178\u201c\u0153 **Text-Guided Adaptation**
     - \u00f0\u0178\u201c\u2013 Conference: MICCAI, 2023
     - \u00f0\u0178\u201c\u201e [PDF](https://link.springer.com/chapter/10.1007/978-3-031-43904-9_27)
     - \u00f0\u0178\u2019\u00bb [Code](https://github.com/Yunkun-Zhang/CITE)

42. \U0001f4dc **No year here**
    - \U0001f4d6 Journal of Physics: Conference Series
    - \U0001f4c4 [PDF](https://iopscience.iop.org/article/10.1088/1742-6596/2722/1/012012/meta)

43. \U0001f4dc **No link below**
    - \U0001f4d6 ISBI, 2024
---
```python
1. [2020 Fake] **inside a code fence** [[paper]](https://example.org)
```
"""


def test_one_line_layout_reads_year_venue_model_and_links() -> None:
    result = parse_markdown(ONE_LINE, "lists/single-cell.md")
    first = result.entries[0]
    assert first.file == "single-cell.md"
    assert first.line == 3
    assert first.headings == ("Foundation-Model-For-Single-cell", "FM")
    assert (first.year, first.venue, first.model_tag) == (2024, "Nature Methods", "scGPT")
    assert first.title == "scGPT: toward building a foundation model"
    assert first.links == (("paper", "https://www.nature.com/articles/s41592-024-02201-0"),)


def test_mis_nested_brackets_and_parentheses_in_urls() -> None:
    entries = parse_markdown(ONE_LINE).entries
    assert entries[1].links == (
        ("paper", "https://www.biorxiv.org/content/10.1101/2024.10.23.619972v1"),
    )
    assert entries[2].links == (
        ("paper", "https://www.cell.com/cell/abstract/S0092-8674(24)00829-8?x=1"),
    )
    assert entries[2].venue == "Cell, FM4perturbation data: a review"


def test_only_the_first_year_is_the_year() -> None:
    entry = parse_markdown(ONE_LINE).entries[3]
    assert entry.year == 2023
    assert entry.venue == "NeurIPS 2023 AI for Science Workshop"
    # The venue as the line names it: the leading year goes, the year inside the name stays.
    assert entry.venue_as_written == "NeurIPS 2023 AI for Science Workshop"


def test_a_bracket_with_only_a_year_has_no_venue() -> None:
    entry = parse_markdown(ONE_LINE).entries[4]
    assert (entry.year, entry.venue) == (2024, None)


def test_unreadable_lines_are_reported_with_their_line() -> None:
    result = parse_markdown(ONE_LINE)
    assert len(result.entries) == 5
    assert result.problems == [
        (8, "no **title** after the bracket"),
        (9, "no (http...) link after the title"),
    ]


def test_bullet_layout_with_mojibake_kind_prefix_and_missing_year() -> None:
    result = parse_markdown(BULLETS, "pathology.md")
    assert [e.title for e in result.entries] == ["Text-Guided Adaptation", "No year here"]
    first, second = result.entries
    assert first.headings == ("Adaptation of Foundation Models", "Pathological Classification")
    assert (first.kind_hint, first.venue, first.year) == ("Conference", "MICCAI", 2023)
    assert first.links == (
        ("PDF", "https://link.springer.com/chapter/10.1007/978-3-031-43904-9_27"),
        ("Code", "https://github.com/Yunkun-Zhang/CITE"),
    )
    # "Journal of Physics:" is a venue's name, not a "Journal:" kind prefix.
    assert (second.kind_hint, second.venue, second.year) == (
        None,
        "Journal of Physics: Conference Series",
        None,
    )
    assert result.problems == [(14, "no paper link under this item")]


def test_code_fences_are_skipped() -> None:
    result = parse_markdown(BULLETS)
    assert all("code fence" not in e.title for e in result.entries)


def test_repair_mojibake() -> None:
    assert repair_mojibake("A visual\u00e2\u20ac\u201comics model") == "A visual\u2013omics model"
    assert repair_mojibake("\u00f0\u0178\u201c\u0153 Title") == "\U0001f4dc Title"
    # Correct text, even with accents, is left alone.
    assert repair_mojibake("Réseau de neurones") == "Réseau de neurones"
    assert repair_mojibake("plain ascii") == "plain ascii"


def test_a_year_inside_a_venue_name_is_kept_as_written() -> None:
    text = (
        "## Visual Representation Learning Models\n"
        "11. \U0001f4dc **PLUTO: Pathology-Universal Transformer**\n"
        "    - \U0001f4d6 ICML 2024 FM-Wild Workshop\n"
        "    - \U0001f4c4 [PDF](https://openreview.net/forum?id=wy6RHXsEeM)\n"
        "12. \U0001f4dc **Other**\n"
        "    - \U0001f4d6 Journal: Nature BME 2025\n"
        "    - \U0001f4c4 [PDF](https://www.nature.com/articles/s41551-025-01488-4)\n"
    )
    first, second = parse_markdown(text).entries
    assert (first.year, first.venue, first.venue_as_written) == (
        2024,
        "ICML FM-Wild Workshop",
        "ICML 2024 FM-Wild Workshop",
    )
    assert (second.year, second.venue, second.venue_as_written) == (
        2025,
        "Nature BME",
        "Nature BME",
    )


OTHER_LAYOUTS = """\
# Reading list

Some prose with a [link](https://example.org/blog) that is not a paper.

## Linked titles
- [First paper](https://arxiv.org/abs/2401.00001) - Nature Methods 2024
- [Second paper](https://www.biorxiv.org/content/10.1101/2024.01.01.000001v1) (bioRxiv, 2024) [[code]](https://github.com/lab/second)
* [Third paper](https://openreview.net/forum?id=abc)
1. **scThing**: [Fourth paper](https://arxiv.org/abs/2402.00002) - ICML 2024
- [Table of contents entry](#linked-titles)
- a list item without any link

## A table
| Name | Title | Venue | Year | Link | Code |
|------|-------|-------|------|------|------|
| **Fifth** | [Fifth paper](https://arxiv.org/abs/2403.00003) | CVPR | 2024 | | [repo](https://github.com/lab/fifth) |
| | Sixth paper | arXiv | 2023 | https://arxiv.org/abs/2303.00006 | |
| | Seventh paper, no link | arXiv | 2023 | | |

| Just | A table |
|---|---|
| without | titles |
"""


def test_linked_title_bold_name_and_table_layouts() -> None:
    result = parse_markdown(OTHER_LAYOUTS, "list.md")
    got = [(e.line, e.title, e.model_tag, e.year, e.venue) for e in result.entries]
    assert got == [
        (6, "First paper", None, 2024, "Nature Methods"),
        (7, "Second paper", None, 2024, "bioRxiv"),
        (8, "Third paper", None, None, None),
        (9, "Fourth paper", "scThing", 2024, "ICML"),
        (16, "Fifth paper", "Fifth", 2024, "CVPR"),
        (17, "Sixth paper", None, 2023, "arXiv"),
    ]
    second = result.entries[1]
    assert second.links == (
        ("paper", "https://www.biorxiv.org/content/10.1101/2024.01.01.000001v1"),
        ("code", "https://github.com/lab/second"),
    )
    fifth = result.entries[4]
    assert fifth.headings == ("Reading list", "A table")
    assert fifth.links == (
        ("paper", "https://arxiv.org/abs/2403.00003"),
        ("repo", "https://github.com/lab/fifth"),
    )
    assert result.entries[5].links == (("link", "https://arxiv.org/abs/2303.00006"),)


def test_every_line_not_taken_is_reported() -> None:
    result = parse_markdown(OTHER_LAYOUTS, "list.md")
    assert result.problems == [(18, "a table row without an http(s) link")]
    assert result.skipped == [
        (3, "not a paper: no title in a layout the importer reads"),
        (10, "not a paper: a link within the page"),
        (11, "not a paper: no http(s) link"),
        (22, "not a paper: a table without a title column"),
    ]


def test_lines_with_control_characters_are_refused_and_reported() -> None:
    text = (
        "## FM\n"
        "1. [2024 Nature] **Evil\x1b]0;title\x07** [[paper]](https://example.org/a)\n"
        "1. [2024 Nature] **Fine** [[paper]](https://example.org/b)\n"
        "1. [2024 Nature] **Bidi \u202etxt.exe** [[paper]](https://example.org/c)\n"
    )
    result = parse_markdown(text)
    assert [e.title for e in result.entries] == ["Fine"]
    assert result.problems == [
        (2, "control character U+001B (ESC) is not allowed (column 24); line left out"),
        (
            4,
            "bidirectional control U+202E (RIGHT-TO-LEFT OVERRIDE) is not allowed (column 25); line left out",
        ),
    ]


def test_only_lf_crlf_and_cr_end_lines() -> None:
    # str.splitlines() also breaks at FF, FS..RS and NEL: each would shift the lines after.
    text = (
        "## FM\r\n"
        "1. [2024 Nature] **Form\x0cfeed** [[paper]](https://example.org/a)\r"
        "1. [2024 Nature] **Group\x1dsep** [[paper]](https://example.org/b)\n"
        "1. [2024 Nature] **Next\x85line** [[paper]](https://example.org/c)\n"
        "1. [2024 Nature] **Fine** [[paper]](https://example.org/d)\n"
    )
    result = parse_markdown(text, "list.md")
    assert [(e.title, e.line) for e in result.entries] == [("Fine", 5)]
    assert [line for line, _ in result.problems] == [2, 3, 4]
    assert result.file == "list.md" and parse_markdown("", "dir/empty.md").file == "empty.md"


@pytest.mark.timeout(30)
def test_a_long_heading_line_is_read_in_linear_time() -> None:
    # "# a", 20,000 spaces, "x": a pattern with \s*#*\s*$ after the text took minutes.
    result = parse_markdown("# a" + " " * 20_000 + "x\n## Title ##\n### C#\n")
    assert [text[:1] for _, text, _ in result.headings][:1] == ["a"]
    assert [text for _, text, _ in result.headings][1:] == ["Title", "C#"]
