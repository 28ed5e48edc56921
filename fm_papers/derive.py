"""Fields derived from what a source writes, each by one stated rule (and nothing else).

Identifiers read off the paper link:

* DOI: nature.com article ids (``10.1038/…``); bioRxiv/medRxiv paths (``10.1101/…``); any
  ``/doi/[abs|full|pdf|epdf]/10.…`` path (Wiley, ACM, …); Springer, BioMed Central and IOP
  ``/10.…`` paths; ``doi.org/10.…``; Oxford Academic (``/doi/10.1093/nsr/nwaf255/…`` and
  article paths whose id is a manuscript id such as ``bbae548`` → ``10.1093/bib/bbae548``).
* arXiv id: ``arxiv.org/abs|pdf/<id>``.
* The venue a link names (:func:`linked_venue`): Nature Portfolio article-id prefixes, Elsevier
  PIIs by their ISSN, Springer and BioMed Central journal ids, Oxford Academic and Wiley
  journal codes, IOP's ISSN, the conference in a CVF, NeurIPS, ACL Anthology or AAAI path.
* The venue a link proves (:func:`proved_venue`): the venue its identifiers name, else, for a
  paper the source calls a preprint (or gives no venue), the preprint server it is on.
* The year a link names (:func:`url_year`): Nature article ids (``s41586-024-…``),
  bioRxiv/medRxiv DOIs, arXiv ids, Elsevier PIIs and proceedings paths (``/CVPR2024/``).

Link kind: the source's label (``paper``/``PDF`` → ``paper``, ``Code`` → ``code``), except
that a "code" link to ``huggingface.co`` is a ``weights`` link and one to a ``github.io`` site
a ``project`` link. Tracking parameters (``utm_*``, ``trk``, ``fbclid``, ``ref`` naming the
referring page...) are left out of every link (:func:`without_tracking`).

The loader reads DOIs and arXiv ids off overlays' links with the same rules.
"""

from __future__ import annotations

import re
from urllib.parse import SplitResult, unquote, urlsplit

