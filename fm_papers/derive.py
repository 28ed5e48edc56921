"""Fields derived from what a source writes, each by one stated rule (and nothing else).

* DOI: read off the URL of publishers that put it there (nature.com article ids under
  ``10.1038``; bioRxiv/medRxiv ``10.1101`` paths; Springer, ACM, Wiley and Genome Biology
  ``/10.xxxx/...`` paths).
* arXiv id: ``arxiv.org/abs|pdf/<id>``.
* Model name: a bold ``[**tag**]`` in the source, else a title's lead-in before ``": "``
  when that lead-in is one word (``scGPT: ...``, ``CellViT: ...``) or a word and a
  number (``VIRCHOW 2: ...``).
* Link kind: the source's label (``paper``/``PDF`` → ``paper``, ``Code`` → ``code``),
  except that a "code" link to ``huggingface.co`` is a ``weights`` link.
* Year named by a URL: Nature article ids (``s41586-024-…`` → 2024), bioRxiv/medRxiv DOIs
  (``10.1101/2024.05.08…``), arXiv ids (``2405.…`` → 2024), Elsevier PIIs
  (``S2666389925001746`` → 2025) and proceedings paths (``/CVPR2024/``, ``/paper/2023/``).
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

__all__ = [
    "NATURE_JOURNALS",
    "PREPRINT_HOSTS",
    "arxiv_id",
    "doi",
    "link_kind",
    "model_from_title",
    "nature_journal",
    "normalise_title",
    "preprint_server",
    "proceedings_year",
    "slug",
    "url_year",
]

#: Nature Portfolio article-id prefixes and the journal each one names.
NATURE_JOURNALS: dict[str, str] = {
    "s41586": "Nature",
    "s41591": "Nature Medicine",
    "s41592": "Nature Methods",
    "s41587": "Nature Biotechnology",
    "s41467": "Nature Communications",
    "s42256": "Nature Machine Intelligence",
    "s41551": "Nature Biomedical Engineering",
    "s41422": "Cell Research",
    "s12276": "Experimental & Molecular Medicine",
}

#: Host name (without ``www.``) of each preprint server, and the server's venue name.
PREPRINT_HOSTS: dict[str, str] = {
    "arxiv.org": "arXiv",
    "biorxiv.org": "bioRxiv",
    "medrxiv.org": "medRxiv",
}

_NATURE_ID = re.compile(r"^/articles/(?P<id>(?P<prefix>s\d{5})-(?P<yy>\d{3})-\d{4,6}-[0-9a-z])")
_RXIV_DOI = re.compile(r"(?P<doi>10\.1101/(?P<year>20\d\d)\.\d\d\.\d\d\.\d+)")
_RXIV_EARLY = re.compile(r"/early/\d{4}/\d\d/\d\d/(?P<date>(?P<year>20\d\d)\.\d\d\.\d\d\.\d+)")
_PATH_DOI = re.compile(r"/(?P<doi>10\.\d{4,9}/[^?#]+)")
_ARXIV = re.compile(r"^/(?:abs|pdf)/(?P<id>(?P<yy>\d\d)(?P<mm>\d\d)\.\d{4,5})(?:v\d+)?(?:\.pdf)?$")
_PII = re.compile(r"/pii/S\d{7}[\dX](?P<yy>\d\d)\d+")
_PROCEEDINGS = re.compile(
    r"/(?:content/)?(?:[A-Z]+)(?P<year>20\d\d)W?/|/paper(?:_files/paper)?/(?P<year2>20\d\d)/"
)
_DOI_HOSTS = (
    "link.springer.com",
    "dl.acm.org",
    "genomebiology.biomedcentral.com",
    "onlinelibrary.wiley.com",
)
_LEAD_IN = re.compile(r"^(?P<lead>[^\s:]+(?: \d+)?): ")


def _host(url: str) -> str:
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.")


def doi(url: str) -> str | None:
    """The DOI a URL names, by the publisher rules above; ``None`` if it names none."""
    parts = urlsplit(url)
    host = _host(url)
    if host == "nature.com":
        match = _NATURE_ID.match(parts.path)
        return f"10.1038/{match['id']}" if match else None
    if host in PREPRINT_HOSTS and host != "arxiv.org":
        match = _RXIV_DOI.search(parts.path)
        if match:
            return match["doi"]
        early = _RXIV_EARLY.search(parts.path)
        return f"10.1101/{early['date']}" if early else None
    if host in _DOI_HOSTS:
        match = _PATH_DOI.search(parts.path)
        if match:
            return match["doi"].rstrip("/")
    return None


def arxiv_id(url: str) -> str | None:
    """The arXiv identifier of an ``arxiv.org/abs|pdf/`` URL, without version."""
    if _host(url) != "arxiv.org":
        return None
    match = _ARXIV.match(urlsplit(url).path)
    return match["id"] if match else None


def nature_journal(url: str) -> str | None:
    """The journal a nature.com article id names (``s41592`` → Nature Methods)."""
    if _host(url) != "nature.com":
        return None
    match = _NATURE_ID.match(urlsplit(url).path)
    return NATURE_JOURNALS.get(match["prefix"]) if match else None


def preprint_server(url: str) -> str | None:
    """The preprint server a URL is on (``arXiv``, ``bioRxiv``, ``medRxiv``), if any."""
    return PREPRINT_HOSTS.get(_host(url))


def url_year(url: str) -> int | None:
    """The year a URL's identifier names, by the rules in the module docstring."""
    parts = urlsplit(url)
    host = _host(url)
    if host == "nature.com":
        match = _NATURE_ID.match(parts.path)
        return 2000 + int(match["yy"]) if match else None
    if host in ("biorxiv.org", "medrxiv.org"):
        match = _RXIV_DOI.search(parts.path) or _RXIV_EARLY.search(parts.path)
        return int(match["year"]) if match else None
    if host == "arxiv.org":
        match = _ARXIV.match(parts.path)
        return 2000 + int(match["yy"]) if match else None
    if host == "sciencedirect.com":
        match = _PII.search(parts.path)
        return 2000 + int(match["yy"]) if match else None
    return proceedings_year(url)


