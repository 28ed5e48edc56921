"""Sphinx configuration of the fm-papers manual (example_docs/)."""

from __future__ import annotations

import shlex
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

project = "fm-papers"
author = "The fm-papers team"
copyright = "2026, The fm-papers team"
release = __import__("fm_papers").__version__
version = release

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.intersphinx",
    "sphinx_design",
    "myst_parser",
    "fm_papers.sphinxext",
]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build", "snippets", "cli-examples"]
numfig = True

# fm-papers: the sample lab overlay of overlays.rst joins the shipped catalogue.
fm_papers_extra_files = ["lab-papers.yaml"]
nitpicky = False

autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "show-inheritance": False}
intersphinx_mapping: dict[str, tuple[str, None]] = {}

# The sizes of the browser assets, read from the installed package so the manual cannot drift.
_STATIC = Path(__import__("fm_papers.sphinxext.assets").sphinxext.assets.STATIC)
rst_epilog = "\n".join(
    f".. |{name.replace('.', '_')}_size| replace:: {(_STATIC / name).stat().st_size:,} bytes"
    for name in ("fm-papers.js", "fm-papers.css")
)
# The limits of untrusted input, read from the package for the same reason.
_SAFETY = __import__("fm_papers.safety").safety
rst_epilog += "".join(
    f"\n.. |{name.lower()}| replace:: {getattr(_SAFETY, name):,}"
    for name in ("MAX_FILE_BYTES", "MAX_DEPTH", "MAX_ALIAS_NODES")
)

# The PDF (``nox -s pdf``, pdflatex): "≤" and "≥" as math symbols; and pdflatex's fonts have no
# Cyrillic, so the Cyrillic "а" (U+0430) the security page shows as a lookalike prints as the
# Latin "a" it imitates; the flag mark "⚠" the directive page names prints as the "[!]" a PDF's
# tables show.
latex_elements = {
    "preamble": r"""
\DeclareUnicodeCharacter{2264}{\ensuremath{\leq}}
\DeclareUnicodeCharacter{2265}{\ensuremath{\geq}}
\DeclareUnicodeCharacter{0430}{a}
\DeclareUnicodeCharacter{26A0}{[!]}
"""
}

# Furo: the manual's pages are listed in its sidebar, it follows the reader's light or dark
# preference (a button switches), and it loads no web fonts, so the manual reads offline.
html_theme = "furo"
html_title = "fm-papers"
html_static_path = ["_static"]
# A code block that scrolls sideways (on a phone) takes the keyboard's focus.
html_js_files = ["scroll-focus.js"]


def _options_table(
    rows: Sequence[tuple[str, ...]],
    header: tuple[str, ...] = ("Name", "Default", "What it does"),
) -> list[Any]:
    """A table (by default name, default, what it does) as docutils nodes."""
    from docutils import nodes

    table = nodes.table()
    group = nodes.tgroup(cols=len(header))
    table += group
    for width in (25, 20, 55) if len(header) == 3 else (35, 65):
        group += nodes.colspec(colwidth=width)
    body = nodes.tbody()
    head = nodes.thead()
    group += head
    group += body
    for index, cells in enumerate([header, *rows]):
        row = nodes.row()
        for column, text in enumerate(cells):
            # A body row's first cell is what users write: shown as code, never smartened.
            inline = nodes.literal(text, text) if index and not column else nodes.Text(text)
            row += nodes.entry("", nodes.paragraph("", "", inline))
        (head if index == 0 else body).append(row)
    return [table]


#: The files the command-line examples read (lab.yaml, reading-list.md...).
CLI_EXAMPLES = Path(__file__).resolve().parent / "cli-examples"


def _run_cli(command: str, cwd: Path) -> list[str]:
    """Run one ``fm-papers ...`` command line in-process; its output lines, stdout first."""
    import contextlib
    import io
    import os

    from fm_papers.cli import main

    argv = shlex.split(command, comments=True)
    if argv[:1] != ["fm-papers"]:
        raise ValueError(f"not an fm-papers command: {command!r}")
    out, err = io.StringIO(), io.StringIO()
    old = Path.cwd(), os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = "100"  # the width tables are fitted to, whatever the terminal
    try:
        os.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            main(argv[1:])
    finally:
        os.chdir(old[0])
        if old[1] is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = old[1]
    return (out.getvalue() + err.getvalue()).splitlines()


