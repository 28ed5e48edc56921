"""Bibliographic records from Crossref, arXiv and bioRxiv/medRxiv, read as untrusted input.

Each service answers one question, by identifier: who wrote this paper, and which of its other
identifiers it knows. :func:`fetch` asks with a bounded time and size, follows no redirect,
waits out a rate limit a few times (``Retry-After``, bounded), and turns every failure into
a :class:`MetadataError` whose message says what went wrong and where. The parsers read only
the fields the services document (``shared/reference/metadata-apis.md`` in the project's
notes): Crossref's ``message.author``, arXiv's Atom ``entry/author/name``, bioRxiv's
``collection[].authors``; an error the service reports with status 200 (arXiv's ``Error``
entry, bioRxiv's status message or empty collection, Crossref's ``status``) is an error here
too. Names are checked as the models check any text: a control or bidirectional character is
refused, never passed on.

Nothing here runs unless a maintainer asks (``fm-papers enrich``); no build, import or test
reaches the network.
"""

from __future__ import annotations

import http.client
import json
import math
import re
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from email.message import Message
from typing import Any
from urllib.parse import quote

from ..errors import FmPapersError
from ..safety import find_forbidden

__all__ = [
    "DEFAULT_ROOTS",
    "Fetched",
    "MetadataError",
    "NotFoundError",
    "arxiv_record",
    "biorxiv_record",
    "crossref_record",
    "fetch",
]

#: Where each service answers (a test points them at a local server instead).
DEFAULT_ROOTS = {
    "crossref": "https://api.crossref.org",
    "arxiv": "https://export.arxiv.org",
    "biorxiv": "https://api.biorxiv.org",
}
#: The largest response read, in bytes: a record is a few kilobytes.
MAX_BYTES = 2 * 1024 * 1024
#: Seconds before a request is given up.
TIMEOUT = 30.0
#: How often a rate-limited request is tried again, and the longest wait before one.
RETRIES, MAX_WAIT = 3, 60.0
_ATOM = "{http://www.w3.org/2005/Atom}"
_DOI = re.compile(r"10\.\d{4,9}/[^\s\"<>]+")
_ARXIV = "{http://arxiv.org/schemas/atom}"


class MetadataError(FmPapersError):
    """A service's answer could not be had or read: the message says which and why."""


class NotFoundError(MetadataError):
    """The service answered, and knows no record of the identifier."""


