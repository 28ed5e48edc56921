"""The rules for untrusted input, in one place: what data may hold, and how big it may be.

Overlays and option values come from anyone. Every data file passes :func:`check_document`'s
limits before a YAML parser sees it, and every text field of every record passes
:func:`check_text` when it is validated; the outputs then never carry a control character
to a terminal, a page or a spreadsheet.

* **Characters.** No control characters (C0 but tab and line ends, DEL, C1), no bidirectional
  controls (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C) and no line or paragraph
  separators (U+2028, U+2029), anywhere in a file; and in a field's text, which is one line,
  no tab or line break either (the models read a block scalar's line ends as spaces first).
* **Size.** A data file is at most :data:`MAX_FILE_BYTES`; only regular files are read.
* **Nesting.** At most :data:`MAX_DEPTH` levels of collections.
* **Aliases.** YAML aliases may add at most :data:`MAX_ALIAS_NODES` nodes when expanded, and
  expand the text to at most :data:`MAX_FILE_BYTES` characters
  (an "alias bomb" of a few hundred bytes would otherwise expand to billions).
* **Hosts.** A link's host may not mix scripts (``exаmple.org`` with a Cyrillic ``а``).
"""

from __future__ import annotations

import re

# unicodedata and urllib are imported where they are needed: the command line imports this
# module to keep the terminal safe, and must start fast.

__all__ = [
    "FIELD_TEXT",
    "MAX_ALIAS_NODES",
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "check_host",
    "check_text",
    "check_url",
    "describe",
    "find_forbidden",
    "one_line",
    "terminal_safe",
]

#: The largest data file read, in bytes (64 MiB: a 100,000-entry overlay is about 42 MB).
MAX_FILE_BYTES = 64 * 1024 * 1024
#: The deepest nesting of collections a data file may have (the schema needs 5).
MAX_DEPTH = 64
#: How many nodes YAML aliases may add to a document when they are expanded.
MAX_ALIAS_NODES = 100_000

_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)
#: In a field: the same, and tabs and line ends (every field is one line of text).
_FIELD_CHARACTERS = "\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
_FORBIDDEN_IN_FIELDS = re.compile(f"[{_FIELD_CHARACTERS}]")
#: A field's text as a pattern (the characters themselves, not escapes, so that Python, the
#: validator's engine and a JSON Schema reader all read it alike): none of the forbidden.
FIELD_TEXT = f"^[^{_FIELD_CHARACTERS}]*$"
#: Names of the C0 and C1 controls, which the Unicode database leaves unnamed.
_C0 = ("NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS", "HT", "LF", "VT", "FF",
       "CR", "SO", "SI", "DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB", "CAN", "EM",
       "SUB", "ESC", "FS", "GS", "RS", "US")  # fmt: skip
_CONTROL_NAMES = dict(enumerate(_C0)) | {0x7F: "DEL", 0x85: "NEL", 0x9B: "CSI", 0x9D: "OSC"}


def describe(char: str) -> str:
    """``U+001B (ESC)``, ``U+202E (RIGHT-TO-LEFT OVERRIDE)``: a character named for messages."""
    import unicodedata

    code = ord(char)
    name = _CONTROL_NAMES.get(code) or unicodedata.name(char, "")
    return f"U+{code:04X} ({name})" if name else f"U+{code:04X}"


def _kind(char: str) -> str:
    import unicodedata

    return "bidirectional control" if unicodedata.bidirectional(char) in (
        "LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI", "LRM", "RLM", "ALM"
    ) or char in "\u200e\u200f\u061c" else "control character"  # fmt: skip


def find_forbidden(text: str) -> tuple[int, int, str] | None:
    """The first forbidden character of ``text``: its 1-based line and column, and a message."""
    match = _FORBIDDEN.search(text)
    if match is None:
        return None
    before = text[: match.start()]
    line = before.count("\n") + 1
    column = match.start() - (before.rfind("\n") + 1) + 1
    char = match.group()
    return line, column, f"{_kind(char)} {describe(char)} is not allowed"


def check_text(text: str) -> str:
    """A field's text, unchanged; a forbidden character (a tab or line break too: a field is
    one line) is a :class:`ValueError` naming it."""
    found = _FORBIDDEN_IN_FIELDS.search(text)
    if found is not None:
        char = found.group()
        raise ValueError(f"{_kind(char)} {describe(char)} is not allowed")
    return text


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_safe(text: str) -> str:
    """``text`` with forbidden characters written as visible escapes (``\\x1b``, ``\\u202e``),
    for a terminal: whatever reaches one can neither move the cursor nor retitle it."""
    return _FORBIDDEN.sub(_visible, text)


def one_line(text: str) -> str:
    """``text`` as :func:`terminal_safe` writes it, and tabs and line ends escaped too: a
    message quoting a key or a value from a file stays one harmless line."""
    return _FORBIDDEN_IN_FIELDS.sub(_visible, text)


def _script(char: str) -> str | None:
    """The script of a letter (``LATIN``, ``CYRILLIC``...), from its Unicode name."""
    import unicodedata

    if not char.isalpha():
        return None
    return unicodedata.name(char, "UNKNOWN").split(" ")[0]


# One pass, no backtracking (an overlapping pattern took cubic time on hostile links).
_URL_START = re.compile(r"https?://([^/?#]*)")
_URL_NOT = re.compile(r"[\s\\]")


def check_url(url: str) -> str:
    """A URL, unchanged, if it is ``http(s)`` with a host that has a dot inside it, no space
    and no backslash (browsers read ``\\`` as ``/``, so ``https://a.org\\@b.com`` would go to
    a.org), and a host of one script per label (:func:`check_host`).

    :raises ValueError: naming the URL (cut to 80 characters).
    """
    start = _URL_START.match(url)
    if start is None or "." not in start[1][1:-1] or _URL_NOT.search(url):
        shown = url if len(url) <= 80 else url[:79] + "…"
        raise ValueError(f"{shown!r} is not an http(s) URL")
    return check_host(url)


def check_host(url: str) -> str:
    """A URL, unchanged, if its host's letters are of one script in every label.

    Punycode labels (``xn--…``) are decoded first. A host mixing scripts in a label is the
    classic look-alike trick, and is a :class:`ValueError`.
    """
    if url.isascii() and "xn--" not in url:
        return url  # ASCII letters are all Latin
    from urllib.parse import urlsplit

    host = urlsplit(url).hostname or ""
    for label in host.split("."):
        if label.startswith("xn--"):
            try:
                label = label.encode("ascii").decode("idna")
            except UnicodeError:
                raise ValueError(f"host label {label!r} is not valid punycode") from None
        scripts = {s for s in map(_script, label) if s is not None}
        if len(scripts) > 1:
            mixed = " and ".join(sorted(s.title() for s in scripts))
            raise ValueError(f"host label {label!r} mixes {mixed} letters")
    return url