def proceedings_year(url: str) -> int | None:
    """The year of a conference's own proceedings URL (CVF open access, NeurIPS proceedings).

    Unlike a preprint's date, this year is the venue's year itself.
    """
    if _host(url) not in ("openaccess.thecvf.com", "proceedings.neurips.cc"):
        return None
    match = _PROCEEDINGS.search(urlsplit(url).path)
    return int(match["year"] or match["year2"]) if match else None


def link_kind(label: str, url: str) -> str:
    """The typed kind of a source link from its label (and, for weights, its host)."""
    text = label.strip().lower()
    if text in ("code", "github", "repo", "repository"):
        return "weights" if _host(url) == "huggingface.co" else "code"
    if text in ("weights", "model"):
        return "weights"
    if text in ("project", "website", "page"):
        return "project"
    return "paper"


def model_from_title(title: str) -> str | None:
    """A title's lead-in when it is one word, or one word and a number (``VIRCHOW 2``)."""
    match = _LEAD_IN.match(title)
    return match["lead"] if match else None


def normalise_title(title: str) -> str:
    """The key two spellings of one title share: case, dashes and spacing folded."""
    text = unicodedata.normalize("NFKC", title).casefold()
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text)
    return re.sub(r"\s+", " ", text).strip()


_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "as",
        "at",
        "by",
        "for",
        "from",
        "in",
        "into",
        "is",
        "of",
        "on",
        "the",
        "to",
        "via",
        "with",
        "toward",
        "towards",
    ]
)


def slug(text: str, *, words: int | None = None) -> str:
    """A lowercase ``a-z0-9-`` slug of ``text``; with ``words``, of its first significant words."""
    dashed = re.sub(r"[\u2010-\u2015\u2212]", "-", text)
    ascii_text = unicodedata.normalize("NFKD", dashed).encode("ascii", "ignore").decode()
    tokens = [t for t in re.split(r"[^a-z0-9]+", ascii_text.lower()) if t]
    if words is not None:
        tokens = [t for t in tokens if t not in _STOPWORDS][:words]
    return "-".join(tokens)
