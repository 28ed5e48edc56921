"""The shipped catalogue: golden figures, known flags, and a line-by-line check against the sources.

The source check reads the two lists with its own small parser (not the package's importer),
so that a bug in the importer cannot hide a wrong entry.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit

import pytest
import yaml

import fm_papers
from fm_papers import derive
from fm_papers.curation import naming

REPO = Path(__file__).resolve().parent.parent
SOURCES = REPO / "curation" / "sources"
FILES = ("single-cell.md", "pathology.md")

_URL = re.compile(r"\]\((https?://(?:[^()\s]|\([^()\s]*\))+)\)")
_YEAR = re.compile(r"(?<![\d.])((?:19|20)\d\d)(?![\d.])")


def _repair(line: str) -> str:
    try:
        return line.encode("cp1252").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return line


class SourceLine(NamedTuple):
    """A numbered item of a source list, as this file's own parser reads it."""

    line: int
    title: str
    urls: list[str]
    year: int | None
    venue: str | None


def _source_lines(name: str) -> list[SourceLine]:
    """Each numbered item of a source list: line, title, URLs, year, venue text."""
    lines = [_repair(line) for line in (SOURCES / name).read_text(encoding="utf-8").splitlines()]
    items: list[SourceLine] = []
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
            SourceLine(
                line=number,
                title=title.strip(),
                urls=urls,
                year=int(year.group(1)) if year else None,
                venue=re.sub(r"\s+", " ", venue).strip(" ,") or None,
            )
        )
    return items


@pytest.fixture(scope="module")
def catalogue() -> fm_papers.Catalogue:
    return fm_papers.load()


def test_golden_counts(catalogue: fm_papers.Catalogue) -> None:
    assert len(_source_lines("single-cell.md")) == 127
    assert len(_source_lines("pathology.md")) == 79
    assert len(catalogue) == 195
    assert sum(len(p.sources) for p in catalogue) == 206
    counts = {d: len(catalogue.query(domain=d)) for d in catalogue.taxonomy.domain_keys()}
    assert counts == {"single-cell": 120, "pathology": 76}


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
        "pretrained": 42,
        "vision": 19,
        "vision-representation": 17,
        "vision-task-specific": 2,
        "multimodal": 23,
        "multimodal-representation": 15,
        "multimodal-llm": 9,
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
            papers = by_source.pop((name, item.line), [])
            assert len(papers) == 1, f"{name}:{item.line} maps to {len(papers)} entries"
            paper = papers[0]
            where = f"{name}:{item.line} ({paper.id})"
            assert naming.normalise_title(item.title) == naming.normalise_title(paper.title), where
            # Each link, its tracking parameters left out.
            urls = {derive.without_tracking(url)[0] for url in item.urls}
            assert urls <= {link.url for link in paper.links}, where
            assert item.year == paper.year or (item.year is None and len(paper.sources) > 1)
            if item.venue is None:
                assert paper.venue is None or len(paper.sources) > 1, where
            else:
                match = catalogue.venues.match(item.venue)
                assert match is not None, where
                # The source's venue, or, where the paper link proves another, the one shown
                # instead (the source's kept as written).
                written = catalogue.venues.match(paper.venue_as_written or "")
                shown = paper.venue if written is None or paper.id not in PROVED else None
                assert match.venue.name in (shown, written and written.venue.name), where
            checked += 1
    assert checked == 206
    assert by_source == {}, "entries name source lines that are not entry lines"


def test_titles_are_those_of_the_first_source_line(catalogue: fm_papers.Catalogue) -> None:
    lines = {(name, i.line): i for name in FILES for i in _source_lines(name)}
    for paper in catalogue:
        first = paper.sources[0]
        assert paper.title == lines[(first.file, first.line)].title


def test_merged_papers(catalogue: fm_papers.Catalogue) -> None:
    both = [p for p in catalogue if len(p.domains) > 1]
    assert [p.id for p in both] == ["omiclip"]
    assert both[0].sections == ("fm", "multimodal-representation")
    shared = catalogue.get("prov-gigapath")
    assert shared.sections == ("pathology-fm", "vision-representation")
    assert [s.file for s in shared.sources] == ["single-cell.md", "pathology.md"]
    rotation = catalogue.get("pathdino")
    # The source labels both "Code"; the github.io site is the project's page.
    assert [(link.kind, link.url) for link in rotation.links[1:]] == [
        ("project", "https://kimialabmayo.github.io/PathDino-Page/"),
        ("code", "https://github.com/KimiaLabMayo/PathDino"),
    ]


