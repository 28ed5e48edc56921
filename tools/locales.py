"""Bring the label catalogues up to date with ``sphinxext/labels.py`` and compile them.

``python tools/locales.py`` adds every new label to each shipped language's ``.po`` file
(untranslated, for a translator to fill in), drops labels that are gone, and writes the
``.mo`` files from the ``.po`` files. ``python tools/locales.py --check`` changes nothing and
exits 1 when a ``.po`` lacks a label or a ``.mo`` is not what its ``.po`` compiles to (the
test suite runs the same check). Babel, which Sphinx depends on, reads and writes them.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from fm_papers.sphinxext.labels import CATALOGUE, LABELS, LANGUAGES

LOCALE = Path(__file__).resolve().parent.parent / "sphinxext" / "locale"


def template() -> Catalog:
    """Every label as an untranslated message, its key as the context."""
    catalog = Catalog(domain=CATALOGUE, project="fm-papers", fuzzy=False)
    for key, label in LABELS.items():
        msgid = label.text if label.plural is None else (label.text, label.plural)
        catalog.add(msgid, context=key, auto_comments=[label.comment])
    return catalog


def po_path(language: str) -> Path:
    """Where the ``.po`` file of ``language`` is."""
    return LOCALE / language / "LC_MESSAGES" / f"{CATALOGUE}.po"


def read(language: str) -> Catalog:
    """The ``.po`` file of ``language``."""
    with po_path(language).open("rb") as file:
        return read_po(file, locale=language, domain=CATALOGUE)


def compiled(catalog: Catalog) -> bytes:
    """The ``.mo`` bytes of a catalogue."""
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def updated(language: str) -> bytes:
    """The ``.po`` text of ``language`` with every label of :data:`LABELS`, translations kept."""
    catalog = read(language)
    created = catalog.creation_date  # update() would date the file now: keep it stable
    catalog.update(template(), no_fuzzy_matching=True)
    catalog.creation_date = created
    catalog.obsolete.clear()
    out = io.BytesIO()
    write_po(out, catalog, width=96, omit_header=False, sort_output=False)
    return out.getvalue()


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for language in LANGUAGES:
        po = po_path(language)
        text = updated(language)
        if po.read_bytes() != text:
            stale.append(str(po))
            if not check:
                po.write_bytes(text)
        mo = po.with_suffix(".mo")
        data = compiled(read(language))
        if not mo.exists() or mo.read_bytes() != data:
            stale.append(str(mo))
            if not check:
                mo.write_bytes(data)
    if stale:
        print(("out of date: " if check else "updated: ") + ", ".join(stale))
    return 1 if check and stale else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