def setup(app: Any) -> None:
    """``.. fm-papers-options:: config|directive|stats|kinds|filters|flags|labels|warnings``:
    tables read from the extension's and the package's own declarations, so the manual cannot
    drift from the code."""
    from docutils.parsers.rst import directives
    from sphinx.util.docutils import SphinxDirective

    from fm_papers import load
    from fm_papers.filters import FILTER_SPECS
    from fm_papers.kinds import PAPER_KINDS
    from fm_papers.sphinxext.config import OPTIONS, WARNING_TYPES
    from fm_papers.sphinxext.directive import PRESENTATION_OPTIONS, FmPapersDirective
    from fm_papers.sphinxext.stats import STATS_OPTIONS, FmPapersStatsDirective

    def filter_rows(directive: Any) -> list[tuple[str, str, str]]:
        return [(f":{f.option}:", "", f"Filter: {f.description}") for f in directive.filters]

    #: How each filter is written where: the API's keyword, the directive's option, the flag.
    spellings = {
        "filters": ("Keyword argument", lambda f: f"{f.name}={f.example!r}"),
        "flags": ("Flag", lambda f: f"{f.flag} {shlex.quote(f.example)}"),
    }

    class OptionsTable(SphinxDirective):
        required_arguments = 1

        def run(self) -> list[Any]:
            which = self.arguments[0]
            if which == "config":
                rows = [(o.name, repr(o.default), o.description) for o in OPTIONS]
            elif which == "kinds":
                catalogue = load()
                rows = [
                    (kind, str(len(catalogue.records(kind=kind))), meaning)
                    for kind, meaning in PAPER_KINDS.items()
                ]
                return _options_table(rows, ("Kind", "Shipped papers", "What it means"))
            elif which in spellings:
                header, spelt = spellings[which]
                pairs = [(spelt(f), f.description) for f in FILTER_SPECS]
                return _options_table(pairs, (header, "What it selects"))
            elif which == "flag-kinds":
                from fm_papers.kinds import FLAG_KINDS

                return _options_table(list(FLAG_KINDS.items()), ("Kind", "Recorded when"))
            elif which == "labels":
                from fm_papers.sphinxext.labels import LABELS

                rows = [(key, label.text, label.comment) for key, label in LABELS.items()]
                return _options_table(rows, ("Key", "English", "What it is"))
            elif which == "warnings":
                pairs = [(f"fm_papers.{name}", text) for name, text in WARNING_TYPES.items()]
                return _options_table(pairs, ("Warning type", "What it reports"))
            elif which == "directive":
                rows = filter_rows(FmPapersDirective)
                rows += [(f":{k}:", "", v) for k, v in PRESENTATION_OPTIONS.items()]
            elif which == "stats":
                rows = filter_rows(FmPapersStatsDirective)
                rows += [(f":{k}:", "", v) for k, v in STATS_OPTIONS.items()]
            else:
                raise self.error(f"no table {which!r}")
            return _options_table(rows)

    app.add_directive("fm-papers-options", OptionsTable)

    def publish_schema(app: Any, exception: BaseException | None) -> None:
        """The JSON Schema of data files at the root of the HTML site, the address that
        ``fm_papers.schema.SCHEMA_URL`` (and so the schema's ``$id``) names."""
        from fm_papers.schema import SCHEMA_URL, schema_text

        if exception is None and app.builder.name in ("html", "dirhtml", "singlehtml"):
            target = Path(app.outdir) / SCHEMA_URL.rsplit("/", 1)[1]
            target.write_text(schema_text(), encoding="utf-8")

    app.connect("build-finished", publish_schema)

    class Console(SphinxDirective):
        """``.. fm-papers-console::`` with ``$ fm-papers ...`` lines: each is run when the
        manual is built, in a copy of ``cli-examples/``, and shown with what it printed, so
        the examples are always the program's real output. ``:max-lines:`` cuts long output
        (the cut is shown as ``...``)."""

        has_content = True
        option_spec: ClassVar[dict[str, Any]] = {"max-lines": directives.positive_int}

        def run(self) -> list[Any]:
            from docutils import nodes

            limit = self.options.get("max-lines")
            shown: list[str] = []
            with tempfile.TemporaryDirectory() as folder:
                for example in CLI_EXAMPLES.iterdir():
                    shutil.copy(example, folder)
                for command in (line for line in self.content if line.strip()):
                    if not command.startswith("$ "):
                        raise self.error(f"expected '$ fm-papers ...', got {command!r}")
                    output = _run_cli(command[2:], Path(folder))
                    if limit and len(output) > limit:
                        output = [*output[:limit], "..."]
                    shown += ([""] if shown else []) + [command, *output]
            text = "\n".join(shown)
            return [nodes.literal_block(text, text, language="console")]

    app.add_directive("fm-papers-console", Console)

    class Example(SphinxDirective):
        """``.. fm-example:: name``: the snippet ``snippets/rst/<name>.txt`` and its MyST twin
        ``snippets/myst/<name>.md`` in two tabs, then what it renders. The test suite builds
        both files and checks that they render the same."""

        required_arguments = 1

        def run(self) -> list[Any]:
            name = self.arguments[0]
            for path in (f"snippets/rst/{name}.txt", f"snippets/myst/{name}.md"):
                if not (Path(self.env.srcdir) / path).is_file():
                    raise self.error(f"no snippet {path}")
            text = EXAMPLE.format(name=name)
            self.state_machine.insert_input(text.splitlines(), f"<fm-example {name}>")
            return []

    app.add_directive("fm-example", Example)


#: What ``fm-example`` writes: a tab per markup, then the example itself. EPUB gets headed
#: blocks instead, as sphinx-design's tabs are not well-formed XHTML (an unclosed ``<input>``).
EXAMPLE = """
.. only:: not epub

   .. tab-set::
      :class: fm-example

      .. tab-item:: reST
         :sync: rst

         .. literalinclude:: /snippets/rst/{name}.txt
            :language: rst

      .. tab-item:: MyST
         :sync: myst

         .. literalinclude:: /snippets/myst/{name}.md
            :language: md

.. only:: epub

   .. rubric:: reST

   .. literalinclude:: /snippets/rst/{name}.txt
      :language: rst

   .. rubric:: MyST

   .. literalinclude:: /snippets/myst/{name}.md
      :language: md

.. include:: /snippets/rst/{name}.txt
"""
