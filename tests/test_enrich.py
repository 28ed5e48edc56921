"""fm-papers enrich and the metadata readers, against a local server on 127.0.0.1.

The answers are constructed here in the formats the services document (the project's notes,
``shared/reference/metadata-apis.md``: Crossref's ``/works`` envelope, arXiv's Atom feed,
bioRxiv's ``details`` JSON), trimmed to the fields read, with made-up names and identifiers:
no test reaches the network. The hostile ones are what the notes say the services really do
(errors with status 200, rate limits, empty bodies) and what a hostile server could.
"""

from __future__ import annotations

import contextlib
import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml

from fm_papers import load
from fm_papers.cli import main
from fm_papers.curation import enrich, metadata
from fm_papers.curation.authors import read_authors
from fm_papers.curation.metadata import MetadataError

#: An answer: status, headers and body, or a callable run instead (a slow server).
Answer = tuple[int, dict[str, str], bytes]


def crossref(authors: list[dict[str, object]], kind: str = "journal-article") -> bytes:
    work = {"DOI": "10.5555/fm.1", "type": kind, "title": ["A paper"], "author": authors}
    envelope = {"status": "ok", "message-type": "work", "message-version": "1.0.0"}
    return json.dumps({**envelope, "message": work}).encode()


def atom(*entries: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">'
        "<title>arXiv Query</title>" + "".join(entries) + "</feed>"
    ).encode()


def arxiv_entry(*names: str, doi: str = "") -> str:
    authors = "".join(f"<author><name>{name}</name></author>" for name in names)
    journal = f"<arxiv:doi>{doi}</arxiv:doi>" if doi else ""
    return (
        "<entry><id>http://arxiv.org/abs/2401.00001v2</id><title>A preprint</title>"
        f"<summary>About it.</summary>{authors}{journal}</entry>"
    )


def biorxiv(authors: str, published: str = "NA", status: str = "ok") -> bytes:
    item = {"doi": "10.1101/2024.01.01.000001", "version": "1", "authors": authors}
    later = {**item, "version": "2", "published": published}
    data = {"messages": [{"status": status, "count": 2}], "collection": [item, later]}
    return json.dumps(data).encode()


class Server:
    """A local HTTP server answering each path (with its query) from ``answers``."""

    def __init__(self) -> None:
        self.answers: dict[str, Answer | Callable[[], Answer]] = {}
        #: Bytes written as they are, status line and headers included, by path; a list is
        #: written a piece at a time, a tenth of a second apart.
        self.raw: dict[str, bytes | list[bytes]] = {}
        self.asked: list[tuple[str, str]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.asked.append((self.path, self.headers.get("User-Agent", "")))
                if self.path in server.raw:
                    raw = server.raw[self.path]
                    with contextlib.suppress(OSError):
                        for piece in raw if isinstance(raw, list) else [raw]:
                            self.wfile.write(piece)
                            self.wfile.flush()
                            if isinstance(raw, list):
                                time.sleep(0.1)
                    return
                answer = server.answers.get(self.path, (404, {}, b"Resource not found."))
                if callable(answer):
                    answer = answer()
                status, headers, body = answer
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                with contextlib.suppress(OSError):  # the client gave up (the timeout test)
                    self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.root = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True).start()

    def answer(self, path: str, body: bytes, status: int = 200, **headers: str) -> None:
        self.answers[path] = (status, headers, body)


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    monkeypatch.setattr(enrich, "PAUSE", {})
    running = Server()
    yield running
    running.httpd.shutdown()
    running.httpd.server_close()


def services(server: Server) -> list[str]:
    return [f"--service={name}={server.root}" for name in ("crossref", "arxiv", "biorxiv")]


AGENT = "fm-papers-tests"


# The readers -------------------------------------------------------------------------------


def test_crossref_persons_and_organisations(server: Server) -> None:
    authors: list[dict[str, object]] = [
        {"given": "Ada", "family": "Quill", "sequence": "first", "affiliation": []},
        {"family": "Ngata", "sequence": "additional"},
        {"name": "The Atlas Consortium", "sequence": "additional"},
    ]
    server.answer("/works/10.5555/fm.1", crossref(authors, "proceedings-article"))
    found = metadata.crossref_record("10.5555/fm.1", server.root, AGENT)
    assert found.authors == (
        {"family": "Quill", "given": "Ada"},
        {"family": "Ngata"},
        {"name": "The Atlas Consortium"},
    )
    assert (found.version, found.url) == ("proceedings", f"{server.root}/works/10.5555/fm.1")
    assert server.asked == [("/works/10.5555/fm.1", AGENT)]


