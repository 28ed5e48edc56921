"""Every label in the build's ``language``: the shipped catalogues, real builds in each
shipped language for several builders, and ``fm_papers_labels`` overrides.

The English labels looked for are read from :data:`fm_papers.sphinxext.labels.LABELS`, so a
new label is checked without this file changing.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from babel.messages.pofile import read_po

from fm_papers.sphinxext.labels import CATALOGUE, LABELS, LANGUAGES, LOCALE, Labels, placeholders

if TYPE_CHECKING:
    from sphinx.testing.util import SphinxTestApp

Build = Callable[..., tuple["SphinxTestApp", str]]
TESTS = Path(__file__).resolve().parent
ROOT = TESTS / "roots" / "test-i18n"
#: Each builder's page, as a pattern: a LaTeX or man file is named after the project, whose
#: default name changed with Sphinx 8.
OUTPUT = {
    "html": "index.html",
    "text": "index.txt",
    "latex": "*.tex",
    "man": "*.1",
    "epub": "index.xhtml",
}


def _output(app: SphinxTestApp, builder: str) -> str:
    (path,) = app.outdir.glob(OUTPUT[builder])
    return path.read_text(encoding="utf-8")


def _root_files() -> dict[str, str]:
    return {path.name: path.read_text(encoding="utf-8") for path in ROOT.iterdir()}


def _pattern(text: str) -> re.Pattern[str]:
    """A label as it reads in output, its placeholders standing for anything."""
    parts = re.split(r"\{[a-z_]+\}", text)
    return re.compile(r"(?<!\w)" + r".+?".join(map(re.escape, parts)) + r"(?!\w)")


def _english(language: str) -> dict[str, re.Pattern[str]]:
    """The English labels a page in ``language`` must not show: those whose translation
    differs (German "Name" is German too), and that are more than a placeholder."""
    labels = Labels(language)
    out = {}
    for key, label in LABELS.items():
        values = dict.fromkeys(placeholders(label.text), 7)
        if not re.sub(r"\{[a-z_]+\}|\W", "", label.text):
            continue  # "{label}:" is punctuation around a translated header
        for text in filter(None, (label.text, label.plural)):
            english = re.sub(r"\{[a-z_]+\}", "7", text)
            if labels(key, **values) != english:
                out[f"{key}: {text}"] = _pattern(text)
    return out


def _body(text: str, builder: str) -> str:
    """The part of a page the extension writes into (not the theme's own words)."""
    if builder == "epub":
        text = re.sub(r"<[^>]*>", " ", text[text.index("<h1") : text.index("</body>")])
    if builder == "man":
        text = text.partition("\n.SH AUTHOR")[0]  # Sphinx's (older ones say "unknown")
        # roff's escapes: a hyphen, a quote, a no-break space.
        text = text.replace("\\-", "-").replace("\\(aq", "'").replace("\\ ", "\u00a0")
        text = re.sub(r"^\.\S+.*$", " ", text, flags=re.MULTILINE)  # requests, not text
    if builder == "html":
        text = text[text.index("<h1") : text.index('<div class="sphinxsidebar"')]
        # What a reader sees: the text, and the strings the browser script will show.
        strings = " ".join(re.findall(r'data-fm-labels="([^"]*)"', text))
        strings = re.sub(r"&quot;[^&]*&quot;:", " ", strings)  # the JSON's keys are not shown
        text = re.sub(r"<[^>]*>", " ", text) + " " + strings
    if builder == "latex":
        text = text[text.index(r"\begin{document}") :]
        # Labels and link targets are names, not text: fm-paper-..., fm-link-...
        text = re.sub(r"\\(label|hyperref|sphinxhref|href|url)(\[[^]]*\])?\{[^}]*\}", " ", text)
        text = re.sub(r"\{[^}\s]*fm-[^}\s]*\}", " ", text)
    return re.sub(r"https?://\S+", " ", text)


def test_catalogues_are_compiled_from_their_sources() -> None:
    # The .mo files are what the .po files compile to, and the .po files hold every label.
    done = subprocess.run(
        [sys.executable, str(TESTS.parent / "tools" / "locales.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stdout) == (0, "")


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_label_is_translated(language: str) -> None:
    path = LOCALE / language / "LC_MESSAGES" / f"{CATALOGUE}.po"
    with path.open("rb") as file:
        catalog = read_po(file, locale=language)
    found = {message.context: message for message in catalog if message.id}
    assert set(found) == set(LABELS), "a label missing from, or stale in, " + str(path)
    for key, label in LABELS.items():
        message = found[key]
        assert not message.fuzzy, key
        english = label.text if label.plural is None else (label.text, label.plural)
        assert message.id == english, key
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert len(strings) == (catalog.num_plurals if label.plural else 1), key
        for string in strings:
            assert isinstance(string, str)
            assert string.strip(), f"{language}: {key} is not translated"
            assert placeholders(string) == placeholders(label.text), key


def test_plural_forms_follow_the_number() -> None:
    assert Labels("de")("shown", total=1, shown=1) == "1 von 1 Publikation"
    assert Labels("de")("shown", total=4, shown=4) == "4 von 4 Publikationen"
    assert Labels("fr")("shown", total=1, shown=0) == "0 sur 1 article"
    assert Labels("es")("shown", total=2, shown=1) == "1 de 2 artículos"
    assert Labels("zh_CN")("shown", total=4, shown=2) == "4 篇论文中显示 2 篇"
    # A regional variant finds its language; an unknown language keeps English.
    assert Labels("de_AT")("title") == "Titel"
    assert Labels("xx")("title") == Labels()("title") == "Title"


#: A few labels each build must show translated (the rest must only not be English).
EXPECTED = {
    "de": [
        "Titel",
        "Jahr 2024",
        "Jahr unbekannt",
        "Art: Modell",
        "Gesamt",
        "Publikationen pro Jahr",
    ],
    "fr": ["Titre", "Année 2024", "Année inconnue", "Type\u00a0: Modèle", "Articles par année"],
    "es": ["Título", "Año 2024", "Año desconocido", "Tipo: Modelo", "Artículos por año"],
    "zh_CN": ["标题", "2024 年", "年份未知", "类型：模型", "合计", "每年论文数"],
}


@pytest.mark.parametrize("builder", list(OUTPUT))
@pytest.mark.parametrize("language", LANGUAGES)
def test_no_english_label_in_output(
    build: Build, fresh_cache: None, language: str, builder: str
) -> None:
    files = _root_files()
    files["conf.py"] += f"language = {language!r}\n"
    if builder == "epub":  # what EPUB3 asks of every book
        files["conf.py"] += 'copyright = "2026"\nversion = "1"\n'
    app, warnings = build(files, builder)
    assert warnings == ""
    text = _body(_output(app, builder), builder)
    left = [name for name, pattern in _english(language).items() if pattern.search(text)]
    assert left == []
    expected = EXPECTED[language]
    html = builder in ("html", "epub")
    if html:  # the chart is HTML's only
        expected = [*expected, Labels(language)("legend-several-domains")]
    else:
        expected = [e for e in expected if e != EXPECTED[language][-1]]
    if builder == "latex":  # LaTeX escapes a no-break space
        text = text.replace("~", "\u00a0")
    assert [e for e in expected if e not in text] == []
    # A flagged paper's mark: a tooltip in HTML, a note in the other formats.
    defect = Labels(language)("source-defect") + ": 2023 / 2024"
    output = _output(app, builder)
    if html:
        assert f'title="{defect}"' in output
    else:
        assert defect in text


def test_english_build_shows_the_english_labels(build: Build, fresh_cache: None) -> None:
    app, warnings = build(_root_files(), "text")
    assert warnings == ""
    text = (app.outdir / "index.txt").read_text(encoding="utf-8")
    for label in ("Year 2024", "Year unknown", "Kind: Model", "In several domains", "Total"):
        assert label in text


def test_the_browser_script_gets_its_strings_from_the_page(build: Build, fresh_cache: None) -> None:
    files = _root_files()
    files["conf.py"] += 'language = "de"\n'
    app, _ = build(files)
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    # One table of the year groups holds all three papers: "{shown} von 3 Publikationen".
    assert "data-fm-labels=" in html
    assert "&quot;shown&quot;: &quot;{shown} von 3 Publikationen&quot;" in html
    assert "&quot;search&quot;: &quot;Publikationen suchen&quot;" in html
    script = (app.outdir / "_static" / "fm-papers.js").read_text(encoding="utf-8")
    for english in ("Search papers", "Title, name or venue", '"All"', '"Clear"', " papers"):
        assert english not in script


def test_an_override_changes_a_column_title(build: Build, fresh_cache: None) -> None:
    files = _root_files()
    files["conf.py"] += (
        'language = "fr"\n'
        'fm_papers_labels = {"title": "Article", "year-group": "Publié en {year}"}\n'
    )
    app, warnings = build(files, "text")
    assert warnings == ""
    text = (app.outdir / "index.txt").read_text(encoding="utf-8")
    assert "| Article " in text and "Publié en 2024" in text
    assert "| Titre " not in text and "Année 2024" not in text
    assert "Année inconnue" in text  # the labels not overridden stay translated


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ({"titel": "Paper"}, "unknown label 'titel'; did you mean 'title'?"),
        ({"title": 3}, "label 'title': expected a string"),
        ({"year-group": "Published"}, "label 'year-group': expected {year}, as in 'Year {year}'"),
    ],
)
def test_a_bad_override_is_a_config_warning(
    build: Build, fresh_cache: None, value: object, problem: str
) -> None:
    files = _root_files()
    files["conf.py"] += f"fm_papers_labels = {value!r}\n"
    app, warnings = build(files, "text")
    assert f"fm_papers_labels: using the default {{}}: {problem}" in warnings
    assert "[fm_papers.config]" in warnings
    assert "| Title " in (app.outdir / "index.txt").read_text(encoding="utf-8")


def test_the_manuals_example_builds_as_written(
    build: Build, fresh_cache: None, code_blocks: Callable[[str, str], list[str]]
) -> None:
    page = (TESTS.parent / "example_docs" / "languages.rst").read_text(encoding="utf-8")
    (example,) = code_blocks(page, "python")
    files = _root_files()
    files["conf.py"] += example
    app, warnings = build(files, "text")
    assert warnings == ""
    text = (app.outdir / "index.txt").read_text(encoding="utf-8")
    assert "| Paper " in text and "Published in 2024" in text
    assert Labels("de")("year-unknown") in text  # the others stay in German
