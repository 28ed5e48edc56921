"""The naming rules of fm_papers.curation.naming, each on titles and links of real entries, rejects too."""

from __future__ import annotations

import pytest

from fm_papers.curation import naming


@pytest.mark.parametrize(
    ("title", "name"),
    [
        # A one-word lead-in, or a word and a number.
        ("scGPT: toward building a foundation model for single-cell multi-omics", "scGPT"),
        ("VIRCHOW 2: SCALING SELF-SUPERVISED MIXED MAGNIFICATION MODELS IN PATHOLOGY", "VIRCHOW 2"),
        ("PathGen-1.6M: 1.6 Million Pathology Image-text Pairs Generation", "PathGen-1.6M"),
        # A coined first word.
        (
            "scmFormer Integrates Large-Scale Single-Cell Proteomics and Transcriptomics",
            "scmFormer",
        ),
        # A coined name the title introduces at its end.
        (
            "Predicting cellular responses to perturbation across diverse contexts with STATE",
            "STATE",
        ),
        (
            "Generating dermatopathology reports from gigapixel whole slide images with HistoGPT",
            "HistoGPT",
        ),
        (
            "Causal identification of single-cell experimental perturbation effects with CINEMA-OT",
            "CINEMA-OT",
        ),
        (
            (
                "Toward universal cell embeddings: integrating single-cell RNA-seq datasets across "
                "species with SATURN"
            ),
            "SATURN",
        ),
        # An acronym the title spells out.
        ("Single Cell Foundation Models Evaluation (scFME) for In-Silico Perturbation", "scFME"),
        # Rejects: a longer lead-in is a phrase; ordinary words; terms; plain "with" phrases.
        ("Reusability report: Exploring the transferability of self-supervised learning", None),
        ("Transfer learning enables predictions in network biology", None),
        (
            "A visual-language foundation model for pathology image analysis using medical Twitter",
            None,
        ),
        (
            "Toward a foundation model of causal cell and tissue biology with a Perturbation Cell and Tissue Atlas",
            None,
        ),
        ("scRNA-seq atlases of the developing brain", None),
        ("mRNA decay shapes the transcriptome", None),
        ("A study of many things (SAM) in cells", None),  # the letters are not the initials
        ("TEDDY: A FAMILY OF FOUNDATION MODELS FOR UNDERSTANDING SINGLE CELL BIOLOGY", "TEDDY"),
        ("A FOUNDATION MODEL WITH STATE", None),  # in capitals every word looks coined
        # A word for the kind of text is no name; nor a compound adjective or a general tool.
        ("Review: foundation models for single-cell biology", None),
        ("Correction: scGPT toward building a foundation model", None),
        ("scRNA-seq-based atlas of the developing brain", None),
        ("iPSC-derived neurons in a dish", None),
        ("LLM-guided cell type annotation at scale", None),
        ("Annotating single cells with LLMs", None),
        ("Annotating single cells with GPT-4", None),
        # Sentence punctuation is not part of the name.
        ("Predicting cellular responses to perturbation with STATE.", "STATE"),
        # No rule of the title names a term, an adjective or a tool; a rejected lead-in
        # leaves the later rules to try.
        ("scRNA-seq: a primer", None),
        ("LLMs: annotating single cells", None),
        ("Cell annotation by a Large Language Model (LLM)", None),
        ("Review: Annotating single cells with CellFM", "CellFM"),
    ],
)
def test_name_from_title(title: str, name: str | None) -> None:
    assert naming.name_from_title(title) == name


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("https://github.com/mahmoodlab/UNI", "UNI"),
        ("http://github.com/mahmoodlab/CONCH", "CONCH"),
        ("https://github.com/prov-gigapath/prov-gigapath", "prov-gigapath"),
        ("https://huggingface.co/paige-ai/Virchow", "Virchow"),
        ("https://github.com/hms-dbmi/CHIEF", "CHIEF"),
        ("https://github.com/lilab-stanford/MUSK", "MUSK"),
        ("https://github.com/birkhoffkiki/GPFM/tree/master", "GPFM"),
        ("https://github.com/Innse/mSTAR", "mSTAR"),
        ("https://github.com/KimiaLabMayo/PathDino", "PathDino"),
        ("https://github.com/windygoo/PromptNucSeg", "PromptNucSeg"),
        ("https://github.com/wuyongjianCODE/VLPMNuD", "VLPMNuD"),
        # Rejects: descriptions, generic words, labs, sites, not a repository.
        ("https://github.com/lunit-io/benchmark-ssl-pathology#pre-trained-weights", None),
        ("https://github.com/FraunhoferMEVIS/MedicalMultitaskModeling", None),
        ("https://github.com/hvcl/SAM_Interactive_Histopathology", None),
        ("https://github.com/superjamessyx/Generative-Foundation-AI-Assistant-for-Pathology", None),
        ("https://github.com/someone/code", None),
        ("https://github.com/someone/main", None),
        ("https://github.com/someone/mahmoodlab", None),
        ("https://github.com/someone/someone.github.io", None),
        ("https://kimialabmayo.github.io/PathDino-Page/", None),
        ("https://tinyurl.com/webplip", None),
        ("https://github.com/mahmoodlab", None),
    ],
)
def test_name_from_repository(url: str, name: str | None) -> None:
    assert naming.name_from_repository(url) == name


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("Transformers in single-cell omics: a review and new perspectives", "survey"),
        ("A mini-review on perturbation modelling across single-cell omic modalities", "survey"),
        ("Large Language Models Meet Virtual Cell: A Survey", "survey"),
        ("BEND: Benchmarking DNA Language Models on Biologically Meaningful Tasks", "benchmark"),
        ("Zero-shot evaluation reveals limitations of single-cell foundation models", "benchmark"),
        ("Assessing GPT-4 for cell type annotation in single-cell RNA-seq analysis", "benchmark"),
        (
            (
                "Deep-learning-based gene perturbation effect prediction does not yet outperform "
                "simple linear baselines"
            ),
            "benchmark",
        ),
        ("Quilt-1M: One Million Image-Text Pairs for Histopathology", "dataset"),
        ("X: a large-scale dataset of annotated slides", "dataset"),
        # Rejects: counting cells is not presenting a dataset; a title that says nothing.
        ("scPRINT: pre-training on 50 million cells allows robust gene network predictions", None),
        ("Population-level integration of single-cell datasets enables multi-scale analysis", None),
        ("A whole-slide foundation model for digital pathology from real-world data", None),
    ],
)
def test_kind_from_title(title: str, kind: str | None) -> None:
    assert naming.kind_from_title(title) == kind


def test_compact_spellings_agree() -> None:
    assert naming.compact("Prov-GigaPath") == naming.compact("provgigapath") == "provgigapath"
    assert naming.compact("Virchow 2") == naming.compact("virchow-2") == "virchow2"


def test_titles_fold_case_dashes_and_spaces() -> None:
    assert naming.normalise_title("A visual\u2013language  model") == naming.normalise_title(
        "A Visual-Language model"
    )


def test_slug() -> None:
    assert naming.slug("scGPT-spatial") == "scgpt-spatial"
    assert naming.slug("A visual\u2013omics foundation model", words=3) == "visual-omics-foundation"
    assert naming.significant_words("Toward a model of the cell") == ["model", "cell"]


@pytest.mark.timeout(30)
@pytest.mark.parametrize(
    "title",
    [
        "Cells with A" + "." * 20_000 + " x",  # a pattern ending [.!?]*$ backtracked here
        "a " * 20_000 + "(AB)",  # and one reading the words before "(" here
        "Cells (" + "a " * 20_000,
    ],
)
def test_long_titles_are_named_in_linear_time(title: str) -> None:
    assert naming.name_from_title(title) is None
