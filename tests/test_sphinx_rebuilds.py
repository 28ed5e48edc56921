"""Parallel, repeated and incremental builds: same bytes, and exactly the right pages re-read."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp
from sphinx.util.console import strip_escape_sequences

import fm_papers

#: Sphinx's ``make_app`` fixture (as conftest.py wraps it).
MakeApp = Callable[..., SphinxTestApp]


def _papers(srcdir: Path) -> int:
    """How many papers the overlay root's build reads: the shipped ones and its overlay's."""
    return len(fm_papers.load(extra=[srcdir / "lab.yaml"]))


def _html(outdir: Path) -> dict[str, bytes]:
    return {str(p.relative_to(outdir)): p.read_bytes() for p in sorted(outdir.rglob("*.html"))}


def _copy(rootdir: Path, tmp_path: Path, name: str, as_name: str) -> Path:
    srcdir = tmp_path / as_name
    shutil.copytree(rootdir / f"test-{name}", srcdir)
    return srcdir


@pytest.mark.slow
def test_parallel_and_repeated_builds_are_byte_identical(
    make_app: MakeApp, rootdir: Path, tmp_path: Path
) -> None:
    outputs: list[dict[str, bytes]] = []
    pages = {p.stem + ".html" for p in (rootdir / "test-parallel").glob("*.rst")}
    for parallel in (1, 2, 2):
        srcdir = _copy(rootdir, tmp_path, "parallel", f"parallel-{len(outputs)}")
        app: SphinxTestApp = make_app("html", srcdir=srcdir, freshenv=True, parallel=parallel)
        app.build()
        assert app.warning.getvalue() == ""
        outputs.append(_html(app.outdir))
        app.cleanup()  # unregister its nodes and roles before the next app registers them
    assert set(outputs[0]) == pages | {"genindex.html", "search.html"}
    assert outputs[0] == outputs[1] == outputs[2]
    # Every page cites scgpt and cellvit. A citation links to the paper's row on its own page
    # if it shows one, else to the first page in name order that does, whichever process read
    # which page. The root shows scgpt on two pages (its section's page and page6's :ids:).
    html = {name: data.decode() for name, data in outputs[0].items()}
    citing = sorted(name for name in pages if name.startswith("page"))
    for paper_id in ("scgpt", "cellvit"):
        showing = sorted(name for name, text in html.items() if f'id="fm-paper-{paper_id}"' in text)
        assert showing, paper_id
        for name in citing:
            cited = re.findall(rf'href="([^"]*)#fm-paper-{paper_id}"', html[name])
            assert cited == ["" if name in showing else showing[0]], (name, paper_id)
        if paper_id == "scgpt":
            assert len(showing) >= 2 and "page6.html" in showing


def _reads(app: SphinxTestApp) -> list[str]:
    read: list[str] = []
    app.connect("source-read", lambda app, docname, source: read.append(docname))
    return read


def _first_build(make_app: MakeApp, srcdir: Path) -> None:
    app = make_app("html", srcdir=srcdir, freshenv=True)
    app.build()
    assert app.warning.getvalue() == ""
    app.cleanup()


@pytest.mark.slow
def test_editing_an_overlay_rereads_only_pages_using_it(
    make_app: MakeApp, rootdir: Path, tmp_path: Path
) -> None:
    srcdir = _copy(rootdir, tmp_path, "overlay", "overlay-edit")
    _first_build(make_app, srcdir)

    overlay = srcdir / "lab.yaml"
    overlay.write_text(overlay.read_text().replace("LabAtlas", "LabAtlas2"), encoding="utf-8")
    app: SphinxTestApp = make_app("html", srcdir=srcdir)
    read = _reads(app)
    app.build()
    assert sorted(read) == ["data", "index"]
    assert "LabAtlas2 (2025)" in (app.outdir / "data.html").read_text(encoding="utf-8")
    status = f"catalogue of {_papers(srcdir)} papers from 4 files (reloaded)"
    assert status in app.status.getvalue()
    app.cleanup()

    app = make_app("html", srcdir=srcdir)
    read = _reads(app)
    app.build()
    assert read == []
    # A no-op rebuild hashes the data files but never parses them.
    assert "4 data files (cached); no page to read" in app.status.getvalue()
    assert "catalogue of" not in app.status.getvalue()
    # The static folder is added with the configuration, so a rebuild finds it unchanged.
    assert "'html_static_path'" not in app.status.getvalue()


@pytest.mark.slow
def test_pages_written_without_reading_still_get_their_rows(
    make_app: MakeApp, rootdir: Path, tmp_path: Path
) -> None:
    srcdir = _copy(rootdir, tmp_path, "overlay", "overlay-rewrite")
    _first_build(make_app, srcdir)
    before = (srcdir / "_build" / "html" / "index.html").read_text(encoding="utf-8")
    # An HTML-only value: every page is written again, none is read.
    app: SphinxTestApp = make_app("html", srcdir=srcdir, confoverrides={"html_title": "Other"})
    read = _reads(app)
    app.build()
    assert read == []
    after = (app.outdir / "index.html").read_text(encoding="utf-8")
    assert "Other" in after
    assert after.count('id="fm-paper-') == before.count('id="fm-paper-') > 0
    status = f"catalogue of {_papers(srcdir)} papers from 4 files (cached, validated before)"
    assert status in app.status.getvalue()


@pytest.mark.slow
def test_a_catalogue_with_overlays_is_validated_once_for_the_same_files(
    make_app: MakeApp, rootdir: Path, tmp_path: Path
) -> None:
    """A fresh build (``-E``) reads the catalogue the last build kept, as long as no data file
    (nor the package) changed; a kept file that is damaged is only validated again."""
    from fm_papers.built import from_built_text
    from fm_papers.sphinxext.state import KEPT_NAME

    srcdir = _copy(rootdir, tmp_path, "overlay", "overlay-kept")
    papers = _papers(srcdir)
    outputs, statuses = [], []
    for damage in (None, None, "cut", "other key"):
        app: SphinxTestApp = make_app("html", srcdir=srcdir, freshenv=True)
        kept = Path(app.doctreedir) / KEPT_NAME
        if damage == "cut":
            kept.write_text(kept.read_text(encoding="utf-8")[:-100], encoding="utf-8")
        elif damage == "other key":
            kept.write_text("0 " + kept.read_text(encoding="utf-8"), encoding="utf-8")
        app.build()
        assert app.warning.getvalue() == ""
        outputs.append(_html(app.outdir))
        (line,) = [x for x in app.status.getvalue().splitlines() if "catalogue of" in x]
        statuses.append(strip_escape_sequences(line).split("catalogue of ")[1])
        app.cleanup()
        # A damaged file was replaced by a whole one, under the right key.
        key, _, text = kept.read_text(encoding="utf-8").partition("\n")
        assert not key.startswith("0 ") and from_built_text(text) is not None
    assert outputs[0] == outputs[1] == outputs[2] == outputs[3]
    assert statuses == [
        f"{papers} papers from 4 files (reloaded)",
        f"{papers} papers from 4 files (reloaded, validated before)",
        f"{papers} papers from 4 files (reloaded)",
        f"{papers} papers from 4 files (reloaded)",
    ]
    # A file that cannot be kept (a folder is in the way) is only not kept.
    kept.unlink()  # the kept file of the builds above
    kept.mkdir()
    app = make_app("html", srcdir=srcdir, freshenv=True)
    app.build()
    assert app.warning.getvalue() == ""
    assert _html(app.outdir) == outputs[0]
    assert kept.is_dir()
    kept.rmdir()
    # Another overlay is validated, not read from what the last build kept.
    overlay = srcdir / "lab.yaml"
    overlay.write_text(overlay.read_text().replace("LabAtlas", "LabAtlas3"), encoding="utf-8")
    app = make_app("html", srcdir=srcdir, freshenv=True)
    app.build()
    assert "validated before" not in app.status.getvalue()
    assert "LabAtlas3 (2025)" in (app.outdir / "data.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_changing_config_rereads_only_pages_using_it(
    make_app: MakeApp, rootdir: Path, tmp_path: Path
) -> None:
    srcdir = _copy(rootdir, tmp_path, "overlay", "overlay-config")
    _first_build(make_app, srcdir)
    app: SphinxTestApp = make_app(
        "html", srcdir=srcdir, confoverrides={"fm_papers_empty_text": "Nothing."}
    )
    read = _reads(app)
    app.build()
    assert sorted(read) == ["data", "index"]


@pytest.mark.slow
def test_moving_a_table_rewrites_citing_pages(
    make_app: MakeApp, rootdir: Path, tmp_path: Path
) -> None:
    srcdir = _copy(rootdir, tmp_path, "overlay", "overlay-move")
    _first_build(make_app, srcdir)
    plain = srcdir / "plain.rst"
    plain.write_text(plain.read_text() + "\n.. fm-papers::\n   :ids: lab-cellatlas\n")
    index = srcdir / "index.rst"
    index.write_text(index.read_text().replace(":ids: lab-cellatlas, scgpt", ":ids: scgpt"))
    app: SphinxTestApp = make_app("html", srcdir=srcdir)
    read = _reads(app)
    app.build()
    assert sorted(read) == ["index", "plain"]
    data = (app.outdir / "data.html").read_text(encoding="utf-8")
    assert 'href="plain.html#fm-paper-lab-cellatlas"' in data


@pytest.mark.slow
def test_an_overlay_moved_away_and_back_is_read_again(
    make_app: MakeApp, rootdir: Path, tmp_path: Path
) -> None:
    """Pages follow the data's content, not its modification time: a file moved back keeps
    its old mtime, older than the pages the failed build read."""
    srcdir = _copy(rootdir, tmp_path, "overlay", "overlay-away")
    _first_build(make_app, srcdir)
    overlay, away = srcdir / "lab.yaml", tmp_path / "lab.yaml"
    overlay.rename(away)  # a rename keeps the modification time
    app: SphinxTestApp = make_app("html", srcdir=srcdir)
    app.build()
    assert strip_escape_sequences(app.warning.getvalue()).splitlines() == [
        f"ERROR: {overlay}: cannot read: No such file or directory [fm_papers.data]"
    ]
    assert "fm-papers-item" not in (app.outdir / "data.html").read_text(encoding="utf-8")
    app.cleanup()

    away.rename(overlay)
    app = make_app("html", srcdir=srcdir)
    read = _reads(app)
    app.build()
    assert app.warning.getvalue() == ""
    assert sorted(read) == ["data", "index"]
    assert "LabAtlas (2025)" in (app.outdir / "data.html").read_text(encoding="utf-8")