def test_arxiv_names_in_order_and_the_journal_doi(server: Server) -> None:
    entry = arxiv_entry("Ada Quill", "Tama  Ngata", "Plato", doi="10.5555/journal.2")
    server.answer("/api/query?id_list=2401.00001", atom(entry))
    found = metadata.arxiv_record("2401.00001", server.root, AGENT)
    assert found.authors == (
        {"family": "Quill", "given": "Ada"},
        {"family": "Ngata", "given": "Tama"},
        {"family": "Plato"},
    )
    assert (found.version, found.published) == ("preprint", "10.5555/journal.2")


@pytest.mark.parametrize("written", ["NA", "https://doi.org/10.5555/x", "10.5555/x\u202e", ""])
def test_a_journal_doi_that_is_none_is_left(server: Server, written: str) -> None:
    path = "/details/biorxiv/10.1101/2024.01.01.000001/na/json"
    server.answer(path, biorxiv("Quill, A.", published=written))
    found = metadata.biorxiv_record("10.1101/2024.01.01.000001", "biorxiv", server.root, AGENT)
    assert found.published is None


def test_biorxiv_latest_version(server: Server) -> None:
    path = "/details/medrxiv/10.1101/2024.01.01.000001/na/json"
    server.answer(path, biorxiv("Quill, A.; Ngata, T.;", published="10.5555/journal.3"))
    found = metadata.biorxiv_record("10.1101/2024.01.01.000001", "medrxiv", server.root, AGENT)
    assert found.authors == ({"family": "Quill", "given": "A."}, {"family": "Ngata", "given": "T."})
    assert found.published == "10.5555/journal.3"


@pytest.mark.parametrize(
    ("service", "body", "status", "headers", "message"),
    [
        ("crossref", b"Resource not found.", 404, {}, "HTTP 404"),
        ("crossref", b"{not json", 200, {}, "not JSON"),
        ("crossref", json.dumps({"status": "failed"}).encode(), 200, {}, "answered status failed"),
        ("crossref", crossref([]), 200, {}, "lists no authors"),
        ("crossref", crossref([{"family": 7}]), 200, {}, "missing or not text"),
        ("crossref", crossref([{"family": "Quill\u202e"}]), 200, {}, "refused"),
        ("crossref", crossref([{"family": "Qu\x1b[31mill"}]), 200, {}, "refused"),
        ("crossref", b"x" * (metadata.MAX_BYTES + 10), 200, {}, "larger than"),
        ("crossref", b"", 301, {"Location": "http://example.org/"}, "redirected (301)"),
        ("crossref", b"Rate exceeded.", 429, {"Retry-After": "0"}, "rate limited"),
        ("arxiv", atom(), 200, {}, "0 entries"),
        ("arxiv", b"<feed><unclosed></feed>", 200, {}, "not XML"),
        ("arxiv", b'<!DOCTYPE x [<!ENTITY a "aaaa">]><feed/>', 200, {}, "document type"),
        ("arxiv", atom(arxiv_entry()), 200, {}, "lists no authors"),
        ("biorxiv", b"", 200, {}, "empty answer"),
        ("biorxiv", biorxiv("Quill, A.", status="no posts found"), 200, {}, "no posts found"),
        (
            "biorxiv",
            json.dumps({"messages": [{"status": "ok"}], "collection": []}).encode(),
            200,
            {},
            "knows no version",
        ),
    ],
)
def test_bad_answers_are_one_located_message(
    server: Server, service: str, body: bytes, status: int, headers: dict[str, str], message: str
) -> None:
    paths = {
        "crossref": "/works/10.5555/fm.1",
        "arxiv": "/api/query?id_list=2401.00001",
        "biorxiv": "/details/biorxiv/10.1101/2024.01.01.000001/na/json",
    }
    server.answer(paths[service], body, status, **headers)
    readers: dict[str, Callable[[], metadata.Fetched]] = {
        "crossref": lambda: metadata.crossref_record(
            "10.5555/fm.1", server.root, AGENT, sleep=lambda _: None
        ),
        "arxiv": lambda: metadata.arxiv_record("2401.00001", server.root, AGENT),
        "biorxiv": lambda: metadata.biorxiv_record(
            "10.1101/2024.01.01.000001", "biorxiv", server.root, AGENT
        ),
    }
    with pytest.raises(MetadataError) as raised:
        readers[service]()
    text = str(raised.value)
    assert message in text
    assert text.startswith(server.root + paths[service])
    assert "\n" not in text and "\x1b" not in text and "\u202e" not in text


