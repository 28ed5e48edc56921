"""Prove the manual's PDF is whole: every reference resolved, the tables' papers in the text.

Run by ``nox -s pdf`` after ``sphinx-build -M latexpdf``, with poppler's ``pdftotext`` and
``pdftoppm`` on the path. It also renders the first page of the directive chapter as a PNG
beside the PDF, for a person to look at.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import fm_papers

#: Poppler's tools, from Debian's poppler-utils (``nox -s pdf`` installs it).
PDFTOTEXT = shutil.which("pdftotext") or "pdftotext"
PDFTOPPM = shutil.which("pdftoppm") or "pdftoppm"


def _words(text: str) -> str:
    """The text with line-end hyphenation undone and whitespace collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"-\n(?=[a-z])", "", text))


def main(pdf: str) -> int:
    path = Path(pdf)
    text = subprocess.run(
        [PDFTOTEXT, "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    problems = []
    pages = text.count("\f")
    if pages < 20:
        problems.append(f"only {pages} pages")
    if "??" in text:
        problems.append("an unresolved reference (??) in the text")
    words = _words(text)
    # The directive chapter's first example: the segmentation table of the pathology domain.
    for paper in fm_papers.load().query(domain="pathology", section="segmentation"):
        start = " ".join(paper.title.split()[:4])
        if start not in words:
            problems.append(f"paper {paper.id!r} ({start!r}...) is not in the PDF's text")
    # The page of that example (its heading and its code; not the table of contents).
    chapter = next(
        (
            number
            for number, page in enumerate(text.split("\f"), 1)
            if "A section of a domain" in page and ".. fm-papers::" in page
        ),
        1,
    )
    subprocess.run(
        [PDFTOPPM, "-f", str(chapter), "-l", str(chapter), "-r", "80", "-png", "-singlefile",
         str(path), str(path.with_name("directive-page"))],
        check=True,
    )  # fmt: skip
    for problem in problems:
        print(f"{path}: {problem}", file=sys.stderr)
    if not problems:
        print(f"{path}: {pages} pages, references resolved, the example's papers all present")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
