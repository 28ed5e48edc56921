"""Read awesome-list style markdown into raw records, reporting every line it cannot read.

Two layouts are understood, the two the catalogue was built from:

* one line per paper: ``1. [2024 Nature Methods][**scGPT**] **Title** [[paper]](URL)``, with
  the link brackets sometimes mis-nested as ``[[paper](URL)]``;
* a numbered title line followed by bullets: ``3. 📜 **Title**`` then ``- 📖 Journal: X, 2024``,
  ``- 📄 [PDF](URL)`` and ``- 💻 [Code](URL)``.

Numbering is ignored (the sources repeat and skip numbers), URLs may contain balanced
parentheses, and text that was UTF-8 decoded as Windows-1252 ("ðŸ“œ", "â€“") is repaired.
The importer only reads; deciding ids, merging duplicates and deriving fields is
:mod:`fm_papers.curation`'s job.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["ImportResult", "RawEntry", "parse_markdown", "repair_mojibake"]

# A URL inside markdown link parentheses: no spaces, parentheses allowed when balanced.
_URL = r"(?P<url>https?://(?:[^()\s]|\([^()\s]*\))+)"
_LINK = re.compile(r"\[(?P<label>[^\[\]]+)\]\(" + _URL + r"\)")
_NUMBERED = re.compile(r"^(?P<indent>\s*)(?P<number>\d+)\.\s+(?P<rest>.*)$")
_HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<text>.+?)\s*#*\s*$")
_BULLET = re.compile(r"^\s+[-*]\s+(?P<rest>.*)$")
_BOLD = re.compile(r"\*\*(?P<text>.+?)\*\*")
_BRACKET = re.compile(r"^\[(?P<text>[^\[\]]*)\]")
_MODEL_TAG = re.compile(r"^\[\*\*(?P<model>[^*\]]+)\*\*\]")
_YEAR = re.compile(r"(?<![\d.])(?P<year>(?:19|20)\d\d)(?![\d.])")
_KIND_PREFIX = re.compile(r"^(?P<kind>Conference|Journal|Preprint|Workshop):\s+(?P<rest>.*)$")
# Leading pictographs of the bullet layout (after repair): anything that is not a word,
# a bracket or an asterisk.
_LEADING_SYMBOLS = re.compile(r"^[^\w\[*]+")


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 bytes that were decoded as Windows-1252, if that is what ``text`` holds.

    A line is changed only when re-encoding it gives valid UTF-8 that differs from it, so
    correctly decoded text (even with accented letters) is left as it is.
    """
    if text.isascii():
        return text
    raw = bytearray()
    for char in text:
        try:
            raw += char.encode("cp1252")
        except UnicodeEncodeError:
            # The five bytes cp1252 leaves undefined come through as C1 controls.
            if ord(char) < 256:
                raw.append(ord(char))
            else:
                return text
    try:
        repaired = raw.decode("utf-8")
    except UnicodeDecodeError:
        return text
    return repaired


@dataclass(frozen=True)
class RawEntry:
    """One paper line of a source list, as written there."""

    #: Source file name (no directory) and 1-based line of the numbered item.
    file: str
    line: int
    #: Headings above the item, outermost first, as written (trailing colons dropped).
    headings: tuple[str, ...]
    title: str
    #: ``(label, url)`` pairs in source order: ``paper``, ``PDF``, ``Code``...
    links: tuple[tuple[str, str], ...]
    year: int | None
    #: The venue text with the year removed, e.g. ``Nature Medicine FM4Pathology``.
    venue: str | None
    #: The venue text exactly as the line wrote it, year included.
    venue_as_written: str | None
    #: ``Conference``/``Journal``/``Preprint``/``Workshop`` when the source says so.
    kind_hint: str | None = None
    #: A model name the source tags in bold brackets: ``[**scGPT**]``.
    model_tag: str | None = None


@dataclass
class ImportResult:
    """What :func:`parse_markdown` read: the entries and the lines it could not read."""

    entries: list[RawEntry] = field(default_factory=list)
    #: ``(line, message)`` for every line that looked like an entry but could not be read.
    problems: list[tuple[int, str]] = field(default_factory=list)
    #: Every heading met, as ``(level, text, line)``.
    headings: list[tuple[int, str, int]] = field(default_factory=list)


def _split_year(text: str) -> tuple[int | None, str]:
    """Take the first plausible year out of ``text``; return it and the tidied remainder."""
    match = _YEAR.search(text)
    if not match:
        return None, text.strip(" ,")
    rest = (text[: match.start()] + " " + text[match.end() :]).replace(" ,", ",")
    return int(match["year"]), re.sub(r"\s+", " ", rest).strip(" ,")


