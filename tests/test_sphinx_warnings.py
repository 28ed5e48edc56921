"""Every mistake is one located ``fm_papers`` warning naming the valid values and the nearest.

The whole warning line is asserted: file and line, text, and ``[fm_papers.<subtype>]``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from docutils import nodes
from sphinx.testing.util import SphinxTestApp
from sphinx.util.console import strip_escape_sequences

import fm_papers
from fm_papers.cli import main
from fm_papers.models import max_year

#: The ``build`` fixture of conftest.py: ``build(files, buildername)`` gives ``(app, warnings)``.
Build = Callable[..., tuple[SphinxTestApp, str]]


def _unknown(name: str) -> str:
    """The catalogue's own message for an unknown paper name (its suggestions are data)."""
    with pytest.raises(fm_papers.UnknownPaperError) as caught:
        fm_papers.load().get(name)
    return str(caught.value)


#: The columns the configuration check names (sphinxext/config.py words its own messages).
COLUMNS = "title, authors, model, kind, year, venue, venue-kind, links, domain, section, flags, notes, doi, id"
#: Each warning is ``<directive>: <what is left out>: :<option>: <detail>``, the detail worded
#: as Python's ``str()`` and the command line word it (test_one_message_everywhere).
EXPECTED = [
    (
        "index.rst:4: WARNING: fm-papers: the directive is left out: unknown option :secton:; "
        "did you mean 'section'? [fm_papers.option]"
    ),
    (
        "index.rst:7: WARNING: fm-papers: the table is left out: :section: unknown section "
        "'segmentaton'; did you mean 'segmentation'? [fm_papers.query]"
    ),
    (
        "index.rst:10: WARNING: fm-papers: the table is left out: :year: cannot read year "
        "'20x4'; write 2024, 2023-2025, 2024- (from 2024) or -2022 (until 2022) [fm_papers.query]"
    ),
    (
        "index.rst:13: WARNING: fm-papers: the table is left out: :ids: unknown paper id "
        "'scgtp'; did you mean 'scgpt' (scGPT, 2024)? [fm_papers.id]"
    ),
    (
        "index.rst:16: WARNING: fm-papers: :columns: unknown column 'yaer', left out; did you "
        "mean 'year'? [fm_papers.value]"
    ),
    (
        "index.rst:20: WARNING: fm-papers: :layout: unknown value 'grid', using 'table'; "
        "valid values: table, list, cards [fm_papers.value]"
    ),
    (
        "index.rst:24: WARNING: fm-papers: :group-by: unknown value 'yr', ignored; did you mean "
        "'year'? [fm_papers.value]"
    ),
    (
        "index.rst:28: WARNING: fm-papers: the table is left out: :venue-kind: unknown venue "
        "kind 'jornal'; did you mean 'journal'? [fm_papers.query]"
    ),
    (
        "index.rst:31: WARNING: fm-papers: the table is left out: :sort: unknown sort key "
        "'yeer'; did you mean 'year'? [fm_papers.query]"
    ),
    (
        "index.rst:34: WARNING: fm-papers-stats: :by: unknown value 'sections', using "
        "'domain'; did you mean 'section'? [fm_papers.value]"
    ),
    f"index.rst:37: WARNING: fm-paper: {_unknown('scgtp')} [fm_papers.id]",
]


@pytest.mark.sphinx("html", testroot="bad-options", freshenv=True)
def test_bad_options(app: SphinxTestApp) -> None:
    app.build()
    lines = strip_escape_sequences(app.warning.getvalue()).splitlines()
    assert lines == [f"{app.srcdir / line}" for line in EXPECTED]
    # A bad filter leaves its table out rather than showing a wider selection.
    doctree = app.env.get_doctree("index")
    shown = [n for n in doctree.findall(nodes.container) if "fm-papers" in n["classes"]]
    assert len(shown) == 4  # the columns, layout and group-by mistakes fall back


def test_suppress_one_kind(build: Build) -> None:
    source = ".. fm-papers::\n   :layout: grid\n   :limit: 1\n\n:fm-paper:`scgtp`\n"
    conf = 'extensions = ["fm_papers.sphinxext"]\nsuppress_warnings = ["fm_papers.value"]\n'
    _, warnings = build({"index.rst": "T\n=\n\n" + source, "conf.py": conf})
    assert warnings.splitlines() == [
        f"SRC/index.rst:8: WARNING: fm-paper: {_unknown('scgtp')} [fm_papers.id]"
    ]


def test_a_class_that_cannot_be_a_class_name_is_ignored(build: Build) -> None:
    source = (
        ".. fm-papers::\n   :ids: uni\n   :class: !!!\n\n"
        ".. fm-papers-stats::\n   :class: ok !!!\n\n"
        ".. fm-papers::\n   :limit: ²\n"
    )
    app, warnings = build({"index.rst": "T\n=\n\n" + source})
    assert warnings.splitlines() == [
        (
            'SRC/index.rst:4: WARNING: fm-papers: :class: cannot make "!!!" into a class name; '
            "ignored [fm_papers.value]"
        ),
        (
            'SRC/index.rst:8: WARNING: fm-papers-stats: :class: cannot make "!!!" into a class '
            "name; ignored [fm_papers.value]"
        ),
        (
            "SRC/index.rst:11: WARNING: fm-papers: the table is left out: :limit: expected a "
            "positive whole number, got '²' [fm_papers.query]"
        ),
    ]
    assert 'id="fm-paper-uni"' in (app.outdir / "index.html").read_text(encoding="utf-8")


