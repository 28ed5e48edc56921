"""Each derivation rule of fm_papers.derive, on the URL shapes the sources use."""

from __future__ import annotations

from collections.abc import Callable

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
        ("https://dl.acm.org/doi/10.5555/3692070.3694600", "10.5555/3692070.3694600"),
        # Oxford Academic: a /doi/ path (the article number after it is not part of the DOI),
        # and article paths whose id is a manuscript id; a page number is not one.
        (
            "https://academic.oup.com/nsr/advance-article/doi/10.1093/nsr/nwaf255/8172492",
            "10.1093/nsr/nwaf255",
        ),
        ("https://academic.oup.com/nsr/article/12/4/nwaf028/7979309", "10.1093/nsr/nwaf028"),
        ("https://academic.oup.com/bib/article/25/6/bbae548/7842778", "10.1093/bib/bbae548"),
        ("https://academic.oup.com/bioinformatics/article/38/6/1607/6499287", None),
        # IOP: the DOI without the page's /meta.
        (
            "https://iopscience.iop.org/article/10.1088/1742-6596/2722/1/012012/meta",
            "10.1088/1742-6596/2722/1/012012",
        ),
        ("https://doi.org/10.1038/s41592-024-02201-0", "10.1038/s41592-024-02201-0"),
        ("https://www.tandfonline.com/doi/abs/10.1080/12345678.2024.1", "10.1080/12345678.2024.1"),
        ("https://ieeexplore.ieee.org/abstract/document/10756743", None),
        ("https://www.cell.com/cell/fulltext/S0092-8674(24)00301-5", None),
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


@pytest.mark.parametrize(
    ("url", "venue"),
    [
        ("https://www.nature.com/articles/s41587-025-02846-y", "Nature Biotechnology"),
        ("https://www.sciencedirect.com/science/article/pii/S2666389925001746", "Patterns"),
        ("https://www.cell.com/cell/fulltext/S0092-8674(24)01332-1", "Cell"),
        (
            "https://academic.oup.com/bib/article/25/6/bbae548/7842778",
            "Briefings in Bioinformatics",
        ),
        (
            "https://genomebiology.biomedcentral.com/articles/10.1186/s13059-025-03574-x",
            "Genome Biology",
        ),
        (
            "https://link.springer.com/article/10.1007/s10278-024-01128-4",
            "Journal of Imaging Informatics in Medicine",
        ),
        ("https://onlinelibrary.wiley.com/doi/full/10.1002/qub2.70010", "Quantitative Biology"),
        (
            "https://iopscience.iop.org/article/10.1088/1742-6596/2722/1/012012/meta",
            "Journal of Physics: Conference Series",
        ),
        ("https://openaccess.thecvf.com/content/CVPR2024/html/X_CVPR_2024_paper.html", "CVPR"),
        ("https://openaccess.thecvf.com/content/ICCV2023W/CVAMD/html/Lai.html", "ICCV Workshops"),
        ("https://proceedings.neurips.cc/paper_files/paper/2023/hash/x-Abstract.html", "NeurIPS"),
        ("https://aclanthology.org/2025.acl-long.26/", "ACL"),
        ("https://ojs.aaai.org/index.php/AAAI/article/view/28308", "AAAI"),
        # Links that name no venue: a book chapter, a preprint, OpenReview, IEEE Xplore.
        ("https://link.springer.com/chapter/10.1007/978-3-031-43904-9_27", None),
        ("https://arxiv.org/abs/2506.14861", None),
        ("https://openreview.net/forum?id=0m4VsLwj5s", None),
        ("https://ieeexplore.ieee.org/abstract/document/10756743", None),
    ],
)
def test_the_venue_a_link_names(url: str, venue: str | None) -> None:
    assert derive.linked_venue(url) == venue


@pytest.mark.parametrize(
    ("url", "repository"),
    [
        ("https://github.com/mahmoodlab/UNI", ("mahmoodlab", "UNI")),
        ("https://github.com/birkhoffkiki/GPFM/tree/master", ("birkhoffkiki", "GPFM")),
        ("https://huggingface.co/paige-ai/Virchow", ("paige-ai", "Virchow")),
        ("https://huggingface.co/datasets/owner/name", ("owner", "name")),
        ("https://github.com/owner/repo.git", ("owner", "repo")),
        ("https://github.com/mahmoodlab", None),
        ("https://tinyurl.com/webplip", None),
        ("https://kimialabmayo.github.io/PathDino-Page/", None),
    ],
)
def test_repository_of_a_link(url: str, repository: tuple[str, str] | None) -> None:
    assert derive.repository(url) == repository


def test_urls_normalise_for_identity() -> None:
    assert derive.normalise_url("http://www.Nature.com/articles/x/#top") == (
        "https://nature.com/articles/x"
    )
    # OpenReview keeps the paper's id in the query.
    assert derive.normalise_url("https://openreview.net/forum?id=abc") == (
        "https://openreview.net/forum?id=abc"
    )


def test_a_url_urllib_cannot_read_gives_nothing() -> None:
    url = "http://[bad/x"  # urlsplit raises "Invalid IPv6 URL"
    found: list[Callable[[str], object]] = [
        derive.doi,
        derive.arxiv_id,
        derive.nature_journal,
        derive.linked_venue,
    ]
    found += [derive.preprint_server, derive.url_year, derive.proceedings_year]
    assert [rule(url) for rule in found] == [None] * 7
    assert (derive.repository(url), derive.link_kind("paper", url)) == (None, "paper")
    assert derive.normalise_url(f" {url} ") == url


def test_nature_prefix_names_the_journal() -> None:
    assert derive.nature_journal("https://www.nature.com/articles/s41587-025-02846-y") == (
        "Nature Biotechnology"
    )
    assert derive.nature_journal("https://arxiv.org/abs/2506.14861") is None


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
