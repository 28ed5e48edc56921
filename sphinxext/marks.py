"""The mark of a paper whose source has a defect (its ``flags``), wherever a block shows it.

Pure, as :mod:`.render` is, which puts the mark after the title of a row, list item or card.
In HTML it is an ``<abbr>`` whose tooltip says what is wrong;
:class:`.transforms.FlagMarkTransform` writes it out in formats without tooltips.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes

from fm_papers.formats.table import FLAG_LABEL, flag_explanation
from fm_papers.formats.table import FLAG_MARK as FLAG_MARK_PLAIN

if TYPE_CHECKING:
    from fm_papers.records import PaperLike

    from .labels import Labels

__all__ = ["FLAG_LABEL", "FLAG_MARK", "FLAG_MARK_PLAIN", "flag_mark"]

#: The mark after a flagged paper's title in HTML, whose tooltip (``<abbr title>``) is the
#: explanation: :data:`FLAG_LABEL` and the flags' messages.
FLAG_MARK = "⚠"
# FLAG_MARK_PLAIN, the mark where there is no tooltip (text, LaTeX, man...), followed by the
# explanation in brackets (:class:`.transforms.FlagMarkTransform`), is the command line's
# ASCII mark, which pdflatex can typeset; FLAG_LABEL, what the explanation starts with
# (``source defect: the year is 2024...``), is the command line's word too; pages show the
# ``source-defect`` label, in the build's language.


def flag_mark(paper: PaperLike, labels: Labels) -> list[nodes.Node]:
    """A flagged paper's mark (an ``abbreviation`` whose explanation gives the flags'
    messages, after the ``source-defect`` label) after a space; nothing for a paper without
    flags."""
    if not paper.flags:
        return []
    explanation = flag_explanation(paper, labels("source-defect"))
    mark = nodes.abbreviation(
        FLAG_MARK, FLAG_MARK, explanation=explanation, classes=["fm-papers-flag"]
    )
    return [nodes.Text(" "), mark]