def test_bad_config_values_fall_back(build: Build) -> None:
    conf = (
        'extensions = ["fm_papers.sphinxext"]\nfm_papers_layout = "grid"\n'
        'fm_papers_columns = "title,yaer"\nfm_papers_include_builtin = "yes"\n'
    )
    app, warnings = build(
        {"index.rst": "T\n=\n\n.. fm-papers::\n   :ids: scgpt\n", "conf.py": conf}
    )
    assert warnings.splitlines() == [
        (
            "WARNING: fm_papers_include_builtin: using the default True: expected True or False. "
            "[fm_papers.config]"
        ),
        (
            "WARNING: fm_papers_columns: using the default 'title,model,venue,year,links': unknown "
            f"column 'yaer'; did you mean 'year'? Valid values: {COLUMNS}. [fm_papers.config]"
        ),
        (
            "WARNING: fm_papers_layout: using the default 'table': unknown layout 'grid'. "
            "Valid values: table, list, cards. [fm_papers.config]"
        ),
    ]
    assert 'id="fm-paper-scgpt"' in (app.outdir / "index.html").read_text(encoding="utf-8")


def test_broken_overlay_is_one_located_error(build: Build) -> None:
    overlay = (
        "papers:\n  - id: mine\n    title: Mine\n    year: 20244\n    links:\n"
        "      - kind: paper\n        url: https://example.org/x\n    memberships:\n"
        "      - domain: pathology\n        section: segmentation\n"
    )
    conf = 'extensions = ["fm_papers.sphinxext"]\nfm_papers_extra_files = ["lab.yaml"]\n'
    index = "T\n=\n\n.. fm-papers::\n   :domain: pathology\n\n:fm-paper:`scgpt`\n"
    app, warnings = build({"index.rst": index, "conf.py": conf, "lab.yaml": overlay})
    assert warnings.splitlines() == [
        (
            f"SRC/lab.yaml:4: ERROR: entry 'mine': year: year 20244 is outside 1950..{max_year()} "
            "[fm_papers.data]"
        )
    ]
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    assert "fm-papers-item" not in html  # nothing misleading is shown


def test_unknown_option_in_myst_is_ours(build: Build) -> None:
    conf = 'extensions = ["myst_parser", "fm_papers.sphinxext"]\n'
    index = "# T\n\n```{fm-papers}\n:secton: segmentation\n```\n"
    _, warnings = build({"index.md": index, "conf.py": conf})
    assert warnings.splitlines() == [
        (
            "SRC/index.md:3: WARNING: fm-papers: the directive is left out: unknown option "
            ":secton:; did you mean 'section'? [fm_papers.option]"
        )
    ]


def test_every_warning_type_is_documented_and_asserted() -> None:
    """The types these tests see are the documented ones (the extension's code can pass no
    other: ``WarningType`` is a ``Literal`` that mypy checks)."""
    from fm_papers.sphinxext.config import WARNING_TYPES

    source = Path(__file__).read_text(encoding="utf-8")
    assert set(re.findall(r"\[fm_papers\.([a-z-]+)\]", source)) == set(WARNING_TYPES)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("kind", "modle"),  # a value near a valid one
        ("venue_kind", "magazine"),  # none near: the valid values
        ("ids", "scgtp"),  # an unknown id
        ("exclude", "no-such-paper-at-all"),  # an unknown id, nothing near
        ("sort", "-yaer"),
    ],
)
def test_one_message_everywhere(
    build: Build, capsys: pytest.CaptureFixture[str], field: str, value: str
) -> None:
    """The same mistake reads the same in Python, on the command line and in the directive:
    each names the filter as its users write it, then the same words."""
    with pytest.raises(fm_papers.QueryError) as caught:
        fm_papers.load().query(**{field: value})
    detail = caught.value.detail
    assert str(caught.value) == f"{field}: {detail}"
    assert detail.startswith("unknown ") and (field == "exclude") != ("; " in detail)

    option = field.replace("_", "-")
    assert main(["list", f"--{option}={value}"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"fm-papers list: error: --{option}: {detail}")
    # The command line may add where to look next, nothing else.
    assert err[len(f"fm-papers list: error: --{option}: {detail}") :] in (
        "\n",
        "; 'fm-papers search WORDS' finds ids\n",
    )

    _, warnings = build({"index.rst": f"T\n=\n\n.. fm-papers::\n   :{option}: {value}\n"})
    assert warnings.splitlines() == [
        (
            f"SRC/index.rst:4: WARNING: fm-papers: the table is left out: :{option}: {detail} "
            f"[fm_papers.{'id' if field in ('ids', 'exclude') else 'query'}]"
        )
    ]