__all__ = [
    "NATURE_JOURNALS",
    "PREPRINT_HOSTS",
    "arxiv_id",
    "doi",
    "link_kind",
    "linked_venue",
    "nature_journal",
    "normalise_url",
    "preprint_server",
    "proceedings_year",
    "proved_venue",
    "repository",
    "url_kind",
    "url_year",
    "without_tracking",
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

#: Elsevier and Cell Press journals by the ISSN that opens their PIIs (``S2666389925…``).
ELSEVIER_JOURNALS: dict[str, str] = {
    "00928674": "Cell",
    "26663899": "Patterns",
    "25890042": "iScience",
    "13618415": "Medical Image Analysis",
    "00104825": "Computers in Biology and Medicine",
    "20010370": "Computational and Structural Biotechnology Journal",
}

#: Springer Nature and BioMed Central journal ids (``10.1007/s10278-…``, ``10.1186/s13059-…``).
SPRINGER_JOURNALS: dict[str, str] = {
    "s10278": "Journal of Imaging Informatics in Medicine",
    "s13059": "Genome Biology",
}

#: Oxford Academic journal codes (``academic.oup.com/nsr/…``).
OUP_JOURNALS: dict[str, str] = {
    "nsr": "National Science Review",
    "bib": "Briefings in Bioinformatics",
    "bioinformatics": "Bioinformatics",
}

#: Journals named by the first part of a DOI suffix (Wiley's ``qub2``, IOP's ISSN).
DOI_JOURNALS: dict[str, str] = {
    "10.1002/qub2": "Quantitative Biology",
    "10.1088/1742-6596": "Journal of Physics: Conference Series",
}

#: Conferences named by the event of an ACL Anthology id (``2025.acl-long.26``).
ACL_EVENTS: dict[str, str] = {"acl": "ACL", "emnlp": "EMNLP", "naacl": "NAACL", "eacl": "EACL"}

#: Host name (without ``www.``) of each preprint server, and the server's venue name.
PREPRINT_HOSTS: dict[str, str] = {
    "arxiv.org": "arXiv",
    "biorxiv.org": "bioRxiv",
    "medrxiv.org": "medRxiv",
}

_NATURE_ID = re.compile(r"^/articles/(?P<id>(?P<prefix>s\d{5})-(?P<yy>\d{3})-\d{4,6}-[0-9a-z])")
_RXIV_DOI = re.compile(r"(?P<doi>10\.1101/(?P<year>20\d\d)\.\d\d\.\d\d\.\d+)")
_RXIV_EARLY = re.compile(r"/early/\d{4}/\d\d/\d\d/(?P<date>(?P<year>20\d\d)\.\d\d\.\d\d\.\d+)")
_DOI_PATH = re.compile(r"/doi/(?:(?:abs|full|pdf|epdf|reader|book)/)?(?P<doi>10\.\d{4,9}/[^?#]+)")
_PATH_DOI = re.compile(r"/(?P<doi>10\.\d{4,9}/[^?#]+)")
_OUP_DOI = re.compile(r"/doi/(?P<doi>10\.1093/(?P<code>[a-z]+)/[a-z]+\d+)(?:/|$)")
_OUP_ARTICLE = re.compile(r"^/(?P<code>[a-z]+)/article/\d+/\d+/(?P<id>[a-z]+\d+)(?:/|$)")
_OUP_ANY = re.compile(r"^/(?P<code>[a-z]+)/")
_DOI_TAILS = ("/meta", "/pdf", "/ampdf", "/fulltext", "/abstract", "/full", "/html")
_ARXIV = re.compile(r"^/(?:abs|pdf)/(?P<id>(?P<yy>\d\d)(?P<mm>\d\d)\.\d{4,5})(?:v\d+)?(?:\.pdf)?$")
# An Elsevier PII: S, the journal's ISSN (8 characters), the year's last two digits, a number;
# Cell Press writes it S0092-8674(24)00301-5.
_PII = re.compile(r"/(?:pii/)?S(?P<issn>\d{4}-?\d{3}[\dX])\(?(?P<yy>\d\d)\)?\d{5}")
_PROCEEDINGS = re.compile(
    r"/(?:content/)?(?:[A-Z]+)(?P<year>20\d\d)W?/|/paper(?:_files/paper)?/(?P<year2>20\d\d)/"
)
_CVF = re.compile(r"^/content/(?P<conf>[A-Z]+)(?P<year>20\d\d)(?P<workshop>W?)/")
_ACL_ID = re.compile(r"^/(?P<year>20\d\d)\.(?P<event>[a-z]+)-")
_PATH_DOI_HOSTS = ("link.springer.com", "doi.org", "dx.doi.org", "iopscience.iop.org")


def _split(url: str) -> SplitResult:
    """A URL's parts; one that urllib cannot read (``http://[bad/x``) has none, so that no
    rule reads anything off it (the models refuse it, located)."""
    try:
        return urlsplit(url)
    except ValueError:
        return SplitResult("", "", "", "", "")


def _host(url: str) -> str:
    host = _split(url).hostname or ""
    return host.removeprefix("www.")


# Identifiers --------------------------------------------------------------------------------


def doi(url: str) -> str | None:
    """The DOI a URL names, by the publisher rules above; ``None`` if it names none."""
    parts = _split(url)
    host = _host(url)
    path = unquote(parts.path)
    if host == "nature.com":
        match = _NATURE_ID.match(path)
        return f"10.1038/{match['id']}" if match else None
    if host in PREPRINT_HOSTS and host != "arxiv.org":
        found = _RXIV_DOI.search(path)
        if found:
            return found["doi"]
        early = _RXIV_EARLY.search(path)
        return f"10.1101/{early['date']}" if early else None
    if host == "academic.oup.com":
        oup = _OUP_DOI.search(path)
        if oup:
            return oup["doi"]
        article = _OUP_ARTICLE.match(path)
        return f"10.1093/{article['code']}/{article['id']}" if article else None
    match = _DOI_PATH.search(path)
    if match is None and (host in _PATH_DOI_HOSTS or host.endswith(".biomedcentral.com")):
        match = _PATH_DOI.search(path)
    if match is None:
        return None
    found_doi = match["doi"].rstrip("/")
    for tail in _DOI_TAILS:
        found_doi = found_doi.removesuffix(tail)
    return found_doi


def arxiv_id(url: str) -> str | None:
    """The arXiv identifier of an ``arxiv.org/abs|pdf/`` URL, without version."""
    if _host(url) != "arxiv.org":
        return None
    match = _ARXIV.match(_split(url).path)
    return match["id"] if match else None


def nature_journal(url: str) -> str | None:
    """The journal a nature.com article id names (``s41592`` → Nature Methods)."""
    if _host(url) != "nature.com":
        return None
    match = _NATURE_ID.match(_split(url).path)
    return NATURE_JOURNALS.get(match["prefix"]) if match else None


def linked_venue(url: str) -> str | None:
    """The journal or conference a paper link names by its publisher's identifiers, if any.

    ``None`` where the link names no venue (a preprint server, OpenReview, IEEE Xplore, a
    book chapter) or a venue the tables above do not know.
    """
    host = _host(url)
    path = _split(url).path
    if host == "nature.com":
        return nature_journal(url)
    if host in ("sciencedirect.com", "cell.com"):
        pii = _PII.search(path)
        return ELSEVIER_JOURNALS.get(pii["issn"].replace("-", "")) if pii else None
    if host == "academic.oup.com":
        code = _OUP_ANY.match(path)
        return OUP_JOURNALS.get(code["code"]) if code else None
    if host == "openaccess.thecvf.com":
        cvf = _CVF.match(path)
        if cvf is None:
            return None
        return cvf["conf"] + (" Workshops" if cvf["workshop"] else "")
    if host in ("proceedings.neurips.cc", "papers.nips.cc"):
        return "NeurIPS"
    if host == "aclanthology.org":
        event = _ACL_ID.match(path)
        return ACL_EVENTS.get(event["event"]) if event else None
    if host == "ojs.aaai.org" and path.startswith("/index.php/AAAI/"):
        return "AAAI"
    found = doi(url)
    if found is None:
        return None
    prefix, _, suffix = found.partition("/")
    if prefix in ("10.1007", "10.1186"):
        return SPRINGER_JOURNALS.get(suffix.split("-")[0])
    for start, journal in DOI_JOURNALS.items():
        if found.startswith((start + "/", start + ".")):
            return journal
    return None


def preprint_server(url: str) -> str | None:
    """The preprint server a URL is on (``arXiv``, ``bioRxiv``, ``medRxiv``), if any."""
    return PREPRINT_HOSTS.get(_host(url))


def proved_venue(url: str, kind: str | None) -> str | None:
    """The venue a paper link proves, given the kind of venue the source names: the journal or
    conference its publisher's identifiers name (:func:`linked_venue`); else, where the source
    names a preprint server or no venue, the server the link is on. (A conference paper
    linked through its preprint is still the conference's: the link proves nothing then.)"""
    linked = linked_venue(url)
    if linked is not None:
        return linked
    return preprint_server(url) if kind in ("preprint", None) else None


def url_year(url: str) -> int | None:
    """The year a URL's identifier names, by the rules in the module docstring."""
    parts = _split(url)
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
    if host in ("sciencedirect.com", "cell.com"):
        match = _PII.search(parts.path)
        return 2000 + int(match["yy"]) if match else None
    return proceedings_year(url)


def proceedings_year(url: str) -> int | None:
    """The year of a conference's own proceedings URL (CVF open access, NeurIPS proceedings).

    Unlike a preprint's date, this year is the venue's year itself.
    """
    if _host(url) not in ("openaccess.thecvf.com", "proceedings.neurips.cc"):
        return None
    match = _PROCEEDINGS.search(_split(url).path)
    return int(match["year"] or match["year2"]) if match else None


def normalise_url(url: str) -> str:
    """The form two spellings of one link share: ``https``, no ``www.``, no fragment, no
    trailing slash, the host in lower case (the query is kept: OpenReview ids live there)."""
    parts = _split(url.strip())
    if not parts.netloc:
        return url.strip()
    host = (parts.hostname or "").lower().removeprefix("www.")
    path = parts.path.rstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    return f"https://{host}{path}{query}"


# Links ------------------------------------------------------------------------------------

#: Query parameters that only say where a reader came from (a share button, a search engine,
#: a newsletter): a link is the same document without them.
TRACKING_PARAMETERS = frozenset(
    {"trk", "fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "_hsenc",
     "_hsmi", "ref_src", "ref_url"}
)  # fmt: skip


def _tracking(name: str, value: str) -> bool:
    """Whether a query parameter is tracking: a known name, any ``utm_*``, or ``ref`` naming
    the page a reader came from (``ref=https://githubhelp.com``), not a branch or tag."""
    lowered = name.lower()
    if lowered in TRACKING_PARAMETERS or lowered.startswith("utm_"):
        return True
    return lowered == "ref" and value.lower().startswith(("http://", "https://"))


def without_tracking(url: str) -> tuple[str, tuple[str, ...]]:
    """A link without its tracking parameters (:func:`_tracking`), and the parameters taken
    off, as written (``trk=public_post_comment-text``); the rest of the link is kept as it is."""
    parts = _split(url)
    if not parts.query:
        return url, ()
    kept: list[str] = []
    dropped: list[str] = []
    for pair in parts.query.split("&"):
        name, _, value = pair.partition("=")
        (dropped if _tracking(unquote(name), unquote(value)) else kept).append(pair)
    if not dropped:
        return url, ()
    return parts._replace(query="&".join(kept)).geturl(), tuple(dropped)


def link_kind(label: str, url: str) -> str:
    """The typed kind of a source link from its label and host: a "code" link to
    huggingface.co is a ``weights`` link, and one to a ``github.io`` site (a project page, not
    a repository) a ``project`` link."""
    text = label.strip().lower()
    if text in ("code", "github", "repo", "repository"):
        if _host(url) == "huggingface.co":
            return "weights"
        return "project" if _host(url).endswith(".github.io") else "code"
    if text in ("weights", "model", "checkpoints"):
        return "weights"
    if text in ("project", "website", "page", "homepage", "project page"):
        return "project"
    return "paper"


def url_kind(url: str) -> str:
    """The kind of a link written as its URL alone, by its host: ``weights`` on
    huggingface.co, ``code`` on another repository host (:data:`REPOSITORY_HOSTS`),
    ``project`` on a github.io site, else ``paper``."""
    try:
        host = _host(url)
    except ValueError:  # not a URL: the link's own check says so
        return "paper"
    if host == "huggingface.co":
        return "weights"
    if host in REPOSITORY_HOSTS:
        return "code"
    return "project" if host.endswith(".github.io") else "paper"


#: Hosts of code and weights repositories: ``<host>/<owner>/<name>``.
REPOSITORY_HOSTS = frozenset(
    {"github.com", "gitlab.com", "huggingface.co", "bitbucket.org", "codeberg.org"}
)


def repository(url: str) -> tuple[str, str] | None:
    """``(owner, name)`` of a code or weights repository URL, else ``None``.

    ``huggingface.co/datasets/<owner>/<name>`` and ``…/spaces/…`` are repositories too.
    """
    host = _host(url)
    if host not in REPOSITORY_HOSTS:
        return None
    segments = [s for s in _split(url).path.split("/") if s]
    if host == "huggingface.co" and segments[:1] in (["datasets"], ["spaces"], ["models"]):
        segments = segments[1:]
    if len(segments) < 2:
        return None
    return segments[0], segments[1].removesuffix(".git")