KNOWN_FLAGS = {
    "listed-twice": {"bmfm-rna", "prompt-mil", "pathdino"},
    "missing-venue": {"single-cell-metadata-2024"},
    "missing-year": {"all-in-sam", "beph", "seganypath", "tissue-concepts"},
    "preprint-server-mismatch": {
        "applying-large-language-2025",
        "benchmarking-transcriptomics-foundation-2024",
        "biomedparse",
        "celllm",
        "diversity-design-addressing-2025",
        "evaluation-large-language-2023",
        "language-enhanced-representation-2025",
        "large-language-models-meet-2025",
        "scdrugmap",
        "schyena",
        "scmformer",
        "stofm",
    },
    "shared-paper-url": {
        "dispro",
        "vlsa",
        "how-build-virtual-2024",
        "mini-review-perturbation-2024",
    },
    "title-variants": {"pathdino", "plip"},
    "tracking-parameters": {"hipt", "benchmarking-self-supervised-2023", "mi-zero"},
    "venue-kind-mismatch": {"mscpt", "clipath"},
    "venue-publisher-mismatch": {"overcoming-barriers-wide-2025", "mini-review-perturbation-2024"},
    "year-mismatch": {"biollm", "top"},
}


#: The papers whose own link proves another venue than the source's: shown with it.
PROVED = {
    # The source says bioRxiv; the paper link is on arXiv.
    "applying-large-language-2025": ("arXiv", "biorxiv"),
    "benchmarking-transcriptomics-foundation-2024": ("arXiv", "biorxiv"),
    "biomedparse": ("arXiv", "bioRxiv"),
    "celllm": ("arXiv", "biorxiv"),
    "diversity-design-addressing-2025": ("arXiv", "biorxiv"),
    "evaluation-large-language-2023": ("arXiv", "bioRxiv"),
    "language-enhanced-representation-2025": ("arXiv", "biorxiv"),
    "large-language-models-meet-2025": ("arXiv", "bioRxiv"),
    "scdrugmap": ("arXiv", "biorxiv"),
    "schyena": ("arXiv", "bioRxiv"),
    "stofm": ("arXiv", "BioRxiv"),
    # The DOI's journal code (s41587).
    "overcoming-barriers-wide-2025": ("Nature Biotechnology", "Nature Methods"),
}


def test_the_venue_the_paper_link_proves_is_shown(catalogue: fm_papers.Catalogue) -> None:
    """A venue the paper's own link proves wins over the source's, which stays as written, with
    the flag saying what the source wrote; a link another paper shares proves nothing."""

    def source_venue(paper: fm_papers.Paper) -> str | None:
        match = catalogue.venues.match(paper.venue_as_written or "")
        return match.venue.name if match else None

    shown_instead = {
        p.id: (p.venue, p.venue_as_written)
        for p in catalogue
        if p.venue_as_written is not None and source_venue(p) not in (None, p.venue)
    }
    assert shown_instead == PROVED
    for paper_id in PROVED:
        paper = catalogue.get(paper_id)
        assert paper.url is not None
        assert paper.venue == derive.proved_venue(paper.url, "preprint")
        assert any(f.kind.endswith("-mismatch") for f in paper.flags)
    # The Cell link of mini-review-perturbation-2024 is how-build-virtual-2024's: its venue
    # stays the source's, flagged.
    mini = catalogue.get("mini-review-perturbation-2024")
    assert (mini.venue, mini.venue_as_written) == (
        "Computational and Structural Biotechnology Journal",
        None,
    )


def test_no_shipped_link_carries_tracking_parameters(catalogue: fm_papers.Catalogue) -> None:
    links = [link.url for paper in catalogue for link in paper.links]
    assert [url for url in links if derive.without_tracking(url)[1]] == []
    for paper_id in KNOWN_FLAGS["tracking-parameters"]:
        (cleaned,) = [f for f in catalogue.get(paper_id).flags if f.kind == "tracking-parameters"]
        assert cleaned.message.startswith("the source's link https://openaccess.thecvf.com/")


def test_known_flags(catalogue: fm_papers.Catalogue) -> None:
    found: dict[str, set[str]] = {}
    for paper in catalogue.flagged():
        for flag in paper.flags:
            found.setdefault(flag.kind, set()).add(paper.id)
    assert found == KNOWN_FLAGS
    assert len(catalogue.flagged()) == 33
    assert sum(len(p.flags) for p in catalogue) == 35


