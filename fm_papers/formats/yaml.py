"""The ``yaml`` format: a data file in the canonical form, readable back as an overlay."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..canonical import dump_data
from ..models import Paper

if TYPE_CHECKING:
    from ..catalogue import Catalogue
    from ..records import PaperLike

__all__ = ["render_yaml"]


def render_yaml(papers: Sequence[PaperLike], catalogue: Catalogue) -> str:
    """The papers as a ``papers:`` data file, formatted as ``fm-papers fmt`` writes it.

    :param papers: the papers, in order.
    :param catalogue: unused; every format takes it.
    """
    return dump_data([Paper.from_record(paper) for paper in papers])
