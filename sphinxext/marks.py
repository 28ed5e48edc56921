"""The mark of a paper whose source has a defect (its ``flags``), wherever a block shows it.

Pure, as :mod:`.render` is, which puts the mark after the title of a row, list item or card.
In HTML it is an ``<abbr>`` whose tooltip says what is wrong;
:class:`.transforms.FlagMarkTransform` writes it out in formats without tooltips.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes

from fm_papers.formats.table import FLAG_SIGN, flag_explanation

if TYPE_CHECKING:
    from fm_papers.records import PaperLike

    from .labels import Labels

__all__ = ["flag_mark"]

# HTML shows FLAG_SIGN as an ``<abbr>`` whose tooltip is the explanation: the
# ``source-defect`` label, in the build's language, and the flags' messages. The formats
# without tooltips (text, LaTeX, man...) show the command line's ASCII mark, which pdflatex
# can typeset, with the explanation in brackets (:class:`.transforms.FlagMarkTransform`).


def flag_mark(paper: PaperLike, labels: Labels) -> list[nodes.Node]:
    """A flagged paper's mark (an ``abbreviation`` whose explanation gives the flags'
    messages, after the ``source-defect`` label) after a space; nothing for a paper without
    flags."""
    if not paper.flags:
        return []
    explanation = flag_explanation(paper, labels("source-defect"))
    mark = nodes.abbreviation(
        FLAG_SIGN, FLAG_SIGN, explanation=explanation, classes=["fm-papers-flag"]
    )
    return [nodes.Text(" "), mark]