def test_flag_details(catalogue: fm_papers.Catalogue) -> None:
    shared = catalogue.get("how-build-virtual-2024").flags[0]
    assert shared.related == ("mini-review-perturbation-2024",)
    publisher = catalogue.get("overcoming-barriers-wide-2025").flags[0]
    assert publisher.message == (
        "the source gives the venue Nature Methods, but the paper link names Nature Biotechnology"
    )
    # A Cell PII (S0092-8674) under a Computational and Structural Biotechnology Journal venue.
    (cell,) = [
        f for f in catalogue.get("mini-review-perturbation-2024").flags if "Cell" in f.message
    ]
    assert cell.message == (
        "the source gives the venue Computational and Structural Biotechnology Journal, but the "
        "paper link names Cell"
    )
    # A missing year is flagged, with the year the link names as a hint, never filled in.
    beph = catalogue.get("beph")
    assert beph.year is None
    assert beph.flags[0].message == (
        "no source line gives a year (the paper link's identifier names 2025)"
    )
    # "Conference: ICCVW": a workshop is not a conference.
    assert catalogue.get("clipath").flags[0].message == (
        "the source calls ICCV Workshops a conference; it is a workshop"
    )
    assert catalogue.get("biollm").flags[0].message == (
        "the year is 2024, but the link's identifier names 2025"
    )
    # A shared *code* repository is normal: PathAsst and PathCLIP share one, unflagged.
    assert not catalogue.get("pathasst").flags


def test_venue_abbreviations_normalise(catalogue: fm_papers.Catalogue) -> None:
    nm = catalogue.get("causal-identification-single-2023")
    assert (nm.venue, nm.venue_as_written, nm.venue_kind) == ("Nature Methods", "NM", "journal")
    bme = catalogue.get("gpfm")
    assert (bme.venue, bme.venue_as_written) == ("Nature Biomedical Engineering", "Nature BME")
    noted = catalogue.get("uni")
    assert (noted.venue, noted.notes) == ("Nature Medicine", ("FM4Pathology",))
    # A year inside a venue's name is kept as written; one that only opens or closes it is not.
    assert catalogue.get("pluto").venue_as_written == "ICML 2024 FM-Wild Workshop"
    assert catalogue.get("wsi-sam").venue_as_written == "MICCAI 2024 Workshop"
    assert catalogue.get("computational-pathology-health-2024").venue_as_written == (
        "AAAI 2024 Spring Symposium"
    )
    assert catalogue.get("hipt").venue_as_written is None  # "Conference: CVPR, 2022"


#: Hosts of pages of the paper itself: the publisher's (PMC, PubMed), a preprint server's, the
#: proceedings' or the conference's, OpenReview's (the manual's data model page lists them).
PAPERS_OWN_PAGES = {
    "arxiv.org", "www.arxiv.org", "ar5iv.labs.arxiv.org", "pmc.ncbi.nlm.nih.gov",
    "pubmed.ncbi.nlm.nih.gov", "www.biorxiv.org", "medrxiv.org", "www.medrxiv.org",
    "openaccess.thecvf.com", "cvpr.thecvf.com", "papers.nips.cc", "proceedings.neurips.cc",
    "nips.cc", "proceedings.mlr.press", "aclanthology.org", "icml.cc", "iclr.cc",
    "proceedings.iclr.cc", "openreview.net", "www.ecva.net", "ojs.aaai.org",
}  # fmt: skip
#: The reviewed authors, by id (curation/authors.yaml).
AUTHORS_FILE = yaml.safe_load((REPO / "curation" / "authors.yaml").read_text(encoding="utf-8"))
AUTHORS = {record["id"]: record for record in AUTHORS_FILE["papers"]}


def test_authors(catalogue: fm_papers.Catalogue) -> None:
    """Every paper has its reviewed authors with the page they were read from, or is named
    among those without, with why."""
    with_authors = [p for p in catalogue if p.authors]
    assert len(with_authors) == 102
    assert {p.id for p in catalogue if not p.authors} == set(AUTHORS_FILE["without_authors"])
    assert all(why.strip() for why in AUTHORS_FILE["without_authors"].values())
    for paper in with_authors:
        source = paper.authors_source
        assert source is not None and source.url.startswith(("https://", "http://")), paper.id
        record = AUTHORS[paper.id]
        assert [a.inverted for a in paper.authors] == [
            a if isinstance(a, str) else a["name"] for a in record["authors"]
        ], paper.id
        assert not any("et al" in a.inverted for a in paper.authors), paper.id
        # A page that is not the paper's own counts with another, independent one.
        host = urlsplit(source.url).hostname
        if host not in PAPERS_OWN_PAGES:
            others = {urlsplit(url).hostname for url in source.also} - {host}
            assert others - ({"github.com"} if host == "github.com" else set()), paper.id
    assert sum(len(p.authors) for p in catalogue) == 883
    uni = catalogue.get("uni")
    assert (uni.short_authors, uni.author_year) == ("Chen et al.", "Chen et al., 2024")
    assert uni.authors_source is not None and uni.authors_source.version == "journal"


