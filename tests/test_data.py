"""The shipped catalogue: golden figures, known flags, and a line-by-line check against the sources.

The source check reads the two lists with its own small parser (not the package's importer),
so that a bug in the importer cannot hide a wrong entry.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

import fm_papers
from fm_papers import derive

REPO = Path(__file__).resolve().parent.parent
SOURCES = REPO / "curation" / "sources"
SHARED_SEEDS = REPO.parent / "shared" / "seeds"
FILES = {"single-cell.md": "000_", "pathology.md": "003_"}

_URL = re.compile(r"\]\((https?://(?:[^()\s]|\([^()\s]*\))+)\)")
_YEAR = re.compile(r"(?<![\d.])((?:19|20)\d\d)(?![\d.])")


def _repair(line: str) -> str:
    try:
        return line.encode("cp1252").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return line


def _source_lines(name: str) -> list[dict[str, object]]:
    """Each numbered item of a source list: line, title, URLs, year, venue text."""
    lines = [_repair(line) for line in (SOURCES / name).read_text(encoding="utf-8").splitlines()]
    items: list[dict[str, object]] = []
    for number, line in enumerate(lines, start=1):
        if not re.match(r"^\d+\.\s", line):
            continue
        if "[[" in line or "][" in line:  # the one-line layout
            bracket = line[line.index("[") + 1 : line.index("]")]
            title = re.findall(r"\*\*(.+?)\*\*", line)[-1]
            urls = _URL.findall(line.replace("[[", "[").replace("]]", "]"))
        else:
            title = re.findall(r"\*\*(.+?)\*\*", line)[-1]
            block = []
            for follow in lines[number:]:
                if not follow.startswith((" ", "\t")) or not follow.strip():
                    if follow.strip():
                        break
                    continue
                block.append(follow)
            bullets = [b for b in block if "](" not in b]
            bracket = re.sub(r"^\W+", "", bullets[0]).strip() if bullets else ""
            bracket = re.sub(r"^(Conference|Journal|Preprint): ", "", bracket)
            urls = [u for b in block for u in _URL.findall(b)]
        year = _YEAR.search(bracket)
        venue = _YEAR.sub(" ", bracket, count=1) if year else bracket
        items.append(
            {
                "line": number,
                "title": title.strip(),
                "urls": urls,
                "year": int(year.group(1)) if year else None,
                "venue": re.sub(r"\s+", " ", venue).strip(" ,") or None,
            }
        )
    return items


@pytest.fixture(scope="module")
def catalogue() -> fm_papers.Catalogue:
    return fm_papers.load()


def test_golden_counts(catalogue: fm_papers.Catalogue) -> None:
    assert len(_source_lines("single-cell.md")) == 127
    assert len(_source_lines("pathology.md")) == 77
    assert len(catalogue) == 193
    assert sum(len(p.sources) for p in catalogue) == 204
    counts = {d: len(catalogue.query(domain=d)) for d in catalogue.taxonomy.domain_keys()}
    assert counts == {"single-cell": 120, "pathology": 74}


def test_section_counts(catalogue: fm_papers.Catalogue) -> None:
    counts = {n.key: len(catalogue.query(section=n.key)) for n in catalogue.taxonomy.nodes()}
    assert counts == {
        "evaluation": 24,
        "surveys": 17,
        "sc-foundation-models": 71,
        "fm-llm": 16,
        "fm": 55,
        "perturbation": 9,
        "pathology-fm": 5,
        "pretrained": 40,
        "vision": 19,
        "vision-representation": 17,
        "vision-task-specific": 2,
        "multimodal": 21,
        "multimodal-representation": 15,
        "multimodal-llm": 7,
        "multimodal-task-specific": 1,
        "adaptation": 33,
        "classification": 14,
        "segmentation": 11,
        "other-applications": 8,
    }


def test_every_source_line_maps_to_exactly_one_entry(catalogue: fm_papers.Catalogue) -> None:
    by_source: dict[tuple[str, int], list[fm_papers.Paper]] = {}
    for paper in catalogue:
        for ref in paper.sources:
            by_source.setdefault((ref.file, ref.line), []).append(paper)
    checked = 0
    for name in FILES:
        for item in _source_lines(name):
            papers = by_source.pop((name, int(item["line"])), [])  # type: ignore[call-overload]
            assert len(papers) == 1, f"{name}:{item['line']} maps to {len(papers)} entries"
            paper = papers[0]
            where = f"{name}:{item['line']} ({paper.id})"
            assert derive.normalise_title(str(item["title"])) == derive.normalise_title(
                paper.title
            ), where
            assert set(item["urls"]) <= {link.url for link in paper.links}, where  # type: ignore[arg-type]
            assert item["year"] == paper.year or (item["year"] is None and len(paper.sources) > 1)
            if item["venue"] is None:
                assert paper.venue is None or len(paper.sources) > 1, where
            else:
                match = catalogue.venues.match(str(item["venue"]))
                assert match is not None and match.venue.name == paper.venue, where
            checked += 1
    assert checked == 204
    assert by_source == {}, "entries name source lines that are not entry lines"


def test_titles_are_those_of_the_first_source_line(catalogue: fm_papers.Catalogue) -> None:
    lines = {(name, int(i["line"])): i for name in FILES for i in _source_lines(name)}  # type: ignore[call-overload]
    for paper in catalogue:
        first = paper.sources[0]
        assert paper.title == lines[(first.file, first.line)]["title"]


def test_merged_papers(catalogue: fm_papers.Catalogue) -> None:
    both = [p for p in catalogue if len(p.domains) > 1]
    assert [p.id for p in both] == ["visual-omics-foundation-2025"]
    assert both[0].sections == ("fm", "multimodal-representation")
    shared = catalogue.get("whole-slide-foundation-2024")
    assert shared.sections == ("pathology-fm", "vision-representation")
    assert [s.file for s in shared.sources] == ["single-cell.md", "pathology.md"]
    rotation = catalogue.get("rotation-agnostic-image-2024")
    assert rotation.code_urls == (
        "https://kimialabmayo.github.io/PathDino-Page/",
        "https://github.com/KimiaLabMayo/PathDino",
    )


KNOWN_FLAGS = {
    "listed-twice": {"bmfm-rna", "prompt-mil", "rotation-agnostic-image-2024"},
    "missing-venue": {"single-cell-metadata-2024"},
    "missing-year": {
        "all-in-sam",
        "foundation-model-generalizable",
        "seganypath",
        "tissue-concepts-supervised",
    },
    "preprint-server-mismatch": {
        "applying-large-language-2025",
        "benchmarking-transcriptomics-foundation-2024",
        "biomedparse",
        "diversity-design-addressing-2025",
        "evaluation-large-language-2023",
        "language-enhanced-representation-2025",
        "large-language-models-2025",
        "large-scale-cell-2023",
        "scdrugmap",
        "schyena",
        "scmformer-integrates-large-2024",
        "stofm",
    },
    "shared-paper-url": {
        "distilled-prompt-learning-2025",
        "interpretable-vision-language-2025",
        "how-build-virtual-2024",
        "mini-review-perturbation-2024",
    },
    "title-variants": {"rotation-agnostic-image-2024", "visual-language-foundation-2023"},
    "venue-kind-mismatch": {"mscpt"},
    "venue-publisher-mismatch": {"overcoming-barriers-wide-2025"},
    "year-mismatch": {"biollm", "rise-ai-language-2024"},
}


def test_known_flags(catalogue: fm_papers.Catalogue) -> None:
    found: dict[str, set[str]] = {}
    for paper in catalogue.flagged():
        for flag in paper.flags:
            found.setdefault(flag.kind, set()).add(paper.id)
    assert found == KNOWN_FLAGS
    assert len(catalogue.flagged()) == 29


def test_flag_details(catalogue: fm_papers.Catalogue) -> None:
    shared = catalogue.get("how-build-virtual-2024").flags[0]
    assert shared.related == ("mini-review-perturbation-2024",)
    publisher = catalogue.get("overcoming-barriers-wide-2025").flags[0]
    assert publisher.message == (
        "the venue is Nature Methods, but the link's article id names Nature Biotechnology"
    )
    assert catalogue.get("biollm").flags[0].message == (
        "the year is 2024, but the link's identifier names 2025"
    )
    # A shared *code* repository is normal: PathAsst and PathCLIP share one, unflagged.
    assert not catalogue.get("pathasst").flags


def test_venue_abbreviations_normalise(catalogue: fm_papers.Catalogue) -> None:
    nm = catalogue.get("causal-identification-single-2023")
    assert (nm.venue, nm.venue_as_written, nm.venue_kind) == ("Nature Methods", "NM", "journal")
    bme = catalogue.get("generalizable-pathology-foundation-2025")
    assert (bme.venue, bme.venue_as_written) == ("Nature Biomedical Engineering", "Nature BME")
    noted = catalogue.get("general-purpose-foundation-2024")
    assert (noted.venue, noted.notes) == ("Nature Medicine", ("FM4Pathology",))


def test_derived_fields(catalogue: fm_papers.Catalogue) -> None:
    scgpt = catalogue.get("scgpt")
    assert (scgpt.model, scgpt.doi, scgpt.arxiv) == ("scGPT", "10.1038/s41592-024-02201-0", None)
    assert catalogue.get("bmfm-rna").arxiv == "2506.14861"
    assert catalogue.get("virchow-2").links[1].kind == "weights"
    # Every derived DOI and arXiv id is what the rule gives for the paper link.
    for paper in catalogue:
        assert paper.doi == derive.doi(paper.url)
        assert paper.arxiv == derive.arxiv_id(paper.url)


def test_ids_are_unique_slugs(catalogue: fm_papers.Catalogue) -> None:
    ids = [p.id for p in catalogue]
    assert len(set(ids)) == len(ids) == 193
    assert Counter(re.fullmatch(r"[a-z0-9][a-z0-9-]*", i) is not None for i in ids) == {True: 193}


def test_the_shipped_data_is_what_the_build_gives() -> None:
    result = subprocess.run(
        [sys.executable, str(REPO / "curation" / "build.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "up to date" in result.stdout


@pytest.mark.skipif(not SHARED_SEEDS.is_dir(), reason="the shared seeds are not beside the repo")
def test_the_repo_sources_are_the_seed_lists() -> None:
    for name, prefix in FILES.items():
        (seed,) = SHARED_SEEDS.glob(f"{prefix}*.txt")
        assert (SOURCES / name).read_bytes() == seed.read_bytes()
