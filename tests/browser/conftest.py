"""Fixtures of the browser tests: sites built per theme, and Debian's Chromium via Playwright.

Run by ``nox -s browser``, which installs Chromium with apt-get when it is missing and sets
``FM_PAPERS_CHROMIUM`` (its path) and ``FM_PAPERS_BROWSER_OUT`` (where sites and screenshots
go). Playwright never downloads a browser of its own here.
"""

from __future__ import annotations

import functools
import os
import runpy
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
#: The themes every browser test covers (one list, shared with ``nox -s themes``).
THEMES: tuple[str, ...] = runpy.run_path(str(HERE / "themes.py"))["THEMES"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark this folder's tests ``browser`` (the hook sees every collected test: only those
    under this folder are marked)."""
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def out_dir() -> Path:
    out = Path(os.environ.get("FM_PAPERS_BROWSER_OUT", REPO / "build" / "browser"))
    out.mkdir(parents=True, exist_ok=True)
    return out


def _build(source: Path, out: Path, theme: str | None = None) -> Path:
    env = dict(os.environ)
    if theme:
        env["FM_PAPERS_THEME"] = theme
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    # Run from the output folder: ``python -m`` puts the working directory on sys.path, and
    # from the repository root the source tree would shadow the installed package.
    subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "-q", "-b", "html", str(source), str(out)],
        check=True,
        env=env,
        cwd=out,
    )
    return out


@pytest.fixture(scope="session")
def sites(out_dir: Path) -> dict[str, Path]:
    """The test site built once per theme, two builds at a time (CI has two cores)."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        built = pool.map(lambda t: _build(HERE / "site", out_dir / "sites" / t, t), THEMES)
        return dict(zip(THEMES, built, strict=True))


@pytest.fixture(scope="session")
def build_site(out_dir: Path) -> Callable[[Path, str], Path]:
    """``build_site(source, name)``: a Sphinx project built to HTML into ``out_dir/name``."""
    return lambda source, name: _build(source, out_dir / name)


@pytest.fixture(scope="session")
def example_docs(out_dir: Path) -> Path:
    """The manual, built as ``nox -s docs`` builds it."""
    return _build(REPO / "example_docs", out_dir / "example_docs")


@pytest.fixture(scope="session")
def server(out_dir: Path) -> Iterator[str]:
    """Serve the built sites on the loopback interface (axe reads stylesheets over HTTP)."""
    handler = functools.partial(_QuietHandler, directory=str(out_dir))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


class _QuietHandler(SimpleHTTPRequestHandler):
    """Serves files without logging; answers the browser's own favicon request with 204."""

    def do_GET(self) -> None:
        if self.path == "/favicon.ico":
            self.send_response(204)
            self.end_headers()
            return
        super().do_GET()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    executable = os.environ.get("FM_PAPERS_CHROMIUM") or shutil.which("chromium")
    if not executable:
        pytest.fail("Debian's chromium is not installed: run the tests with nox -s browser")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Page:
    """A Playwright page that records console errors and failed requests."""

    def __init__(self, browser: Any, **options: Any) -> None:
        self.context = browser.new_context(**options)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on(
            "response",
            lambda r: self.errors.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None,
        )

    def open(self, url: str) -> Any:
        self.page.goto(url)
        return self.page


@pytest.fixture(scope="session")
def new_page(browser: Any) -> Callable[..., Page]:
    """``new_page(**context_options)`` → a :class:`Page` (``.page``, ``.errors``,
    ``.context``), for tests that load several pages in one context; the caller closes it."""
    return functools.partial(Page, browser)


@pytest.fixture
def open_page(browser: Any, server: str, out_dir: Path) -> Iterator[Any]:
    """``open_page(path, **context_options)`` → a Playwright page; console errors fail."""
    pages: list[Page] = []

    def open_(path: Path, **options: Any) -> Any:
        wrapper = Page(browser, **options)
        pages.append(wrapper)
        return wrapper.open(f"{server}/{path.relative_to(out_dir).as_posix()}")

    yield open_
    errors = [e for p in pages for e in p.errors]
    for page in pages:
        page.context.close()
    assert errors == [], f"console errors: {errors}"