def test_derived_fields(catalogue: fm_papers.Catalogue) -> None:
    scgpt = catalogue.get("scgpt")
    assert (scgpt.model, scgpt.doi, scgpt.arxiv) == ("scGPT", "10.1038/s41592-024-02201-0", None)
    assert catalogue.get("bmfm-rna").arxiv == "2506.14861"
    assert catalogue.get("virchow2").links[1].kind == "weights"
    # DOIs of Oxford Academic and IOP links.
    assert catalogue.get("cell-graphcompass").doi == "10.1093/nsr/nwaf255"
    assert catalogue.get("progress-opportunities-foundation-2024").doi == "10.1093/bib/bbae548"
    assert catalogue.get("all-in-sam").doi == "10.1088/1742-6596/2722/1/012012"
    scpretrain = catalogue.get("scpretrain")
    assert scpretrain.url is not None
    assert derive.doi(scpretrain.url) is None  # an OUP page number is not a DOI...
    assert scpretrain.doi == "10.1093/bioinformatics/btac007"  # ...MEDLINE's record gives it
    # Every DOI and arXiv id is what the rule gives for the paper link, else the one the
    # reviewed authors' page gave (curation/authors.yaml), where the link gives none.
    for paper in catalogue:
        assert paper.url is not None, "every shipped paper has a link"
        record = AUTHORS.get(paper.id, {})
        assert paper.doi == (derive.doi(paper.url) or record.get("doi")), paper.id
        assert paper.arxiv == (derive.arxiv_id(paper.url) or record.get("arxiv")), paper.id


def test_ids_are_unique_slugs(catalogue: fm_papers.Catalogue) -> None:
    ids = [p.id for p in catalogue]
    assert len(set(ids)) == len(ids) == 195
    assert Counter(re.fullmatch(r"[a-z0-9][a-z0-9-]*", i) is not None for i in ids) == {True: 195}
    names = [name.casefold() for p in catalogue for name in (p.id, *p.aliases)]
    assert len(names) == len(set(names)), "no id or alias names two papers"


LANDMARKS = {
    "uni": "UNI",
    "conch": "CONCH",
    "prov-gigapath": "Prov-GigaPath",
    "virchow": "Virchow",
    "virchow2": "Virchow2",
    "chief": "CHIEF",
    "musk": "MUSK",
    "hipt": "HIPT",
    "gpfm": "GPFM",
    "mstar": "mSTAR",
    "plip": "PLIP",
    "pathchat": "PathChat",
    "ctranspath": "CTransPath",
    "phikon": "Phikon",
    "state": "STATE",
    "scmformer": "scmFormer",
    "histogpt": "HistoGPT",
    "saturn": "SATURN",
    "scgpt": "scGPT",
    "geneformer": "GeneFormer",
    "scfoundation": "scFoundation",
}


@pytest.mark.parametrize(("paper_id", "name"), LANDMARKS.items())
def test_landmark_models_are_found_by_their_names(
    catalogue: fm_papers.Catalogue, paper_id: str, name: str
) -> None:
    paper = catalogue.get(name.lower())
    assert (paper.id, paper.model, paper.kind) == (paper_id, name, "model")
    assert catalogue.get(name) is paper
    assert paper in catalogue.query(search=name)


def test_short_names_and_kinds(catalogue: fm_papers.Catalogue) -> None:
    assert sum(1 for p in catalogue if p.model) == 135
    assert Counter(p.kind for p in catalogue) == {
        "model": 110,
        "benchmark": 33,
        "application": 32,
        "survey": 18,
        "dataset": 2,
    }
    # A benchmark or dataset keeps its name without being called a model.
    assert (catalogue.get("bend").model, catalogue.get("bend").kind) == ("BEND", "benchmark")
    assert catalogue.get("quilt-1m").kind == "dataset"
    assert catalogue.get("gigapath").aliases == ("whole-slide-foundation-2024", "gigapath")