@dataclass(frozen=True)
class Fetched:
    """A paper's record at a service (``url``, the address asked): its authors, in order, as
    ``{"family", "given"}`` or ``{"name"}`` mappings, the version of the paper it describes,
    and the DOI of the journal version it names (``published``)."""

    url: str
    authors: tuple[dict[str, str], ...]
    version: str
    published: str | None = None


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Redirects are refused: an API answers where it is asked, and a redirect could lead
    anywhere."""

    def redirect_request(
        self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str
    ) -> None:
        raise MetadataError(f"{req.full_url}: redirected ({code}) to {newurl}; not followed")


_OPENER = urllib.request.build_opener(_NoRedirect)


def fetch(
    url: str,
    *,
    agent: str,
    sleep: Callable[[float], None] = time.sleep,
    timeout: float = TIMEOUT,
) -> bytes:
    """The body of a GET of ``url``, at most :data:`MAX_BYTES` of it.

    :param agent: the ``User-Agent``: the tool and a contact, as the services ask.
    :param sleep: how to wait out a rate limit (a test passes one that does not wait).
    :param timeout: the longest wait for the connection and for each read, and, five times
        over, for the whole answer (a server that trickles bytes is given up too).
    :raises MetadataError: for a timeout, a refused or failed connection, a redirect, an HTTP
        error (a rate limit once the retries are spent), an answer HTTP cannot read, or a body
        larger than the limit.
    """
    if not url.startswith(("https://", "http://")):
        raise MetadataError(f"{url}: not an http(s) address")
    # The scheme is checked above: no file: or custom scheme is opened.
    request = urllib.request.Request(url, headers={"User-Agent": agent, "Accept": "*/*"})  # noqa: S310
    for attempt in range(RETRIES + 1):
        try:
            with _OPENER.open(request, timeout=timeout) as response:
                body = _body(url, response, time.monotonic() + 5 * timeout)
        except urllib.error.HTTPError as error:
            if error.code in (429, 503) and attempt < RETRIES:
                sleep(_wait(error.headers))
                continue
            reason = "rate limited" if error.code in (429, 503) else f"HTTP {error.code}"
            raise MetadataError(f"{url}: {reason} ({_text(error.reason)})") from None
        except MetadataError:
            raise
        except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as error:
            # HTTPException: a status line, header or chunk HTTP cannot read.
            cause: object = getattr(error, "reason", None) or error
            name = type(error).__name__
            raise MetadataError(f"{url}: cannot be read: {name}: {_text(cause)}") from None
        return body
    raise AssertionError("unreachable: the last attempt returns or raises")  # pragma: no cover


def _body(url: str, response: Any, deadline: float) -> bytes:
    """The body, read a piece at a time until :data:`MAX_BYTES` or the ``deadline``."""
    parts: list[bytes] = []
    size = 0
    while True:
        part: bytes = response.read1(64 * 1024)
        if not part:
            if getattr(response, "length", None):  # bytes announced and never sent
                raise MetadataError(f"{url}: the answer ended before its announced length")
            return b"".join(parts)
        size += len(part)
        if size > MAX_BYTES:
            raise MetadataError(f"{url}: the answer is larger than {MAX_BYTES:,} bytes")
        if time.monotonic() > deadline:
            raise MetadataError(f"{url}: the answer took too long to arrive")
        parts.append(part)


def _wait(headers: Message | None) -> float:
    """The wait a rate limit asks for (``Retry-After`` in seconds), bounded; 1 s if unsaid or
    not a number of seconds (an HTTP date, ``NaN``)."""
    value = headers.get("Retry-After", "") if headers is not None else ""
    try:
        seconds = float(value)
    except ValueError:
        return 1.0
    return min(max(seconds, 0.0), MAX_WAIT) if math.isfinite(seconds) else 1.0


def _text(value: object) -> str:
    """Text from an answer, shown in a message: one line, no control character."""
    text = " ".join(str(value).split())
    return text if find_forbidden(text) is None else repr(text)


def _json(url: str, body: bytes) -> Any:
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:  # nesting too deep
        raise MetadataError(f"{url}: not JSON: {_text(error)}") from None


def _name(url: str, value: object) -> str:
    """One name of an answer: text, one line, no forbidden character."""
    if not isinstance(value, str) or not value.strip():
        raise MetadataError(f"{url}: an author's name is missing or not text")
    found = find_forbidden(value)
    if found is not None or "\n" in value or "\t" in value:
        what = found[2] if found else "a line break or tab is not allowed"
        raise MetadataError(f"{url}: an author's name is refused: {what}")
    return " ".join(value.split())


def _doi(value: object) -> str | None:
    """A DOI an answer gives, or ``None`` for anything else (``NA``, a URL, a stray
    character): it is recorded only as the models would accept it."""
    text = value.strip() if isinstance(value, str) else ""
    return text if _DOI.fullmatch(text) and find_forbidden(text) is None else None


#: Words that make an author written as one text an organisation, not a person.
_GROUP_WORDS = frozenset(
    [
        "consortium",
        "collaboration",
        "collaborators",
        "group",
        "network",
        "initiative",
        "team",
        "project",
        "committee",
        "society",
        "alliance",
        "atlas",
        "laboratory",
        "institute",
        "centre",
        "center",
        "university",
        "investigators",
    ]
)


def _written_name(url: str, text: str) -> dict[str, str]:
    """A name written as one text (arXiv's ``Given Family``): a person, by the rule the
    models read such a name with (:func:`fm_papers.models.person_names`), or an organisation
    when a word says so (``The Human Cell Atlas Consortium``)."""
    from ..models import person_names

    name = _name(url, text)
    if _GROUP_WORDS & {word.casefold().strip(".,") for word in name.split()}:
        return {"name": name}
    family, given = person_names(name)
    return {"family": family, "given": given} if given else {"family": family}


# Crossref ------------------------------------------------------------------------------------

_CROSSREF_VERSIONS = {
    "journal-article": "journal",
    "proceedings-article": "proceedings",
    "posted-content": "preprint",
}


def crossref_record(doi: str, root: str, agent: str, **kwargs: Any) -> Fetched:
    """The authors Crossref's record of ``doi`` lists (``/works/{doi}``).

    :raises MetadataError: as :func:`fetch` does, or for an answer that is not a work record.
    """
    url = f"{root.rstrip('/')}/works/{quote(doi, safe='/')}"
    data = _json(url, fetch(url, agent=agent, **kwargs))
    if not isinstance(data, dict) or data.get("status") != "ok":
        raise MetadataError(f"{url}: Crossref answered status {_text(_get(data, 'status'))}")
    message = data.get("message")
    if not isinstance(message, dict) or not isinstance(message.get("author"), list):
        raise MetadataError(f"{url}: the record lists no authors")
    authors = []
    for raw in message["author"]:
        if not isinstance(raw, dict):
            raise MetadataError(f"{url}: an author is not a record")
        if "family" in raw:
            person = {"family": _name(url, raw["family"])}
            if raw.get("given") is not None:
                person["given"] = _name(url, raw["given"])
            authors.append(person)
        else:
            authors.append({"name": _name(url, raw.get("name"))})
    if not authors:
        raise MetadataError(f"{url}: the record lists no authors")
    version = _CROSSREF_VERSIONS.get(str(message.get("type")), "other")
    return Fetched(url, tuple(authors), version)


def _get(data: object, key: str) -> object:
    return data.get(key) if isinstance(data, dict) else None


# arXiv --------------------------------------------------------------------------------------


def arxiv_record(arxiv_id: str, root: str, agent: str, **kwargs: Any) -> Fetched:
    """The authors arXiv's API lists for ``arxiv_id`` (the current version), and the journal
    DOI the authors gave, if any.

    :raises MetadataError: as :func:`fetch` does, for XML that cannot be read (only UTF-8
        is read, and a document type declaration is refused before parsing), or for arXiv's
        ``Error`` entry.
    """
    from xml.etree import ElementTree

    url = f"{root.rstrip('/')}/api/query?id_list={quote(arxiv_id)}"
    body = fetch(url, agent=agent, **kwargs)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise MetadataError(f"{url}: not UTF-8 text; not read") from None
    if "<!DOCTYPE" in text or "<!ENTITY" in text or "\x00" in text:
        raise MetadataError(f"{url}: the answer declares a document type; not read")
    try:
        # Entity attacks need a document type declaration, refused above in the very text
        # parsed (a str: expat reads it as UTF-8 whatever encoding it declares); expat
        # resolves no external entity.
        root_node = ElementTree.fromstring(text)  # noqa: S314
    except ElementTree.ParseError as error:
        raise MetadataError(f"{url}: not XML: {_text(error)}") from None
    entries = root_node.findall(f"{_ATOM}entry")
    if len(entries) != 1:
        raise MetadataError(f"{url}: {len(entries)} entries, not one")
    entry = entries[0]
    title = entry.findtext(f"{_ATOM}title") or ""
    if title.strip() == "Error":
        summary = entry.findtext(f"{_ATOM}summary") or ""
        raise MetadataError(f"{url}: arXiv answered an error: {_text(summary)}")
    names = [author.findtext(f"{_ATOM}name") for author in entry.findall(f"{_ATOM}author")]
    if not names:
        raise MetadataError(f"{url}: the entry lists no authors")
    authors = tuple(_written_name(url, name or "") for name in names)
    journal = _doi(entry.findtext(f"{_ARXIV}doi"))
    return Fetched(url, authors, "preprint", published=journal)


# bioRxiv and medRxiv -------------------------------------------------------------------------


def biorxiv_record(doi: str, server: str, root: str, agent: str, **kwargs: Any) -> Fetched:
    """The authors the bioRxiv/medRxiv API lists for ``doi`` (its latest version), and the
    journal DOI it was published under, if any.

    :param server: ``biorxiv`` or ``medrxiv``.
    :raises MetadataError: as :func:`fetch` does, or for an error message, an empty
        collection or an empty body (the API answers all three with status 200).
    """
    url = f"{root.rstrip('/')}/details/{server}/{quote(doi, safe='/')}/na/json"
    body = fetch(url, agent=agent, **kwargs)
    if not body.strip():
        raise MetadataError(f"{url}: an empty answer")
    data = _json(url, body)
    messages = _get(data, "messages")
    status = _get(messages[0], "status") if isinstance(messages, list) and messages else None
    if status != "ok":
        raise NotFoundError(f"{url}: {server} answered {_text(status or 'no status')}")
    collection = _get(data, "collection")
    if not isinstance(collection, list) or not collection:
        raise NotFoundError(f"{url}: {server} knows no version of this DOI")
    latest = collection[-1]
    text = _get(latest, "authors")
    if not isinstance(text, str) or not text.strip():
        raise MetadataError(f"{url}: the record lists no authors")
    authors = []
    for written in text.split(";"):
        if not written.strip():
            continue
        if "," not in written:  # persons are "Family, G.": without a comma, a group
            authors.append({"name": _name(url, written)})
            continue
        family, _, given = written.partition(",")
        person = {"family": _name(url, family)}
        if given.strip():
            person["given"] = _name(url, given)
        authors.append(person)
    # "NA" until the preprint is published.
    return Fetched(url, tuple(authors), "preprint", published=_doi(_get(latest, "published")))