def test_arxiv_error_entry_with_status_200(server: Server) -> None:
    error = (
        "<entry><id>http://arxiv.org/api/errors#incorrect_id_format</id><title>Error</title>"
        "<summary>incorrect id format for 2401.0</summary>"
        "<author><name>arXiv api core</name></author></entry>"
    )
    server.answer("/api/query?id_list=2401.0", atom(error))
    with pytest.raises(MetadataError, match="arXiv answered an error: incorrect id format"):
        metadata.arxiv_record("2401.0", server.root, AGENT)


def test_a_rate_limit_is_waited_out(server: Server) -> None:
    answers = iter(
        [(429, {"Retry-After": "7"}, b"Rate exceeded."), (200, {}, crossref([{"family": "Quill"}]))]
    )
    server.answers["/works/10.5555/fm.1"] = lambda: next(answers)
    waits: list[float] = []
    found = metadata.crossref_record("10.5555/fm.1", server.root, AGENT, sleep=waits.append)
    assert found.authors == ({"family": "Quill"},)
    assert waits == [7.0]


def test_a_slow_server_times_out(server: Server) -> None:
    def slow() -> Answer:
        time.sleep(1.0)
        return 200, {}, crossref([{"family": "Quill"}])

    server.answers["/works/10.5555/fm.1"] = slow
    with pytest.raises(MetadataError, match="cannot be read"):
        metadata.fetch(f"{server.root}/works/10.5555/fm.1", agent=AGENT, timeout=0.2)


def test_nothing_listens() -> None:
    with pytest.raises(MetadataError, match="cannot be read"):
        metadata.fetch("http://127.0.0.1:9/works/x", agent=AGENT, timeout=2)


# The command -------------------------------------------------------------------------------

OVERLAY = """\
# Our reading list.
papers:
  - id: quill-2024
    title: A journal paper
    year: 2024
    links:
      - {url: 'https://doi.org/10.5555/fm.1', kind: paper}
    memberships: [{domain: pathology, section: segmentation}]
  - id: ngata-2024
    title: A preprint
    year: 2024
    links:
      - {url: 'https://arxiv.org/abs/2401.00001', kind: paper}
    memberships: [{domain: pathology, section: segmentation}]
  - id: rua-2024
    title: A bioRxiv preprint
    year: 2024
    links:
      - {url: 'https://www.biorxiv.org/content/10.1101/2024.01.01.000001v1', kind: paper}
    memberships: [{domain: pathology, section: segmentation}]
  - id: home-2024
    title: A paper on a home page
    year: 2024
    links:
      - {url: 'https://example.org/paper', kind: paper}
    memberships: [{domain: pathology, section: segmentation}]
  - id: known-2024
    title: A paper with its authors
    year: 2024
    authors: ["Quill, Ada"]
    links:
      - {url: 'https://doi.org/10.5555/fm.9', kind: paper}
    memberships: [{domain: pathology, section: segmentation}]
"""


def answer_all(server: Server) -> None:
    server.answer("/works/10.5555/fm.1", crossref([{"given": "Ada", "family": "Quill"}]))
    entry = arxiv_entry("Tama Ngata", "Ada Quill", doi="10.5555/journal.2")
    server.answer("/api/query?id_list=2401.00001", atom(entry))
    path = "/details/biorxiv/10.1101/2024.01.01.000001/na/json"
    server.answer(path, biorxiv("Rua, M.; Quill, A."))


