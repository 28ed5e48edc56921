"""Read awesome-list style markdown into raw records, reporting every line it does not take.

The layouts understood, each item under the headings above it:

* the one-line layout of the single-cell list:
  ``1. [2024 Nature Methods][**scGPT**] **Title** [[paper]](URL) [[code]](URL)``, the link
  brackets sometimes mis-nested as ``[[paper](URL)]``;
* the bullet layout of the pathology list: a numbered ``**Title**`` line, then bullets
  ``- 📖 Journal: X, 2024``, ``- 📄 [PDF](URL)`` and ``- 💻 [Code](URL)``;
* a linked title, numbered or bulleted: ``- [Title](URL) - Nature Methods 2024`` (the venue
  and year after it may also be in parentheses, and more links may follow);
* a bold name before a linked title: ``1. **scGPT**: [Title](URL) (Nature Methods, 2024)``;
* tables with a header row: a title (or paper) column, plain or linked, and any of name
  (model), venue (journal, conference), year and link columns (code, weights, project...).

Numbering is ignored (the sources repeat and skip numbers), URLs may contain balanced
parentheses, and text that was UTF-8 decoded as Windows-1252 ("ðŸ“œ", "â€“") is repaired.

Nothing is dropped silently: a line that looks like an item but cannot be read is a
*problem*, and so is a line holding a control or bidirectional character (it is left out);
any other list item, table row or line holding a link that is not part of an entry is
*skipped*, and both are reported with their line. The importer only reads;
deciding ids, merging duplicates and deriving fields is :mod:`.pipeline`'s job.

Long because its five layouts are read by one reader whose state (headings, the item whose
bullets are pending, a table's header) they share; the text repairs are :mod:`.text`'s.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..safety import find_forbidden
from ..venues import YEAR_IN_TEXT
from .text import heading_text, repair_mojibake, unescape

__all__ = [
    "YEAR_IN_TEXT",
    "ImportResult",
    "RawEntry",
    "parse_markdown",
]

# A URL inside markdown link parentheses: no spaces, parentheses allowed when balanced.
_URL = r"(?P<url>https?://(?:[^()\s]|\([^()\s]*\))+)"
_LINK = re.compile(r"\[(?P<label>(?:\\.|[^\[\]\\])+)\]\(" + _URL + r"\)")
_ANY_LINK = re.compile(r"\[(?P<label>[^\[\]]*)\]\((?P<target>[^()\s]*(?:\([^()\s]*\)[^()\s]*)*)\)")
_HTTP = re.compile(r"https?://")
_LINE_END = re.compile(r"\r\n?|\n")
_NUMBERED = re.compile(r"^(?P<indent>\s*)(?P<number>\d+)\.\s+(?P<rest>.*)$")
_BULLET_ITEM = re.compile(r"^[-*+]\s+(?P<rest>.*)$")
_HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<text>\S.*)$")
_BULLET = re.compile(r"^\s+[-*]\s+(?P<rest>.*)$")
_BOLD = re.compile(r"\*\*(?P<text>(?:\\.|[^\\])+?)\*\*")
_BRACKET = re.compile(r"^\[(?P<text>(?:\\.|[^\[\]\\])*)\]")
_MODEL_TAG = re.compile(r"^\[\*\*(?P<model>(?:\\.|[^*\]\\])+)\*\*\]")
_NAMED = re.compile(r"^\*\*(?P<name>(?:\\.|[^*\\])+)\*\*\s*[:\-–—]\s*(?P<rest>\[.*)$")
_KIND_PREFIX = re.compile(r"^(?P<kind>Conference|Journal|Preprint|Workshop):\s+(?P<rest>.*)$")
# Leading pictographs of the bullet layout (after repair): anything that is not a word,
# a bracket or an asterisk.
_LEADING_SYMBOLS = re.compile(r"^[^\w\[*]+")
_TABLE_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
# What a table's header cells say about their column.
_TABLE_ROLES = {
    "title": ("title", "paper", "paper title", "article", "publication"),
    "model": ("model", "name", "method", "short name", "model name"),
    "venue": ("venue", "journal", "conference", "published", "published in", "where"),
    "year": ("year", "date"),
}


@dataclass(frozen=True)
class RawEntry:
    """One paper line of a source list, as written there."""

    #: Source file name (no directory) and 1-based line of the item.
    file: str
    line: int
    #: Headings above the item, outermost first, as written (trailing colons dropped).
    headings: tuple[str, ...]
    title: str
    #: ``(label, url)`` pairs in source order: ``paper``, ``PDF``, ``Code``...
    links: tuple[tuple[str, str], ...]
    year: int | None
    #: The venue text with the year removed, for matching: ``Nature Medicine FM4Pathology``.
    venue: str | None
    #: The venue as the line names it: the year is taken off only where it opens or closes
    #: the text, so ``ICML 2024 FM-Wild Workshop`` keeps it.
    venue_as_written: str | None
    #: ``Conference``/``Journal``/``Preprint``/``Workshop`` when the source says so.
    kind_hint: str | None = None
    #: A name the source gives in bold: ``[**scGPT**]``, ``**scGPT**: [Title](URL)``.
    model_tag: str | None = None


@dataclass
class ImportResult:
    """What :func:`parse_markdown` read: the entries and every line it did not take."""

    entries: list[RawEntry] = field(default_factory=list)
    #: The name the document was read as (its file's last part), recorded on its entries.
    file: str = "<string>"
    #: The document as it was named (a path), for messages.
    where: str = "<string>"
    #: ``(line, message)`` for every line that looked like an entry but could not be read.
    problems: list[tuple[int, str]] = field(default_factory=list)
    #: ``(line, reason)`` for every other list item, table row or line with a link that is
    #: not part of an entry.
    skipped: list[tuple[int, str]] = field(default_factory=list)
    #: Every heading met, as ``(level, text, line)``.
    headings: list[tuple[int, str, int]] = field(default_factory=list)


def split_venue(text: str) -> tuple[int | None, str | None, str | None]:
    """``year, venue, venue_as_written`` of a venue text such as ``Nature Methods, 2024``.

    The year is the first plausible one; ``venue`` is the rest with it removed, and
    ``venue_as_written`` keeps a year that sits inside the name (``AAAI 2024 Spring Symposium``).
    """
    match = YEAR_IN_TEXT.search(text)
    if not match:
        written = _tidy(text) or None
        return None, written, written
    before, after = text[: match.start()], text[match.end() :]
    rest = _tidy(before + " " + after)
    inside = _tidy(before) != "" and _tidy(after) != ""
    written = _tidy(text) if inside else rest
    return int(match[0]), rest or None, written or None


def _tidy(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace(" ,", ",")).strip(" ,;-–—()[]")


def _heading_text(text: str) -> str:
    return unescape(text.strip().rstrip(":").strip())


@dataclass
class _Pending:
    """A bullet-layout item whose bullets are still being read."""

    line: int
    headings: tuple[str, ...]
    title: str
    links: list[tuple[str, str]] = field(default_factory=list)
    venue_line: str | None = None


class _Reader:
    """The state of one pass over a document."""

    def __init__(self, file: str) -> None:
        self.file = Path(file).name
        self.result = ImportResult(file=self.file, where=file)
        self.levels: dict[int, str] = {}
        self.pending: _Pending | None = None
        self.table: list[tuple[int, str]] = []

    def headings(self) -> tuple[str, ...]:
        return tuple(self.levels[k] for k in sorted(self.levels))

    def entry(
        self,
        line: int,
        title: str,
        links: list[tuple[str, str]],
        venue: str,
        *,
        kind_hint: str | None = None,
        model_tag: str | None = None,
    ) -> None:
        """Record an entry; ``venue`` is the venue text, year included (all as written in
        Markdown: escapes are read here)."""
        year, name, written = split_venue(unescape(venue))
        self.result.entries.append(
            RawEntry(
                self.file,
                line,
                self.headings(),
                unescape(title),
                tuple((unescape(label), url) for label, url in links),
                year,
                name,
                written,
                kind_hint=kind_hint,
                model_tag=unescape(model_tag) if model_tag else None,
            )
        )

    def problem(self, line: int, message: str) -> None:
        self.result.problems.append((line, message))

    def skip(self, line: int, reason: str) -> None:
        self.result.skipped.append((line, reason))

    def flush(self) -> None:
        """Finish the bullet-layout item being read, if any."""
        item, self.pending = self.pending, None
        if item is None:
            return
        if not item.links:
            self.problem(item.line, "no paper link under this item")
            return
        kind = None
        venue = item.venue_line or ""
        match = _KIND_PREFIX.match(venue)
        if match:
            kind, venue = match["kind"], match["rest"]
        self.entry(item.line, item.title, item.links, venue, kind_hint=kind)

    def flush_table(self) -> None:
        rows, self.table = self.table, []
        if rows:
            _read_table(rows, self)


def parse_markdown(text: str, file: str = "<string>") -> ImportResult:
    """Parse an awesome-list markdown document.

    :param text: the document.
    :param file: the name recorded on each entry (a path's last part is kept).
    :return: entries in source order; every line that looked like an entry but could not be
        read (problems) and every other item or link that is not an entry (skipped).
    """
    reader = _Reader(file)
    in_fence = False
    # Lines end at LF, CR LF or CR only: str.splitlines() would also break at form feeds,
    # C1 controls and separators, which are refused, and shift every later line's number.
    for number, raw_line in enumerate(_LINE_END.split(text), start=1):
        line = repair_mojibake(raw_line)
        forbidden = find_forbidden(line)
        if forbidden is not None:
            # Untrusted text: the line is refused, and said so, rather than carried into data.
            reader.problem(number, f"{forbidden[2]} (column {forbidden[1]}); line left out")
            continue
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        if line.lstrip().startswith("|"):
            reader.flush()
            reader.table.append((number, line.strip()))
            continue
        reader.flush_table()
        heading = _HEADING.match(line)
        if heading:
            reader.flush()
            level = len(heading["hashes"])
            reader.levels = {k: v for k, v in reader.levels.items() if k < level}
            reader.levels[level] = _heading_text(heading_text(heading["text"]))
            reader.result.headings.append((level, reader.levels[level], number))
            continue
        numbered = _NUMBERED.match(line)
        item = numbered if numbered and not numbered["indent"] else _BULLET_ITEM.match(line)
        if item is not None:
            reader.flush()
            _read_item(item["rest"].strip(), number, reader, numbered=item is numbered)
            continue
        bullet = _BULLET.match(line)
        if bullet and reader.pending is not None:
            _read_bullet(bullet["rest"], number, reader)
            continue
        if line.strip() and reader.pending is not None and not line.startswith((" ", "\t")):
            reader.flush()
        if bullet or (_HTTP.search(line) and reader.pending is None):
            reader.skip(number, _why_not(line.strip()))
    reader.flush()
    reader.flush_table()
    return reader.result


def _why_not(text: str) -> str:
    """Why a line or item that is not an entry was skipped."""
    if not _HTTP.search(text):
        targets = [m["target"] for m in _ANY_LINK.finditer(text)]
        if targets and all(t.startswith("#") for t in targets):
            return "not a paper: a link within the page"
        return "not a paper: no http(s) link"
    if text.startswith("[!["):
        return "not a paper: a badge"
    return "not a paper: no title in a layout the importer reads"


def _read_item(rest: str, number: int, reader: _Reader, *, numbered: bool) -> None:
    """A top-level list item: one of the one-line layouts, or the start of a bullet item."""
    bracket = _BRACKET.match(rest)
    if bracket and not _ANY_LINK.match(rest):
        after = rest[bracket.end() :].lstrip()
        if numbered or after.startswith(("[**", "**")):
            model_tag = _MODEL_TAG.match(after)
            if model_tag:
                after = after[model_tag.end() :].lstrip()
            tag = model_tag["model"].strip() if model_tag else None
            _read_bold_title(after, bracket["text"], number, reader, tag, "after the bracket")
            return
    named = _NAMED.match(rest)
    if named and _LINK.match(named["rest"]):
        _read_linked_title(named["rest"], number, reader, model_tag=named["name"].strip())
        return
    if _LINK.match(rest):
        _read_linked_title(rest, number, reader)
        return
    title = _BOLD.match(rest) or (_BOLD.search(rest) if numbered else None)
    if title and _HTTP.search(rest[title.end() :]):
        _read_bold_title(rest[title.start() :], "", number, reader, None, "")
    elif title:
        reader.pending = _Pending(number, reader.headings(), title["text"].strip())
    elif numbered:
        reader.problem(number, "numbered item without a **title** or a link")
    else:
        reader.skip(number, _why_not(rest))


def _read_bullet(body_text: str, number: int, reader: _Reader) -> None:
    """A bullet under a bullet-layout item: a link, or the venue line."""
    pending = reader.pending
    assert pending is not None
    body = _LEADING_SYMBOLS.sub("", body_text).strip()
    link = _LINK.search(body)
    if link and body.startswith("["):
        pending.links.append((link["label"].strip(), link["url"]))
    elif pending.venue_line is None and not body.startswith("["):
        pending.venue_line = body
    else:
        reader.problem(number, f"cannot read bullet {body!r}")


def _read_bold_title(
    text: str, venue: str, number: int, reader: _Reader, tag: str | None, where: str
) -> None:
    """Read ``**Title** [[paper]](URL) [[code]](URL)``, the venue given or after the links."""
    title = _BOLD.match(text)
    if not title:
        reader.problem(number, f"no **title** {where}".strip())
        return
    # ``[[paper]](URL)`` and the mis-nested ``[[paper](URL)]`` both leave ``[paper](URL)``
    # once the outer brackets are dropped.
    tail = text[title.end() :].replace("[[", "[").replace("]]", "]")
    links = [(m["label"].strip(), m["url"]) for m in _LINK.finditer(tail)]
    if not links:
        reader.problem(number, "no (http...) link after the title")
        return
    venue = venue.strip() or _LINK.sub(" ", tail)
    reader.entry(number, title["text"].strip(), links, venue, model_tag=tag)


def _read_linked_title(
    rest: str, number: int, reader: _Reader, model_tag: str | None = None
) -> None:
    """Read ``[Title](URL) - Venue 2024 [[code]](URL)``: the first link's text is the title."""
    first = _LINK.match(rest)
    assert first is not None
    title = first["label"].strip().strip("*").strip()
    links = [("paper", first["url"])]
    tail = rest[first.end() :].replace("[[", "[").replace("]]", "]")
    links += [(m["label"].strip(), m["url"]) for m in _LINK.finditer(tail)]
    venue = _LINK.sub(" ", tail)
    reader.entry(number, title, links, venue, model_tag=model_tag)


def _cells(row: str) -> list[str]:
    return [cell.strip() for cell in row.strip().strip("|").split("|")]


def _read_table(rows: list[tuple[int, str]], reader: _Reader) -> None:
    """A markdown table: a header row, a rule, then one paper per row."""
    if len(rows) < 2 or not _TABLE_RULE.match(rows[1][1]):
        for number, _ in rows:
            reader.skip(number, "not a paper: a table row without a header and rule above it")
        return
    header = [re.sub(r"[*_`]", "", cell).strip().lower() for cell in _cells(rows[0][1])]
    roles: dict[str, int] = {}
    for position, name in enumerate(header):
        for role, names in _TABLE_ROLES.items():
            if name in names and role not in roles:
                roles[role] = position
    for number, row in rows[2:]:
        cells = _cells(row)
        cells += [""] * (len(header) - len(cells))
        if "title" not in roles:
            reader.skip(number, "not a paper: a table without a title column")
            continue
        _read_table_row(cells, header, roles, number, reader)


def _read_table_row(
    cells: list[str], header: list[str], roles: dict[str, int], number: int, reader: _Reader
) -> None:
    title_cell = cells[roles["title"]]
    linked = _LINK.search(title_cell)
    title = (linked["label"] if linked else _BOLD.sub(r"\g<text>", title_cell)).strip("* ")
    links: list[tuple[str, str]] = [("paper", linked["url"])] if linked else []
    for position, cell in enumerate(cells):
        if position == roles["title"]:
            continue
        for match in _LINK.finditer(cell):
            label = match["label"].strip()
            generic = label.lower() in ("link", "here", "url")
            links.append((header[position] if generic else label, match["url"]))
        if not _LINK.search(cell):
            for url in re.findall(r"https?://\S+", cell):
                links.append((header[position] or "paper", url))
    if not title:
        reader.problem(number, "a table row without a title")
        return
    if not links:
        reader.problem(number, "a table row without an http(s) link")
        return
    venue = cells[roles["venue"]] if "venue" in roles else ""
    if "year" in roles:
        venue = f"{venue} {cells[roles['year']]}"
    model = _BOLD.sub(r"\g<text>", cells[roles["model"]]).strip() if "model" in roles else ""
    reader.entry(number, title, links, _LINK.sub(" ", venue), model_tag=model or None)