def _heading_text(text: str) -> str:
    return text.strip().rstrip(":").strip()


@dataclass
class _Pending:
    """A bullet-layout item whose bullets are still being read."""

    line: int
    headings: tuple[str, ...]
    title: str
    links: list[tuple[str, str]] = field(default_factory=list)
    venue_line: str | None = None


def parse_markdown(text: str, file: str = "<string>") -> ImportResult:
    """Parse an awesome-list markdown document.

    :param text: the document.
    :param file: the name recorded on each entry (a path's last part is kept).
    :return: entries in source order, and every line that looked like an entry but could
        not be read, with the reason.
    """
    name = Path(file).name
    result = ImportResult()
    levels: dict[int, str] = {}
    pending: _Pending | None = None
    in_fence = False

    def headings() -> tuple[str, ...]:
        return tuple(levels[k] for k in sorted(levels))

    def flush() -> None:
        nonlocal pending
        if pending is None:
            return
        item, pending = pending, None
        if not item.links:
            result.problems.append((item.line, "no paper link under this item"))
            return
        year: int | None = None
        venue: str | None = None
        kind: str | None = None
        if item.venue_line is not None:
            written = item.venue_line
            match = _KIND_PREFIX.match(written)
            if match:
                kind, written = match["kind"], match["rest"]
            year, venue_text = _split_year(written)
            venue = venue_text or None
        result.entries.append(
            RawEntry(
                file=name,
                line=item.line,
                headings=item.headings,
                title=item.title,
                links=tuple(item.links),
                year=year,
                venue=venue,
                venue_as_written=item.venue_line,
                kind_hint=kind,
            )
        )

    for number, raw_line in enumerate(text.splitlines(), start=1):
        line = repair_mojibake(raw_line)
        if line.lstrip().startswith("```"):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        heading = _HEADING.match(line)
        if heading:
            flush()
            level = len(heading["hashes"])
            levels = {k: v for k, v in levels.items() if k < level}
            levels[level] = _heading_text(heading["text"])
            result.headings.append((level, levels[level], number))
            continue
        numbered = _NUMBERED.match(line)
        if numbered and not numbered["indent"]:
            flush()
            rest = numbered["rest"].strip()
            if rest.startswith("["):
                _read_one_line_item(rest, number, name, headings(), result)
            else:
                title = _BOLD.search(rest)
                if not title:
                    result.problems.append((number, "numbered item without a **title**"))
                    continue
                pending = _Pending(number, headings(), title["text"].strip())
            continue
        bullet = _BULLET.match(line)
        if bullet and pending is not None:
            body = _LEADING_SYMBOLS.sub("", bullet["rest"]).strip()
            link = _LINK.search(body)
            if link and body.startswith("["):
                pending.links.append((link["label"].strip(), link["url"]))
            elif pending.venue_line is None and not body.startswith("["):
                pending.venue_line = body
            else:
                result.problems.append((number, f"cannot read bullet {body!r}"))
            continue
        if line.strip() and pending is not None and not line.startswith((" ", "\t")):
            flush()
    flush()
    return result


def _read_one_line_item(
    rest: str, number: int, file: str, headings: tuple[str, ...], result: ImportResult
) -> None:
    """Read ``[2024 Venue][**Model**] **Title** [[paper]](URL)`` into ``result``."""
    bracket = _BRACKET.match(rest)
    if not bracket:
        result.problems.append((number, "cannot read the [year venue] bracket"))
        return
    written = bracket["text"].strip()
    after = rest[bracket.end() :].lstrip()
    model_tag = _MODEL_TAG.match(after)
    if model_tag:
        after = after[model_tag.end() :].lstrip()
    title = _BOLD.match(after)
    if not title:
        result.problems.append((number, "no **title** after the bracket"))
        return
    # ``[[paper]](URL)`` and the mis-nested ``[[paper](URL)]`` both leave ``[paper](URL)``
    # once the outer brackets are dropped.
    tail = after[title.end() :].replace("[[", "[").replace("]]", "]")
    links = tuple((m["label"].strip(), m["url"]) for m in _LINK.finditer(tail))
    if not links:
        result.problems.append((number, "no (http...) link after the title"))
        return
    year, venue = _split_year(written)
    result.entries.append(
        RawEntry(
            file=file,
            line=number,
            headings=headings,
            title=title["text"].strip(),
            links=links,
            year=year,
            venue=venue or None,
            venue_as_written=written or None,
            model_tag=model_tag["model"].strip() if model_tag else None,
        )
    )


def parse_files(paths: Iterable[Path]) -> list[ImportResult]:
    """Parse several files (UTF-8), in order."""
    return [parse_markdown(Path(p).read_text(encoding="utf-8"), str(p)) for p in paths]