def test_enrich_fills_an_overlay(
    server: Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answer_all(server)
    source, out = tmp_path / "lab.yaml", tmp_path / "enriched.yaml"
    source.write_text(OVERLAY, encoding="utf-8")
    status = main(
        ["enrich", str(source), "-o", str(out), "--mailto", "me@example.org", *services(server)]
    )
    err = capsys.readouterr().err
    assert status == 0, err
    assert source.read_text(encoding="utf-8") == OVERLAY  # -o names another file
    catalogue = load(extra=[out])
    assert [a.full_name for a in catalogue.get("quill-2024").authors] == ["Ada Quill"]
    assert [a.family for a in catalogue.get("ngata-2024").authors] == ["Ngata", "Quill"]
    assert [a.family for a in catalogue.get("rua-2024").authors] == ["Rua", "Quill"]
    assert catalogue.get("home-2024").authors == ()
    assert [a.family for a in catalogue.get("known-2024").authors] == ["Quill"]
    sources = {p: catalogue.get(p).authors_source for p in ("quill-2024", "ngata-2024", "rua-2024")}
    assert {p: (str(s.url), s.version) for p, s in sources.items() if s} == {
        "quill-2024": (f"{server.root}/works/10.5555/fm.1", "journal"),
        "ngata-2024": (f"{server.root}/api/query?id_list=2401.00001", "preprint"),
        "rua-2024": (
            f"{server.root}/details/biorxiv/10.1101/2024.01.01.000001/na/json",
            "preprint",
        ),
    }
    # The journal DOI the preprint's record names, for the entry without one.
    assert catalogue.get("ngata-2024").doi == "10.5555/journal.2"
    assert "ngata-2024: 2 authors and the journal DOI 10.5555/journal.2 from" in err
    assert out.read_text(encoding="utf-8").startswith("# Our reading list.\n")
    assert "home-2024: left: no DOI or arXiv id to ask by" in err
    assert "3 of 4 papers without authors found; 1 without a DOI or arXiv id, 0 failed" in err
    assert len(server.asked) == 3
    assert all("mailto:me@example.org" in agent for _, agent in server.asked)


def test_enrich_reports_failures_and_keeps_the_rest(
    server: Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answer_all(server)
    server.answer("/works/10.5555/fm.1", b"Resource not found.", 404)
    source = tmp_path / "lab.yaml"
    source.write_text(OVERLAY, encoding="utf-8")
    status = main(["enrich", str(source), "-o", str(source), *services(server)])
    err = capsys.readouterr().err
    assert status == 1
    assert f"quill-2024: failed: {server.root}/works/10.5555/fm.1: HTTP 404" in err
    catalogue = load(extra=[source])
    assert catalogue.get("quill-2024").authors == ()
    assert catalogue.get("ngata-2024").authors


def test_enrich_fills_an_extension_of_a_paper_without_authors(
    server: Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answer_all(server)
    shipped = load()
    base = tmp_path / "base.yaml"
    base.write_text(OVERLAY, encoding="utf-8")  # as the shipped papers a course extends
    source = tmp_path / "course.yaml"
    source.write_text(
        "papers:\n  - id: ngata-2024\n    extend: true\n    notes: [Week 3.]\n"
        "  - id: known-2024\n    extend: true\n    notes: [Week 4.]\n",
        encoding="utf-8",
    )
    command = ["enrich", str(source), "-o", str(source), "--extra", str(base), *services(server)]
    assert main(command) == 0, capsys.readouterr().err
    catalogue = load(extra=[base, source])
    assert [a.family for a in catalogue.get("ngata-2024").authors] == ["Ngata", "Quill"]
    assert catalogue.get("ngata-2024").notes == ("Week 3.",)
    assert [a.family for a in catalogue.get("known-2024").authors] == ["Quill"]
    assert [path for path, _ in server.asked] == ["/api/query?id_list=2401.00001"]
    assert len(shipped) + 5 == len(catalogue)


def test_enrich_proposes_records_for_the_shipped_papers(
    server: Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shipped = load()
    without = [p for p in shipped if not p.authors]
    asked = [p for p in without if p.doi or p.arxiv]
    # The server knows one of them (as Crossref or arXiv would answer), and none of the rest.
    known = next(p for p in asked if enrich._service(p)[0] in ("crossref", "arxiv"))
    if enrich._service(known)[0] == "crossref":
        server.answer(f"/works/{known.doi}", crossref([{"given": "Ada", "family": "Quill"}]))
    else:
        server.answer(f"/api/query?id_list={known.arxiv}", atom(arxiv_entry("Ada Quill")))
    out = tmp_path / "proposals.yaml"
    status = main(["enrich", "-o", str(out), *services(server)])
    err = capsys.readouterr().err
    assert status == 1  # the others failed
    assert len(server.asked) == len(asked)
    assert f"1 of {len(without)} papers without authors found" in err
    proposed = yaml.safe_load(out.read_text(encoding="utf-8"))
    # What curation/authors.yaml accepts, once a curator has checked it.
    problems: list[str] = []
    names = {p.id: p.id for p in shipped}
    records, _ = read_authors(proposed, names, (), problems)
    assert problems == []
    assert [(pid, [a.family for a in r.authors]) for pid, r in records.items()] == [
        (known.id, ["Quill"])
    ]


def test_proposals_are_authors_yaml_records() -> None:
    fetched = metadata.Fetched(
        "https://export.arxiv.org/api/query?id_list=2401.00001",
        ({"family": "Quill", "given": "Ada"}, {"name": "The Atlas Consortium"}),
        "preprint",
        published="10.5555/journal.2",
    )
    asked = [enrich.Asked("uni", fetched, doi="10.5555/journal.2"), enrich.Asked("conch")]
    records = enrich.proposals(asked, "2026-12-06")
    assert [r["id"] for r in records] == ["uni"]
    assert records[0]["authors"] == ["Quill, Ada", {"name": "The Atlas Consortium"}]
    assert (records[0]["source"], records[0]["doi"]) == (fetched.url, "10.5555/journal.2")
    assert "2026-12-06" in records[0]["review"]
    problems: list[str] = []
    found, _ = read_authors({"papers": records}, {"uni": "uni"}, (), problems)
    assert problems == [] and found["uni"].doi == "10.5555/journal.2"


@pytest.mark.parametrize(
    ("doi", "service"),
    [
        ("10.1101/2024.01.01.000001", "biorxiv"),
        ("10.1101/123456", "biorxiv"),
        ("10.64898/2025.11.02.000123", "biorxiv"),
        ("10.1101/gr.277001.122", "crossref"),  # Genome Research: Cold Spring Harbor's prefix
        ("10.1038/s41586-024-07441-w", "crossref"),
    ],
)
def test_the_service_follows_the_doi(doi: str, service: str) -> None:
    paper = load().papers[0].model_copy(update={"doi": doi})
    assert enrich._service(paper)[0] == service


def test_bad_service_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["enrich", "--service", "zotero=http://127.0.0.1"]) == 2
    assert "--service: expected NAME=URL" in capsys.readouterr().err


def test_the_manuals_example(
    server: Server,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The enrich example of the command-line page, run against the local server: the same
    command (with ``--service`` added) prints the same lines, the address aside."""
    page = (Path(__file__).parent.parent / "example_docs" / "cli.rst").read_text(encoding="utf-8")
    section = page[page.index("enrich\n~~~~~~\n") : page.index("schema\n~~~~~~\n")]
    block = section.split(".. code-block:: console\n\n", 1)[1].split("\n\n", 1)[0]
    command, *printed = [line.strip() for line in block.splitlines()]
    assert command.startswith("$ fm-papers enrich ")
    server.answer(
        "/works/10.5555/fm.1", crossref([{"given": "Ada", "family": "Quill"}, {"family": "Ngata"}])
    )
    entries = OVERLAY.split("  - id: ")
    lab = entries[0] + "".join(
        f"  - id: {e}" for e in entries[1:] if e.startswith(("quill", "home"))
    )
    (tmp_path / "lab.yaml").write_text(lab, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    status = main([*command.split()[2:], *services(server)])
    err = capsys.readouterr().err
    assert status == 0
    assert err.replace(server.root, "https://api.crossref.org").splitlines() == printed
    assert len(load(extra=[tmp_path / "lab.yaml"]).get("quill-2024").authors) == 2


def test_a_record_the_models_refuse_leaves_the_entry() -> None:
    """The models check what the readers let through, too: a record whose address is no web
    page (a service could name any) is refused, the entry kept as it was."""
    entry = yaml.safe_load(OVERLAY)["papers"][0]
    paper = load(extra=[]).papers[0].model_copy(update={"id": entry["id"], "authors": ()})
    fetched = metadata.Fetched("javascript:alert(1)", ({"family": "Quill"},), "journal")
    entries, asked = enrich.enrich_entries(
        [entry], {entry["id"]: paper}, lambda p: enrich.Asked(p.id, fetched)
    )
    assert entries == [entry] and "authors" not in entry
    assert asked[0].failed and asked[0].reason is not None
    assert asked[0].reason.startswith(
        "javascript:alert(1): the record is refused: authors_source.url:"
    )


def test_requests_to_one_service_are_paced(server: Server) -> None:
    server.answer("/api/query?id_list=2401.00001", atom(arxiv_entry("Ada Quill")))
    waits: list[float] = []
    asker = enrich.Enricher(
        AGENT, roots={"arxiv": server.root}, sleep=waits.append, pause={"arxiv": 3.0}
    )
    paper = load().papers[0].model_copy(update={"doi": None, "arxiv": "2401.00001"})
    assert asker.ask(paper).fetched is not None
    assert asker.ask(paper).fetched is not None
    assert len(waits) == 1 and 2.5 < waits[0] <= 3.0


# Answers HTTP itself cannot read, and other hostile ones ------------------------------------

HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"NOT HTTP AT ALL\r\n\r\n", "cannot be read: BadStatusLine"),
        (HEAD + b"X-Long: " + b"a" * 70000 + b"\r\n\r\n", "cannot be read: LineTooLong"),
        (HEAD + b"".join(b"X-%d: 1\r\n" % i for i in range(150)) + b"\r\n", "cannot be read"),
        (HEAD + b"Transfer-Encoding: chunked\r\n\r\nzz\r\n", "cannot be read"),
        (HEAD + b"Content-Length: 100\r\n\r\n{", "the answer ended before its announced length"),
    ],
)
def test_answers_http_cannot_read(server: Server, raw: bytes, message: str) -> None:
    server.raw["/works/10.5555/fm.1"] = raw
    with pytest.raises(MetadataError) as raised:
        metadata.crossref_record("10.5555/fm.1", server.root, AGENT)
    assert str(raised.value).startswith(f"{server.root}/works/10.5555/fm.1: {message}")


def test_a_server_that_trickles_is_given_up(server: Server) -> None:
    # A byte every tenth of a second: each read is in time, the whole answer is not.
    pieces = [HEAD + b"Content-Length: 100\r\n\r\n", *[b" "] * 40]
    server.raw["/works/10.5555/fm.1"] = pieces
    with pytest.raises(MetadataError, match="took too long"):
        metadata.fetch(f"{server.root}/works/10.5555/fm.1", agent=AGENT, timeout=0.5)


def test_nesting_too_deep_is_not_json(server: Server) -> None:
    server.answer("/works/10.5555/fm.1", b"[" * 200_000)
    with pytest.raises(MetadataError, match="not JSON"):
        metadata.crossref_record("10.5555/fm.1", server.root, AGENT)


@pytest.mark.parametrize("written", ["NaN", "inf", "-5", "Wed, 21 Oct 2026 07:28:00 GMT"])
def test_a_retry_after_that_is_no_wait(server: Server, written: str) -> None:
    answers = iter([(429, {"Retry-After": written}, b""), (200, {}, crossref([{"family": "Q"}]))])
    server.answers["/works/10.5555/fm.1"] = lambda: next(answers)
    waits: list[float] = []
    metadata.crossref_record("10.5555/fm.1", server.root, AGENT, sleep=waits.append)
    assert len(waits) == 1 and 0.0 <= waits[0] <= 1.0


def test_an_xml_body_not_in_utf8_is_not_read(server: Server) -> None:
    feed = atom(arxiv_entry("Ada Quill")).decode().replace('encoding="UTF-8"', 'encoding="UTF-16"')
    doctype = '<!DOCTYPE feed [<!ENTITY x "Eve">]>'
    body = feed.replace("<feed", doctype + "<feed", 1).replace("Ada Quill", "&x;")
    server.answer("/api/query?id_list=2401.00001", body.encode("utf-16"))
    with pytest.raises(MetadataError, match="not UTF-8"):
        metadata.arxiv_record("2401.00001", server.root, AGENT)


def test_names_written_as_one_text(server: Server) -> None:
    names = ("Jeroen van der Laak", "The Human Cell Atlas Consortium", "Plato")
    server.answer("/api/query?id_list=2401.00001", atom(arxiv_entry(*names)))
    found = metadata.arxiv_record("2401.00001", server.root, AGENT)
    assert found.authors == (
        {"family": "van der Laak", "given": "Jeroen"},
        {"name": "The Human Cell Atlas Consortium"},
        {"family": "Plato"},
    )
    path = "/details/biorxiv/10.1101/2024.01.01.000001/na/json"
    server.answer(path, biorxiv("Quill, A.; Tabula Sapiens Consortium"))
    found = metadata.biorxiv_record("10.1101/2024.01.01.000001", "biorxiv", server.root, AGENT)
    assert found.authors == (
        {"family": "Quill", "given": "A."},
        {"name": "Tabula Sapiens Consortium"},
    )


def test_a_medrxiv_paper_linked_through_doi_org(
    server: Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """bioRxiv knows no record of a medRxiv DOI: medRxiv is asked next."""
    none = json.dumps({"messages": [{"status": "no posts found"}], "collection": []}).encode()
    server.answer("/details/biorxiv/10.1101/2024.01.01.000001/na/json", none)
    server.answer("/details/medrxiv/10.1101/2024.01.01.000001/na/json", biorxiv("Rua, M."))
    source = tmp_path / "lab.yaml"
    text = OVERLAY.split("  - id: home-2024")[0].replace(
        "https://www.biorxiv.org/content/10.1101/2024.01.01.000001v1",
        "https://doi.org/10.1101/2024.01.01.000001",
    )
    source.write_text(
        text.replace("https://doi.org/10.5555/fm.1", "https://example.org/a"), "utf-8"
    )
    source.write_text(
        source.read_text("utf-8").replace(
            "https://arxiv.org/abs/2401.00001", "https://example.org/b"
        ),
        "utf-8",
    )
    assert main(["enrich", str(source), "-o", str(source), *services(server)]) == 0, (
        capsys.readouterr().err
    )
    assert [a.family for a in load(extra=[source]).get("rua-2024").authors] == ["Rua"]
    assert [path for path, _ in server.asked] == [
        "/details/biorxiv/10.1101/2024.01.01.000001/na/json",
        "/details/medrxiv/10.1101/2024.01.01.000001/na/json",
    ]


def test_a_paper_named_twice_gets_its_authors_once(
    server: Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file that defines a paper and extends it (or extends it twice) asks once, and what
    it writes loads."""
    answer_all(server)
    source = tmp_path / "lab.yaml"
    twice = "  - id: quill-2024\n    extend: true\n    notes: [Again.]\n"
    source.write_text(OVERLAY + twice + twice, encoding="utf-8")
    assert main(["enrich", str(source), "-o", str(source), *services(server)]) == 0
    assert "quill-2024: 1 author from" in capsys.readouterr().err
    assert [a.family for a in load(extra=[source]).get("quill-2024").authors] == ["Quill"]
    assert [p for p, _ in server.asked].count("/works/10.5555/fm.1") == 1


def test_an_enriched_file_that_would_not_load_is_not_written(
    server: Server,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Belt and braces: whatever the reason, a result the loader refuses is reported in the
    file's own name and never replaces the file."""
    answer_all(server)
    source = tmp_path / "lab.yaml"
    source.write_text(OVERLAY, encoding="utf-8")

    real = enrich.enrich_entries

    def unknown_section(*args: Any) -> tuple[list[Any], list[enrich.Asked]]:
        entries, asked = real(*args)
        entries[0] = {**entries[0], "memberships": [{"domain": "pathology", "section": "nowhere"}]}
        return entries, asked

    monkeypatch.setattr(enrich, "enrich_entries", unknown_section)
    status = main(["enrich", str(source), "-o", str(source), *services(server)])
    err = capsys.readouterr().err
    assert status == 1
    assert f"{source}: not written: the enriched file would not load" in err
    assert re.search(rf"^{re.escape(str(source))}:\d+: ", err, re.MULTILINE), err
    assert source.read_text(encoding="utf-8") == OVERLAY


def test_proposals_are_for_the_shipped_papers(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["enrich", "--extra", "lab.yaml"]) == 2
    assert (
        "without a FILE, enrich proposes authors for the shipped papers" in capsys.readouterr().err
    )
