"""A bad ``fm_papers_*`` value in conf.py is one ``fm_papers.config`` warning, and the build
goes on with the default: the mistakes of each value's check, one build each."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest
from sphinx.testing.util import SphinxTestApp

from fm_papers.sphinxext.config import OPTIONS, Settings, settings

Build = Callable[..., tuple[SphinxTestApp, str]]

OVERLAY = """\
domains:
  - key: lab
    title: Lab
    sections: [{key: reading, title: Reading}]
papers:
  - id: p-one
    title: Paper one
    year: 2024
    links: [{kind: paper, url: "https://example.org/1"}]
    memberships: [{domain: lab, section: reading}]
"""
CONF = (
    'extensions = ["fm_papers.sphinxext"]\n'
    'fm_papers_extra_files = ["overlay.yaml"]\n'
    "fm_papers_include_builtin = False\n"
)
DEFAULTS = {option.name: option.default for option in OPTIONS}
LIST = "expected a list of paths (relative to the directory of conf.py)."
COLUMNS = "title, authors, model, kind, year, venue, venue-kind, links, domain, section, flags, notes, doi, id"


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        (
            'fm_papers_sort = "-yeer"',
            (
                "unknown sort key 'yeer'; did you mean 'year'? "
                "Valid values: author, id, kind, model, title, venue, venue-kind, year."
            ),
        ),
        ("fm_papers_sort = 3", "expected a string such as '-year,title'."),
        ("fm_papers_columns = 5", "expected a comma-separated string or a list of column names."),
        ('fm_papers_columns = ", ,"', "expected at least one column."),
        (
            'fm_papers_columns = ["title", "yaer"]',
            f"unknown column 'yaer'; did you mean 'year'? Valid values: {COLUMNS}.",
        ),
        ('fm_papers_extra_files = "overlay.yaml"', LIST),
        ('fm_papers_extra_files = ["overlay.yaml", 1]', LIST),
        ("fm_papers_empty_text = 3", "expected a string."),
        ('fm_papers_interactive = "no"', "expected True or False."),
    ],
)
def test_a_bad_value_is_a_warning_and_the_default(build: Build, line: str, problem: str) -> None:
    name = line.split(" = ")[0]
    page = "T\n=\n\n.. fm-papers::\n   :columns: title\n"
    app, warnings = build(
        {"conf.py": CONF + line + "\n", "overlay.yaml": OVERLAY, "index.rst": page}
    )
    default = DEFAULTS[name]
    assert warnings.splitlines() == [
        f"WARNING: {name}: using the default {default!r}: {problem} [fm_papers.config]"
    ]
    assert app.config[name] == default
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    # The build went on with the default: the overlay's paper, or (without the overlay, as
    # the default loads none) the default empty text.
    if name == "fm_papers_extra_files":
        assert '<p class="fm-papers-empty">No papers match this selection.</p>' in html
    else:
        assert 'id="fm-paper-p-one"' in html


def test_each_value_is_declared_once_and_read_as_declared(build: Build) -> None:
    """One field of Settings per value: what Sphinx registers, what conf.py sets and what the
    extension reads are the same values, under the same names."""
    assert [option.name for option in OPTIONS] == [
        f"fm_papers_{item.name}" for item in dataclasses.fields(Settings)
    ]
    app, warnings = build({"index.rst": "Page\n====\n"})
    assert warnings == ""
    assert all(app.config[option.name] == option.default for option in OPTIONS)
    assert settings(app.config) == Settings()  # the fields' defaults are the options', read
    app, _ = build(
        {
            "conf.py": CONF + 'fm_papers_columns = ["Title", " year"]\nfm_papers_sort = ""\n',
            "overlay.yaml": OVERLAY,
            "index.rst": "Page\n====\n",
        }
    )
    read = settings(app.config)
    assert (read.columns, read.sort, read.extra_files) == (("title", "year"), "", ("overlay.yaml",))