#: The ids of version 0.1 that 0.2 renamed: each stays valid as an alias of the same paper.
RENAMED_IN_0_2 = {
    "benchmarking-cell-type-2025": "anndictionary",
    "deep-learning-based-2025": "deep-learning-based-genetic-2025",
    "large-language-models-2025": "large-language-models-meet-2025",
    "large-language-model-2025": "large-language-model-consensus-2025",
    "scaling-large-language-2025": "c2s-scale",
    "simple-effective-embedding-2025": "genept",
    "visual-omics-foundation-2025": "omiclip",
    "pre-trained-large-2025": "sctranslator",
    "cell-atlas-foundation-2024": "scimilarity",
    "cell-ontology-guided-2024": "sccello",
    "large-scale-characterization-2024": "nichecompass",
    "scmformer-integrates-large-2024": "scmformer",
    "large-scale-cell-2023": "celllm",
    "predicting-rna-seq-2023": "borzoi",
    "single-cell-foundation-models-2025": "scfme",
    "predicting-cellular-responses-2025": "state",
    "causal-identification-single-2023": "cinema-ot",
    "whole-slide-foundation-2024": "prov-gigapath",
    "general-purpose-foundation-2024": "uni",
    "visual-language-foundation-2024": "conch",
    "visual-language-foundation-2023": "plip",
    "scaling-vision-transformers-2022": "hipt",
    "transformer-based-unsupervised-2022": "ctranspath",
    "scaling-self-supervised-2023": "phikon",
    "foundation-model-clinical-2024": "virchow",
    "rotation-agnostic-image-2024": "pathdino",
    "generalizable-pathology-foundation-2025": "gpfm",
    "multistain-pretraining-slide-2024": "madeleine",
    "virchow-2": "virchow2",
    "tissue-concepts-supervised": "tissue-concepts",
    "foundation-model-generalizable": "beph",
    "foundation-models-fast-2025": "fastglioma",
    "visual-language-pretrained-2023": "mi-zero",
    "knowledge-enhanced-visual-2024": "kep",
    "transcriptomics-guided-slide-2024": "tangle",
    "multimodal-knowledge-enhanced-2024": "mstar",
    "pathology-foundation-model-2024": "chief",
    "vision-language-foundation-2025": "musk",
    "multimodal-generative-ai-2024": "pathchat",
    "generating-dermatopathology-reports-2025": "histogpt",
    "text-guided-foundation-2023": "cite",
    "rise-ai-language-2024": "top",
    "generalizable-whole-slide-2024": "five",
    "feature-re-embedding-2024": "rrt-mil",
    "hierarchical-text-vision-2024": "hlss",
    "prompting-vision-foundation-2024": "qap",
    "prompting-whole-slide-2024": "promptbio",
    "unleashing-power-prompt-2024": "promptnucseg",
    "zero-shot-nuclei-2023": "vlpmnud",
    "interpretable-vision-language-2025": "vlsa",
    "distilled-prompt-learning-2025": "dispro",
}


def test_the_ids_of_0_1_still_name_their_papers(catalogue: fm_papers.Catalogue) -> None:
    for old, new in RENAMED_IN_0_2.items():
        assert catalogue.get(old).id == new
        assert old in catalogue.get(new).aliases
    assert len(RENAMED_IN_0_2) == 51
    assert sum(len(p.aliases) for p in catalogue) == 51 + 2  # + gigapath, Loki


def test_the_ledger_holds_every_id_and_alias(catalogue: fm_papers.Catalogue) -> None:
    ledger = yaml.safe_load((REPO / "curation" / "ids.yaml").read_text(encoding="utf-8"))
    records = {record["id"]: record for record in ledger["papers"]}
    assert set(records) == set(catalogue.ids())
    for paper in catalogue:
        record = records[paper.id]
        assert paper.title in record["titles"]
        assert paper.url in record["urls"]
        assert set(record.get("aliases", ())) <= set(paper.aliases)
        assert "retired" not in record and "merged_into" not in record


def test_source_lines_not_read_as_papers_are_known() -> None:
    from fm_papers.curation.importer import parse_markdown

    skipped = {
        name: parse_markdown((SOURCES / name).read_text(encoding="utf-8"), name).skipped
        for name in FILES
    }
    assert skipped["single-cell.md"] == []
    reasons = Counter(reason for _, reason in skipped["pathology.md"])
    assert reasons == {
        "not a paper: a badge": 3,
        "not a paper: a link within the page": 12,  # the table of contents
    }


def test_the_shipped_data_is_what_the_build_gives() -> None:
    result = subprocess.run(
        [sys.executable, str(REPO / "curation" / "build.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "up to date" in result.stdout


def test_each_source_list_is_the_one_its_origin_records() -> None:
    """Every source list read has its origin and digest recorded in curation.yaml."""
    curation = yaml.safe_load((REPO / "curation" / "curation.yaml").read_text(encoding="utf-8"))
    assert set(curation["origins"]) == set(curation["sources"])
    for name, record in curation["origins"].items():
        digest = hashlib.sha256((REPO / "curation" / name).read_bytes()).hexdigest()
        assert (name, digest) == (name, record["sha256"])
        assert record["origin"].strip()
