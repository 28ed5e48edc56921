"""Each derivation rule of fm_papers.derive, on the URL shapes the sources use."""

from __future__ import annotations

import pytest

from fm_papers import derive


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.nature.com/articles/s41592-024-02201-0", "10.1038/s41592-024-02201-0"),
        (
            "https://www.biorxiv.org/content/10.1101/2023.10.19.563100v1.abstract",
            "10.1101/2023.10.19.563100",
        ),
        (
            "https://www.biorxiv.org/content/biorxiv/early/2024/10/01/2024.09.30.615843.full.pdf",
            "10.1101/2024.09.30.615843",
        ),
        (
            "https://www.medrxiv.org/content/10.1101/2023.07.21.23292757v3",
            "10.1101/2023.07.21.23292757",
        ),
        (
            "https://link.springer.com/chapter/10.1007/978-3-031-90252-9_27",
            "10.1007/978-3-031-90252-9_27",
        ),
        ("https://dl.acm.org/doi/abs/10.1145/3664647.3681534", "10.1145/3664647.3681534"),
        (
            "https://genomebiology.biomedcentral.com/articles/10.1186/s13059-025-03781-6",
            "10.1186/s13059-025-03781-6",
        ),
        ("https://onlinelibrary.wiley.com/doi/full/10.1002/qub2.70010", "10.1002/qub2.70010"),
        ("https://arxiv.org/abs/2506.14861", None),
        ("https://www.sciencedirect.com/science/article/pii/S2666389925001746", None),
        ("https://openreview.net/forum?id=0m4VsLwj5s", None),
    ],
)
def test_doi_from_url(url: str, expected: str | None) -> None:
    assert derive.doi(url) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://arxiv.org/abs/2506.14861", "2506.14861"),
        ("https://arxiv.org/pdf/2306.04371.pdf", "2306.04371"),
        ("https://arxiv.org/pdf/2503.03485", "2503.03485"),
        ("https://www.biorxiv.org/content/10.1101/2025.10.22.681631v1", None),
    ],
)
def test_arxiv_id_from_url(url: str, expected: str | None) -> None:
    assert derive.arxiv_id(url) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.nature.com/articles/s41586-024-08391-z", 2024),
        ("https://www.biorxiv.org/content/10.1101/2023.09.11.557287v1", 2023),
        ("https://arxiv.org/abs/2210.14330", 2022),
        ("https://www.sciencedirect.com/science/article/pii/S2666389925001746", 2025),
        (
            "https://openaccess.thecvf.com/content/ICCV2023W/CVAMD/html/Lai_CLIPath.html",
            2023,
        ),
        ("https://proceedings.neurips.cc/paper_files/paper/2023/hash/d599b81-Abstract.html", 2023),
        ("https://github.com/mahmoodlab/UNI", None),
    ],
)
def test_year_a_url_names(url: str, expected: int | None) -> None:
    assert derive.url_year(url) == expected


def test_nature_prefix_names_the_journal() -> None:
    assert derive.nature_journal("https://www.nature.com/articles/s41587-025-02846-y") == (
        "Nature Biotechnology"
    )
    assert derive.nature_journal("https://arxiv.org/abs/2506.14861") is None


@pytest.mark.parametrize(
    ("title", "model"),
    [
        ("scGPT: toward building a foundation model", "scGPT"),
        ("VIRCHOW 2: SCALING SELF-SUPERVISED MIXED MAGNIFICATION MODELS", "VIRCHOW 2"),
        ("PathGen-1.6M: 1.6 Million Pathology Image-text Pairs", "PathGen-1.6M"),
        ("Reusability report: Exploring the transferability", None),
        ("Transfer learning enables predictions in network biology", None),
    ],
)
def test_model_from_a_one_word_lead_in(title: str, model: str | None) -> None:
    assert derive.model_from_title(title) == model


@pytest.mark.parametrize(
    ("label", "url", "kind"),
    [
        ("paper", "https://arxiv.org/abs/2401.04079", "paper"),
        ("PDF", "https://arxiv.org/abs/2401.04079", "paper"),
        ("Code", "https://github.com/mahmoodlab/HIPT", "code"),
        ("Code", "https://huggingface.co/paige-ai/Virchow", "weights"),
    ],
)
def test_link_kind(label: str, url: str, kind: str) -> None:
    assert derive.link_kind(label, url) == kind


def test_titles_fold_case_dashes_and_spaces() -> None:
    assert derive.normalise_title("A visual\u2013language  model") == derive.normalise_title(
        "A Visual-Language model"
    )


def test_slug() -> None:
    assert derive.slug("scGPT-spatial") == "scgpt-spatial"
    assert derive.slug("A visual\u2013omics foundation model", words=3) == "visual-omics-foundation"
