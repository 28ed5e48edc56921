"""The browser script speaks the page's language: a German site's search bar, menus and
count, as Chromium shows them (the strings come from the page, translated at build time)."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from fm_papers.sphinxext.labels import LABELS, Labels

ROOT = Path(__file__).resolve().parent.parent / "roots" / "test-i18n"
OpenPage = Callable[..., Any]


@pytest.fixture(scope="module")
def german(
    build_site: Callable[[Path, str], Path], tmp_path_factory: pytest.TempPathFactory
) -> Path:
    source = tmp_path_factory.mktemp("i18n-de")
    for path in ROOT.iterdir():
        shutil.copy(path, source / path.name)
    with (source / "conf.py").open("a", encoding="utf-8") as conf:
        # Every block gets the bar, however few papers the test root has.
        conf.write('language = "de"\nfm_papers_filter_threshold = 0\n')
    return build_site(source, "i18n-de") / "index.html"


def test_the_search_bar_is_in_the_sites_language(german: Path, open_page: OpenPage) -> None:
    page = open_page(german, viewport={"width": 1280, "height": 800})
    labels = Labels("de")
    bar = page.locator(".fm-papers-controls").first
    bar.wait_for()
    shown = bar.inner_text()
    search = bar.locator("input.fm-papers-search")
    assert search.get_attribute("placeholder") == labels("search-placeholder")
    for key in ("search", "clear"):
        assert labels(key) in shown, key
    first_options = [s.locator("option").first.inner_text() for s in bar.locator("select").all()]
    assert first_options and set(first_options) == {labels("all")}
    # The English words of the bar are nowhere in it.
    for key in ("search", "search-placeholder", "all", "clear"):
        english = LABELS[key].text
        # As a word: German "Alle" holds "All".
        assert not re.search(rf"(?<!\w){re.escape(english)}(?!\w)", shown), english
        assert search.get_attribute("placeholder") != english
    # The count, in German, follows a search.
    search.fill("zzzz-nothing")
    count = bar.locator(".fm-papers-count").inner_text()
    block = page.locator(".fm-papers").filter(has=bar)
    total = block.first.locator(".fm-papers-item").count()
    assert count == labels("shown", total=total, shown=0)
