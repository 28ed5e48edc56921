"""Markdown text as the importer reads it: what a renderer would show, in the encoding it meant.

Source lists repeat three defects of text: UTF-8 decoded as Windows-1252 ("ðŸ“œ" for "📜",
"â€“" for "–"), backslash escapes and character references (``\\*``, ``&amp;``), and headings
closed by ``#``. Each function undoes one, and leaves text without the defect as it is.
"""

from __future__ import annotations

import re

__all__ = ["heading_text", "repair_mojibake", "unescape"]


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


# Markdown's backslash escapes and the character references a renderer shows as one character.
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
_REFERENCE = re.compile(r"&(?:(lt|gt|amp|quot|apos)|#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6}));")
_NAMED_REFERENCES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}


def heading_text(text: str) -> str:
    """A heading's text without the ``#`` that may close it (``## Title ##``): in one pass,
    where a pattern with ``\\s*#*\\s*$`` after the text took cubic time on long lines."""
    text = text.rstrip()
    bare = text.rstrip("#")
    if bare != text and (not bare or bare[-1].isspace()):
        text = bare.rstrip()
    return text or "#"


def unescape(text: str) -> str:
    """Text as Markdown shows it: ``\\*`` is ``*`` and ``&lt;`` is ``<`` (the export escapes)."""
    if "\\" not in text and "&" not in text:
        return text

    def reference(match: re.Match[str]) -> str:
        if match[1]:
            return _NAMED_REFERENCES[match[1]]
        code = int(match[2]) if match[2] else int(match[3], 16)
        return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"

    return _REFERENCE.sub(reference, _ESCAPED.sub(r"\1", text))
